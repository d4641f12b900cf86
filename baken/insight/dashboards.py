"""The dashboards: which charts each one shows, built from the pre-aggregated figures.

Each builder turns ``MonthlyFigure`` rows (through ``services``) into ``charts.Chart`` objects
with translated labels; the view draws them and the download views write their tables. Only
counts and averages reach this module, never a signal or a person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from baken.casework.indicators import label_for
from baken.casework.models import (
    CaseOutcome,
    EscalationStatus,
    ReferralStatus,
    SignalSource,
    Urgency,
)
from baken.casework.statistics import AGE_GROUPS, LEAD_TIME_BUCKETS
from baken.chat.models import Topic
from baken.directory.models import ExploitationForm, Municipality, Region
from baken.insight import services
from baken.insight.charts import Chart, Series
from baken.lib.facts import month_of
from baken.portal.statistics import page_titles
from baken.programmes.models import ActivityAudience, ActivityKind
from baken.programmes.statistics import result_labels
from baken.supervision.models import InspectionKind
from baken.supervision.statistics import FOLLOW_UP_STATES

__all__ = ["DASHBOARDS", "Dashboard", "Filters"]


@dataclass(frozen=True)
class Filters:
    period: services.Period
    region: Region | None
    form: str = ""


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    intro: str
    build: Callable[[Filters], list[Chart]]
    #: Whether the form-of-exploitation and region filters mean anything here.
    by_form: bool = False
    by_region: bool = True


def _month_label(month: date) -> str:
    return f"{month:%Y-%m}"


UNKNOWN = _("Unknown")


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _form_labels() -> dict[str, str]:
    return {**_labels(ExploitationForm.choices), "unknown": str(_("Form not (yet) known"))}


def _mean(count: int, total: float) -> float | None:
    return total / count if count else None


def _monthly(measure: str, f: Filters, *, form: str | None = None, dimension: str = "") -> dict:
    return services.figure_months(
        measure,
        period=f.period,
        region=f.region,
        form=f.form if form is None else form,
        dimension=dimension,
    )


def _counts_series(name, months: dict, period: services.Period) -> Series:
    return Series(str(name), [months.get(m, (0, 0.0))[0] for m in period.months])


def _breakdown_chart(
    key: str,
    title,
    category_label,
    measure: str,
    dimension: str,
    f: Filters,
    labels: dict[str, str],
    *,
    order: list[str] | None = None,
    series_name=None,
    mean_name=None,
    mean_scale: float = 1.0,
    form: str | None = None,
    note="",
) -> Chart:
    """Horizontal bars of a measure along one dimension; ``order`` fixes the category order
    (else largest first); with ``mean_name`` an extra column holds the mean of ``total``."""
    counts = services.figure_breakdown(
        measure, dimension, period=f.period, region=f.region, form=f.form if form is None else form
    )
    values = [v for v in (order or []) if v in counts] if order else []
    values += sorted((v for v in counts if v not in values), key=lambda v: (-counts[v][0], v))
    chart = Chart(
        key=key,
        title=str(title),
        kind="bars",
        category_label=str(category_label),
        categories=[labels.get(v, v) if v != "unknown" else str(UNKNOWN) for v in values],
        series=[Series(str(series_name or _("Number")), [counts[v][0] for v in values])],
        note=str(note),
    )
    if mean_name:
        means = [_mean(counts[v][0], counts[v][1]) for v in values]
        chart.extra_columns.append(
            Series(str(mean_name), [m * mean_scale if m is not None else None for m in means])
        )
    return chart


def _per_month(months: list[str], key: str, title, kind: str, **options) -> Chart:
    """A chart over the period's months (the month is the category)."""
    return Chart(
        key=key,
        title=str(title),
        kind=kind,
        category_label=str(_("Month")),
        categories=months,
        **options,
    )


# --- signals and cases ------------------------------------------------------------------------


