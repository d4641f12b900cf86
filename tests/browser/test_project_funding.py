"""A programme manager records a project financed outside the subsidy, with its explanation,
and the public project page shows it."""

from __future__ import annotations

import pytest

from baken.demo.services import demo_load
from tests.browser.test_signal_route import log_in

pytestmark = pytest.mark.browser


def test_a_project_financed_differently_appears_with_its_explanation(
    transactional_db, live_server, page
):
    demo_load()
    log_in(page, live_server.url, "programme_manager")
    page.get_by_role("link", name="Projecten").first.click()
    page.get_by_role("link", name="Project toevoegen").click()
    page.get_by_label("Programma", exact=True).select_option(label="Weerbare samenleving")
    page.get_by_label("Naam", exact=True).fill("Afpakken en uitbuiting")
    page.get_by_label("Wat het project doet").fill(
        "Criminele winsten afpakken en slachtoffers in beeld brengen."
    )
    page.get_by_label("Verantwoordelijke organisatie").select_option(index=1)
    page.get_by_label("Begint op").fill("2026-01-01")
    page.get_by_label("Eindigt op").fill("2026-12-31")
    page.get_by_label("Begroting (€)").fill("85000")
    page.get_by_label("Anders gefinancierd").check()
    page.get_by_label("Hoe het project wordt betaald").fill(
        "Betaald uit de regionale ondermijningsgelden, niet uit de subsidie."
    )
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Afpakken en uitbuiting").wait_for()

    page.goto(f"{live_server.url}/projecten/")
    page.get_by_role("link", name="Afpakken en uitbuiting").click()
    funding = page.locator("#funding").inner_text()
    assert "Anders gefinancierd, buiten de subsidie van het programma." in funding
    assert "Betaald uit de regionale ondermijningsgelden" in funding
    assert (
        page.get_by_role("link", name="Snel weg").count() == 1
    )  # a public page, quick exit and all
