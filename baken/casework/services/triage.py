"""Triage: the coordinator decides form, urgency and what happens next; earlier records that
share an identifier."""

from __future__ import annotations

import rules
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.casework import pseudonyms
from baken.casework.models import (
    Consultation,
    Person,
    Signal,
    SignalStatus,
    Urgency,
)
from baken.casework.services.cases import case_open_from_signal
from baken.casework.services.intake import PersonMatch
from baken.casework.services.notifications import _alert_coordinators, notification_send
from baken.directory.models import ExploitationForm


class SignalAlreadyTriaged(ValueError):
    """The signal was triaged by someone else in the meantime."""


def signal_triage(
    *,
    signal: Signal,
    user: User,
    exploitation_forms: list[str],
    urgency: str,
    is_crisis: bool,
    involves_minor: bool,
    outcome: str,
    advice: str = "",
    outcome_note: str = "",
    case_title: str = "",
    case_lead: User | None = None,
    sector: str | None = None,
) -> Signal:
    """Decide form, urgency and what happens next: advice (no case), a case, or no action."""
    if outcome not in (SignalStatus.ADVICE, SignalStatus.CASE, SignalStatus.NO_ACTION):
        raise ValueError(f"Unknown triage outcome {outcome!r}")
    if outcome == SignalStatus.ADVICE and not advice.strip():
        raise ValueError("Advice needs the advice that was given.")
    with transaction.atomic():
        # Lock the row, then read its state: of two coordinators triaging at once, the
        # second is told instead of overwriting the first one's decision.
        Signal.objects.select_for_update().only("pk").get(pk=signal.pk)
        signal.refresh_from_db()
        if signal.status != SignalStatus.NEW:
            raise SignalAlreadyTriaged(_("This signal has already been triaged."))
        became_crisis = is_crisis and not signal.is_crisis
        signal.exploitation_forms = ",".join(
            code for code in exploitation_forms if code in ExploitationForm.values
        )
        if sector is not None:
            signal.sector = sector
        signal.urgency = Urgency.CRISIS if is_crisis else urgency
        signal.is_crisis = is_crisis
        signal.involves_minor = involves_minor
        signal.status = outcome
        signal.triaged_by = user
        signal.triaged_at = timezone.now()
        signal.outcome_note = outcome_note.strip()
        signal.save()
        if outcome == SignalStatus.ADVICE:
            Consultation.objects.update_or_create(
                signal=signal, defaults={"advice": advice.strip(), "given_by": user}
            )
        if outcome == SignalStatus.CASE:
            case_open_from_signal(
                signal=signal,
                user=user,
                title=case_title or signal.reference,
                lead=case_lead,
            )
        reporter = signal.reported_by
        if reporter is not None and reporter.pk != user.pk:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=reporter,
                    subject=_("Your signal %(ref)s has been triaged") % {"ref": signal.reference},
                    url=reverse("casework:signal-detail", kwargs={"signal_id": signal.pk}),
                )
            )
        if became_crisis:
            transaction.on_commit(lambda: _alert_coordinators(signal))
    return signal


def _pseudonym_candidates(person: Person) -> dict[str, set[str]]:
    """The person's stored pseudonyms and, while its values are held, the same pseudonyms under
    every older key of PSEUDONYM_KEY: earlier signals made before a rotation still match."""
    candidates = {
        attr: {getattr(person, attr)} - {""}
        for attr in ("identity_pseudonym", "phone_pseudonym", "address_pseudonym")
    }
    for key in settings.PSEUDONYM_KEYS[1:]:
        older = pseudonyms.person_pseudonyms(
            name=person.name or "",
            date_of_birth=person.date_of_birth or "",
            phone=person.phone or "",
            address=person.address or "",
            key=key.encode(),
        )
        for attr, value in older.items():
            if value:
                candidates[attr].add(value)
    return candidates


def person_matches(*, person: Person, user: User) -> list[PersonMatch]:
    """Earlier signals sharing this person's identity, phone or address.

    The user learns the reference only of signals they may see; of others only that a match
    exists, so that they can ask the coordinator — nothing about whom or what it concerns.
    """
    candidates = _pseudonym_candidates(person)
    criteria = Q()
    for attr, values in candidates.items():
        if values:
            criteria |= Q(**{f"{attr}__in": sorted(values)})
    if not criteria:
        return []
    matches: dict[object, PersonMatch] = {}
    others = (
        Person.objects.filter(criteria)
        .exclude(signal_id=person.signal_id)
        .select_related("signal")
        .order_by("-signal__received_at")[:50]
    )
    labels = {
        "identity_pseudonym": _("name and date of birth"),
        "phone_pseudonym": _("phone number"),
        "address_pseudonym": _("address"),
    }
    for other in others:
        on = [
            str(labels[a])
            for a in labels
            if getattr(other, a) and getattr(other, a) in candidates[a]
        ]
        visible = rules.has_perm("casework.view_signal", user, other.signal)
        existing = matches.get(other.signal_id)
        if existing:
            on = sorted(set(existing.matched_on) | set(on))
        matches[other.signal_id] = PersonMatch(
            matched_on=on,
            reference=other.signal.reference if visible else None,
            signal_id=other.signal_id if visible else None,
        )
    return list(matches.values())
