"""Licensing pages for the municipal supervisor, and the public licence check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baken.accounts.decorators import staff_required
from baken.supervision import services
from baken.supervision.forms import (
    BusinessForm,
    HousingForm,
    InspectionForm,
    LicenceForm,
    PublicCheckForm,
)
from baken.supervision.models import Business, HousingAddress, Inspection


@staff_required("supervision.licences")
def business_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    businesses = list(Business.objects.select_related("municipality").prefetch_related("licences"))
    for business in businesses:
        business.licence_in_force = next(
            (lic for lic in business.licences.all() if lic.in_force_on(today)), None
        )
    return render(request, "supervision/business_list.html", {"businesses": businesses})


@staff_required("supervision.licences")
def business_form_view(request: HttpRequest, business_id: int | None = None) -> HttpResponse:
    business = get_object_or_404(Business, pk=business_id) if business_id else Business()
    form = BusinessForm(request.POST or None, instance=business)
    if request.method == "POST" and form.is_valid():
        business = form.save(commit=False)
        services.business_save(business=business, user=request.user)
        return redirect("supervision:business", business_id=business.pk)
    return render(request, "supervision/business_form.html", {"form": form, "business": business})


@staff_required("supervision.licences")
def business_detail_view(request: HttpRequest, business_id: int) -> HttpResponse:
    business = get_object_or_404(Business.objects.select_related("municipality"), pk=business_id)
    form = LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        licence = form.save(commit=False)
        licence.business = business
        try:
            services.licence_save(licence=licence, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("supervision:business", business_id=business.pk)
    return render(
        request,
        "supervision/business_detail.html",
        {
            "business": business,
            "licences": business.licences.all(),
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


def public_check_view(request: HttpRequest) -> HttpResponse:
    """Public: is this business licensed? Nothing about the visitor is kept."""
    form = PublicCheckForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = services.public_check(form.cleaned_data["q"])
    return render(request, "supervision/public_check.html", {"form": form, "results": results})


@staff_required("supervision.inspect")
def housing_list_view(request: HttpRequest) -> HttpResponse:
    """Addresses to visit first, with the reasons."""
    return render(request, "supervision/housing_list.html", {"ranked": services.housing_to_visit()})


@staff_required("supervision.inspect")
def housing_form_view(request: HttpRequest, housing_id: int | None = None) -> HttpResponse:
    address = get_object_or_404(HousingAddress, pk=housing_id) if housing_id else HousingAddress()
    form = HousingForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        address = services.housing_save(address=form.save(commit=False))
        return redirect("supervision:housing", housing_id=address.pk)
    return render(
        request,
        "supervision/housing_form.html",
        {"form": form, "address": address},
        status=400 if request.method == "POST" else 200,
    )


@staff_required("supervision.inspect")
def housing_detail_view(request: HttpRequest, housing_id: int) -> HttpResponse:
    address = get_object_or_404(
        HousingAddress.objects.select_related("municipality"), pk=housing_id
    )
    form = InspectionForm(request.POST or None, kind="housing")
    if request.method == "POST" and form.is_valid():
        inspection = form.save(commit=False)
        inspection.kind, inspection.housing = "housing", address
        inspection.indicators = form.cleaned_data["indicators"]
        services.inspection_record(inspection=inspection, user=request.user)
        return redirect("supervision:inspection", inspection_id=inspection.pk)
    return render(
        request,
        "supervision/housing_detail.html",
        {
            "address": address,
            "flags": services.housing_flags(address),
            "inspections": address.inspections.select_related("inspector"),
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required("supervision.inspect")
def inspection_detail_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    from baken.casework.indicators import label_for

    inspection = get_object_or_404(
        Inspection.objects.select_related("housing", "business", "signal"), pk=inspection_id
    )
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "seen": [label_for(code) for code in inspection.indicators],
            "flags": services.housing_flags(inspection.housing) if inspection.housing else [],
        },
    )


@require_POST
@staff_required("supervision.inspect")
def inspection_signal_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = get_object_or_404(Inspection, pk=inspection_id)
    signal = services.inspection_to_signal(inspection=inspection, user=request.user)
    messages.success(
        request,
        _("The findings are now signal %(reference)s in casework.")
        % {"reference": signal.reference},
    )
    return redirect("supervision:inspection", inspection_id=inspection.pk)
