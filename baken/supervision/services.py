"""Supervision's public API: the licence register of sex businesses and its public check,
labour-migrant housing and the inspections of both (photos, follow-up actions, a signal for
casework), and the BRP/RNI registration counts.

A supervisor works on their own region only: views fetch through ``businesses_for``,
``housing_for``, ``inspections_for`` and ``municipalities_for``. Writes take model instances
the caller has filled with validated values, check them (``full_clean``) and go to the audit
trail, as does every read of findings or photos. The ad monitor reads
``licensed_phone_numbers``.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from baken.audit.services import AuditAction, audit_read, audit_record
from baken.casework import services as casework
from baken.directory.models import Municipality
from baken.lib.crypto import decrypt_bytes, encrypt_bytes
from baken.lib.phones import normalise_phone
from baken.supervision.models import (
    Business,
    BusinessKind,
    FollowUp,
    HousingAddress,
    Inspection,
    InspectionPhoto,
    Licence,
    LicenceStatus,
)
from baken.supervision.registrations import key_of_address, read_registrations

__all__ = [
    "business_file_read",
    "CHECKLISTS",
    "HousingFlag",
    "MAX_REGISTRATION_FILE_BYTES",
    "PhotoRefused",
    "PublicEntry",
    "RegistrationImport",
    "business_save",
    "businesses_for",
    "follow_up_add",
    "follow_up_done",
    "follow_ups_open",
    "housing_flags",
    "housing_for",
    "housing_save",
    "housing_to_visit",
    "inspection_read",
    "inspection_record",
    "inspection_to_signal",
    "inspections_for",
    "licence_decide",
    "licence_save",
    "licensed_phone_numbers",
    "municipalities_for",
    "photo_add",
    "photo_read",
    "public_check",
    "registrations_import",
    "registrations_too_large",
]


# --- Need to know: a supervisor works on the businesses and addresses of their own region -------


def _region_of(user) -> int | None:
    organisation = getattr(user, "organisation", None)
    return organisation.region_id if organisation is not None else None


def municipalities_for(user):
    return Municipality.objects.filter(region_id=_region_of(user))


def businesses_for(user):
    return Business.objects.filter(municipality__region_id=_region_of(user))


def housing_for(user):
    return HousingAddress.objects.filter(municipality__region_id=_region_of(user))


def inspections_for(user):
    region = _region_of(user)
    return Inspection.objects.filter(
        models.Q(housing__municipality__region_id=region)
        | models.Q(business__municipality__region_id=region)
    )


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


def licensed_phone_numbers(*, day: date | None = None) -> set[str] | None:
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
    #: Empty for a home-based sex worker: where someone lives is never public.
    address: str
    municipality: str
    valid_until: date


def _exact(text: str) -> str:
    return " ".join(text.casefold().split())


def public_check(*, query: str, day: date | None = None) -> list[PublicEntry]:
    """Licensed businesses that the query names exactly: their full name, a licence number or
    one of their phone numbers. Nothing else is ever answered: no part of a name (that would
    let anyone read the register three letters at a time), no business without a licence in
    force (the answer is the same as for one that is not in the register), and never the
    address of a home-based sex worker. The operator is never shown."""
    query = " ".join(query.split())
    if len(query) < 3:
        return []
    day = day or timezone.localdate()
    try:
        number = normalise_phone(query)
    except ValueError:
        number = ""
    wanted = _exact(query)
    found = []
    for business in Business.objects.select_related("municipality").prefetch_related("licences"):
        licences = list(business.licences.all())
        by_name = _exact(business.name) == wanted
        by_licence = any(_exact(licence.number) == wanted for licence in licences)
        by_phone = bool(number) and number in (business.phones or [])
        if not (by_name or by_licence or by_phone):
            continue
        in_force = [licence for licence in licences if licence.in_force_on(day)]
        if not in_force:
            continue
        home = business.kind == BusinessKind.HOME_WORKER
        found.append(
            PublicEntry(
                name=business.name,
                kind=business.get_kind_display(),
                address="" if home else f"{business.address}, {business.postal_code}".strip(", "),
                municipality=business.municipality.name,
                valid_until=max(licence.valid_until for licence in in_force),
            )
        )
    return found[:10]


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
    observed = last.people_observed if last is not None else None
    if last is not None and observed is not None:
        if observed > address.capacity:
            flags.append(
                HousingFlag(
                    "observed_over_capacity",
                    _("%(observed)d people found on %(day)s for %(capacity)d places")
                    % {
                        "observed": observed,
                        "day": last.visited_on.strftime("%d-%m-%Y"),
                        "capacity": address.capacity,
                    },
                )
            )
        gap = abs(observed - address.registered)
        if gap >= max(3, address.registered // 4):
            flags.append(
                HousingFlag(
                    "registration_differs",
                    _("%(observed)d found, %(registered)d registered")
                    % {"observed": observed, "registered": address.registered},
                )
            )
    visited = address.inspections.order_by("-visited_on").first()
    if visited is None or (today - visited.visited_on).days > 365:
        flags.append(HousingFlag("not_visited", _("no visit in the past year")))
    return flags


def housing_to_visit(*, user) -> list[tuple[HousingAddress, list[HousingFlag]]]:
    """Addresses with reasons to visit, the most reasons (and the weightiest) first."""
    weights = {
        "observed_over_capacity": 3,
        "registered_over_capacity": 2,
        "registration_differs": 2,
        "not_visited": 1,
    }
    addresses = housing_for(user).select_related("municipality")
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


def inspection_read(*, inspection: Inspection) -> None:
    """Opening a visit shows its findings (encrypted at rest, possibly naming people): the read
    goes to the audit trail."""
    audit_record(
        action=AuditAction.READ,
        object_type="supervision.Inspection",
        object_id=inspection.pk,
        fields=["findings", "indicators"],
        purpose="supervision: inspection",
    )


def inspection_to_signal(*, inspection: Inspection, user):
    """One click: the visit's findings become a casework signal (source "inspection")."""
    if inspection.signal_id:
        return inspection.signal
    place = inspection.housing or inspection.business
    if place is None:
        raise ValueError("An inspection is of a housing address or of a business.")
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
        municipality=place.municipality,
        exploitation_forms=["labour"] if inspection.kind == "housing" else ["sexual"],
        indicator_codes=codes,
    )
    inspection.signal = signal
    inspection.save(update_fields=["signal"])
    return signal


