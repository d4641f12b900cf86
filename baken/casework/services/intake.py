"""Intake: signals from staff, anonymous citizens and partner systems (idempotent), their
persons, references and receipt codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.services import Actor, acting_as
from baken.casework import pseudonyms
from baken.casework.models import (
    URGENCY_DEADLINES,
    IdempotencyKey,
    Indicator,
    Person,
    PersonRole,
    ReferenceCounter,
    Signal,
    SignalAddition,
    SignalSource,
    SignalStatus,
    Urgency,
)
from baken.casework.services.notifications import (
    _alert_coordinators,
    _coordinators_of,
    notification_send,
)
from baken.directory.models import ExploitationForm, Municipality, Region

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to copy by hand


@dataclass(frozen=True)
class PersonData:
    role: str = PersonRole.POSSIBLE_VICTIM
    name: str = ""
    date_of_birth: str = ""
    phone: str = ""
    address: str = ""
    description: str = ""
    sex: str = "unknown"
    age_estimate: int | None = None
    nationality: str = ""


@dataclass(frozen=True)
class PersonMatch:
    """An earlier record that shares an identifier; ``reference`` only if the user may see it."""

    matched_on: list[str] = field(default_factory=list)
    reference: str | None = None
    signal_id: object | None = None


def _next_reference(prefix: str) -> str:
    """``M-2026-000042``: numbered per prefix (per year on SQLite; one running sequence on
    PostgreSQL, where a rolled-back intake may leave a gap)."""
    year = timezone.localdate().year
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [f"casework_reference_{prefix.lower()}_seq"])
            (number,) = cursor.fetchone()
        return f"{prefix}-{year}-{number:06d}"
    with transaction.atomic():
        # The row lock taken by this UPDATE serialises concurrent intakes until commit.
        counters = ReferenceCounter.objects.filter(prefix=prefix, year=year)
        if not counters.update(last=F("last") + 1):
            ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
            counters.update(last=F("last") + 1)
        last = counters.values_list("last", flat=True).get()
    return f"{prefix}-{year}-{last:06d}"


def receipt_code_new() -> str:
    """Twelve characters from a 32-letter alphabet (60 bits), shown as XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _receipt_digest(code: str, key: str | None = None) -> str:
    """Under the first PSEUDONYM_KEY unless ``key`` is given."""
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    secret = (key or settings.PSEUDONYM_KEY).encode()
    return hmac.new(secret, f"receipt:{normalised}".encode(), hashlib.sha256).hexdigest()


def _region_for(municipality: Municipality | None, reporter: User | None) -> Region:
    if municipality is not None:
        return municipality.region
    organisation = getattr(reporter, "organisation", None)
    if organisation is not None and organisation.region_id:
        return organisation.region
    region = (
        Region.objects.filter(code=settings.DEFAULT_REGION).first()
        or Region.objects.order_by("pk").first()
    )
    if region is None:
        # A signal always belongs to a region; without one the directory was never loaded.
        raise ImproperlyConfigured("No region in the directory: load the social map first.")
    return region


def _store_person(signal: Signal, data: PersonData) -> Person:
    key = settings.PSEUDONYM_KEY.encode()
    return Person.objects.create(
        signal=signal,
        role=data.role,
        name=data.name.strip(),
        date_of_birth=data.date_of_birth.strip(),
        phone=data.phone.strip(),
        address=data.address.strip(),
        description=data.description.strip(),
        sex=data.sex,
        age_estimate=data.age_estimate,
        nationality=data.nationality.upper(),
        identity_pseudonym=pseudonyms.identity_pseudonym(data.name, data.date_of_birth, key),
        phone_pseudonym=pseudonyms.phone_pseudonym(data.phone, key),
        address_pseudonym=pseudonyms.address_pseudonym(data.address, key),
    )


