"""Casework's public API: every other context changes casework only through these functions.

Signals come in from staff (``signal_create``), anonymous citizens (``signal_create_anonymous``)
and, later, the chat, the ad monitor, inspections and partner systems; the coordinator triages
them (``signal_triage``). Call these inside a request or command; each runs in one transaction
and sends its notifications after commit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

import rules
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baken.accounts.models import Role, User
from baken.audit.services import Actor, AuditAction, acting_as, audit_read, audit_record
from baken.casework import pseudonyms
from baken.casework.models import (
    RECEIVER_STATUSES,
    REFERRAL_TRANSITIONS,
    URGENCY_DEADLINES,
    Action,
    AgendaItem,
    Case,
    CaseDocument,
    CaseMember,
    CaseOutcome,
    CaseStatus,
    CaseTable,
    Consultation,
    Decision,
    Escalation,
    EscalationStatus,
    IdempotencyKey,
    Indicator,
    Meeting,
    Notification,
    Person,
    PersonRole,
    ReferenceCounter,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Signal,
    SignalAddition,
    SignalSource,
    SignalStatus,
    Task,
    TimelineEntry,
    TimelineKind,
    Urgency,
)
from baken.directory.models import ExploitationForm, Municipality, Region, Service

__all__ = [
    "DocumentRefused",
    "document_add",
    "document_read",
    "IdempotencyConflict",
    "signal_create_idempotent",
    "agenda_add",
    "decision_record",
    "escalation_request",
    "escalations_waiting",
    "item_persons_for",
    "meeting_plan",
    "meetings_for",
    "ReferralError",
    "SignalAlreadyTriaged",
    "PurgeReport",
    "referral_create",
    "retention_purge",
    "referral_results_per_service",
    "referral_send_reminders",
    "referral_transition",
    "referrals_overdue",
    "referrals_received",
    "referrals_sent",
    "case_close",
    "case_member_add",
    "case_open_from_signal",
    "case_persons_for",
    "cases_for",
    "task_complete",
    "task_create",
    "tasks_of",
    "timeline_add",
    "PersonData",
    "PersonMatch",
    "notification_send",
    "person_matches",
    "receipt_code_new",
    "signal_add_information",
    "signal_create",
    "signal_create_anonymous",
    "signal_find_by_receipt",
    "signal_persons_for",
    "signal_triage",
    "signals_reported_by",
    "signals_in_triage_queue",
]

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


# --- references and receipt codes -------------------------------------------------------------


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


def _receipt_digest(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, f"receipt:{normalised}".encode(), hashlib.sha256).hexdigest()


# --- intake -----------------------------------------------------------------------------------


def _region_for(municipality: Municipality | None, reporter: User | None) -> Region:
    if municipality is not None:
        return municipality.region
    organisation = getattr(reporter, "organisation", None)
    if organisation is not None and organisation.region_id:
        return organisation.region
    region = Region.objects.filter(code=settings.DEFAULT_REGION).first()
    return region or Region.objects.order_by("pk").first()


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
    return Signal.objects.filter(receipt_digest=_receipt_digest(code)).first()


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


# --- triage -----------------------------------------------------------------------------------


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
        if signal.reported_by_id and signal.reported_by_id != user.pk:
            reporter = signal.reported_by
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


def person_matches(*, person: Person, user: User) -> list[PersonMatch]:
    """Earlier signals sharing this person's identity, phone or address.

    The user learns the reference only of signals they may see; of others only that a match
    exists, so that they can ask the coordinator — nothing about whom or what it concerns.
    """
    criteria = Q()
    for attr in ("identity_pseudonym", "phone_pseudonym", "address_pseudonym"):
        value = getattr(person, attr)
        if value:
            criteria |= Q(**{attr: value})
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
            if getattr(person, a) and getattr(person, a) == getattr(other, a)
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


# --- selectors --------------------------------------------------------------------------------


def signals_in_triage_queue(*, user: User) -> QuerySet[Signal]:
    organisation = user.organisation
    if organisation is None or not organisation.region_id:
        return Signal.objects.none()
    return (
        Signal.objects.triage_queue()
        .filter(region_id=organisation.region_id)
        .select_related("municipality", "reporter_organisation")
    )


def signals_reported_by(*, user: User) -> QuerySet[Signal]:
    return Signal.objects.filter(reported_by=user).select_related("municipality")


def signal_persons_for(*, signal: Signal, purpose: str) -> list[Person]:
    """The persons of a signal, their reading recorded in the audit trail."""
    persons = list(signal.persons.all())
    audit_read(persons, purpose=purpose)
    return persons


def victim_sources_by_pseudonym(
    *, year: int, region: Region | None = None
) -> list[tuple[str, str]]:
    """(keyed identity pseudonym, signal source) for every possible victim with a pseudonym in
    the signals received in ``year``: what insight needs to build the overlap of sources for
    multiple systems estimation, without anyone seeing a name. The read is audited as one
    event (aggregate use of pseudonymised data)."""
    persons = Person.objects.filter(
        role=PersonRole.POSSIBLE_VICTIM,
        signal__received_at__year=year,
    ).exclude(identity_pseudonym="")
    if region is not None:
        persons = persons.filter(signal__region=region)
    pairs = list(persons.values_list("identity_pseudonym", "signal__source").distinct())
    audit_record(
        action=AuditAction.READ,
        object_type="casework.Person",
        object_id=f"pseudonyms {year}",
        fields=["identity_pseudonym", "signal.source"],
        purpose="insight: overlap of sources (MSE)",
    )
    return pairs


# --- notifications ----------------------------------------------------------------------------


def notification_send(*, recipient: User, subject: str, url: str = "") -> Notification:
    """In Baken and by e-mail; the e-mail carries no personal data, only the link."""
    notification = Notification.objects.create(recipient=recipient, subject=subject, url=url)
    if recipient.email:
        send_mail(
            subject=f"[Baken] {subject}",
            message=_("Open Baken to read it: %(url)s") % {"url": url or "/werk/"},
            from_email=None,
            recipient_list=[recipient.email],
            fail_silently=True,
        )
    return notification


def _coordinators_of(region: Region) -> QuerySet[User]:
    return User.objects.with_role(Role.COORDINATOR).filter(organisation__region=region)


def _alert_coordinators(signal: Signal) -> None:
    if signal.is_crisis:
        subject = _("Crisis signal %(ref)s: act within hours") % {"ref": signal.reference}
    else:
        subject = _("Signal %(ref)s may concern a minor: children's-rights route") % {
            "ref": signal.reference
        }
    url = reverse("casework:signal-detail", kwargs={"signal_id": signal.pk})
    for coordinator in _coordinators_of(signal.region):
        notification_send(recipient=coordinator, subject=subject, url=url)


# --- cases ------------------------------------------------------------------------------------


def case_open_from_signal(
    *,
    signal: Signal,
    user: User,
    title: str,
    lead: User | None = None,
    confidentiality: str = "internal",
) -> Case:
    """Open a case for a triaged signal; the lead (default: the coordinator) joins the team."""
    with transaction.atomic():
        case = Case.objects.create(
            reference=_next_reference("C"),
            region=signal.region,
            title=title.strip(),
            exploitation_forms=signal.exploitation_forms,
            confidentiality=confidentiality,
            is_crisis=signal.is_crisis,
            involves_minor=signal.involves_minor,
            opened_by=user,
        )
        Signal.objects.filter(pk=signal.pk).update(case=case)
        signal.case = case
        lead = lead or user
        CaseMember.objects.create(case=case, user=lead, role=CaseMember.Role.LEAD)
        if lead != user:
            CaseMember.objects.get_or_create(case=case, user=user)
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Case opened from signal %(ref)s.") % {"ref": signal.reference},
        )
        if lead != user:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=lead,
                    subject=_("You lead case %(ref)s") % {"ref": case.reference},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
    return case


def case_member_add(*, case: Case, user: User, by: User) -> CaseMember:
    if not rules.has_perm("casework.work_cases", user):
        raise ValueError("This person's role does not work on cases.")
    with transaction.atomic():
        member, created = CaseMember.objects.get_or_create(case=case, user=user)
        if created:
            TimelineEntry.objects.create(
                case=case,
                kind=TimelineKind.EVENT,
                author=by,
                text=_("%(name)s joined the case team.") % {"name": user.get_full_name() or user},
            )
            transaction.on_commit(
                lambda: notification_send(
                    recipient=user,
                    subject=_("You are in the team of case %(ref)s") % {"ref": case.reference},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
    return member


def timeline_add(*, case: Case, user: User, kind: str, text: str) -> TimelineEntry:
    return TimelineEntry.objects.create(case=case, kind=kind, author=user, text=text.strip())


def task_create(*, case: Case, title: str, owner: User, due_on: date, by: User) -> Task:
    with transaction.atomic():
        task = Task.objects.create(case=case, title=title.strip(), owner=owner, due_on=due_on)
        if owner != by:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=owner,
                    subject=_("New task in case %(ref)s: %(title)s")
                    % {"ref": case.reference, "title": task.title},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
    return task


def task_complete(*, task: Task, user: User) -> Task:
    with transaction.atomic():
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        TimelineEntry.objects.create(
            case=task.case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Task done: %(title)s") % {"title": task.title},
        )
    return task


def case_close(*, case: Case, user: User, outcome: str, note: str, feedback: str = "") -> Case:
    """Close with an outcome; the reporters of its signals get the feedback."""
    if outcome not in CaseOutcome.values:
        raise ValueError(f"Unknown outcome {outcome!r}")
    with transaction.atomic():
        case.status = CaseStatus.CLOSED
        case.closed_at = timezone.now()
        case.outcome = outcome
        case.closing_note = note.strip()
        case.save()
        case.tasks.filter(done_at__isnull=True).update(done_at=case.closed_at)
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Case closed: %(outcome)s") % {"outcome": case.get_outcome_display()},
        )
        for signal in case.signals.select_related("reported_by"):
            if feedback.strip():
                signal.outcome_note = feedback.strip()
                signal.save(update_fields=["outcome_note"])
            if signal.reported_by_id and signal.reported_by_id != user.pk:
                reporter = signal.reported_by
                ref = signal.reference
                sid = signal.pk
                transaction.on_commit(
                    lambda reporter=reporter, ref=ref, sid=sid: notification_send(
                        recipient=reporter,
                        subject=_("The case from your signal %(ref)s is closed") % {"ref": ref},
                        url=reverse("casework:signal-detail", kwargs={"signal_id": sid}),
                    )
                )
    return case


def cases_for(*, user: User) -> QuerySet[Case]:
    """Cases the user is a member of, and the region's internal cases for its coordinators."""
    criteria = Q(members__user=user)
    if user.has_role(Role.COORDINATOR) and user.organisation and user.organisation.region_id:
        criteria |= Q(region_id=user.organisation.region_id, confidentiality="internal")
    return Case.objects.filter(criteria).distinct()


