"""Supervision's numbers for insight, as anonymous facts: visits, what inspectors saw, the
housing flags of today, and whether follow-up actions were done on time. No address, business
or person leaves this module; municipalities travel as CBS codes."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from baken.lib.facts import TOTAL, Fact, month_of
from baken.supervision.models import FollowUp, HousingAddress, Inspection, InspectionKind
from baken.supervision.services import housing_flags

__all__ = ["FOLLOW_UP_STATES", "INSPECTION_KINDS", "supervision_facts"]

#: The values of the "kind" dimension of visits, with their (lazy) labels.
INSPECTION_KINDS = InspectionKind.choices

#: The form of exploitation a kind of visit looks for.
FORM_OF_VISIT = {"housing": "labour", "business": "sexual"}
FOLLOW_UP_STATES = ["on_time", "late", "open", "overdue"]


def supervision_facts() -> Iterator[Fact]:
    visits = Inspection.objects.select_related(
        "housing__municipality", "business__municipality"
    ).only(
        "kind",
        "planned",
        "visited_on",
        "indicators",
        "signal_id",
        "people_observed",
        "housing__capacity",
        "housing__municipality__cbs_code",
        "housing__municipality__region_id",
        "business__municipality__cbs_code",
        "business__municipality__region_id",
    )
    for visit in visits.iterator():
        place = visit.housing or visit.business
        if place is None:  # a visit is to a housing address or a business
            continue
        municipality = place.municipality
        month, region = month_of(visit.visited_on), municipality.region_id
        codes = list(dict.fromkeys(visit.indicators))
        crowded = (
            visit.housing is not None and (visit.people_observed or 0) > visit.housing.capacity
        )
        if crowded and "overcrowded-housing" not in codes:
            codes.append("overcrowded-housing")  # found over capacity, ticked or not
        for form in ("", FORM_OF_VISIT[visit.kind]):
            yield Fact("inspections", month, region, TOTAL, "", form=form)
            yield Fact("inspections", month, region, "kind", visit.kind, form=form)
            yield Fact(
                "inspections",
                month,
                region,
                "planned",
                "planned" if visit.planned else "unplanned",
                form=form,
            )
            yield Fact(
                "inspections", month, region, "municipality", municipality.cbs_code, form=form
            )
            yield Fact(
                "inspections",
                month,
                region,
                "signal",
                "signal" if visit.signal_id else "none",
                form=form,
            )
            for code in codes:
                yield Fact("inspection_findings", month, region, "indicator", code, form=form)
    yield from _housing_flag_facts()
    yield from _follow_up_facts()


def _housing_flag_facts() -> Iterator[Fact]:
    """The flags of every address as they stand today (a snapshot in this month)."""
    today = timezone.localdate()
    month = month_of(today)
    for address in HousingAddress.objects.select_related("municipality"):
        flags = housing_flags(address, today=today)
        region = address.municipality.region_id
        for form in ("", "labour"):
            if flags:
                yield Fact("housing_flagged", month, region, TOTAL, "", form=form)
                yield Fact(
                    "housing_flagged",
                    month,
                    region,
                    "municipality",
                    address.municipality.cbs_code,
                    form=form,
                )
            for flag in flags:
                yield Fact("housing_flags", month, region, "flag", flag.code, form=form)


def _follow_up_facts() -> Iterator[Fact]:
    today = timezone.localdate()
    rows = FollowUp.objects.select_related(
        "inspection__housing__municipality", "inspection__business__municipality"
    )
    for follow_up in rows.iterator():
        visit = follow_up.inspection
        place = visit.housing or visit.business
        if place is None:  # a visit is to a housing address or a business
            continue
        region = place.municipality.region_id
        if follow_up.done_on is not None:
            state = "on_time" if follow_up.done_on <= follow_up.due_on else "late"
        else:
            state = "overdue" if follow_up.due_on < today else "open"
        for form in ("", FORM_OF_VISIT[visit.kind]):
            yield Fact("follow_ups", month_of(follow_up.due_on), region, "state", state, form=form)
