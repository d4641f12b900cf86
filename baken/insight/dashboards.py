"""The dashboards: which charts each one shows, declared as ``specs.ChartSpec`` lists.

``specs.build_chart`` turns each spec into a ``charts.Chart`` from the pre-aggregated figures;
the view draws them and the download views write their tables. Labels come from the contexts'
``statistics`` modules and the directory. Only counts and averages reach this module, never a
signal or a person. To add a chart, add a spec to a dashboard's list (see docs/insight.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from baken.casework.statistics import (
    AGE_GROUPS,
    CASE_OUTCOMES,
    ESCALATION_STATUSES,
    LEAD_TIME_BUCKETS,
    REFERRAL_STATUSES,
    SIGNAL_SOURCES,
    URGENCIES,
    indicator_labels,
)
from baken.chat.statistics import TOPICS
from baken.directory.models import ExploitationForm, Municipality
from baken.insight import services
from baken.insight.charts import Chart, Series
from baken.insight.specs import (
    ChartSpec,
    Figures,
    Filters,
    Label,
    Labels,
    Scope,
    SeriesSpec,
    Source,
    Split,
    build_chart,
    labels_of,
    mean,
    minutes,
)
from baken.portal.statistics import page_titles
from baken.programmes.statistics import ACTIVITY_KINDS, AUDIENCES, result_labels
from baken.supervision.statistics import FOLLOW_UP_STATES, INSPECTION_KINDS

__all__ = ["DASHBOARDS", "Dashboard", "Filters", "zicht_chart"]


@dataclass(frozen=True, kw_only=True)
class Dashboard:
    slug: str
    title: Label
    intro: Label
    charts: tuple[ChartSpec, ...]
    #: Whether the form-of-exploitation and region filters mean anything here.
    by_form: bool = False
    by_region: bool = True

    def build(self, filters: Filters) -> list[Chart]:
        figures = Figures(filters)
        return [build_chart(spec, figures) for spec in self.charts]


# --- labels -------------------------------------------------------------------------------------

NUMBER = _("Number")
FORMS = [*ExploitationForm.values, "unknown"]


def _form_labels() -> Mapping[str, str]:
    return {**labels_of(ExploitationForm.choices)(), "unknown": str(_("Form not (yet) known"))}


def _municipalities() -> Mapping[str, str]:
    return dict(Municipality.objects.values_list("cbs_code", "name"))


def _places() -> Mapping[str, str]:
    """Municipalities, and the whole region for what was not held in one."""
    return {**_municipalities(), "region": str(_("Whole region"))}


def _languages() -> Mapping[str, str]:
    return {code: str(name) for code, name in settings.LANGUAGES}


def _page_titles() -> Mapping[str, str]:
    return page_titles(get_language() or settings.LANGUAGE_CODE)


def _fixed(**labels: Label) -> Labels:
    """Labels of values that only the facts know (no choices behind them)."""
    return labels_of(list(labels.items()))


def _counts(name: Label, measure: str, *, scope: Scope = Scope.FILTERED) -> SeriesSpec:
    return SeriesSpec(name=name, source=Source(measure, scope=scope))


# --- signals and cases --------------------------------------------------------------------------

SIGNALS = (
    ChartSpec(
        key="signals-per-month",
        title=_("Signals per month, by form of exploitation"),
        kind="columns",
        series=(_counts(_("Signals"), "signals"),),
        split=Split(
            source=Source("signals", "form"),
            values=FORMS,
            labels=_form_labels,
            present_only=True,
            note=_(
                "A signal with more than one form counts under each; the total above a column "
                "can therefore exceed the number of signals."
            ),
        ),
    ),
    ChartSpec(
        key="signals-by-source",
        title=_("Signals by source"),
        kind="bars",
        category_label=_("Source"),
        series=(SeriesSpec(name=NUMBER, source=Source("signals", "source")),),
        labels=labels_of(SIGNAL_SOURCES),
    ),
    ChartSpec(
        key="signals-by-municipality",
        title=_("Signals by municipality"),
        kind="bars",
        category_label=_("Municipality"),
        series=(SeriesSpec(name=NUMBER, source=Source("signals", "municipality")),),
        labels=_municipalities,
    ),
    ChartSpec(
        key="signals-by-age-group",
        title=_("Signals by age group of the youngest possible victim"),
        kind="bars",
        category_label=_("Age group"),
        series=(SeriesSpec(name=NUMBER, source=Source("signals", "age_group")),),
        labels=_fixed(**{"0-17": _("Minor, age not known")}),
        order=AGE_GROUPS,
    ),
    ChartSpec(
        key="signals-by-urgency",
        title=_("Signals by urgency"),
        kind="bars",
        category_label=_("Urgency"),
        series=(SeriesSpec(name=NUMBER, source=Source("signals", "urgency")),),
        labels=labels_of(URGENCIES),
        order=[value for value, _label in URGENCIES],
    ),
    ChartSpec(
        key="triage-on-time",
        title=_("Signals triaged within the deadline, per month (%)"),
        kind="line",
        series=(
            SeriesSpec(
                name=_("Triaged on time (%)"),
                source=Source("signals_triaged", "on_time"),
                value="yes",
                share_of=Source("signals_triaged"),
            ),
        ),
        extra=(
            _counts(_("Triaged"), "signals_triaged"),
            SeriesSpec(
                name=_("Mean hours to triage"), source=Source("signals_triaged"), number=mean
            ),
        ),
        unit="%",
    ),
    ChartSpec(
        key="cases-per-month",
        title=_("Cases opened and closed per month"),
        kind="line",
        series=(
            _counts(_("Opened"), "cases_opened"),
            _counts(_("Closed"), "cases_closed", scope=Scope.ANY_FORM),
        ),
    ),
    ChartSpec(
        key="case-outcomes",
        title=_("How closed cases ended"),
        kind="bars",
        category_label=_("Outcome"),
        series=(
            SeriesSpec(name=NUMBER, source=Source("cases_closed", "outcome", scope=Scope.ANY_FORM)),
        ),
        extra=(
            SeriesSpec(
                name=_("Mean days open"),
                source=Source("cases_closed", "outcome", scope=Scope.ANY_FORM),
                number=mean,
            ),
        ),
        labels=labels_of(CASE_OUTCOMES),
    ),
)

# --- referrals ----------------------------------------------------------------------------------

REFERRALS = (
    ChartSpec(
        key="referrals-per-month",
        title=_("Referrals sent per month"),
        kind="columns",
        series=(_counts(_("Referrals"), "referrals_sent", scope=Scope.ANY_FORM),),
    ),
    ChartSpec(
        key="referral-status",
        title=_("Where the referrals sent in this period stand now"),
        kind="bars",
        category_label=_("Status"),
        series=(
            SeriesSpec(
                name=NUMBER, source=Source("referrals_sent", "outcome", scope=Scope.ANY_FORM)
            ),
        ),
        labels=labels_of(REFERRAL_STATUSES),
        order=[value for value, _label in REFERRAL_STATUSES],
    ),
    ChartSpec(
        key="referral-lead-time",
        title=_("Days until the receiving organisation answered"),
        kind="bars",
        category_label=_("Days"),
        series=(
            SeriesSpec(
                name=_("Referrals answered"),
                source=Source("referrals_answered", "lead_time", scope=Scope.ANY_FORM),
            ),
        ),
        order=LEAD_TIME_BUCKETS,
    ),
    ChartSpec(
        key="referral-answer-days",
        title=_("Mean days until an answer, per month"),
        kind="line",
        series=(
            SeriesSpec(
                name=_("Mean days"),
                source=Source("referrals_answered", scope=Scope.ANY_FORM),
                number=mean,
            ),
        ),
        extra=(_counts(_("Answered"), "referrals_answered", scope=Scope.ANY_FORM),),
        decimals=1,
    ),
)

# --- casustafel ---------------------------------------------------------------------------------

CASUSTAFEL = (
    ChartSpec(
        key="casustafel-per-month",
        title=_("Casustafel: escalations, cases discussed and actions done per month"),
        kind="line",
        series=(
            _counts(_("Escalations requested"), "escalations", scope=Scope.ANY_FORM),
            _counts(_("Cases discussed"), "items_discussed", scope=Scope.ANY_FORM),
            _counts(_("Actions done"), "actions_done", scope=Scope.ANY_FORM),
        ),
    ),
    ChartSpec(
        key="casustafel-days",
        title=_("Mean days from escalation to discussion, per month"),
        kind="line",
        series=(
            SeriesSpec(
                name=_("Mean days"),
                source=Source("items_discussed", scope=Scope.ANY_FORM),
                number=mean,
            ),
        ),
        decimals=1,
    ),
    ChartSpec(
        key="escalation-status",
        title=_("Where the escalations of this period stand now"),
        kind="bars",
        category_label=_("Status"),
        series=(
            SeriesSpec(name=NUMBER, source=Source("escalations", "status", scope=Scope.ANY_FORM)),
        ),
        labels=labels_of(ESCALATION_STATUSES),
        order=[value for value, _label in ESCALATION_STATUSES],
    ),
    ChartSpec(
        key="casustafel-results",
        title=_("After the discussion"),
        kind="bars",
        category_label=_("Result"),
        series=(
            SeriesSpec(
                name=NUMBER, source=Source("items_discussed", "result", scope=Scope.ANY_FORM)
            ),
        ),
        extra=(
            SeriesSpec(
                name=_("Mean days from escalation"),
                source=Source("items_discussed", "result", scope=Scope.ANY_FORM),
                number=mean,
            ),
        ),
        labels=_fixed(
            stays_at_table=_("Stays at the casustafel"),
            back_to_local_care=_("Back to local care"),
        ),
    ),
    ChartSpec(
        key="actions-on-time",
        title=_("Actions done before their deadline"),
        kind="bars",
        category_label=_("On time"),
        series=(
            SeriesSpec(name=NUMBER, source=Source("actions_done", "on_time", scope=Scope.ANY_FORM)),
        ),
        labels=_fixed(yes=_("Yes"), no=_("No")),
        order=["yes", "no"],
    ),
)

# --- chat and portal (the whole platform: no region, no form) -----------------------------------

ALL = Scope.EVERYWHERE

CHAT_AND_PORTAL = (
    ChartSpec(
        key="chats-per-month",
        title=_("Chats started and answered, and messages left, per month"),
        kind="line",
        series=(
            _counts(_("Chats started"), "chats_started", scope=ALL),
            _counts(_("Chats answered"), "chats_answered", scope=ALL),
            _counts(_("Messages left out of hours"), "chat_messages_left", scope=ALL),
        ),
    ),
    ChartSpec(
        key="chat-wait",
        title=_("Mean wait before a counsellor answered, per month (minutes)"),
        kind="line",
        series=(
            SeriesSpec(
                name=_("Minutes"), source=Source("chats_answered", scope=ALL), number=minutes
            ),
        ),
        decimals=1,
    ),
    ChartSpec(
        key="chat-languages",
        title=_("Chats by language"),
        kind="bars",
        category_label=_("Language"),
        series=(
            SeriesSpec(name=_("Chats"), source=Source("chats_started", "language", scope=ALL)),
        ),
        labels=_languages,
    ),
    ChartSpec(
        key="chat-topics",
        title=_("Topics of the chats, as tagged by counsellors"),
        kind="bars",
        category_label=_("Topic"),
        series=(SeriesSpec(name=_("Chats"), source=Source("chat_topics", "topic", scope=ALL)),),
        labels=labels_of(TOPICS),
    ),
    ChartSpec(
        key="page-views-per-month",
        title=_("Portal page views per month"),
        kind="columns",
        series=(_counts(_("Views"), "page_views", scope=ALL),),
    ),
    ChartSpec(
        key="page-views-by-page",
        title=_("Most read pages"),
        kind="bars",
        category_label=_("Page"),
        series=(SeriesSpec(name=_("Views"), source=Source("page_views", "page", scope=ALL)),),
        labels=_page_titles,
        limit=15,
    ),
    ChartSpec(
        key="page-views-by-language",
        title=_("Page views by language"),
        kind="bars",
        category_label=_("Language"),
        series=(SeriesSpec(name=_("Views"), source=Source("page_views", "language", scope=ALL)),),
        labels=_languages,
    ),
)

# --- supervision and prevention -----------------------------------------------------------------


def _reach_by(
    *, key: str, title: Label, category_label: Label, dimension: str, labels: Labels, scope: Scope
) -> ChartSpec:
    """People reached by prevention along a dimension, with the number of activities."""
    return ChartSpec(
        key=key,
        title=title,
        kind="bars",
        category_label=category_label,
        series=(
            SeriesSpec(
                name=_("People reached"), source=Source("prevention_reach", dimension, scope=scope)
            ),
        ),
        extra=(
            SeriesSpec(
                name=_("Activities"), source=Source("prevention_activities", dimension, scope=scope)
            ),
        ),
        labels=labels,
    )


SUPERVISION_AND_PREVENTION = (
    ChartSpec(
        key="inspections-per-month",
        title=_("Visits per month"),
        kind="columns",
        split=Split(
            source=Source("inspections", "kind"),
            values=[value for value, _label in INSPECTION_KINDS],
            labels=labels_of(INSPECTION_KINDS),
        ),
    ),
    ChartSpec(
        key="inspections-by-municipality",
        title=_("Visits by municipality"),
        kind="bars",
        category_label=_("Municipality"),
        series=(SeriesSpec(name=_("Visits"), source=Source("inspections", "municipality")),),
        labels=_places,
    ),
    ChartSpec(
        key="inspection-findings",
        title=_("What inspectors saw"),
        kind="bars",
        category_label=_("Sign"),
        series=(SeriesSpec(name=_("Visits"), source=Source("inspection_findings", "indicator")),),
        labels=indicator_labels,
    ),
    ChartSpec(
        key="inspections-to-signal",
        title=_("Visits that became a signal"),
        kind="bars",
        category_label=_("Signal"),
        series=(SeriesSpec(name=NUMBER, source=Source("inspections", "signal")),),
        labels=_fixed(signal=_("Became a signal"), none=_("No signal")),
        order=["signal", "none"],
    ),
    ChartSpec(
        key="housing-flags",
        title=_("Housing addresses flagged now, by reason"),
        kind="bars",
        category_label=_("Reason"),
        series=(
            SeriesSpec(
                name=_("Addresses"), source=Source("housing_flags", "flag", scope=Scope.TODAY)
            ),
        ),
        labels=_fixed(
            registered_over_capacity=_("More registered than places"),
            observed_over_capacity=_("More people found than places"),
            registration_differs=_("Registration differs from what was found"),
            not_visited=_("No visit in the past year"),
        ),
        note=_("The state of today, whatever the period."),
    ),
    ChartSpec(
        key="follow-ups",
        title=_("Follow-up actions of visits, by their due month"),
        kind="bars",
        category_label=_("State"),
        series=(SeriesSpec(name=_("Actions"), source=Source("follow_ups", "state")),),
        labels=_fixed(
            on_time=_("Done on time"), late=_("Done late"), open=_("Open"), overdue=_("Overdue")
        ),
        order=FOLLOW_UP_STATES,
    ),
    ChartSpec(
        key="prevention-per-month",
        title=_("People reached by prevention, per month"),
        kind="columns",
        series=(_counts(_("People reached"), "prevention_reach"),),
    ),
    _reach_by(
        key="reach-by-municipality",
        title=_("Reach of prevention by municipality"),
        category_label=_("Municipality"),
        dimension="municipality",
        labels=_places,
        scope=Scope.FILTERED,
    ),
    _reach_by(
        key="reach-by-theme",
        title=_("Reach of prevention by form of exploitation"),
        category_label=_("Form of exploitation"),
        dimension="theme",
        labels=labels_of(ExploitationForm.choices),
        scope=Scope.ANY_FORM,
    ),
    _reach_by(
        key="reach-by-audience",
        title=_("Reach of prevention by audience"),
        category_label=_("Audience"),
        dimension="audience",
        labels=labels_of(AUDIENCES),
        scope=Scope.FILTERED,
    ),
    _reach_by(
        key="reach-by-kind",
        title=_("Reach by kind of activity"),
        category_label=_("Kind"),
        dimension="kind",
        labels=labels_of(ACTIVITY_KINDS),
        scope=Scope.FILTERED,
    ),
    ChartSpec(
        key="project-results",
        title=_("Project results against plan"),
        kind="bars",
        category_label=_("Result"),
        series=(
            SeriesSpec(
                name=_("Planned"), source=Source("result_planned", "result", scope=Scope.ANY_FORM)
            ),
            SeriesSpec(
                name=_("Achieved"),
                source=Source("result_achieved", "result", scope=Scope.ANY_FORM),
                missing=None,
            ),
        ),
        labels=result_labels,
        by_label=True,
        note=_("Results of the years in the period; the year counts from January."),
    ),
)

DASHBOARDS: dict[str, Dashboard] = {
    d.slug: d
    for d in [
        Dashboard(
            slug="meldingen",
            title=_("Signals and cases"),
            intro=_("Signals by form, source, municipality and age group; triage and cases."),
            charts=SIGNALS,
            by_form=True,
        ),
        Dashboard(
            slug="doorverwijzingen",
            title=_("Referrals"),
            intro=_("Referrals sent, what became of them and how long an answer took."),
            charts=REFERRALS,
        ),
        Dashboard(
            slug="casustafel",
            title=_("Casustafel"),
            intro=_("Escalations, cases discussed, results and actions."),
            charts=CASUSTAFEL,
        ),
        Dashboard(
            slug="chat-en-portaal",
            title=_("Chat and portal"),
            intro=_(
                "Anonymous use of the chat and the portal (the whole platform, not per region)."
            ),
            charts=CHAT_AND_PORTAL,
            by_region=False,
        ),
        Dashboard(
            slug="toezicht-en-preventie",
            title=_("Supervision and prevention"),
            intro=_(
                "Visits and what they found, housing flags, follow-up actions; the reach of "
                "prevention per municipality and theme; project results against plan."
            ),
            charts=SUPERVISION_AND_PREVENTION,
            by_form=True,
        ),
    ]
}


def zicht_chart(table: services.ZichtTable) -> Chart:
    """Registered against estimated per municipality, with the region's total in the table."""
    rows = ([table.region] if table.region else []) + table.municipalities
    return Chart(
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
            Series(str(_("In view (%)")), [_percent(row.zicht.share_in_view) for row in rows]),
            Series(str(_("Not in view")), [round(row.zicht.unseen, 1) for row in rows]),
        ],
        decimals=0,
    )


def _percent(share: float | None) -> float | None:
    return round(100 * share, 1) if share is not None else None