def _signals(f: Filters) -> list[Chart]:
    p = f.period
    months = [_month_label(m) for m in p.months]
    forms = _form_labels()
    if f.form:
        per_form = [_counts_series(_("Signals"), _monthly("signals", f)[""], p)]
    else:
        by_form = _monthly("signals", f, dimension="form")
        per_form = [
            _counts_series(forms[code], by_form[code], p)
            for code in [*ExploitationForm.values, "unknown"]
            if code in by_form
        ] or [_counts_series(_("Signals"), {}, p)]
    municipalities = dict(Municipality.objects.values_list("cbs_code", "name"))
    triaged = _monthly("signals_triaged", f)[""]
    on_time = _monthly("signals_triaged", f, dimension="on_time")
    on_time_share = []
    for m in p.months:
        n = triaged[m][0]
        on_time_share.append(100.0 * on_time.get("yes", {}).get(m, (0, 0))[0] / n if n else None)
    opened = _monthly("cases_opened", f)[""]
    closed = _monthly("cases_closed", f, form="")[""]
    return [
        _per_month(
            months,
            "signals-per-month",
            str(_("Signals per month, by form of exploitation")),
            "columns",
            series=per_form,
            note=str(
                _(
                    "A signal with more than one form counts under each; the total above a column "
                    "can therefore exceed the number of signals."
                )
            )
            if not f.form
            else "",
        ),
        _breakdown_chart(
            "signals-by-source",
            _("Signals by source"),
            _("Source"),
            "signals",
            "source",
            f,
            _labels(SignalSource.choices),
        ),
        _breakdown_chart(
            "signals-by-municipality",
            _("Signals by municipality"),
            _("Municipality"),
            "signals",
            "municipality",
            f,
            municipalities,
        ),
        _breakdown_chart(
            "signals-by-age-group",
            _("Signals by age group of the youngest possible victim"),
            _("Age group"),
            "signals",
            "age_group",
            f,
            {"0-17": str(_("Minor, age not known"))},
            order=AGE_GROUPS,
        ),
        _breakdown_chart(
            "signals-by-urgency",
            _("Signals by urgency"),
            _("Urgency"),
            "signals",
            "urgency",
            f,
            _labels(Urgency.choices),
            order=list(Urgency.values),
        ),
        _per_month(
            months,
            "triage-on-time",
            str(_("Signals triaged within the deadline, per month (%)")),
            "line",
            series=[Series(str(_("Triaged on time (%)")), on_time_share)],
            extra_columns=[
                Series(str(_("Triaged")), [triaged[m][0] for m in p.months]),
                Series(
                    str(_("Mean hours to triage")),
                    [_mean(*triaged[m]) for m in p.months],
                ),
            ],
            unit="%",
        ),
        _per_month(
            months,
            "cases-per-month",
            str(_("Cases opened and closed per month")),
            "line",
            series=[
                _counts_series(_("Opened"), opened, p),
                _counts_series(_("Closed"), closed, p),
            ],
        ),
        _breakdown_chart(
            "case-outcomes",
            _("How closed cases ended"),
            _("Outcome"),
            "cases_closed",
            "outcome",
            f,
            _labels(CaseOutcome.choices),
            form="",
            mean_name=_("Mean days open"),
        ),
    ]


# --- referrals --------------------------------------------------------------------------------


def _referrals(f: Filters) -> list[Chart]:
    p = f.period
    months = [_month_label(m) for m in p.months]
    sent = _monthly("referrals_sent", f, form="")[""]
    answered = _monthly("referrals_answered", f, form="")[""]
    return [
        _per_month(
            months,
            "referrals-per-month",
            str(_("Referrals sent per month")),
            "columns",
            series=[_counts_series(_("Referrals"), sent, p)],
        ),
        _breakdown_chart(
            "referral-status",
            _("Where the referrals sent in this period stand now"),
            _("Status"),
            "referrals_sent",
            "outcome",
            f,
            _labels(ReferralStatus.choices),
            order=list(ReferralStatus.values),
            form="",
        ),
        _breakdown_chart(
            "referral-lead-time",
            _("Days until the receiving organisation answered"),
            _("Days"),
            "referrals_answered",
            "lead_time",
            f,
            {},
            order=LEAD_TIME_BUCKETS,
            series_name=_("Referrals answered"),
            form="",
        ),
        _per_month(
            months,
            "referral-answer-days",
            str(_("Mean days until an answer, per month")),
            "line",
            series=[Series(str(_("Mean days")), [_mean(*answered[m]) for m in p.months])],
            extra_columns=[Series(str(_("Answered")), [answered[m][0] for m in p.months])],
            decimals=1,
        ),
    ]