def tasks_of(*, user: User) -> QuerySet[Task]:
    return Task.objects.filter(owner=user, done_at__isnull=True).select_related("case")


def case_persons_for(*, case: Case, purpose: str) -> list[Person]:
    persons = list(Person.objects.filter(signal__case=case).select_related("signal"))
    audit_read(persons, purpose=purpose)
    return persons


# --- referrals --------------------------------------------------------------------------------


class ReferralError(ValueError):
    """A referral step that the rules do not allow; the message says why."""


def referral_create(
    *,
    case: Case,
    person: Person,
    service: Service,
    user: User,
    consent_given: bool,
    no_consent_reason: str = "",
    message: str = "",
) -> Referral:
    """Refer a person of the case to a service. Without consent only with the separate
    permission and a documented reason; that choice is written to the audit trail."""
    if person.signal.case_id != case.pk:
        raise ReferralError(_("This person is not part of the case."))
    if service.status != "active":
        raise ReferralError(_("This service does not take referrals now."))
    if not consent_given:
        if not rules.has_perm("casework.refer_without_consent", user):
            raise ReferralError(_("Referring without consent needs the coordinator."))
        if not no_consent_reason.strip():
            raise ReferralError(_("Write down why you refer without consent."))
    with transaction.atomic():
        referral = Referral.objects.create(
            case=case,
            person=person,
            service=service,
            referred_by=user,
            consent_given=consent_given,
            no_consent_reason=no_consent_reason.strip(),
            message=message.strip(),
        )
        ReferralEvent.objects.create(referral=referral, by=user, to_status=ReferralStatus.SENT)
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Referred to %(service)s (%(org)s).")
            % {"service": service.name, "org": service.organisation.name},
        )
        if not consent_given:
            audit_record(
                action=AuditAction.CREATE,
                object_type="casework.Referral",
                object_id=referral.pk,
                fields=["no_consent_reason"],
                purpose="referral without consent",
            )
        transaction.on_commit(
            lambda: _notify_receivers(referral, _("New referral for %(service)s"))
        )
    return referral


