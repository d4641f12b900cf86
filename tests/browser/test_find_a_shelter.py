"""Done-when of the foundation: a demo user logs in with a second factor and finds a shelter for
a Polish-speaking woman in Enschede on the social map — in a real browser."""

from __future__ import annotations

import base64
import re

import pyotp
import pytest

from baken.accounts.models import AuthenticatorApp, User
from baken.demo.data import DEMO_PASSWORD
from baken.demo.services import demo_load

pytestmark = pytest.mark.browser


@pytest.fixture
def twente(transactional_db):
    demo_load()


def test_aandachtsfunctionaris_logs_in_with_a_code_and_finds_a_shelter(twente, live_server, page):
    user = User.objects.get(username="aandachtsfunctionaris")
    device = AuthenticatorApp.objects.create(user=user, name="werktelefoon", confirmed=True)
    secret = base64.b32encode(bytes.fromhex(device.seed)).decode()
    blocked_requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else blocked_requests.append(request.url)
        ),
    )

    page.goto(f"{live_server.url}/werk/")
    page.get_by_label("Gebruikersnaam").fill("aandachtsfunctionaris")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()

    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Sociale kaart").first.click()

    page.get_by_label("Vorm van uitbuiting").select_option("sexual")
    page.get_by_label("Voor wie").select_option("women")
    page.get_by_role("combobox", name=re.compile(r"^Taal \(")).select_option("pl")
    page.get_by_label("Gemeente").select_option(label="Enschede")
    page.get_by_role("button", name="Zoeken").click()

    results = page.locator("#results")
    results.get_by_text("1 dienst gevonden").wait_for()
    card = results.locator("article")
    assert card.count() == 1
    assert "Beschermde opvang voor vrouwen" in card.inner_text()
    assert "Stichting Schuilplaats Twente" in card.inner_text()
    assert "Polski" in card.inner_text()
    assert "Opvang voor mannen" not in results.inner_text()
    assert blocked_requests == []
