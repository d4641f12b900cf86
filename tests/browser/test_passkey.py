"""A staff member adds a passkey on the account page and logs in with password + passkey, in
Chromium with its virtual authenticator (DevTools protocol), under Baken's strict CSP."""

from __future__ import annotations

import base64
from urllib.parse import urlparse

import pyotp
import pytest
from django_otp_webauthn.models import WebAuthnCredential

from baken.accounts.models import AuthenticatorApp
from baken.accounts.services import User, recovery_codes_create
from baken.audit.models import AuditEvent
from baken.demo.data import DEMO_PASSWORD
from baken.demo.services import demo_load
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def twente(transactional_db):
    demo_load()


@pytest.fixture
def localhost_server(live_server, settings):
    """The live server as the browser must see it: WebAuthn refuses IP addresses, and the
    origin (with the live server's port) must be one Baken allows."""
    url = live_server.url.replace("127.0.0.1", "localhost")
    assert urlparse(url).hostname == "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [url]
    return url


def test_a_caseworker_adds_a_passkey_and_logs_in_with_it(twente, localhost_server, page):
    base = localhost_server
    user = User.objects.get(username="caseworker")
    device = AuthenticatorApp.objects.create(user=user, name="werktelefoon", confirmed=True)
    secret = base64.b32encode(bytes.fromhex(device.seed)).decode()
    problems: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(base) or request.url.startswith("data:")
            else problems.append(f"third-party request {request.url}")
        ),
    )
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    client = page.context.new_cdp_session(page)
    client.send("WebAuthn.enable")
    authenticator = client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    # Log in with password and authenticator-app code (the way test_find_a_shelter does).
    page.goto(f"{base}/werk/")
    page.get_by_label("Gebruikersnaam").fill("caseworker")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/werk/")

    # Add a passkey on the account page, after confirming it is them again (step-up: password
    # and a recovery code, as this step's app code was used for the login). New texts are
    # found by id: their Dutch translations come later and must not break this test.
    code = recovery_codes_create(user=user)[0]
    page.goto(f"{base}/werk/account/")
    page.locator("a[href^='/werk/account/bevestigen/']").click()
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(f"{base}/werk/account/")
    page.locator("#passkey-name").fill("werklaptop")
    page.locator("#passkey-register-button").click()
    page.locator("#passkey-list .baken-passkey-name").get_by_text("werklaptop").wait_for()
    assert WebAuthnCredential.objects.filter(user=user, name="werklaptop").count() == 1
    assert (
        len(
            client.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})[
                "credentials"
            ]
        )
        == 1
    )
    assert AuditEvent.objects.filter(
        action="update", object_id=str(user.pk), fields=["second_factor"]
    ).exists()
    assert violations(page) == [], "account page with a passkey"

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{base}/werk/inloggen/")

    # Password, then the passkey instead of a code; straight on to where they were going.
    page.goto(f"{base}/werk/sociale-kaart/")
    page.get_by_label("Gebruikersnaam").fill("caseworker")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(f"{base}/werk/inloggen/code/")
    page.locator("#passkey-verification-button").wait_for()
    assert violations(page) == [], "code step with a passkey"
    page.locator("#passkey-verification-button").click()
    page.wait_for_url(f"{base}/werk/sociale-kaart/")
    page.get_by_label("Gemeente").wait_for()
    assert WebAuthnCredential.objects.get(user=user).last_used_at is not None
    assert problems == []
