from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from baken.directory.models import ExploitationForm, Municipality
from baken.programmes.models import (
    Activity,
    ActivityAudience,
    ClassSession,
    Project,
    Result,
    Scenario,
    Scene,
    Trainer,
)
from baken.programmes.services import NEW_SCENE

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


# --- Scenario lessons --------------------------------------------------------------------------


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["title", "audience", "theme", "summary", "debrief", "help_text", "start"]
        widgets = {
            "title": forms.TextInput(attrs=_TEXT),
            "audience": forms.TextInput(attrs=_TEXT),
            "theme": forms.Select(attrs={"class": "utrecht-select"}),
            "summary": forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
            "debrief": forms.Textarea(attrs={"rows": 6, "class": "utrecht-textarea"}),
            "help_text": forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
            "start": forms.Select(attrs={"class": "utrecht-select"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["start"].queryset = self.instance.scenes.all()
        else:
            del self.fields["start"]

    def save(self, commit=True):
        scenario = super().save(commit=False)
        if not scenario.slug:
            base = slugify(scenario.title)[:70] or "scenario"
            slug, n = base, 2
            while Scenario.objects.filter(slug=slug).exclude(pk=scenario.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            scenario.slug = slug
        if commit:
            scenario.save()
        return scenario


class SceneForm(forms.ModelForm):
    class Meta:
        model = Scene
        fields = ["title", "text", "ending", "survivor_voice"]
        widgets = {
            "title": forms.TextInput(attrs=_TEXT),
            "text": forms.Textarea(attrs={"rows": 5, "class": "utrecht-textarea"}),
            "survivor_voice": forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        }


class ChoiceForm(forms.Form):
    """One choice of a scene. A row without a label is skipped; a row with a label must say
    where it leads (an existing scene, or a new one made for it)."""

    label = forms.CharField(
        label=_("Choice"), max_length=160, required=False, widget=forms.TextInput(attrs=_TEXT)
    )
    consequence = forms.CharField(
        label=_("Consequence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "utrecht-textarea"}),
    )
    leads_to = forms.ChoiceField(
        label=_("Leads to"), required=False, widget=forms.Select(attrs={"class": "utrecht-select"})
    )

    def __init__(self, *args, scenes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.scenes = {str(scene.pk): scene for scene in scenes}
        self.fields["leads_to"].choices = [
            ("", _("— choose a scene —")),
            *[(key, scene.title) for key, scene in self.scenes.items()],
            (NEW_SCENE, _("a new scene, to be written next")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("label") and not data.get("leads_to"):
            self.add_error(
                "leads_to", _("This choice leads nowhere: choose the scene it leads to.")
            )
        return data


def choice_formset(data=None, *, scene: Scene, scenes) -> forms.BaseFormSet:
    """The choices of ``scene`` and room for new ones (four rows in all, at least one empty)."""
    initial = [
        {
            "label": choice.label,
            "consequence": choice.consequence,
            "leads_to": str(choice.leads_to_id) if choice.leads_to_id else "",
        }
        for choice in (scene.choices.all() if scene.pk else [])
    ]
    rows = max(4, len(initial) + 1)
    formset = forms.formset_factory(
        ChoiceForm, extra=rows - len(initial), max_num=6, validate_max=True
    )(data, initial=initial, prefix="choice", form_kwargs={"scenes": scenes})
    return formset


class LessonStartForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ["group_name", "school", "municipality"]
        widgets = {
            "group_name": forms.TextInput(attrs=_TEXT),
            "school": forms.TextInput(attrs=_TEXT),
            "municipality": forms.Select(attrs={"class": "utrecht-select"}),
        }


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Code on the board"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "utrecht-textbox"}
        ),
    )

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"] if not ch.isspace())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("The code has six digits. Look at the board again."))
        return code


# --- Prevention activities ----------------------------------------------------------------------


class ActivityForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=_("Forms of exploitation it is about"),
        choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "audience",
            "themes",
            "municipality",
            "held_on",
            "participants",
            "organisation",
            "trainer",
            "project",
            "notes",
        ]
        widgets = {
            "kind": forms.Select(attrs={"class": "utrecht-select"}),
            "title": forms.TextInput(attrs=_TEXT),
            "audience": forms.Select(attrs={"class": "utrecht-select"}),
            "municipality": forms.Select(attrs={"class": "utrecht-select"}),
            "held_on": forms.DateInput(attrs={"type": "date", **_TEXT}, format="%Y-%m-%d"),
            "participants": forms.NumberInput(attrs={"min": "0", **_TEXT}),
            "organisation": forms.Select(attrs={"class": "utrecht-select"}),
            "trainer": forms.Select(attrs={"class": "utrecht-select"}),
            "project": forms.Select(attrs={"class": "utrecht-select"}),
            "notes": forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        }


class TrainerForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = ["name", "organisation", "trained_at", "active"]
        widgets = {
            "name": forms.TextInput(attrs=_TEXT),
            "organisation": forms.Select(attrs={"class": "utrecht-select"}),
            "trained_at": forms.Select(attrs={"class": "utrecht-select"}),
        }


class ReachFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=_TEXT),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("All"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    theme = forms.ChoiceField(
        label=_("Form of exploitation"),
        choices=[("", _("All")), *ExploitationForm.choices],
        required=False,
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[("", _("All")), *ActivityAudience.choices],
        required=False,
        widget=forms.Select(attrs={"class": "utrecht-select"}),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it for you?"),
        coerce=int,
        choices=[
            (5, _("5 – very useful")),
            (4, "4"),
            (3, "3"),
            (2, "2"),
            (1, _("1 – not useful")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 1 to 5.")},
    )
    learned = forms.CharField(
        label=_("What did you learn?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
    )
    improve = forms.CharField(
        label=_("What could be better?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
    )


class ResultForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = ["description", "year", "planned", "achieved"]
        widgets = {
            "description": forms.TextInput(attrs=_TEXT),
            "year": forms.NumberInput(attrs=_TEXT),
            "planned": forms.NumberInput(attrs={"min": "0", **_TEXT}),
            "achieved": forms.NumberInput(attrs={"min": "0", **_TEXT}),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        project = self.instance.project if self.instance.project_id else None
        project = project or getattr(self, "project", None)
        if project and not (project.starts_on.year <= year <= project.ends_on.year):
            raise forms.ValidationError(
                _("The project runs from %(start)d to %(end)d.")
                % {"start": project.starts_on.year, "end": project.ends_on.year}
            )
        return year


class _ResultFormSet(forms.BaseInlineFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.project = self.instance
        return form


ResultFormSet = forms.inlineformset_factory(
    Project, Result, form=ResultForm, formset=_ResultFormSet, extra=2, can_delete=True
)