# --- casustafel -------------------------------------------------------------------------------


def _casustafel(f: Filters) -> list[Chart]:
    p = f.period
    months = [_month_label(m) for m in p.months]
    requested = _monthly("escalations", f, form="")[""]
    discussed = _monthly("items_discussed", f, form="")[""]
    done = _monthly("actions_done", f, form="")[""]
    return [
        _per_month(
            months,
            "casustafel-per-month",
            str(_("Casustafel: escalations, cases discussed and actions done per month")),
            "line",
            series=[
                _counts_series(_("Escalations requested"), requested, p),
                _counts_series(_("Cases discussed"), discussed, p),
                _counts_series(_("Actions done"), done, p),
            ],
        ),
        _per_month(
            months,
            "casustafel-days",
            str(_("Mean days from escalation to discussion, per month")),
            "line",
            series=[Series(str(_("Mean days")), [_mean(*discussed[m]) for m in p.months])],
            decimals=1,
        ),
        _breakdown_chart(
            "escalation-status",
            _("Where the escalations of this period stand now"),
            _("Status"),
            "escalations",
            "status",
            f,
            _labels(EscalationStatus.choices),
            order=list(EscalationStatus.values),
            form="",
        ),
        _breakdown_chart(
            "casustafel-results",
            _("After the discussion"),
            _("Result"),
            "items_discussed",
            "result",
            f,
            {
                "stays_at_table": str(_("Stays at the casustafel")),
                "back_to_local_care": str(_("Back to local care")),
            },
            form="",
            mean_name=_("Mean days from escalation"),
        ),
        _breakdown_chart(
            "actions-on-time",
            _("Actions done before their deadline"),
            _("On time"),
            "actions_done",
            "on_time",
            f,
            {"yes": str(_("Yes")), "no": str(_("No"))},
            order=["yes", "no"],
            form="",
        ),
    ]


# --- chat and portal --------------------------------------------------------------------------


def _chat_and_portal(f: Filters) -> list[Chart]:
    p = f.period
    months = [_month_label(m) for m in p.months]
    everywhere = Filters(period=p, region=None)
    started = _monthly("chats_started", everywhere)[""]
    answered = _monthly("chats_answered", everywhere)[""]
    left = _monthly("chat_messages_left", everywhere)[""]
    views = _monthly("page_views", everywhere)[""]
    languages = {code: str(name) for code, name in settings.LANGUAGES}
    topics = _labels(Topic.choices)
    titles = page_titles(get_language() or settings.LANGUAGE_CODE)
    by_page = _breakdown_chart(
        "page-views-by-page",
        _("Most read pages"),
        _("Page"),
        "page_views",
        "page",
        everywhere,
        titles,
        series_name=_("Views"),
    )
    by_page.categories = by_page.categories[:15]
    by_page.series[0].values = by_page.series[0].values[:15]
    return [
        _per_month(
            months,
            "chats-per-month",
            str(_("Chats started and answered, and messages left, per month")),
            "line",
            series=[
                _counts_series(_("Chats started"), started, p),
                _counts_series(_("Chats answered"), answered, p),
                _counts_series(_("Messages left out of hours"), left, p),
            ],
        ),
        _per_month(
            months,
            "chat-wait",
            str(_("Mean wait before a counsellor answered, per month (minutes)")),
            "line",
            series=[
                Series(
                    str(_("Minutes")),
                    [(_mean(*answered[m]) or 0) / 60 if answered[m][0] else None for m in p.months],
                )
            ],
            decimals=1,
        ),
        _breakdown_chart(
            "chat-languages",
            _("Chats by language"),
            _("Language"),
            "chats_started",
            "language",
            everywhere,
            languages,
            series_name=_("Chats"),
        ),
        _breakdown_chart(
            "chat-topics",
            _("Topics of the chats, as tagged by counsellors"),
            _("Topic"),
            "chat_topics",
            "topic",
            everywhere,
            topics,
            series_name=_("Chats"),
        ),
        _per_month(
            months,
            "page-views-per-month",
            str(_("Portal page views per month")),
            "columns",
            series=[_counts_series(_("Views"), views, p)],
        ),
        by_page,
        _breakdown_chart(
            "page-views-by-language",
            _("Page views by language"),
            _("Language"),
            "page_views",
            "language",
            everywhere,
            languages,
            series_name=_("Views"),
        ),
    ]