def referral_transition(
    *, referral: Referral, user: User, to_status: str, note: str = ""
) -> Referral:
    """Move a referral to its next status; the other side is told.

    The row is locked and its state read inside the transaction, so two people answering one
    referral at the same moment cannot both move it (the second gets a ``ReferralError``).
    """
    with transaction.atomic():
        Referral.objects.select_for_update().only("pk").get(pk=referral.pk)
        referral.refresh_from_db()
        if to_status not in REFERRAL_TRANSITIONS.get(referral.status, set()):
            raise ReferralError(
                _("A referral that is %(now)s cannot become %(next)s.")
                % {
                    "now": referral.get_status_display().lower(),
                    "next": ReferralStatus(to_status).label.lower(),
                }
            )
        if to_status in RECEIVER_STATUSES and not rules.has_perm(
            "casework.answer_referral", user, referral
        ):
            raise ReferralError(_("Only the receiving organisation answers a referral."))
        if to_status == ReferralStatus.WITHDRAWN and not rules.has_perm(
            "casework.withdraw_referral", user, referral
        ):
            raise ReferralError(_("Only the case team withdraws a referral."))
        if to_status == ReferralStatus.DECLINED and not note.strip():
            raise ReferralError(_("Say why the referral is declined."))
        previous = referral.status
        referral.status = to_status
        referral.status_changed_at = timezone.now()
        if to_status == ReferralStatus.DECLINED:
            referral.decline_reason = note.strip()[:300]
        referral.save(update_fields=["status", "status_changed_at", "decline_reason"])
        ReferralEvent.objects.create(
            referral=referral,
            by=user,
            from_status=previous,
            to_status=to_status,
            note=note.strip()[:300],
        )
        TimelineEntry.objects.create(
            case=referral.case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Referral to %(service)s: %(status)s%(note)s")
            % {
                "service": referral.service.name,
                "status": referral.get_status_display(),
                "note": f" ({note.strip()})" if note.strip() else "",
            },
        )
        if to_status == ReferralStatus.WITHDRAWN:
            transaction.on_commit(
                lambda: _notify_receivers(referral, _("Referral withdrawn: %(service)s"))
            )
        elif referral.referred_by_id:
            referrer = referral.referred_by
            transaction.on_commit(
                lambda: notification_send(
                    recipient=referrer,
                    subject=_("Referral to %(service)s: %(status)s")
                    % {"service": referral.service.name, "status": referral.get_status_display()},
                    url=reverse("casework:referral-detail", kwargs={"referral_id": referral.pk}),
                )
            )
    return referral


