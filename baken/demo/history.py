"""Two years of invented history for the demo region, so the dashboards have trends to show.

Everything here is made up, drawn with a fixed seed, in proportions true to Dutch practice:
about 80 signals a year for Twente (seed 002); forms and sources in the order of magnitude of
the National Rapporteur's and CoMensha's reports; municipalities by population.

The history is made the way real work is: every signal, triage, case, referral answer and
casustafel decision goes through its context's services, with the clock moved to the moment
it happened (time-machine, ``travel(..., tick=False)``). So the history obeys the same rules,
lands in the audit trail with its own dates, and changes with the services when they change.
Call it outside a transaction: each step commits at its moment, so that what a service sends
after commit (notifications) carries that moment too. Its e-mails are not sent: they belong to
the past. A pool of invented people lets some be reported by more than one source, as in real
registrations, so that the overlap table has something to show.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.test.utils import override_settings
from django.utils import timezone
from time_machine import travel

from baken.accounts.models import User
from baken.casework import services as casework
from baken.casework.models import (
    URGENCY_DEADLINES,
    Case,
    CaseTable,
    Notification,
    Person,
    Referral,
    ReferralStatus,
    Signal,
    SignalStatus,
    Urgency,
)
from baken.chat.models import Topic
from baken.chat.services import HourCounts, TopicCount, chat_stats_import
from baken.directory.models import Municipality, Region, Service
from baken.portal.services import PageViewCount, page_view_stats_import

__all__ = ["demo_history_load", "HISTORY_RECEIVERS"]

MONTHS = 24
SIGNALS_PER_YEAR = 80

FORMS = [("sexual", 44), ("labour", 30), ("criminal", 22), ("organ_removal", 1), ("", 3)]
SOURCES = [
    ("police", 24),
    ("care", 20),
    ("municipality", 14),
    ("chat", 12),
    ("citizen", 9),
    ("inspection", 8),
    ("school", 6),
    ("comensha", 4),
    ("other", 3),
]
AGES = {
    "sexual": (14, 35),
    "labour": (20, 55),
    "criminal": (13, 26),
    "organ_removal": (25, 45),
    "": (16, 40),
}
#: Who reports for a source (a demo login), so that triage and closing tell them the outcome.
REPORTERS = {"police": "liaison", "municipality": "aandachtsfunctionaris"}
#: The demo logins that answer referrals for their organisation's services; the history refers
#: only to those services, as only someone there can accept, start and complete care.
HISTORY_RECEIVERS = ("opvang", "jeugdhulp")
OUTCOMES = [
    ("in_care", 45),
    ("safe", 20),
    ("no_contact", 15),
    ("prosecution", 8),
    ("returned", 6),
    ("other", 6),
]
DECLINE_REASONS = ["Geen plek vrij (demo).", "Past niet bij de doelgroep (demo)."]
DESCRIPTIONS = {
    "sexual": "Signalen van seksuele uitbuiting (verzonnen demogegeven).",
    "labour": "Signalen van arbeidsuitbuiting (verzonnen demogegeven).",
    "criminal": "Signalen van criminele uitbuiting (verzonnen demogegeven).",
    "organ_removal": "Signalen van gedwongen orgaanverwijdering (verzonnen demogegeven).",
    "": "Zorgen over uitbuiting, vorm nog onduidelijk (verzonnen demogegeven).",
}
CHAT_LANGUAGES = [("nl", 70), ("en", 10), ("pl", 7), ("ro", 5), ("uk", 4), ("ar", 2), ("bg", 2)]
PAGE_WEIGHTS = [
    ("am-i-being-exploited", 30),
    ("loverboys-and-online-grooming", 18),
    ("sextortion", 16),
    ("labour-migrants-debts-and-housing", 12),
    ("get-help", 12),
    ("signs", 10),
    ("drug-running-and-money-mules", 9),
    ("worried-about-someone", 8),
    ("your-rights", 8),
    ("hide-your-visit", 6),
]


@dataclass(frozen=True)
class _Cast:
    """The demo logins the history's work is done by."""

    coordinator: User
    lead: User
    reporters: dict[str, User]
    receivers: dict[UUID, User]  # organisation id -> the login that answers its referrals