# --- Photos and follow-up actions of a visit ------------------------------------------------------

MAX_PHOTO_BYTES = 15 * 1024 * 1024
#: Longest side kept: enough to read a sign on a door, small enough to store and send quickly.
MAX_PHOTO_SIDE = 2400
#: Pixels allowed before decoding (Pillow's guard against decompression bombs).
MAX_PHOTO_PIXELS = 60_000_000


class PhotoRefused(ValueError):
    pass


def photo_add(*, inspection: Inspection, user, caption: str, upload) -> InspectionPhoto:
    """Check that the upload is a photo (Pillow decodes it; the name and the browser's type are
    not trusted), turn it upright, scale it down, and store it as a new JPEG without metadata,
    encrypted. Refuses with a reason the supervisor can act on."""
    if upload.size > MAX_PHOTO_BYTES:
        raise PhotoRefused(_("The photo is larger than 15 MB."))
    data = upload.read()
    unreadable = _("This file is not a photo we can read.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            # MPO: a phone's JPEG with a second, depth or preview frame; the first is the photo.
            if probe.format not in {"JPEG", "MPO", "PNG", "WEBP"}:
                raise PhotoRefused(_("Only JPEG, PNG and WebP photos can be added."))
            width, height = probe.size
            if width * height > MAX_PHOTO_PIXELS:
                raise PhotoRefused(unreadable)  # checked before a single pixel is decoded
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))  # JPEG: decode at a smaller scale
            image = ImageOps.exif_transpose(opened).convert("RGB")
            image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= : none kept
    except PhotoRefused:
        raise
    except Exception as error:  # noqa: BLE001 - whatever a damaged file makes Pillow raise
        raise PhotoRefused(unreadable) from error
    photo = InspectionPhoto(
        inspection=inspection,
        caption=caption.strip(),
        width=image.width,
        height=image.height,
        uploaded_by=user,
    )
    # A random name: neither the caption nor the phone's file name reaches the storage.
    photo.file.save(
        f"{uuid.uuid4().hex}.jpg.enc", ContentFile(encrypt_bytes(out.getvalue())), save=False
    )
    photo.save()
    audit_record(
        action=AuditAction.CREATE,
        object_type="supervision.InspectionPhoto",
        object_id=photo.pk,
        fields=["content"],
        purpose="supervision: inspection",
    )
    return photo