def referral_send_reminders(*, now=None) -> int:
    """Remind the receiving organisation (and the referrer) of referrals left unanswered for
    ``REFERRAL_REMINDER_DAYS``; at most once per that period. Returns how many were reminded."""
    now = now or timezone.now()
    period = timedelta(days=settings.REFERRAL_REMINDER_DAYS)
    due = (
        Referral.objects.awaiting_answer_since(now - period)
        .filter(Q(last_reminder_at__isnull=True) | Q(last_reminder_at__lt=now - period))
        .select_related("service__organisation", "referred_by", "case")
    )
    count = 0
    for referral in due:
        # Claim the row with a conditional update so that two workers never remind twice.
        claimed = Referral.objects.filter(
            pk=referral.pk, last_reminder_at=referral.last_reminder_at
        ).update(last_reminder_at=now)
        if not claimed:
            continue
        _notify_receivers(referral, _("Reminder: referral for %(service)s waits for an answer"))
        if referral.referred_by:
            notification_send(
                recipient=referral.referred_by,
                subject=_("No answer yet on your referral to %(service)s")
                % {"service": referral.service.name},
                url=reverse("casework:referral-detail", kwargs={"referral_id": referral.pk}),
            )
        count += 1
    return count


def referrals_received(*, user: User) -> QuerySet[Referral]:
    if user.organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(service__organisation_id=user.organisation_id).select_related(
        "service", "case"
    )