def signal_create(
    *,
    reporter: User | None,
    source: str,
    description: str,
    municipality: Municipality | None = None,
    place: str = "",
    observed_on: date | None = None,
    exploitation_forms: list[str] | None = None,
    indicator_codes: list[str] | None = None,
    urgency: str = Urgency.NORMAL,
    is_crisis: bool = False,
    involves_minor: bool = False,
    persons: list[PersonData] | None = None,
    reporter_organisation=None,
    sector: str = "",
) -> Signal:
    """Register a signal; a crisis or a minor alerts the region's coordinators at once."""
    forms = [code for code in (exploitation_forms or []) if code in ExploitationForm.values]
    is_crisis = is_crisis or urgency == Urgency.CRISIS
    if is_crisis:
        urgency = Urgency.CRISIS
    persons = persons or []
    involves_minor = involves_minor or any(
        p.age_estimate is not None and p.age_estimate < 18 for p in persons
    )
    with transaction.atomic():
        now = timezone.now()
        signal = Signal.objects.create(
            reference=_next_reference("M"),
            source=source,
            received_at=now,
            region=_region_for(municipality, reporter),
            municipality=municipality,
            reported_by=reporter,
            reporter_organisation=reporter_organisation or getattr(reporter, "organisation", None),
            observed_on=observed_on,
            description=description.strip(),
            place=place.strip(),
            exploitation_forms=",".join(forms),
            sector=sector,
            urgency=urgency,
            is_crisis=is_crisis,
            involves_minor=involves_minor,
            triage_due_at=now + URGENCY_DEADLINES[Urgency(urgency)],
        )
        if indicator_codes:
            signal.indicators.set(Indicator.objects.filter(code__in=indicator_codes))
        for person in persons:
            _store_person(signal, person)
        if is_crisis or involves_minor:
            transaction.on_commit(lambda: _alert_coordinators(signal))
    return signal


def signal_create_anonymous(
    *,
    description: str,
    municipality: Municipality | None = None,
    place: str = "",
    observed_on: date | None = None,
    exploitation_forms: list[str] | None = None,
    involves_minor: bool = False,
) -> tuple[Signal, str]:
    """A citizen's anonymous report. Returns the signal and the receipt code, shown once."""
    code = receipt_code_new()
    with transaction.atomic():
        signal = signal_create(
            reporter=None,
            source=SignalSource.CITIZEN,
            description=description,
            municipality=municipality,
            place=place,
            observed_on=observed_on,
            exploitation_forms=exploitation_forms,
            involves_minor=involves_minor,
        )
        signal.receipt_digest = _receipt_digest(code)
        signal.save(update_fields=["receipt_digest"])
    return signal, code


def signal_find_by_receipt(code: str) -> Signal | None:
    if len("".join(ch for ch in code if ch.isalnum())) != 12:
        return None
    # Under every key of PSEUDONYM_KEY: a receipt given before a rotation still works.
    digests = [_receipt_digest(code, key) for key in settings.PSEUDONYM_KEYS]
    return Signal.objects.filter(receipt_digest__in=digests).first()


def signal_add_information(*, signal: Signal, text: str, user: User | None = None) -> None:
    with transaction.atomic():
        SignalAddition.objects.create(signal=signal, text=text.strip(), added_by=user)
        if signal.status != SignalStatus.NEW:
            recipients = [signal.triaged_by] if signal.triaged_by else []
        else:
            recipients = list(_coordinators_of(signal.region))
        for recipient in recipients:
            notification_send(
                recipient=recipient,
                subject=_("New information on signal %(ref)s") % {"ref": signal.reference},
                url=reverse("casework:signal-detail", kwargs={"signal_id": signal.pk}),
            )


class IdempotencyConflict(ValueError):
    """The Idempotency-Key was used before for a different request."""


def signal_create_idempotent(
    *, organisation, key: str, request_hash: str, actor: Actor, **signal_fields
) -> tuple[Signal, bool]:
    """Create a signal once per (organisation, key). Returns (signal, created).

    A retry with the same key and body returns the first signal; the same key with another body
    raises IdempotencyConflict. Concurrent retries are settled by the unique constraint.
    """

    existing = (
        IdempotencyKey.objects.filter(organisation=organisation, key=key)
        .select_related("signal")
        .first()
    )
    if existing is not None:
        if existing.request_hash != request_hash:
            raise IdempotencyConflict(key)
        return existing.signal, False
    try:
        with acting_as(actor), transaction.atomic():
            signal = signal_create(
                reporter=None, reporter_organisation=organisation, **signal_fields
            )
            IdempotencyKey.objects.create(
                organisation=organisation, key=key, request_hash=request_hash, signal=signal
            )
    except IntegrityError:
        existing = IdempotencyKey.objects.select_related("signal").get(
            organisation=organisation, key=key
        )
        if existing.request_hash != request_hash:
            raise IdempotencyConflict(key) from None
        return existing.signal, False
    return signal, True
