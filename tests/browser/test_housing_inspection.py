"""A supervisor inspects a labour-migrant housing address, records overcrowding and turns the
findings into a signal that casework receives."""

from __future__ import annotations

import re

import pytest

from baken.demo.services import demo_load
from baken.directory.models import Municipality
from baken.supervision.models import HousingAddress
from tests.browser.test_accessibility import violations
from tests.browser.test_signal_route import log_in, log_out

pytestmark = pytest.mark.browser


def test_a_supervisor_records_overcrowding_and_makes_a_signal(transactional_db, live_server, page):
    demo_load()
    HousingAddress.objects.create(
        address="Kanaaldijk 40",
        postal_code="7602 AA",
        capacity=8,
        registered=6,
        municipality=Municipality.objects.get(name="Almelo"),
        employer="Flex Uitzend Oost B.V.",
    )
    log_in(page, live_server.url, "supervisor")
    page.get_by_role("link", name="Huisvesting").first.click()
    page.get_by_role("link", name=re.compile("Kanaaldijk 40")).click()
    page.get_by_label("Aangetroffen bewoners").fill("19")
    page.get_by_label("Woonruimte hangt af van de werkgever").check()
    page.get_by_label("Bevindingen").fill(
        "Stapelbedden in de garage, één douche voor negentien mensen."
    )
    page.get_by_role("button", name="Bezoek opslaan").click()

    page.get_by_text("19 mensen aangetroffen op").wait_for()
    assert violations(page) == []
    page.get_by_role("button", name="Maak een signaal van deze bevindingen").click()
    notice = page.get_by_role("status").first.inner_text()
    reference = re.search(r"M-\d{4}-\d{6}", notice).group(0)
    log_out(page)

    log_in(page, live_server.url, "coordinator")
    page.get_by_role("link", name="Triagewachtrij").first.click()
    page.get_by_role("link", name=reference).click()
    content = page.content()
    assert "Capaciteit 8, ingeschreven 6, aangetroffen 19." in content
    assert "één douche voor negentien mensen" in content