def referrals_sent(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(referred_by=user).select_related("service__organisation", "case")


def referral_results_per_service() -> list[dict]:
    """Per service: referrals, accepted (incl. in care and completed), declined, success rate."""
    from django.db.models import Count

    accepted = [ReferralStatus.ACCEPTED, ReferralStatus.IN_CARE, ReferralStatus.COMPLETED]
    rows = (
        Referral.objects.values("service__name", "service__organisation__name")
        .annotate(
            total=Count("id"),
            accepted=Count("id", filter=Q(status__in=accepted)),
            declined=Count("id", filter=Q(status=ReferralStatus.DECLINED)),
            completed=Count("id", filter=Q(status=ReferralStatus.COMPLETED)),
            open=Count("id", filter=Q(status=ReferralStatus.SENT)),
        )
        .order_by("service__name")
    )
    results = []
    for row in rows:
        answered = row["accepted"] + row["declined"]
        row["acceptance_rate"] = round(100 * row["accepted"] / answered) if answered else None
        results.append(row)
    return results


def _notify_receivers(referral: Referral, subject_template: str) -> None:
    receivers = User.objects.filter(
        organisation_id=referral.service.organisation_id,
        is_active=True,
        role_assignments__role__in=[Role.COORDINATOR, Role.CASEWORKER, Role.AANDACHTSFUNCTIONARIS],
    ).distinct()
    for receiver in receivers:
        notification_send(
            recipient=receiver,
            subject=subject_template % {"service": referral.service.name},
            url=reverse("casework:referral-detail", kwargs={"referral_id": referral.pk}),
        )


# --- casustafel -------------------------------------------------------------------------------


def escalation_request(
    *,
    case: Case,
    user: User,
    table: CaseTable,
    reason: str,
    goal: str,
    partners: list | None = None,
) -> Escalation:
    """Opschalen: put a case forward for the casustafel with a structured intake."""
    if case.status == CaseStatus.CLOSED:
        raise ValueError("A closed case cannot go to the casustafel.")
    with transaction.atomic():
        escalation = Escalation.objects.create(
            case=case, table=table, requested_by=user, reason=reason.strip(), goal=goal.strip()
        )
        if partners:
            escalation.partners_needed.set(partners)
        case.status = CaseStatus.AT_CASE_TABLE
        case.save(update_fields=["status"])
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Escalated to %(table)s.") % {"table": table.name},
        )
        transaction.on_commit(
            lambda: [
                notification_send(
                    recipient=coordinator,
                    subject=_("Case %(ref)s is put forward for the casustafel")
                    % {"ref": case.reference},
                    url=reverse("casework:case-table"),
                )
                for coordinator in _coordinators_of(case.region)
            ]
        )
    return escalation


def meeting_plan(*, table: CaseTable, starts_at) -> Meeting:
    return Meeting.objects.create(table=table, starts_at=starts_at)


