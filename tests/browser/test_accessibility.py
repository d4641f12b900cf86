"""axe-core (bundled by axe-playwright-python, no CDN) finds no WCAG 2.x A/AA violations on the
public pages and the main staff pages, in Dutch and in English."""

from __future__ import annotations

import base64

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

from baken.accounts.models import AuthenticatorApp, User
from baken.demo.data import DEMO_PASSWORD
from baken.demo.services import demo_load
from baken.directory.models import Service
from baken.programmes.models import Activity, Project, Scenario

pytestmark = pytest.mark.browser

WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_public_pages_have_no_accessibility_violations(
    transactional_db, live_server, browser, language
):
    context = browser.new_context(locale=language)
    page = context.new_page()
    for path in ["/", "/toegankelijkheid/", "/werk/inloggen/"]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == language
        assert violations(page) == [], path
    context.close()


def test_staff_pages_have_no_accessibility_violations(transactional_db, live_server, page):
    demo_load()
    user = User.objects.get(username="coordinator")
    device = AuthenticatorApp.objects.create(user=user, name="telefoon", confirmed=True)
    page.goto(f"{live_server.url}/werk/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    assert violations(page) == [], "code step"
    secret = base64.b32encode(bytes.fromhex(device.seed)).decode()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen").click()
    service = Service.objects.get(name="Beschermde opvang voor vrouwen")
    scenario = Scenario.objects.get(slug="doorsturen-doe-je-niet")
    project = Project.objects.get(slug="lesprogramma-doorsturen-doe-je-niet")
    activity = Activity.objects.first()
    for path in [
        "/werk/",
        "/werk/sociale-kaart/?language=pl&audience=women",
        f"/werk/sociale-kaart/diensten/{service.pk}/",
        f"/werk/sociale-kaart/diensten/{service.pk}/bewerken/",
        "/werk/sociale-kaart/te-controleren/",
        "/werk/audit/",
        "/werk/medewerkers/",
        "/werk/account/",
        "/werk/preventie/?theme=sexual",
        f"/werk/preventie/{activity.pk}/",
        "/werk/preventie/trainers/",
        "/werk/lessen/",
        f"/werk/lessen/scenario/{scenario.pk}/",
        f"/werk/lessen/scenario/{scenario.pk}/scene/{scenario.start_id}/",
        f"/werk/projecten/{project.pk}/resultaten/",
        "/werk/inzicht/toezicht-en-preventie/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert violations(page) == [], path


PORTAL_PAGES = [
    "/",
    "/informatie/",
    "/informatie/get-help/",
    "/informatie/hide-your-visit/",
    "/informatie/sextortion/",
    "/zelftest/",
    "/hulp-zoeken/?language=pl",
    "/melden/",
    "/melden/volgen/",
    "/chat/",
    "/chat/bericht/",
    "/chat/antwoord/",
    "/vergunningcheck/?q=club",
    "/projecten/",
    "/projecten/lesprogramma-doorsturen-doe-je-niet/",
    "/klas/",
]


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_portal_self_check_report_and_chat_have_no_violations(asgi_server, browser, language):
    """The visitor's side, in Dutch and in Arabic (right to left): every portal page, the
    self-check with its advice, the report form, and the chat while it is going on."""
    demo_load()
    context = browser.new_context(locale=language)
    page = context.new_page()
    feedback = f"/feedback/{Activity.objects.first().feedback_code}/"
    for path in [*PORTAL_PAGES, feedback]:
        page.goto(asgi_server + path)
        assert page.locator("html").get_attribute("lang") == language, path
        expected_direction = "rtl" if language == "ar" else "ltr"
        assert page.locator("html").get_attribute("dir") == expected_direction, path
        assert violations(page) == [], path

    page.goto(asgi_server + "/zelftest/")
    page.locator("input[name=threatened][value=yes]").check()
    page.locator("input[name=money_kept][value=unsure]").check()
    page.locator("main form button[type=submit]").click()
    page.locator("#selfcheck-outcome").wait_for()
    assert violations(page) == [], "self-check advice"

    page.goto(asgi_server + "/melden/")
    page.locator("main form button[type=submit]").click()  # empty: errors shown
    assert violations(page) == [], "report form with errors"

    page.goto(asgi_server + "/chat/")
    page.locator("#chat-start-form button[type=submit]").click()
    page.locator("#chat-conversation").wait_for()
    page.locator("#chat-input").fill("مرحبا" if language == "ar" else "Hallo")
    page.locator("#chat-input").press("Enter")
    page.locator("#chat-log li").first.wait_for()
    assert violations(page) == [], "chat in progress"
    context.close()
