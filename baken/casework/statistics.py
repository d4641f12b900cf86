"""Casework's numbers for insight: anonymous facts, nothing that names or points at a person.

Insight keeps its dashboards fed from these (``baken.insight.services.figures_refresh``); it
never reads casework's tables itself. A signal with more than one form of exploitation counts
once under each form, so the form breakdown can add up to more than the number of signals.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from baken.casework.indicators import LABELS, label_for
from baken.casework.models import (
    Action,
    AgendaItem,
    Case,
    CaseOutcome,
    Escalation,
    EscalationStatus,
    Person,
    PersonRole,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Signal,
    SignalSource,
    Urgency,
)
from baken.casework.selectors import victim_sources_by_pseudonym
from baken.lib.facts import TOTAL, Fact, month_of

__all__ = [
    "AGE_GROUPS",
    "CASE_OUTCOMES",
    "ESCALATION_STATUSES",
    "LEAD_TIME_BUCKETS",
    "REFERRAL_STATUSES",
    "SIGNAL_SOURCES",
    "URGENCIES",
    "age_group",
    "age_group_of",
    "indicator_labels",
    "casework_facts",
    "lead_time_bucket",
    "victim_sources_by_pseudonym",
    "victims_registered",
]

#: Age groups of the national registration (CoMensha); "0-17" is a minor of unknown age.
AGE_GROUPS = ["0-11", "12-17", "0-17", "18-23", "24-30", "31-50", "51+", "unknown"]
#: Working-day-ish buckets for "how long until a referral was answered" (in days).
LEAD_TIME_BUCKETS = ["0-1", "2-5", "6-10", "11-30", "31+"]

# The values the facts' dimensions take, with their (lazy) labels, in the order to show them:
# insight names what it counts from these, not from casework's models. (Insight also reads
# ``victim_sources_by_pseudonym`` from here, an audited pseudonymous read for the overlap of
# sources in multiple systems estimation.)
SIGNAL_SOURCES = SignalSource.choices
URGENCIES = Urgency.choices
CASE_OUTCOMES = CaseOutcome.choices
REFERRAL_STATUSES = ReferralStatus.choices
ESCALATION_STATUSES = EscalationStatus.choices

_DAY = 86400.0


def age_group_of(age: int | None) -> str:
    """The registration's age group of an age in years."""
    if age is None:
        return "unknown"
    for limit, label in ((12, "0-11"), (18, "12-17"), (24, "18-23"), (31, "24-30"), (51, "31-50")):
        if age < limit:
            return label
    return "51+"


def age_group(age: int | None, *, minor: bool = False) -> str:
    """As ``age_group_of``; a signal marked as involving a minor, with no age, is "0-17"."""
    if minor and (age is None or age >= 18):
        return "0-17"
    return age_group_of(age)


def indicator_labels() -> dict[str, str]:
    """{indicator code: label} in the active language (supervision's findings use the codes)."""
    return {code: label_for(code) for code in LABELS}


def lead_time_bucket(days: float) -> str:
    for bucket, upper in zip(LEAD_TIME_BUCKETS, [1, 5, 10, 30], strict=False):
        if days <= upper:
            return bucket
    return LEAD_TIME_BUCKETS[-1]


def _forms(value: str) -> list[str]:
    return [form for form in value.split(",") if form] or ["unknown"]


def casework_facts() -> Iterator[Fact]:
    """Every fact casework has, over its whole history still in the database."""
    yield from _signal_facts()
    yield from _case_facts()
    yield from _referral_facts()
    yield from _casustafel_facts()


def _signal_facts() -> Iterator[Fact]:
    youngest: dict = {}
    minors: set = set()
    victims = PersonRole.POSSIBLE_VICTIM
    for signal_id, age in (
        Person.objects.filter(role=victims).values_list("signal_id", "age_estimate").iterator()
    ):
        if age is not None and (signal_id not in youngest or age < youngest[signal_id]):
            youngest[signal_id] = age
    minors.update(Signal.objects.filter(involves_minor=True).values_list("id", flat=True))
    rows = Signal.objects.values_list(
        "id",
        "received_at",
        "region_id",
        "municipality__cbs_code",
        "exploitation_forms",
        "source",
        "urgency",
        "triaged_at",
        "triage_due_at",
    )
    for sid, received, region, cbs, forms, source, urgency, triaged, due in rows.iterator():
        month = month_of(received)
        group = age_group(youngest.get(sid), minor=sid in minors)
        signal_forms = _forms(forms)
        for scope in ["", *signal_forms]:
            yield Fact("signals", month, region, TOTAL, "", form=scope)
            if not scope:
                for form in signal_forms:
                    yield Fact("signals", month, region, "form", form)
            yield Fact("signals", month, region, "source", source, form=scope)
            yield Fact("signals", month, region, "municipality", cbs or "unknown", form=scope)
            yield Fact("signals", month, region, "urgency", urgency, form=scope)
            yield Fact("signals", month, region, "age_group", group, form=scope)
        if triaged is not None:
            hours = max((triaged - received).total_seconds() / 3600.0, 0.0)
            on_time = "yes" if triaged <= due else "no"
            for scope in ["", *signal_forms]:
                month = month_of(triaged)
                yield Fact("signals_triaged", month, region, TOTAL, "", total=hours, form=scope)
                yield Fact("signals_triaged", month, region, "on_time", on_time, form=scope)