@contextmanager
def _at(moment: datetime) -> Iterator[None]:
    """Run the block as if it were ``moment`` (the clock stands still inside)."""
    with travel(moment, tick=False):
        yield


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _moment(day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(hour=rng.randint(8, 21), minute=rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _people(rng: random.Random, today: date) -> dict[str, list[tuple[str, str]]]:
    """Per form, a pool of invented people (name, date of birth) who may turn up again."""
    first = ["Anna", "Maria", "Ion", "Olena", "Dylan", "Kevin", "Fatima", "Piotr", "Noah", "Sara"]
    last = ["Demo", "Voorbeeld", "Testpersoon", "Verzonnen", "Fictief"]
    pools: dict[str, list[tuple[str, str]]] = {}
    for form, (low, high) in AGES.items():
        pool = []
        for n in range(30):
            age = rng.randint(low, high)
            born = today - timedelta(days=365 * age + rng.randint(0, 364))
            name = f"{rng.choice(first)} {rng.choice(last)} {form or 'onbekend'}-{n}"
            pool.append((name, born.isoformat()))
        pools[form] = pool
    return pools


def _age_at(born: str, day: date) -> int:
    birth = date.fromisoformat(born)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def demo_history_load(
    *, region: Region, users: dict[str, User], today: date | None = None, seed: int = 2026
) -> int:
    """Make the history ending yesterday; returns the number of signals. Run once, outside a
    transaction (see the module docstring)."""
    rng = random.Random(seed)  # nosec B311 # seeded invented data, repeatable; no secret
    today = today or timezone.localdate()
    first_day = today - timedelta(days=MONTHS * 30)
    municipalities = list(Municipality.objects.filter(region=region))
    weights = [
        m.populations.order_by("-year").values_list("population", flat=True).first() or 1
        for m in municipalities
    ]
    receivers = {
        user.organisation_id: user
        for user in (users[name] for name in HISTORY_RECEIVERS)
        if user.organisation_id is not None
    }
    services = list(Service.objects.active().filter(organisation_id__in=receivers))
    cast = _Cast(
        coordinator=users["coordinator"],
        lead=users["caseworker"],
        reporters={source: users[name] for source, name in REPORTERS.items()},
        receivers=receivers,
    )
    table = CaseTable.objects.filter(region=region).first()
    people = _people(rng, first_day)
    days = (today - first_day).days
    count = int(SIGNALS_PER_YEAR * MONTHS / 12)
    received_days = sorted(first_day + timedelta(days=rng.randrange(days)) for _ in range(count))
    meetings: dict[date, object] = {}
    # The past's e-mails were sent back then; the dummy backend keeps them from going out now.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for day in received_days:
            signal = _history_signal(rng, day, municipalities, weights, people, cast)
            case = _history_triage(rng, signal, today, cast)
            if case is not None:
                _history_case(rng, case, today, services, table, meetings, cast)
        _history_chat_and_portal(rng, first_day, today)
    # Notifications of the past have been read.
    Notification.objects.filter(read_at__isnull=True, created_at__date__lt=today).update(
        read_at=timezone.now()
    )
    return count


def _history_signal(rng, day, municipalities, weights, people, cast: _Cast) -> Signal:
    form = _pick(rng, FORMS)
    source = _pick(rng, SOURCES)
    urgency = rng.choices([Urgency.NORMAL, Urgency.HIGH, Urgency.CRISIS], weights=[70, 24, 6])[0]
    low, high = AGES[form]
    persons = []
    for _n in range(rng.choice([1, 1, 1, 2])):
        if rng.random() < 0.6:  # known by name: may be reported again, by another source
            name, born = rng.choice(people[form])
            age = _age_at(born, day)
            persons.append(
                casework.PersonData(
                    name=name,
                    date_of_birth=born,
                    age_estimate=age if age >= 0 else None,
                    sex=rng.choice(["female", "male", "female", "unknown"]),
                )
            )
        else:
            persons.append(
                casework.PersonData(
                    age_estimate=rng.randint(low, high) if rng.random() > 0.2 else None,
                    sex=rng.choice(["female", "male", "female", "unknown"]),
                )
            )
    with _at(_moment(day, rng)):
        return casework.signal_create(
            reporter=cast.reporters.get(source),
            source=source,
            description=DESCRIPTIONS[form],
            municipality=rng.choices(municipalities, weights=weights)[0],
            exploitation_forms=[form] if form else [],
            urgency=urgency,
            persons=persons,
        )


def _history_triage(rng, signal: Signal, today: date, cast: _Cast) -> Case | None:
    """Triage within (mostly) the deadline; about a third becomes a case. Returns the case."""
    deadline = URGENCY_DEADLINES[Urgency(signal.urgency)]
    triaged = signal.received_at + timedelta(
        hours=rng.uniform(1, 1.3 * deadline.total_seconds() / 3600)
    )
    if triaged.date() >= today:
        return None  # still in the queue
    outcome = (
        SignalStatus.CASE
        if rng.random() < 0.35
        else rng.choice([SignalStatus.ADVICE, SignalStatus.NO_ACTION])
    )
    with _at(triaged):
        casework.signal_triage(
            signal=signal,
            user=cast.coordinator,
            exploitation_forms=signal.exploitation_forms.split(",")
            if signal.exploitation_forms
            else [],
            urgency=signal.urgency,
            is_crisis=signal.is_crisis,
            involves_minor=signal.involves_minor,
            outcome=outcome,
            advice="Advies gegeven aan de melder (demo)." if outcome == SignalStatus.ADVICE else "",
            case_title=f"Demo {signal.reference}",
            case_lead=cast.lead,
        )
    signal.refresh_from_db()
    return signal.case


def _history_case(rng, case: Case, today, services, table, meetings, cast: _Cast) -> None:
    opened = case.opened_at
    closes = opened + timedelta(days=rng.randint(20, 200))
    will_close = closes.date() < today and rng.random() < 0.8
    person = case.signals.get().persons.first()
    fitting = [service for service in services if person is not None and _fits(service, person)]
    if person is not None and fitting and rng.random() < 0.85:
        with _at(opened + timedelta(hours=rng.randint(2, 96))):
            referral = casework.referral_create(
                case=case,
                person=person,
                service=rng.choice(fitting),
                user=cast.lead,
                consent_given=True,
            )
        _history_referral_answers(rng, referral, today, cast, until=closes if will_close else None)
    if table is not None and rng.random() < 0.2:
        _history_casustafel(
            rng, case, today, table, meetings, cast, until=closes if will_close else None
        )
    if will_close:
        with _at(closes):
            case.refresh_from_db()
            casework.case_close(
                case=case,
                user=cast.lead,
                outcome=_pick(rng, OUTCOMES),
                note="Afgesloten (demo).",
            )


def _fits(service: Service, person: Person) -> bool:
    """Whether the person's (estimated) age is one the service takes."""
    age = person.age_estimate
    if age is None:
        return service.minimum_age is None or service.minimum_age >= 18
    low, high = service.minimum_age or 0, service.maximum_age or 200
    return low <= age <= high


def _history_referral_answers(rng, referral: Referral, today, cast: _Cast, until) -> None:
    receiver = cast.receivers[referral.service.organisation_id]
    path = [ReferralStatus.ACCEPTED, ReferralStatus.IN_CARE, ReferralStatus.COMPLETED]
    if rng.random() < 0.18:
        path = [ReferralStatus.DECLINED]
    at = referral.sent_at
    for step, next_status in enumerate(path):
        at = at + timedelta(
            days=rng.choice([0.3, 1, 2, 3, 4, 6, 9, 14, 25]) if step == 0 else rng.randint(3, 90)
        )
        if at.date() >= today or (until is not None and at >= until):
            return
        if step > 0 and rng.random() < 0.3:
            return  # still in care, or not reported back
        with _at(at):
            casework.referral_transition(
                referral=referral,
                user=receiver,
                to_status=next_status,
                note=rng.choice(DECLINE_REASONS) if next_status == ReferralStatus.DECLINED else "",
            )


def _history_casustafel(rng, case: Case, today, table, meetings, cast: _Cast, until) -> None:
    requested = case.opened_at + timedelta(days=rng.randint(3, 30))
    meeting_day = requested.date() + timedelta(
        days=(1 - requested.weekday()) % 7 + 7 * rng.randint(0, 2)
    )
    starts_at = timezone.make_aware(datetime.combine(meeting_day, time(13)))
    if meeting_day >= today or (until is not None and starts_at >= until):
        return
    with _at(requested):
        escalation = casework.escalation_request(
            case=case,
            user=cast.lead,
            table=table,
            reason="Meer partijen nodig (demo).",
            goal="Gezamenlijk plan (demo).",
        )
    with _at(requested + timedelta(minutes=5)):
        meeting = meetings.get(meeting_day)
        if meeting is None:
            meeting = meetings[meeting_day] = casework.meeting_plan(
                table=table, starts_at=starts_at
            )
        item = casework.agenda_add(meeting=meeting, escalation=escalation, user=cast.coordinator)
    with _at(starts_at + timedelta(hours=1)):
        decision = casework.decision_record(
            item=item,
            user=cast.coordinator,
            text="Afspraken gemaakt (demo).",
            action_description="Actie uit de casustafel (demo)",
            action_owner=cast.lead,
            action_due=meeting_day + timedelta(days=14),
            de_escalate=rng.random() < 0.4,
        )
    done = starts_at + timedelta(days=rng.randint(2, 25))
    action = decision.item.actions.first()
    if action is not None and done.date() < today and (until is None or done < until):
        with _at(done):
            casework.action_complete(action=action, user=cast.lead)


def _history_chat_and_portal(rng: random.Random, first_day: date, today: date) -> None:
    hours: list[HourCounts] = []
    topics: list[TopicCount] = []
    views: list[PageViewCount] = []
    day = first_day
    topic_values = list(Topic.values)
    while day < today:
        growth = 1 + 0.6 * (day - first_day).days / max((today - first_day).days, 1)
        for _n in range(rng.randint(1, int(6 * growth))):
            started = rng.randint(1, 2)
            accepted = started if rng.random() < 0.9 else started - 1
            hours.append(
                HourCounts(
                    hour=timezone.make_aware(datetime.combine(day, time(rng.randint(0, 23)))),
                    language=_pick(rng, CHAT_LANGUAGES),
                    chats_started=started,
                    chats_accepted=accepted,
                    wait_seconds_total=accepted * rng.randint(30, 600),
                    messages_sent=started * rng.randint(6, 30),
                    messages_left=int(rng.random() < 0.15),
                )
            )
        for topic in rng.sample(topic_values, k=rng.randint(1, 3)):
            topics.append(TopicCount(day=day, topic=topic, count=rng.randint(1, 3)))
        for slug, weight in PAGE_WEIGHTS:
            for language, share in (("nl", 0.8), ("en", 0.12), ("pl", 0.05), ("ar", 0.03)):
                count = int(rng.gauss(weight * share * growth, 2))
                if count > 0:
                    views.append(PageViewCount(day=day, slug=slug, language=language, count=count))
        day += timedelta(days=1)
    chat_stats_import(hour_counts=hours, topic_counts=topics)
    page_view_stats_import(views=views)