# --- supervision and prevention ---------------------------------------------------------------


def _supervision_and_prevention(f: Filters) -> list[Chart]:
    p = f.period
    months = [_month_label(m) for m in p.months]
    municipalities = {
        **dict(Municipality.objects.values_list("cbs_code", "name")),
        "region": str(_("Whole region")),
    }
    visits = _monthly("inspections", f, dimension="kind")
    findings = services.figure_breakdown(
        "inspection_findings", "indicator", period=p, region=f.region, form=f.form
    )
    reach = _monthly("prevention_reach", f)[""]
    planned = services.figure_breakdown("result_planned", "result", period=p, region=f.region)
    achieved = services.figure_breakdown("result_achieved", "result", period=p, region=f.region)
    results = result_labels()
    result_keys = sorted(planned, key=lambda k: results.get(k, k))
    this_month = month_of(timezone.localdate())
    today = Filters(period=services.Period(this_month, this_month), region=f.region, form=f.form)

    def reach_by(key, title, label, dimension, labels, form=None):
        chart = _breakdown_chart(
            key,
            title,
            label,
            "prevention_reach",
            dimension,
            f,
            labels,
            series_name=_("People reached"),
            form=form,
        )
        counts = services.figure_breakdown(
            "prevention_activities",
            dimension,
            period=p,
            region=f.region,
            form=f.form if form is None else form,
        )
        inverse = {v: k for k, v in labels.items()}
        chart.extra_columns.append(
            Series(
                str(_("Activities")),
                [counts.get(inverse.get(c, c), (0, 0))[0] for c in chart.categories],
            )
        )
        return chart

    charts = [
        _per_month(
            months,
            "inspections-per-month",
            str(_("Visits per month")),
            "columns",
            series=[
                _counts_series(label, visits.get(kind, {}), p)
                for kind, label in InspectionKind.choices
            ],
        ),
        _breakdown_chart(
            "inspections-by-municipality",
            _("Visits by municipality"),
            _("Municipality"),
            "inspections",
            "municipality",
            f,
            municipalities,
            series_name=_("Visits"),
        ),
        Chart(
            key="inspection-findings",
            title=str(_("What inspectors saw")),
            kind="bars",
            category_label=str(_("Sign")),
            categories=[
                str(label_for(code)) for code in sorted(findings, key=lambda c: -findings[c][0])
            ],
            series=[
                Series(
                    str(_("Visits")),
                    [findings[c][0] for c in sorted(findings, key=lambda c: -findings[c][0])],
                )
            ],
        ),
        _breakdown_chart(
            "inspections-to-signal",
            _("Visits that became a signal"),
            _("Signal"),
            "inspections",
            "signal",
            f,
            {"signal": str(_("Became a signal")), "none": str(_("No signal"))},
            order=["signal", "none"],
        ),
        _breakdown_chart(
            "housing-flags",
            _("Housing addresses flagged now, by reason"),
            _("Reason"),
            "housing_flags",
            "flag",
            today,
            {
                "registered_over_capacity": str(_("More registered than places")),
                "observed_over_capacity": str(_("More people found than places")),
                "registration_differs": str(_("Registration differs from what was found")),
                "not_visited": str(_("No visit in the past year")),
            },
            series_name=_("Addresses"),
            note=_("The state of today, whatever the period."),
        ),
        _breakdown_chart(
            "follow-ups",
            _("Follow-up actions of visits, by their due month"),
            _("State"),
            "follow_ups",
            "state",
            f,
            {
                "on_time": str(_("Done on time")),
                "late": str(_("Done late")),
                "open": str(_("Open")),
                "overdue": str(_("Overdue")),
            },
            order=FOLLOW_UP_STATES,
            series_name=_("Actions"),
        ),
        _per_month(
            months,
            "prevention-per-month",
            str(_("People reached by prevention, per month")),
            "columns",
            series=[_counts_series(_("People reached"), reach, p)],
        ),
        reach_by(
            "reach-by-municipality",
            _("Reach of prevention by municipality"),
            _("Municipality"),
            "municipality",
            municipalities,
        ),
        reach_by(
            "reach-by-theme",
            _("Reach of prevention by form of exploitation"),
            _("Form of exploitation"),
            "theme",
            _labels(ExploitationForm.choices),
            form="",
        ),
        reach_by(
            "reach-by-audience",
            _("Reach of prevention by audience"),
            _("Audience"),
            "audience",
            _labels(ActivityAudience.choices),
        ),
        reach_by(
            "reach-by-kind",
            _("Reach by kind of activity"),
            _("Kind"),
            "kind",
            _labels(ActivityKind.choices),
        ),
        Chart(
            key="project-results",
            title=str(_("Project results against plan")),
            kind="bars",
            category_label=str(_("Result")),
            categories=[results.get(k, k) for k in result_keys],
            series=[
                Series(str(_("Planned")), [planned[k][0] for k in result_keys]),
                Series(
                    str(_("Achieved")),
                    [achieved[k][0] if k in achieved else None for k in result_keys],
                ),
            ],
            note=str(_("Results of the years in the period; the year counts from January.")),
        ),
    ]
    return charts


