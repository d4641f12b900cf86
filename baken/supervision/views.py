"""Licensing pages for the municipal supervisor, and the public licence check."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from baken.casework.indicators import label_for
from baken.lib import anonymity
from baken.lib.access import staff_required
from baken.lib.http import no_store
from baken.supervision import services
from baken.supervision.forms import (
    BusinessForm,
    FollowUpForm,
    HousingForm,
    InspectionForm,
    LicenceForm,
    PhotoForm,
    PublicCheckForm,
    RegistrationFileForm,
)
from baken.supervision.models import (
    Business,
    FollowUp,
    HousingAddress,
    Inspection,
    InspectionPhoto,
)


@staff_required("supervision.licences")
def business_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    businesses = list(
        services.businesses_for(request.user)
        .select_related("municipality")
        .prefetch_related("licences")
    )
    for business in businesses:
        business.licence_in_force = next(
            (lic for lic in business.licences.all() if lic.in_force_on(today)), None
        )
    return render(request, "supervision/business_list.html", {"businesses": businesses})


@staff_required("supervision.licences")
def business_form_view(request: HttpRequest, business_id: int | None = None) -> HttpResponse:
    business = (
        get_object_or_404(services.businesses_for(request.user), pk=business_id)
        if business_id
        else Business()
    )
    form = BusinessForm(
        request.POST or None,
        instance=business,
        municipalities=services.municipalities_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        business = form.save(commit=False)
        services.business_save(business=business, user=request.user)
        return redirect("supervision:business", business_id=business.pk)
    return render(request, "supervision/business_form.html", {"form": form, "business": business})


@staff_required("supervision.licences")
def business_detail_view(request: HttpRequest, business_id: int) -> HttpResponse:
    business = get_object_or_404(
        services.businesses_for(request.user).select_related("municipality"), pk=business_id
    )
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
    services.business_file_read(business=business)
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


#: Checks one visitor may make per hour: plenty for a client or a neighbour, too few to try
#: the register through (the limit is kept on a rotating hash, never the address).
PUBLIC_CHECKS_PER_HOUR = "30/h"


def public_check_view(request: HttpRequest) -> HttpResponse:
    """Public: is this business licensed? Nothing about the visitor is kept."""
    form = PublicCheckForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        if is_ratelimited(
            request,
            group="public-check",
            key=anonymity.ratelimit_key,
            rate=PUBLIC_CHECKS_PER_HOUR,
            increment=True,
        ):
            return no_store(
                render(
                    request,
                    "supervision/public_check.html",
                    {"form": form, "results": None, "limited": True},
                    status=429,
                )
            )
        results = services.public_check(query=form.cleaned_data["q"])
    return no_store(
        render(request, "supervision/public_check.html", {"form": form, "results": results})
    )


@staff_required("supervision.inspect")
def housing_list_view(request: HttpRequest) -> HttpResponse:
    """Addresses to visit first, with the reasons."""
    return render(
        request,
        "supervision/housing_list.html",
        {"ranked": services.housing_to_visit(user=request.user)},
    )


@staff_required("supervision.inspect")
def housing_form_view(request: HttpRequest, housing_id: int | None = None) -> HttpResponse:
    address = (
        get_object_or_404(services.housing_for(request.user), pk=housing_id)
        if housing_id
        else HousingAddress()
    )
    form = HousingForm(
        request.POST or None,
        instance=address,
        municipalities=services.municipalities_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        address = services.housing_save(address=form.save(commit=False))
        return redirect("supervision:housing", housing_id=address.pk)
    return render(
        request,
        "supervision/housing_form.html",
        {"form": form, "address": address},
        status=400 if request.method == "POST" else 200,
    )


def _visit_form(request: HttpRequest, *, housing=None, business=None):
    """The form for a new visit to ``housing`` or ``business`` (with that kind's checklist), and
    the redirect to the recorded visit once it was posted and valid."""
    kind = "housing" if housing is not None else "business"
    form = InspectionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        inspection = form.save(commit=False)
        inspection.kind, inspection.housing, inspection.business = kind, housing, business
        inspection.indicators = form.cleaned_data["indicators"]
        services.inspection_record(inspection=inspection, user=request.user)
        return form, redirect("supervision:inspection", inspection_id=inspection.pk)
    return form, None


@staff_required("supervision.inspect")
def housing_detail_view(request: HttpRequest, housing_id: int) -> HttpResponse:
    address = get_object_or_404(
        services.housing_for(request.user).select_related("municipality"), pk=housing_id
    )
    form, recorded = _visit_form(request, housing=address)
    if recorded:
        return recorded
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
    inspection = get_object_or_404(
        services.inspections_for(request.user).select_related("housing", "business", "signal"),
        pk=inspection_id,
    )
    return _inspection_page(request, inspection)


def _inspection_page(
    request: HttpRequest,
    inspection: Inspection,
    *,
    photo_form=None,
    follow_up_form=None,
    status=200,
) -> HttpResponse:
    services.inspection_read(inspection=inspection)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "seen": [label_for(code) for code in inspection.indicators],
            "flags": services.housing_flags(inspection.housing) if inspection.housing else [],
            "photos": inspection.photos.all(),
            "follow_ups": inspection.follow_ups.all(),
            "photo_form": photo_form or PhotoForm(),
            "follow_up_form": follow_up_form
            or FollowUpForm(initial={"due_on": timezone.localdate() + timedelta(days=28)}),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_POST
@staff_required("supervision.inspect")
def inspection_signal_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = get_object_or_404(services.inspections_for(request.user), pk=inspection_id)
    signal = services.inspection_to_signal(inspection=inspection, user=request.user)
    messages.success(
        request,
        _("The findings are now signal %(reference)s in casework.")
        % {"reference": signal.reference},
    )
    return redirect("supervision:inspection", inspection_id=inspection.pk)


@staff_required("supervision.inspect")
def business_inspection_view(request: HttpRequest, business_id: int) -> HttpResponse:
    """Visits to a licensed business: the list and a new one, with the business checklist."""
    business = get_object_or_404(
        services.businesses_for(request.user).select_related("municipality"), pk=business_id
    )
    form, recorded = _visit_form(request, business=business)
    if recorded:
        return recorded
    return render(
        request,
        "supervision/business_inspections.html",
        {
            "business": business,
            "licences": business.licences.all(),
            "inspections": business.inspections.select_related("inspector", "signal"),
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@staff_required("supervision.inspect")
def inspection_photo_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = get_object_or_404(services.inspections_for(request.user), pk=inspection_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                inspection=inspection,
                user=request.user,
                caption=form.cleaned_data["caption"],
                upload=form.cleaned_data["image"],
            )
        except services.PhotoRefused as error:
            form.add_error("image", str(error))
        else:
            messages.success(request, _("The photo is added."))
            return redirect("supervision:inspection", inspection_id=inspection.pk)
    return _inspection_page(request, inspection, photo_form=form, status=400)


@require_POST
@staff_required("supervision.inspect")
def inspection_follow_up_view(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = get_object_or_404(services.inspections_for(request.user), pk=inspection_id)
    form = FollowUpForm(request.POST, instance=FollowUp(inspection=inspection))
    if form.is_valid():
        services.follow_up_add(follow_up=form.save(commit=False), user=request.user)
        messages.success(request, _("The follow-up action is added."))
        return redirect("supervision:inspection", inspection_id=inspection.pk)
    return _inspection_page(request, inspection, follow_up_form=form, status=400)


@require_POST
@staff_required("supervision.inspect")
def follow_up_done_view(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp, pk=follow_up_id, inspection__in=services.inspections_for(request.user)
    )
    services.follow_up_done(follow_up=follow_up)
    return redirect("supervision:inspection", inspection_id=follow_up.inspection_id)


@staff_required("supervision.inspect")
def photo_view(request: HttpRequest, photo_id: int) -> HttpResponse:
    photo = get_object_or_404(
        InspectionPhoto, pk=photo_id, inspection__in=services.inspections_for(request.user)
    )
    response = HttpResponse(services.photo_read(photo=photo), content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="inspectie-foto-{photo.pk}.jpg"'
    return response


@staff_required("supervision.inspect")
def follow_up_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/follow_ups.html",
        {"follow_ups": services.follow_ups_open(user=request.user), "today": timezone.localdate()},
    )


@staff_required("supervision.inspect")
def registrations_view(request: HttpRequest) -> HttpResponse:
    """Take the registered counts per address from a BRP/RNI extract."""
    form = RegistrationFileForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.MAX_REGISTRATION_FILE_BYTES:
            result = services.registrations_too_large()  # refused before it is read
        else:
            result = services.registrations_import(data=upload.read(), user=request.user)
    return render(
        request,
        "supervision/registrations.html",
        {"form": form, "result": result},
        # a POST without a result had a form error
        status=400 if request.method == "POST" and (result is None or result.refused) else 200,
    )
