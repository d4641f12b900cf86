from __future__ import annotations

from django import forms
from django.utils.text import slugify

from baken.programmes.models import Project

_TEXT = {"class": "utrecht-textbox"}


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "programme",
            "name",
            "summary",
            "owner",
            "partners",
            "starts_on",
            "ends_on",
            "budget",
            "funding",
            "subsidy_ceiling",
            "subsidy_years",
            "funding_explanation",
            "public",
        ]
        widgets = {
            "programme": forms.Select(attrs={"class": "utrecht-select"}),
            "name": forms.TextInput(attrs=_TEXT),
            "summary": forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
            "owner": forms.Select(attrs={"class": "utrecht-select"}),
            "partners": forms.SelectMultiple(attrs={"class": "utrecht-select", "size": 6}),
            "starts_on": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
            "budget": forms.NumberInput(attrs={"step": "0.01", **_TEXT}),
            "funding": forms.RadioSelect,
            "subsidy_ceiling": forms.NumberInput(attrs={"step": "0.01", **_TEXT}),
            "subsidy_years": forms.NumberInput(attrs=_TEXT),
            "funding_explanation": forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
        }

    def save(self, commit=True):
        project = super().save(commit=False)
        if not project.slug:
            base = slugify(project.name)[:70] or "project"
            slug, n = base, 2
            while Project.objects.filter(slug=slug).exclude(pk=project.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            project.slug = slug
        return project
