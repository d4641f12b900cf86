"""Prevention's numbers for insight, as anonymous facts: activities and the people they reached
per municipality, theme, audience and kind, and the projects' results against plan. Feedback and
trainers' names stay here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from baken.lib.facts import TOTAL, Fact, month_of
from baken.programmes.models import Activity, ActivityAudience, ActivityKind, Result

__all__ = ["ACTIVITY_KINDS", "AUDIENCES", "prevention_facts", "result_labels"]

#: The values of the "audience" and "kind" dimensions, with their (lazy) labels.
AUDIENCES = ActivityAudience.choices
ACTIVITY_KINDS = ActivityKind.choices


def prevention_facts() -> Iterator[Fact]:
    activities = Activity.objects.select_related("municipality", "organisation")
    for a in activities.iterator():
        month = month_of(a.held_on)
        region = a.municipality.region_id if a.municipality else a.organisation.region_id
        place = a.municipality.cbs_code if a.municipality else "region"
        themes = list(dict.fromkeys(a.themes))
        for form in ("", *themes):
            for measure, count in (
                ("prevention_activities", 1),
                ("prevention_reach", a.participants),
            ):
                yield Fact(measure, month, region, TOTAL, "", count=count, form=form)
                yield Fact(measure, month, region, "municipality", place, count=count, form=form)
                yield Fact(measure, month, region, "audience", a.audience, count=count, form=form)
                yield Fact(measure, month, region, "kind", a.kind, count=count, form=form)
        for theme in themes:
            yield Fact("prevention_reach", month, region, "theme", theme, count=a.participants)
            yield Fact("prevention_activities", month, region, "theme", theme)
    results = Result.objects.select_related("project__owner")
    for result in results.iterator():
        month = date(result.year, 1, 1)
        region = result.project.owner.region_id
        key = str(result.pk)
        yield Fact("result_planned", month, region, "result", key, count=result.planned)
        if result.achieved is not None:
            yield Fact("result_achieved", month, region, "result", key, count=result.achieved)


def result_labels() -> dict[str, str]:
    """How a result is named on a dashboard: project, result and year (public information)."""
    return {
        str(r.pk): f"{r.project.name}: {r.description} ({r.year})"
        for r in Result.objects.select_related("project")
    }
