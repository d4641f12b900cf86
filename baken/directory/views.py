"""Staff pages of the social map, under /werk/sociale-kaart/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from baken.directory import services
from baken.directory.forms import (
    CapacityForm,
    CapacityFormSet,
    OrganisationForm,
    PhoneForm,
    PhoneFormSet,
    ScheduleForm,
    ScheduleFormSet,
    ServiceForm,
    ServiceSearchForm,
)
from baken.directory.models import Capacity, Organisation, Phone, Schedule, Service
from baken.lib.access import staff_required


class HtmxHttpRequest(HttpRequest):
    """A request as ``django_htmx``'s middleware leaves it (django-htmx's typing recipe)."""

    htmx: HtmxDetails


@staff_required("directory.view")
def service_search_view(request: HtmxHttpRequest) -> HttpResponse:
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


def _service_values(data: dict[str, Any]) -> services.ServiceValues:
    """A valid ``ServiceForm``'s cleaned data as the service's values."""
    return services.ServiceValues(
        **{name: data[name] for name in services.SERVICE_FIELDS},
        exploitation_forms=tuple(data["exploitation_forms"]),
        audiences=tuple(data["audiences"]),
        languages=tuple(data["languages"]),
        service_area_ids=tuple(municipality.pk for municipality in data["service_areas"]),
    )


def _rows(
    formset: BaseInlineFormSet[Any, Service, Any],
) -> Iterator[tuple[int | None, dict[str, Any] | None]]:
    """The rows of a valid inline formset as (id, cleaned data), with ``None`` for the data of a
    row ticked for removal; new rows left empty or ticked are skipped, as ``formset.save()``
    skips them."""
    deleted = formset.deleted_forms
    for form in formset.forms:
        row_id = form.instance.pk
        if form in deleted:
            if row_id is not None:
                yield row_id, None
        elif row_id is not None or form.has_changed():
            yield row_id, form.cleaned_data


def _phone_lines(
    formset: BaseInlineFormSet[Phone, Service, PhoneForm],
) -> list[services.PhoneValues]:
    return [
        services.PhoneValues(
            number=row["number"],
            type=row["type"],
            description=row["description"],
            phone_id=row_id,
        )
        if row is not None
        else services.PhoneValues(phone_id=row_id, delete=True)
        for row_id, row in _rows(formset)
    ]


def _schedule_lines(
    formset: BaseInlineFormSet[Schedule, Service, ScheduleForm],
) -> list[services.ScheduleValues]:
    return [
        services.ScheduleValues(
            days=tuple(row["days"]),
            opens_at=row["opens_at"],
            closes_at=row["closes_at"],
            description=row["description"],
            schedule_id=row_id,
        )
        if row is not None
        else services.ScheduleValues(schedule_id=row_id, delete=True)
        for row_id, row in _rows(formset)
    ]


def _capacity_lines(
    formset: BaseInlineFormSet[Capacity, Service, CapacityForm],
) -> list[services.CapacityValues]:
    return [
        services.CapacityValues(
            unit=row["unit"],
            available=row["available"],
            maximum=row["maximum"],
            description=row["description"],
            capacity_id=row_id,
        )
        if row is not None
        else services.CapacityValues(capacity_id=row_id, delete=True)
        for row_id, row in _rows(formset)
    ]


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
    phone_formset = PhoneFormSet(data, instance=service, prefix="phones")
    schedule_formset = ScheduleFormSet(data, instance=service, prefix="schedules")
    capacity_formset = CapacityFormSet(data, instance=service, prefix="capacities")
    formsets = (phone_formset, schedule_formset, capacity_formset)
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in formsets):
        service = services.service_save(
            service=service if service_id else None,
            organisation=organisation,
            values=_service_values(form.cleaned_data),
            phones=_phone_lines(phone_formset),
            schedules=_schedule_lines(schedule_formset),
            capacities=_capacity_lines(capacity_formset),
        )
        messages.success(request, _("The service is saved."))
        return redirect("directory:service-detail", service_id=service.pk)
    return render(
        request,
        "directory/service_form.html",
        {
            "form": form,
            "phone_formset": phone_formset,
            "schedule_formset": schedule_formset,
            "capacity_formset": capacity_formset,
            # not ``service.pk``: a UUID key is set before the service is ever saved
            "service": service if service_id else None,
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