def _case_facts() -> Iterator[Fact]:
    rows = Case.objects.values_list("opened_at", "closed_at", "region_id", "exploitation_forms")
    for opened, _closed, region, forms in rows.iterator():
        yield Fact("cases_opened", month_of(opened), region, TOTAL, "")
        for form in _forms(forms):
            yield Fact("cases_opened", month_of(opened), region, "form", form)
            yield Fact("cases_opened", month_of(opened), region, TOTAL, "", form=form)
    closed_rows = Case.objects.exclude(closed_at=None).values_list(
        "opened_at", "closed_at", "region_id", "outcome"
    )
    for opened, closed, region, outcome in closed_rows.iterator():
        if closed is None:  # excluded above; narrows the type
            continue
        days = max((closed - opened).total_seconds() / _DAY, 0.0)
        yield Fact("cases_closed", month_of(closed), region, TOTAL, "", total=days)
        yield Fact("cases_closed", month_of(closed), region, "outcome", outcome or "unknown")


def _referral_facts() -> Iterator[Fact]:
    rows = Referral.objects.values_list("id", "sent_at", "status", "case__region_id")
    sent_at = {}
    region_of = {}
    for rid, sent, status, region in rows.iterator():
        sent_at[rid] = sent
        region_of[rid] = region
        yield Fact("referrals_sent", month_of(sent), region, TOTAL, "")
        yield Fact("referrals_sent", month_of(sent), region, "outcome", status)
    answers = {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}
    answered: set = set()
    events = ReferralEvent.objects.filter(to_status__in=answers).order_by("at", "id")
    for rid, at, status in events.values_list("referral_id", "at", "to_status").iterator():
        if rid in answered or rid not in sent_at:
            continue
        answered.add(rid)
        days = max((at - sent_at[rid]).total_seconds() / _DAY, 0.0)
        region = region_of[rid]
        yield Fact("referrals_answered", month_of(at), region, TOTAL, "", total=days)
        yield Fact("referrals_answered", month_of(at), region, "answer", status)
        yield Fact("referrals_answered", month_of(at), region, "lead_time", lead_time_bucket(days))


def _casustafel_facts() -> Iterator[Fact]:
    rows = Escalation.objects.values_list("requested_at", "status", "table__region_id")
    for requested, status, region in rows.iterator():
        yield Fact("escalations", month_of(requested), region, TOTAL, "")
        yield Fact("escalations", month_of(requested), region, "status", status)
    items = AgendaItem.objects.filter(meeting__held=True).values_list(
        "meeting__starts_at",
        "escalation__requested_at",
        "de_escalated",
        "meeting__table__region_id",
    )
    for starts, requested, de_escalated, region in items.iterator():
        days = max((starts - requested).total_seconds() / _DAY, 0.0)
        result = "back_to_local_care" if de_escalated else "stays_at_table"
        yield Fact("items_discussed", month_of(starts), region, TOTAL, "", total=days)
        yield Fact("items_discussed", month_of(starts), region, "result", result)
    done = Action.objects.exclude(done_at=None).values_list(
        "done_at", "due_on", "item__meeting__table__region_id"
    )
    for done_at, due_on, region in done.iterator():
        if done_at is None:  # excluded above; narrows the type
            continue
        on_time = "yes" if timezone.localdate(done_at) <= due_on else "no"
        yield Fact("actions_done", month_of(done_at), region, TOTAL, "")
        yield Fact("actions_done", month_of(done_at), region, "on_time", on_time)


def victims_registered(*, year: int, region_id: int) -> tuple[int, dict[str, int]]:
    """Distinct possible victims in the signals received in ``year`` in a region: the total and
    per municipality (CBS code). The same person (same keyed identity pseudonym) reported twice
    counts once; a person without a pseudonym counts as one. Someone reported in two
    municipalities counts in each, and once in the region's total."""
    persons = Person.objects.filter(
        role=PersonRole.POSSIBLE_VICTIM,
        signal__received_at__year=year,
        signal__region_id=region_id,
    ).values_list("id", "identity_pseudonym", "signal__municipality__cbs_code")
    in_region: set = set()
    per_municipality: dict[str, set] = {}
    for person_id, pseudonym, cbs in persons.iterator():
        key = pseudonym or person_id
        in_region.add(key)
        per_municipality.setdefault(cbs or "unknown", set()).add(key)
    return len(in_region), {cbs: len(keys) for cbs, keys in per_municipality.items()}
