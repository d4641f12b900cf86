"""Staff pages of the social map, under /werk/sociale-kaart/."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.directory import services
from baken.directory.forms import (
    CapacityFormSet,
    OrganisationForm,
    PhoneFormSet,
    ScheduleFormSet,
    ServiceForm,
    ServiceSearchForm,
)
from baken.directory.models import Organisation, Service
from baken.lib.access import staff_required


@staff_required("directory.view")
def service_search_view(request: HttpRequest) -> HttpResponse:
    form = ServiceSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        found = services.service_search(form.filters())
        results = Paginator(found, 25).get_page(request.GET.get("page"))
    template = "directory/_results.html" if request.htmx else "directory/search.html"
    return render(request, template, {"form": form, "results": results})


@staff_required("directory.view")
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("municipality", "region")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        organisations = organisations.filter(name__icontains=query)
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "directory/organisation_list.html", {"page": page, "query": query})


@staff_required("directory.view")
def organisation_detail_view(request: HttpRequest, organisation_id) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("last_verified_by", "municipality", "region", "parent"),
        pk=organisation_id,
    )
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "services": organisation.services.prefetch_related("taxonomy_terms", "languages"),
            "locations": organisation.locations.select_related("municipality"),
        },
    )


@staff_required("directory.edit")
def organisation_edit_view(request: HttpRequest, organisation_id=None) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id) if organisation_id else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_save(
            organisation=organisation, values=form.cleaned_data
        )
        messages.success(request, _("The organisation is saved."))
        return redirect("directory:organisation-detail", organisation_id=organisation.pk)
    return render(
        request, "directory/organisation_form.html", {"form": form, "organisation": organisation}
    )


@staff_required("directory.view")
def service_detail_view(request: HttpRequest, service_id) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.select_related("organisation", "last_verified_by").prefetch_related(
            "taxonomy_terms",
            "languages",
            "schedules",
            "phones",
            "capacities",
            "service_areas",
            "at_locations__location__municipality",
        ),
        pk=service_id,
    )
    return render(request, "directory/service_detail.html", {"service": service})


@staff_required("directory.edit")
def service_edit_view(request: HttpRequest, organisation_id=None, service_id=None) -> HttpResponse:
    if service_id:
        service = get_object_or_404(Service.objects.select_related("organisation"), pk=service_id)
        organisation = service.organisation
    else:
        organisation = get_object_or_404(Organisation, pk=organisation_id)
        service = Service(organisation=organisation)
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, instance=service)
    formsets = [
        PhoneFormSet(data, instance=service, prefix="phones"),
        ScheduleFormSet(data, instance=service, prefix="schedules"),
        CapacityFormSet(data, instance=service, prefix="capacities"),
    ]
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in formsets):
        service = services.service_save(form=form, formsets=formsets)
        messages.success(request, _("The service is saved."))
        return redirect("directory:service-detail", service_id=service.pk)
    return render(
        request,
        "directory/service_form.html",
        {
            "form": form,
            "phone_formset": formsets[0],
            "schedule_formset": formsets[1],
            "capacity_formset": formsets[2],
            "service": service if service.pk else None,
            "organisation": organisation,
        },
    )


@require_POST
@staff_required("directory.verify")
def organisation_verify_view(request: HttpRequest, organisation_id) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    services.directory_entry_verify(entry=organisation, user=request.user)
    messages.success(request, _("Marked as checked today."))
    if request.POST.get("next") == "due":
        return redirect("directory:due")
    return redirect("directory:organisation-detail", organisation_id=organisation.pk)


@require_POST
@staff_required("directory.verify")
def service_verify_view(request: HttpRequest, service_id) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    services.directory_entry_verify(entry=service, user=request.user)
    messages.success(request, _("Marked as checked today."))
    if request.POST.get("next") == "due":
        return redirect("directory:due")
    return redirect("directory:service-detail", service_id=service.pk)


@staff_required("directory.verify")
def due_for_verification_view(request: HttpRequest) -> HttpResponse:
    """What nobody has checked for a year (DIRECTORY_VERIFY_AFTER_DAYS), oldest first."""
    organisations = (
        Organisation.objects.due_for_verification()
        .select_related("last_verified_by")
        .order_by("last_verified_at", "name")
    )
    due_services = (
        Service.objects.due_for_verification()
        .exclude(status="defunct")
        .select_related("organisation", "last_verified_by")
        .order_by("last_verified_at", "name")
    )
    return render(
        request,
        "directory/due.html",
        {"organisations": organisations, "services": due_services},
    )