DASHBOARDS: dict[str, Dashboard] = {
    d.slug: d
    for d in [
        Dashboard(
            "meldingen",
            _("Signals and cases"),
            _("Signals by form, source, municipality and age group; triage and cases."),
            _signals,
            by_form=True,
        ),
        Dashboard(
            "doorverwijzingen",
            _("Referrals"),
            _("Referrals sent, what became of them and how long an answer took."),
            _referrals,
        ),
        Dashboard(
            "casustafel",
            _("Casustafel"),
            _("Escalations, cases discussed, results and actions."),
            _casustafel,
        ),
        Dashboard(
            "chat-en-portaal",
            _("Chat and portal"),
            _("Anonymous use of the chat and the portal (the whole platform, not per region)."),
            _chat_and_portal,
            by_region=False,
        ),
        Dashboard(
            "toezicht-en-preventie",
            _("Supervision and prevention"),
            _(
                "Visits and what they found, housing flags, follow-up actions; the reach of "
                "prevention per municipality and theme; project results against plan."
            ),
            _supervision_and_prevention,
            by_form=True,
        ),
    ]
}


def zicht_chart(table: services.ZichtTable) -> Chart:
    """Registered against estimated per municipality, with the region's total in the table."""
    rows = ([table.region] if table.region else []) + table.municipalities
    chart = Chart(
        key="zicht",
        title=str(_("Victims in view against the estimate, %(year)s") % {"year": table.year}),
        kind="bars",
        category_label=str(_("Area")),
        categories=[row.name for row in rows],
        series=[
            Series(str(_("Registered")), [row.zicht.registered for row in rows]),
            Series(str(_("Estimated")), [round(row.zicht.estimated, 1) for row in rows]),
        ],
        extra_columns=[
            Series(str(_("Inhabitants")), [row.population for row in rows]),
            Series(
                str(_("In view (%)")),
                [
                    round(100 * row.zicht.share_in_view, 1)
                    if row.zicht.share_in_view is not None
                    else None
                    for row in rows
                ],
            ),
            Series(str(_("Not in view")), [round(row.zicht.unseen, 1) for row in rows]),
        ],
        decimals=0,
    )
    return chart
