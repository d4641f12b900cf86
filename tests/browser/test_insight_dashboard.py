"""An analyst reads the demo region's numbers in a real browser: the chart's table holds the
same counts as the region's signals, and a filter on the form of exploitation narrows them."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.utils import timezone

from baken.casework.models import Signal
from baken.demo.services import demo_load
from tests.browser.test_accessibility import violations
from tests.browser.test_signal_route import log_in

pytestmark = pytest.mark.browser


def signals_per_municipality(form: str = "") -> Counter:
    """Counted straight from the signals: the last twelve whole months up to this one."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 11
    start = date(index // 12, index % 12 + 1, 1)
    counts = Counter()
    for signal in Signal.objects.select_related("municipality"):
        received = timezone.localtime(signal.received_at).date()
        if received >= start and (not form or form in signal.form_codes()):
            counts[signal.municipality.name if signal.municipality else "Onbekend"] += 1
    return counts


def read_table(page, chart: str) -> Counter:
    figure = page.locator(f"#chart-{chart}")
    figure.locator("summary").click()
    table = figure.get_by_role("table")
    table.wait_for()
    counts = Counter()
    for row in table.locator("tbody tr").all():
        counts[row.locator("th").inner_text().strip()] = int(row.locator("td").first.inner_text())
    return counts


def test_an_analyst_reads_the_regions_signals_from_a_charts_table(
    transactional_db, live_server, page
):
    demo_load(with_casework=True)
    log_in(page, live_server.url, "analyst")
    page.get_by_role("link", name="Inzicht").first.click()
    page.get_by_role("heading", name="Signalen naar gemeente").wait_for()
    assert page.locator("#chart-signals-by-municipality svg").count() == 1

    expected = signals_per_municipality()
    assert sum(expected.values()) > 50  # the demo region has a year of history to show
    assert read_table(page, "signals-by-municipality") == expected
    assert violations(page) == []

    page.get_by_label("Vorm van uitbuiting", exact=True).select_option(label="Arbeidsuitbuiting")
    page.get_by_role("button", name="Bekijken").click()
    page.get_by_role("heading", name="Signalen naar gemeente").wait_for()
    assert read_table(page, "signals-by-municipality") == signals_per_municipality("labour")

    with page.expect_download() as download:
        page.locator("#chart-signals-by-municipality").get_by_role("link", name="CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0] == "Gemeente;Aantal"
