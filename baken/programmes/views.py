"""Programme managers keep projects; the portal shows them, with how each is financed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from baken.accounts.decorators import staff_required
from baken.programmes import services
from baken.programmes.forms import ProjectForm
from baken.programmes.models import Programme, Project


@staff_required("programmes.manage")
def project_list_view(request: HttpRequest) -> HttpResponse:
    programmes = Programme.objects.prefetch_related("projects__owner")
    return render(request, "programmes/project_list.html", {"programmes": programmes})


@staff_required("programmes.manage")
def project_form_view(request: HttpRequest, project_id: int | None = None) -> HttpResponse:
    project = get_object_or_404(Project, pk=project_id) if project_id else Project()
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        try:
            services.project_save(project=project, partners=form.cleaned_data["partners"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("programmes:projects")
    return render(
        request,
        "programmes/project_form.html",
        {"form": form, "project": project},
        status=400 if request.method == "POST" else 200,
    )


def public_project_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "programmes/public_list.html", {"projects": services.projects_public()})


def public_project_view(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(services.projects_public(), slug=slug)
    return render(request, "programmes/public_project.html", {"project": project})