def agenda_add(*, meeting: Meeting, escalation: Escalation, user: User) -> AgendaItem:
    """Put an escalated case on a meeting's agenda; participants may see it until the meeting
    plus the table's ``access_days``."""
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting,
            escalation=escalation,
            position=meeting.items.count() + 1,
            access_until=meeting.starts_at + timedelta(days=meeting.table.access_days),
        )
        escalation.status = EscalationStatus.SCHEDULED
        escalation.save(update_fields=["status"])
        TimelineEntry.objects.create(
            case=escalation.case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("On the agenda of the casustafel of %(date)s.")
            % {"date": timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")},
        )
    return item


def decision_record(
    *,
    item: AgendaItem,
    user: User,
    text: str,
    action_description: str = "",
    action_owner: User | None = None,
    action_due: date | None = None,
    de_escalate: bool = False,
    feedback: str = "",
) -> Decision:
    """Record what the casustafel decided, an action with owner and deadline, and whether the
    case goes back to local care; whoever raised the case gets the feedback."""
    if action_description and (action_owner is None or action_due is None):
        raise ValueError("An action needs an owner and a deadline.")
    case = item.case
    with transaction.atomic():
        decision = Decision.objects.create(item=item, text=text.strip(), recorded_by=user)
        if action_description:
            Action.objects.create(
                item=item,
                description=action_description.strip(),
                owner=action_owner,
                due_on=action_due,
            )
            Task.objects.create(
                case=case,
                title=_("Casustafel: %(action)s") % {"action": action_description.strip()},
                owner=action_owner,
                due_on=action_due,
            )
        escalation = item.escalation
        escalation.status = EscalationStatus.DISCUSSED
        escalation.save(update_fields=["status"])
        if de_escalate:
            item.de_escalated = True
            item.save(update_fields=["de_escalated"])
            case.status = CaseStatus.OPEN
            case.save(update_fields=["status"])
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.DECISION,
            author=user,
            text=_("Casustafel decided: %(text)s") % {"text": text.strip()}
            + (f"\n{feedback.strip()}" if feedback.strip() else "")
            + ("\n" + _("Back to local care.") if de_escalate else ""),
        )
        raiser = escalation.requested_by
        if raiser is not None:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=raiser,
                    subject=_("The casustafel discussed case %(ref)s") % {"ref": case.reference},
                    url=reverse("casework:case-detail", kwargs={"case_id": case.pk}),
                )
            )
        if action_owner is not None and action_owner != user:
            transaction.on_commit(
                lambda: notification_send(
                    recipient=action_owner,
                    subject=_("Action from the casustafel for case %(ref)s")
                    % {"ref": case.reference},
                    url=reverse("casework:meeting-detail", kwargs={"meeting_id": item.meeting_id}),
                )
            )
    return decision


def meetings_for(*, user: User) -> QuerySet[Meeting]:
    criteria = Q(table__participant_organisations=user.organisation_id)
    if user.has_role(Role.COORDINATOR) and user.organisation and user.organisation.region_id:
        criteria |= Q(table__region_id=user.organisation.region_id)
    return Meeting.objects.filter(criteria).select_related("table").distinct()


def escalations_waiting(*, user: User) -> QuerySet[Escalation]:
    if user.organisation is None:
        return Escalation.objects.none()
    return Escalation.objects.filter(
        status=EscalationStatus.REQUESTED, table__region_id=user.organisation.region_id
    ).select_related("case", "table", "requested_by")


def item_persons_for(*, item: AgendaItem, purpose: str = "casustafel") -> list[Person]:
    return case_persons_for(case=item.case, purpose=purpose)


# --- retention --------------------------------------------------------------------------------

REMOVED = "[verwijderd]"


@dataclass
class PurgeReport:
    signals_deleted: list[str] = field(default_factory=list)
    cases_pseudonymised: list[str] = field(default_factory=list)
    audit_events_deleted: int = 0


