"""Licensing pages for the municipal supervisor, and the public licence check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from baken.accounts.decorators import staff_required
from baken.supervision import services
from baken.supervision.forms import BusinessForm, LicenceForm, PublicCheckForm
from baken.supervision.models import Business


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
