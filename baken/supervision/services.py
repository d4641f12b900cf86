"""Licensing: the register of sex businesses, its public check, and what the ad monitor reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from baken.audit.services import AuditAction, audit_record
from baken.lib.phones import normalise_phone
from baken.supervision.models import Business, Licence, LicenceStatus

__all__ = [
    "PublicEntry",
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
