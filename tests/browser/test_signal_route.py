"""The signal route in a real browser: an aandachtsfunctionaris reports, the coordinator triages,
and the aandachtsfunctionaris sees what became of the signal."""

from __future__ import annotations

import re
import secrets

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from baken.accounts.models import User
from baken.web.demo_data import DEMO_PASSWORD
from baken.web.services import demo_load

pytestmark = pytest.mark.browser


def log_in(page, base_url: str, username: str) -> None:
    """Password, then a single-use recovery code: a TOTP code cannot be used twice within its
    30-second window, and this route logs the same people in more than once."""
    user = User.objects.get(username=username)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="herstelcodes", defaults={"confirmed": True}
    )
    code = secrets.token_hex(5)
    StaticToken.objects.create(device=device, token=code)
    page.goto(f"{base_url}/werk/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Uitloggen").wait_for()


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()


def test_report_triage_and_feedback(transactional_db, live_server, page):
    demo_load()
    log_in(page, live_server.url, "aandachtsfunctionaris")
    page.get_by_role("link", name="Mijn meldingen").first.click()
    page.get_by_role("link", name="Melding doen").first.click()
    page.get_by_label(re.compile("^Waar komt de melding vandaan")).select_option("municipality")
    page.get_by_label(re.compile("^Wat is er gezien")).fill(
        "Bij de wasstraat slapen vier mannen in de werkplaats; ze krijgen geen loon."
    )
    page.get_by_label(re.compile("^Gemeente")).select_option(label="Enschede")
    page.get_by_label("Arbeidsuitbuiting").check()
    page.get_by_label("Woont op de werkplek").check()
    page.get_by_role("button", name="Melding registreren").click()
    reference = re.search(r"M-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
    log_out(page)

    log_in(page, live_server.url, "coordinator")
    page.get_by_role("link", name="Triagewachtrij").first.click()
    page.get_by_role("link", name=reference).click()
    page.get_by_label("Advies en consult, geen casus").check()
    page.get_by_label(re.compile("^Gegeven advies")).fill(
        "Arbeidsinspectie gebeld; controle volgt."
    )
    page.get_by_label(re.compile("^Terugkoppeling aan de melder")).fill(
        "De Arbeidsinspectie gaat langs. Dank je wel."
    )
    page.get_by_role("button", name="Triage opslaan").click()
    log_out(page)

    log_in(page, live_server.url, "aandachtsfunctionaris")
    page.get_by_role("link", name=re.compile("^Meldingen en berichten|^Berichten")).first.click()
    page.get_by_role("link", name=re.compile(reference)).first.click()
    assert page.locator("#signal-status").inner_text() == "Afgehandeld met advies"
    assert "De Arbeidsinspectie gaat langs." in page.locator("#signal-outcome").inner_text()
