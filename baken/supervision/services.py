"""Licensing: the register of sex businesses, its public check, and what the ad monitor reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from baken.audit.services import AuditAction, audit_record
from baken.lib.phones import normalise_phone
from baken.supervision.models import (
    Business,
    HousingAddress,
    Inspection,
    Licence,
    LicenceStatus,
)

__all__ = [
    "CHECKLISTS",
    "HousingFlag",
    "PublicEntry",
    "housing_flags",
    "housing_save",
    "housing_to_visit",
    "inspection_record",
    "inspection_to_signal",
    "business_save",
    "licence_decide",
    "licence_save",
    "licensed_phone_numbers",
    "public_check",
]


def business_save(*, business: Business, user) -> Business:
    business.full_clean()
    created = business.pk is None
    if created:
        business.created_by = user
    business.save()
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type="supervision.Business",
        object_id=business.pk,
        fields=["name", "kind", "address", "phones", "operator_name"],
        purpose="licensing",
    )
    return business


def licence_save(*, licence: Licence, user) -> Licence:
    """Check and store a licence (a licence that ends before it starts is refused)."""
    licence.full_clean()
    with transaction.atomic():
        if licence.status != LicenceStatus.REQUESTED and licence.decided_at is None:
            licence.decided_at, licence.decided_by = timezone.now(), user
        licence.save()
    audit_record(
        action=AuditAction.UPDATE,
        object_type="supervision.Licence",
        object_id=licence.pk,
        fields=["status", "valid_from", "valid_until", "conditions"],
        purpose="licensing",
    )
    return licence


def licence_decide(*, licence: Licence, status: str, user) -> Licence:
    if status not in LicenceStatus.values:
        raise ValueError(status)
    licence.status = status
    licence.decided_at, licence.decided_by = timezone.now(), user
    return licence_save(licence=licence, user=user)


def _in_force(day: date):
    return Licence.objects.filter(
        status=LicenceStatus.GRANTED, valid_from__lte=day, valid_until__gte=day
    )


def licensed_phone_numbers(day: date | None = None) -> set[str] | None:
    """The E.164 numbers of businesses with a licence in force; None while the register is
    empty (the ad monitor then says the split cannot be made yet)."""
    if not Business.objects.exists():
        return None
    day = day or timezone.localdate()
    numbers: set[str] = set()
    for phones in Business.objects.filter(licences__in=_in_force(day)).values_list(
        "phones", flat=True
    ):
        numbers.update(phones or [])
    return numbers


@dataclass(frozen=True)
class PublicEntry:
    name: str
    kind: str
    address: str
    municipality: str
    licensed: bool
    valid_until: date | None


def public_check(query: str, *, day: date | None = None) -> list[PublicEntry]:
    """Businesses matching a name, an address or postcode, or a phone number, with whether
    they hold a licence in force. The operator is never shown."""
    query = " ".join(query.split())
    if len(query) < 3:
        return []
    day = day or timezone.localdate()
    try:
        number = normalise_phone(query)
    except ValueError:
        number = ""
    folded = query.lower().replace(" ", "")
    found = []
    for business in Business.objects.select_related("municipality").prefetch_related("licences"):
        by_name = query.lower() in business.name.lower()
        by_address = folded in f"{business.address}{business.postal_code}".lower().replace(" ", "")
        by_phone = bool(number) and number in (business.phones or [])
        if not (by_name or by_address or by_phone):
            continue
        in_force = [lic for lic in business.licences.all() if lic.in_force_on(day)]
        found.append(
            PublicEntry(
                name=business.name,
                kind=business.get_kind_display(),
                address=f"{business.address}, {business.postal_code}".strip(", "),
                municipality=business.municipality.name,
                licensed=bool(in_force),
                valid_until=max((lic.valid_until for lic in in_force), default=None),
            )
        )
    return found[:50]


# --- labour-migrant housing and inspections ----------------------------------------------------

#: What an inspector looks for, per kind of visit: codes of casework's indicator catalogue, so
#: that a signal made of the visit speaks casework's language.
CHECKLISTS = {
    "housing": [
        "overcrowded-housing",
        "housing-tied-to-job",
        "no-own-documents",
        "no-free-movement",
        "debt-to-employer",
        "excessive-hours",
        "little-no-pay",
        "fear-anxiety",
    ],
    "business": [
        "looks-under-18",
        "no-own-money",
        "no-own-documents",
        "controlled-accompanied",
        "debt-to-employer",
        "threats-violence",
        "lives-at-work",
        "moved-around",
        "fear-anxiety",
    ],
}


@dataclass(frozen=True)
class HousingFlag:
    code: str
    reason: str


def housing_flags(address: HousingAddress, *, today: date | None = None) -> list[HousingFlag]:
    """Why an address deserves a visit: overcrowding on paper or in reality, registration that
    differs from what inspectors found, or no visit for a year."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    flags = []
    if address.registered > address.capacity:
        flags.append(
            HousingFlag(
                "registered_over_capacity",
                _("%(registered)d registered for %(capacity)d places")
                % {"registered": address.registered, "capacity": address.capacity},
            )
        )
    last = address.inspections.exclude(people_observed=None).order_by("-visited_on").first()
    if last is not None:
        if last.people_observed > address.capacity:
            flags.append(
                HousingFlag(
                    "observed_over_capacity",
                    _("%(observed)d people found on %(day)s for %(capacity)d places")
                    % {
                        "observed": last.people_observed,
                        "day": last.visited_on.strftime("%d-%m-%Y"),
                        "capacity": address.capacity,
                    },
                )
            )
        gap = abs(last.people_observed - address.registered)
        if gap >= max(3, address.registered // 4):
            flags.append(
                HousingFlag(
                    "registration_differs",
                    _("%(observed)d found, %(registered)d registered")
                    % {"observed": last.people_observed, "registered": address.registered},
                )
            )
    visited = address.inspections.order_by("-visited_on").first()
    if visited is None or (today - visited.visited_on).days > 365:
        flags.append(HousingFlag("not_visited", _("no visit in the past year")))
    return flags


def housing_to_visit(*, municipality=None) -> list[tuple[HousingAddress, list[HousingFlag]]]:
    """Addresses with reasons to visit, the most reasons (and the weightiest) first."""
    weights = {
        "observed_over_capacity": 3,
        "registered_over_capacity": 2,
        "registration_differs": 2,
        "not_visited": 1,
    }
    addresses = HousingAddress.objects.select_related("municipality")
    if municipality is not None:
        addresses = addresses.filter(municipality=municipality)
    ranked = [(a, housing_flags(a)) for a in addresses]
    ranked.sort(key=lambda item: (-sum(weights[f.code] for f in item[1]), item[0].address))
    return ranked


def housing_save(*, address: HousingAddress) -> HousingAddress:
    address.full_clean()
    address.save()
    audit_record(
        action=AuditAction.UPDATE,
        object_type="supervision.HousingAddress",
        object_id=address.pk,
        fields=["capacity", "registered", "employer"],
        purpose="supervision: housing",
    )
    return address


def inspection_record(*, inspection: Inspection, user) -> Inspection:
    allowed = set(CHECKLISTS[inspection.kind])
    inspection.indicators = [code for code in inspection.indicators if code in allowed]
    inspection.inspector = user
    inspection.full_clean()
    inspection.save()
    audit_record(
        action=AuditAction.CREATE,
        object_type="supervision.Inspection",
        object_id=inspection.pk,
        fields=["people_observed", "indicators", "findings"],
        purpose="supervision: inspection",
    )
    return inspection


def inspection_to_signal(*, inspection: Inspection, user):
    """One click: the visit's findings become a casework signal (source "inspection")."""
    from django.utils.translation import gettext as _

    from baken.casework import services as casework

    if inspection.signal_id:
        return inspection.signal
    place = inspection.housing or inspection.business
    lines = [
        _("Inspection of %(place)s on %(day)s.")
        % {"place": place, "day": inspection.visited_on.strftime("%d-%m-%Y")}
    ]
    codes = list(inspection.indicators)
    if inspection.housing is not None:
        housing = inspection.housing
        lines.append(
            _("Capacity %(capacity)d, registered %(registered)d, found %(observed)s.")
            % {
                "capacity": housing.capacity,
                "registered": housing.registered,
                "observed": inspection.people_observed
                if inspection.people_observed is not None
                else "?",
            }
        )
        if housing.employer:
            lines.append(_("Employer or agency: %(employer)s.") % {"employer": housing.employer})
        for flag in housing_flags(housing):
            lines.append(f"- {flag.reason}")
        if (
            inspection.people_observed or 0
        ) > housing.capacity and "overcrowded-housing" not in codes:
            codes.append("overcrowded-housing")
    if inspection.findings:
        lines.append(inspection.findings)
    signal = casework.signal_create(
        reporter=user,
        source="inspection",
        description="\n".join(lines),
        municipality=(inspection.housing or inspection.business).municipality,
        exploitation_forms=["labour"] if inspection.kind == "housing" else ["sexual"],
        indicator_codes=codes,
    )
    inspection.signal = signal
    inspection.save(update_fields=["signal"])
    return signal
