"""Two years of invented history for the demo region, so the dashboards have trends to show.

Everything here is made up, drawn with a fixed seed, in proportions true to Dutch practice:
about 80 signals a year for Twente (seed 002); forms and sources in the order of magnitude of
the National Rapporteur's and CoMensha's reports; municipalities by population. The rows are
written directly (back-dated): the services stamp "now", and this history is by definition in
the past. No names, no dates of birth; a pool of demo pseudonyms lets some people be reported by
more than one source, as in real registrations, so that the overlap table has something to show.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from baken.casework.models import (
    URGENCY_DEADLINES,
    Action,
    AgendaItem,
    Case,
    CaseStatus,
    CaseTable,
    Decision,
    Escalation,
    EscalationStatus,
    Meeting,
    Person,
    PersonRole,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Signal,
    SignalStatus,
)
from baken.chat.models import ChatHourStat, ChatTopicStat, Topic
from baken.directory.models import Municipality, Region, Service
from baken.portal.models import PageViewStat

__all__ = ["demo_history_load"]

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


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _at(day, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(hour=rng.randint(8, 21), minute=rng.randint(0, 59)))
    return timezone.make_aware(moment)


def demo_history_load(*, region: Region, users: dict, today=None, seed: int = 2026) -> int:
    """Write the history ending yesterday; returns the number of signals. Run once."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    first_day = today - timedelta(days=MONTHS * 30)
    municipalities = list(Municipality.objects.filter(region=region))
    weights = [
        m.populations.order_by("-year").values_list("population", flat=True).first() or 1
        for m in municipalities
    ]
    services = list(Service.objects.filter(status="active"))
    table = CaseTable.objects.filter(region=region).first()
    coordinator = users["coordinator"]
    lead = users["caseworker"]
    pseudonyms = [hashlib.sha256(f"demo-person-{i}".encode()).hexdigest() for i in range(150)]
    days = (today - first_day).days
    count = int(SIGNALS_PER_YEAR * MONTHS / 12)
    meetings: dict = {}
    for n in range(count):
        day = first_day + timedelta(days=rng.randrange(days))
        received = _at(day, rng)
        form = _pick(rng, FORMS)
        source = _pick(rng, SOURCES)
        urgency = rng.choices(["normal", "high", "crisis"], weights=[70, 24, 6])[0]
        low, high = AGES[form]
        ages = [
            rng.randint(low, high) if rng.random() > 0.2 else None
            for _ in range(rng.choice([1, 1, 1, 2]))
        ]
        minor = any(a is not None and a < 18 for a in ages)
        triaged = received + timedelta(
            hours=rng.uniform(1, 1.3 * URGENCY_DEADLINES[urgency].total_seconds() / 3600)
        )
        if triaged.date() >= today:
            triaged = None
        becomes_case = triaged is not None and rng.random() < 0.35
        status = (
            SignalStatus.NEW
            if triaged is None
            else (
                SignalStatus.CASE
                if becomes_case
                else rng.choice([SignalStatus.ADVICE, SignalStatus.NO_ACTION])
            )
        )
        signal = Signal.objects.create(
            reference=f"M-{received:%Y}-9{n:05d}",
            source=source,
            received_at=received,
            region=region,
            municipality=rng.choices(municipalities, weights=weights)[0],
            reported_by=None,
            description=DESCRIPTIONS[form],
            exploitation_forms=form,
            urgency=urgency,
            is_crisis=urgency == "crisis",
            involves_minor=minor,
            triage_due_at=received + URGENCY_DEADLINES[urgency],
            status=status,
            triaged_at=triaged,
            triaged_by=coordinator if triaged else None,
        )
        for age in ages:
            Person.objects.create(
                signal=signal,
                role=PersonRole.POSSIBLE_VICTIM,
                sex=rng.choice(["female", "male", "female", "unknown"]),
                age_estimate=age,
                identity_pseudonym=rng.choice(pseudonyms) if rng.random() < 0.6 else "",
            )
        if becomes_case:
            _history_case(rng, signal, triaged, today, services, table, meetings, coordinator, lead)
    _history_chat_and_portal(rng, first_day, today)
    return count