def photo_read(*, photo: InspectionPhoto) -> bytes:
    """The decrypted JPEG; every view of a photo is written to the audit trail."""
    audit_record(
        action=AuditAction.READ,
        object_type="supervision.InspectionPhoto",
        object_id=photo.pk,
        fields=["content"],
        purpose="supervision: inspection",
    )
    with photo.file.open("rb") as handle:
        return decrypt_bytes(handle.read())


def follow_up_add(*, follow_up: FollowUp, user) -> FollowUp:
    follow_up.created_by = user
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def follow_up_done(*, follow_up: FollowUp, day: date | None = None) -> FollowUp:
    if follow_up.done_on is None:
        follow_up.done_on = day or timezone.localdate()
        follow_up.save(update_fields=["done_on"])
    return follow_up


def follow_ups_open(*, user):
    """Open follow-up actions of the region's visits, the overdue ones first."""
    rows = FollowUp.objects.filter(
        done_on__isnull=True, inspection__in=inspections_for(user)
    ).select_related("inspection__housing__municipality", "inspection__business__municipality")
    return rows.order_by("due_on", "id")


# --- BRP/RNI registrations imported -----------------------------------------------------------------

MAX_REGISTRATION_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RegistrationImport:
    updated: list[tuple[HousingAddress, int | None, int]]
    unknown: list[str]
    older: list[HousingAddress]
    refused: list[str]


def registrations_too_large() -> RegistrationImport:
    return RegistrationImport([], [], [], [_("The file is larger than 5 MB.")])


def registrations_import(*, data: bytes, user) -> RegistrationImport:
    """Take the registered counts of a BRP/RNI extract (``registrations.read_registrations``)
    into the housing register: only addresses already in it, and never an older count over a
    newer one. Refused lines come back worded, with their line number; they change nothing."""
    if len(data) > MAX_REGISTRATION_FILE_BYTES:
        return registrations_too_large()
    rows, errors = read_registrations(data, today=timezone.localdate())
    reasons = {
        "not_utf8": _("The file is not UTF-8 text (save it as CSV UTF-8)."),
        "empty": _("The file is empty."),
        "missing_columns": _("Columns missing: %(columns)s."),
        "postcode": _("“%(value)s” is not a postcode."),
        "house_number": _("“%(value)s” is not a house number."),
        "count": _("“%(value)s” is not a number of people between 0 and 999."),
        "date": _("“%(value)s” is not a date (write 2026-10-01)."),
        "future": _("The reference date %(value)s lies in the future."),
        "duplicate": _("The same address as line %(first)d."),
    }
    refused = [
        (_("Line %(line)d: ") % {"line": e.line} if e.line else "") + reasons[e.code] % e.params
        for e in errors
    ]
    register: dict[str, HousingAddress] = {}
    ambiguous: set[str] = set()
    for address in housing_for(user):
        key = key_of_address(address.address, address.postal_code)
        if not key:
            continue
        if key in register:
            ambiguous.add(key)
        else:
            register[key] = address
    for key in sorted(ambiguous):
        refused.append(
            _("The housing register has %(address)s more than once; its count was not taken.")
            % {"address": key}
        )
        del register[key]
    updated: list[tuple[HousingAddress, int | None, int]] = []
    unknown: list[str] = []
    older: list[HousingAddress] = []
    with transaction.atomic():
        for row in rows:
            address = register.get(row.key)
            if address is None:
                unknown.append(row.key)
                continue
            if address.registered_on and address.registered_on > row.as_of:
                older.append(address)
                continue
            before = address.registered
            address.registered, address.registered_on = row.registered, row.as_of
            address.save(update_fields=["registered", "registered_on"])
            updated.append((address, before, row.registered))
    if updated:
        audit_record(
            action=AuditAction.UPDATE,
            object_type="supervision.HousingAddress",
            object_id=",".join(str(a.pk) for a, _b, _n in updated)[:200],
            fields=["registered", "registered_on"],
            purpose="supervision: BRP/RNI registrations",
        )
    return RegistrationImport(updated, unknown, older, refused)


def business_file_read(*, business: Business) -> None:
    """A business's file (the operator, a home worker's address) is read: the audit trail says
    so, as for every record with personal data."""
    audit_read(
        business,
        purpose="business file",
        fields=["name", "address", "postal_code", "phones", "operator_name", "operator_kvk"],
    )