def retention_purge(*, dry_run: bool, now=None) -> PurgeReport:
    """Apply the retention periods of docs/privacy.md; with ``dry_run`` only report.

    - signals that ended in advice or no action: deleted ``SIGNAL_RETENTION_DAYS`` after triage
      (with their persons and additions);
    - closed cases: after ``CASE_PSEUDONYMISE_YEARS`` every direct identifier and free text that
      may name someone is removed; the keyed pseudonyms and the counts stay for statistics;
    - audit events: deleted after ``AUDIT_RETENTION_YEARS``.
    """
    from baken.audit.maintenance import audit_maintenance
    from baken.audit.models import AuditEvent

    now = now or timezone.now()
    report = PurgeReport()
    signal_cutoff = now - timedelta(days=settings.SIGNAL_RETENTION_DAYS)
    old_signals = Signal.objects.filter(
        status__in=[SignalStatus.ADVICE, SignalStatus.NO_ACTION],
        triaged_at__lt=signal_cutoff,
        case__isnull=True,
    )
    report.signals_deleted = list(old_signals.values_list("reference", flat=True))
    case_cutoff = now - timedelta(days=365 * settings.CASE_PSEUDONYMISE_YEARS)
    old_cases = Case.objects.filter(
        status=CaseStatus.CLOSED, closed_at__lt=case_cutoff, pseudonymised_at__isnull=True
    )
    report.cases_pseudonymised = list(old_cases.values_list("reference", flat=True))
    audit_cutoff = now - timedelta(days=365 * settings.AUDIT_RETENTION_YEARS)
    report.audit_events_deleted = AuditEvent.objects.filter(occurred_at__lt=audit_cutoff).count()
    if dry_run:
        return report
    with transaction.atomic():
        for signal in old_signals:
            signal.delete()  # persons, additions and consultation go with it; audited
        for case in old_cases:
            _pseudonymise_case(case, now)
    if report.audit_events_deleted:
        from django.db import connection

        with audit_maintenance(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE occurred_at < %s", [audit_cutoff])
    return report


def _pseudonymise_case(case: Case, now) -> None:
    for person in Person.objects.filter(signal__case=case):
        person.name = ""
        person.date_of_birth = ""
        person.phone = ""
        person.address = ""
        person.description = ""
        person.save()
    for signal in case.signals.all():
        signal.description = REMOVED
        signal.place = ""
        signal.save(update_fields=["description", "place"])
        signal.additions.all().delete()
    case.timeline.update(text=REMOVED)
    Referral.objects.filter(case=case).update(message="", no_consent_reason="")
    Escalation.objects.filter(case=case).update(reason=REMOVED, goal=REMOVED)
    Decision.objects.filter(item__escalation__case=case).update(text=REMOVED)
    case.closing_note = ""
    case.pseudonymised_at = now
    case.save(update_fields=["closing_note", "pseudonymised_at"])


# --- partner API intake -----------------------------------------------------------------------


class IdempotencyConflict(ValueError):
    """The Idempotency-Key was used before for a different request."""


def signal_create_idempotent(
    *, organisation, key: str, request_hash: str, actor: Actor, **signal_fields
) -> tuple[Signal, bool]:
    """Create a signal once per (organisation, key). Returns (signal, created).

    A retry with the same key and body returns the first signal; the same key with another body
    raises IdempotencyConflict. Concurrent retries are settled by the unique constraint.
    """
    from django.db import IntegrityError

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


def referrals_overdue(*, user: User) -> QuerySet[Referral]:
    """The region's referrals without an answer for longer than REFERRAL_REMINDER_DAYS."""
    if user.organisation is None:
        return Referral.objects.none()
    cutoff = timezone.now() - timedelta(days=settings.REFERRAL_REMINDER_DAYS)
    return (
        Referral.objects.awaiting_answer_since(cutoff)
        .filter(case__region_id=user.organisation.region_id)
        .select_related("service__organisation", "case")
    )


# --- case documents ---------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: Accepted kinds, recognised by their first bytes, not by the name the uploader gave.
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"PK\x03\x04": ("application/zip", ".zip"),  # docx/odt/xlsx are zip containers
}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class DocumentRefused(ValueError):
    pass


def document_add(*, case: Case, user: User, title: str, upload) -> CaseDocument:
    """Store an uploaded document encrypted; refuse what is too large or of an unknown kind."""
    import hashlib
    import os

    from django.core.files.base import ContentFile

    from baken.lib.crypto import encrypt_bytes

    if upload.size > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(_("The file is larger than 10 MB."))
    data = upload.read()
    kind = next((v for sig, v in DOCUMENT_SIGNATURES.items() if data.startswith(sig)), None)
    extension = os.path.splitext(upload.name or "")[1].lower()
    if kind is None:
        raise DocumentRefused(_("Only PDF, PNG, JPEG, DOCX, ODT and XLSX files can be added."))
    content_type, default_extension = kind
    if content_type == "application/zip":
        if extension not in OFFICE_TYPES:
            raise DocumentRefused(_("Only PDF, PNG, JPEG, DOCX, ODT and XLSX files can be added."))
        content_type = OFFICE_TYPES[extension]
    else:
        extension = default_extension
    with transaction.atomic():
        document = CaseDocument(
            case=case,
            title=title.strip() or upload.name,
            original_name=(upload.name or "document")[:200],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=user,
        )
        # A random name on disk: nothing about the case or the person is in a file name.
        document.file.save(
            f"{uuid.uuid4().hex}{extension}.enc", ContentFile(encrypt_bytes(data)), save=False
        )
        document.save()
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Document added: %(title)s") % {"title": document.title},
        )
    return document


def document_read(*, document: CaseDocument, purpose: str) -> bytes:
    """The decrypted document; the read is written to the audit trail."""
    from baken.lib.crypto import decrypt_bytes

    audit_read(document, purpose=purpose, fields=["file"])
    with document.file.open("rb") as handle:
        return decrypt_bytes(handle.read())