def _history_case(rng, signal, opened, today, services, table, meetings, coordinator, lead):
    closed = opened + timedelta(days=rng.randint(20, 200))
    is_closed = closed.date() < today and rng.random() < 0.8
    case = Case.objects.create(
        reference=f"C-{opened:%Y}-9{signal.reference[-5:]}",
        region=signal.region,
        title=f"Demo {signal.reference}",
        exploitation_forms=signal.exploitation_forms,
        is_crisis=signal.is_crisis,
        involves_minor=signal.involves_minor,
        status=CaseStatus.CLOSED if is_closed else CaseStatus.OPEN,
        opened_at=opened,
        opened_by=coordinator,
        closed_at=closed if is_closed else None,
        outcome=_pick(
            rng,
            [
                ("in_care", 45),
                ("safe", 20),
                ("no_contact", 15),
                ("prosecution", 8),
                ("returned", 6),
                ("other", 6),
            ],
        )
        if is_closed
        else "",
    )
    Signal.objects.filter(pk=signal.pk).update(case=case)
    person = signal.persons.first()
    if person is not None and services and rng.random() < 0.85:
        sent = opened + timedelta(hours=rng.randint(2, 96))
        referral = Referral.objects.create(
            case=case,
            person=person,
            service=rng.choice(services),
            referred_by=lead,
            sent_at=sent,
            status=ReferralStatus.SENT,
            status_changed_at=sent,
            consent_given=True,
        )
        ReferralEvent.objects.create(
            referral=referral, at=sent, by=lead, to_status=ReferralStatus.SENT
        )
        at, status = sent, ReferralStatus.SENT
        path = [ReferralStatus.ACCEPTED, ReferralStatus.IN_CARE, ReferralStatus.COMPLETED]
        if rng.random() < 0.18:
            path = [ReferralStatus.DECLINED]
        for step, next_status in enumerate(path):
            at = at + timedelta(
                days=rng.choice([0.3, 1, 2, 3, 4, 6, 9, 14, 25])
                if step == 0
                else rng.randint(3, 90)
            )
            if at.date() >= today or (step > 0 and rng.random() < 0.3):
                break
            ReferralEvent.objects.create(
                referral=referral, at=at, by=None, from_status=status, to_status=next_status
            )
            status = next_status
        Referral.objects.filter(pk=referral.pk).update(status=status, status_changed_at=at)
    if table is not None and rng.random() < 0.2:
        requested = opened + timedelta(days=rng.randint(3, 30))
        if requested.date() >= today:
            return
        escalation = Escalation.objects.create(
            case=case,
            table=table,
            requested_by=lead,
            requested_at=requested,
            reason="Meer partijen nodig (demo).",
            goal="Gezamenlijk plan (demo).",
        )
        meeting_day = requested.date() + timedelta(
            days=(1 - requested.weekday()) % 7 + 7 * rng.randint(0, 2)
        )
        if meeting_day >= today:
            return
        meeting = meetings.get(meeting_day)
        if meeting is None:
            meeting = meetings[meeting_day] = Meeting.objects.create(
                table=table,
                starts_at=timezone.make_aware(datetime.combine(meeting_day, time(13))),
                held=True,
            )
        item = AgendaItem.objects.create(
            meeting=meeting,
            escalation=escalation,
            access_until=meeting.starts_at + timedelta(days=14),
            de_escalated=rng.random() < 0.4,
        )
        Escalation.objects.filter(pk=escalation.pk).update(status=EscalationStatus.DISCUSSED)
        Decision.objects.create(
            item=item,
            text="Afspraken gemaakt (demo).",
            decided_at=meeting.starts_at,
            recorded_by=coordinator,
        )
        due = meeting_day + timedelta(days=14)
        done = meeting.starts_at + timedelta(days=rng.randint(2, 25))
        Action.objects.create(
            item=item,
            description="Actie uit de casustafel (demo)",
            owner=lead,
            due_on=due,
            done_at=done if done.date() < today else None,
        )


def _history_chat_and_portal(rng, first_day, today):
    hours, topics, views = [], [], []
    day = first_day
    topic_values = list(Topic.values)
    while day < today:
        growth = 1 + 0.6 * (day - first_day).days / max((today - first_day).days, 1)
        for _ in range(rng.randint(1, int(6 * growth))):
            started = rng.randint(1, 2)
            accepted = started if rng.random() < 0.9 else started - 1
            hour = timezone.make_aware(datetime.combine(day, time(rng.randint(0, 23))))
            hours.append(
                ChatHourStat(
                    hour=hour,
                    language=_pick(rng, CHAT_LANGUAGES),
                    chats_started=started,
                    chats_accepted=accepted,
                    wait_seconds_total=accepted * rng.randint(30, 600),
                    messages_sent=started * rng.randint(6, 30),
                    messages_left=int(rng.random() < 0.15),
                )
            )
        for topic in rng.sample(topic_values, k=rng.randint(1, 3)):
            topics.append(ChatTopicStat(day=day, topic=topic, count=rng.randint(1, 3)))
        for slug, weight in PAGE_WEIGHTS:
            for language, share in (("nl", 0.8), ("en", 0.12), ("pl", 0.05), ("ar", 0.03)):
                count = int(rng.gauss(weight * share * growth, 2))
                if count > 0:
                    views.append(PageViewStat(day=day, slug=slug, language=language, count=count))
        day += timedelta(days=1)
    ChatHourStat.objects.bulk_create(hours, batch_size=2000, ignore_conflicts=True)
    ChatTopicStat.objects.bulk_create(topics, batch_size=2000)
    PageViewStat.objects.bulk_create(views, batch_size=2000)
