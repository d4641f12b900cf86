"""Staff add passkeys on their account page and use one instead of a code at the second step.

The ceremonies run against a small software authenticator (ES256, "none" attestation) so that
everything but the browser is exercised here; tests/browser/test_passkey.py drives Chromium.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import struct
from base64 import urlsafe_b64encode

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnCredential

from baken.accounts.models import User
from baken.audit.models import AuditEvent
from baken.demo.data import DEMO_PASSWORD
from tests.conftest import stepped_up
from tests.test_settings_startup import run_baken

ORIGIN = "http://localhost:8000"  # the default WEBAUTHN_ORIGINS (RP ID "localhost")
HOST = {"HTTP_HOST": "localhost:8000"}


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftAuthenticator:
    """Just enough of a WebAuthn authenticator (and browser) for the server's checks."""

    def __init__(self, *, rp_id: str = "localhost", origin: str = ORIGIN) -> None:
        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.sign_count = 0

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        ).encode()

    def _auth_data(self, flags: int, extra: bytes = b"") -> bytes:
        self.sign_count += 1
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.sign_count) + extra

    def create(self, options: dict) -> dict:
        numbers = self.key.public_key().public_numbers()
        cose_key = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
        auth_data = self._auth_data(0x45, attested + cose_key)  # user present + verified + data
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"])
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def get(self, options: dict) -> dict:
        auth_data = self._auth_data(0x05)  # user present + verified
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
        }


def post_json(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json", **HOST)


def register_passkey(client: Client, authenticator: SoftAuthenticator, name: str = "") -> int:
    if client.session.get(DEVICE_ID_SESSION_KEY):
        stepped_up(client)  # a verified session adds a factor only after the step-up
    options = post_json(client, "/werk/account/passkeys/registratie/begin/").json()
    done = post_json(
        client, "/werk/account/passkeys/registratie/klaar/", authenticator.create(options)
    )
    assert done.status_code == 200, done.content
    passkey_id = done.json()["id"]
    if name:
        client.post("/werk/account/passkeys/naam/", {"passkey": passkey_id, "name": name}, **HOST)
    return passkey_id


def passkey_login(client: Client, authenticator: SoftAuthenticator):
    options = post_json(client, "/werk/inloggen/passkey/begin/")
    assert options.status_code == 200, options.content
    return post_json(client, "/werk/inloggen/passkey/klaar/", authenticator.get(options.json()))


@pytest.fixture
def caseworker_with_passkey(persona):
    """The caseworker, with an authenticator app and one passkey (added after a verified login)."""
    user, client = persona("caseworker")
    authenticator = SoftAuthenticator()
    register_passkey(client, authenticator, name="werklaptop")
    user.refresh_from_db()  # a new factor renewed the account's security stamp
    return user, authenticator


def test_adding_a_passkey_needs_a_login_and_a_verified_second_step(persona):
    url = "/werk/account/passkeys/registratie/begin/"
    anonymous = post_json(Client(), url)
    assert anonymous.status_code == 403
    assert anonymous.json()["code"] == "not_authenticated"

    # Logged in with the password only (no second factor yet, not in demo mode).
    liaison = Client()
    liaison.force_login(User.objects.get(username="liaison"))
    assert post_json(liaison, url).json()["code"] == "user_not_verified"

    user, verified = persona("coordinator")
    # The same user with an authenticator app, but this session skipped the code step.
    unverified = Client()
    unverified.force_login(user)
    assert post_json(unverified, url).status_code == 403

    # Verified, but without confirming password and code again a moment ago (step-up).
    assert post_json(verified, url).status_code == 403
    options = post_json(stepped_up(verified), url)
    assert options.status_code == 200
    assert options.json()["rp"] == {"name": "Baken", "id": "localhost"}
    assert options["Cache-Control"].startswith("max-age=0")


def test_a_verified_staff_member_adds_a_named_passkey_and_the_trail_records_it(persona):
    user, client = persona("coordinator")
    passkey_id = register_passkey(client, SoftAuthenticator(), name="  werk   laptop ")
    passkey = WebAuthnCredential.objects.get(pk=passkey_id)
    assert passkey.user == user
    assert passkey.name == "werk laptop"
    event = AuditEvent.objects.filter(action="update", object_id=str(user.pk)).latest("id")
    assert event.fields == ["second_factor"]
    assert event.actor_id == user.pk

    page = client.get("/werk/account/", **HOST).content.decode()
    assert "werk laptop" in page
    assert 'id="passkey-register-button"' in page


def test_in_demo_mode_a_user_without_a_second_factor_may_add_a_passkey(demo_region, settings):
    settings.DEMO_MODE = True
    user = User.objects.get(username="analyst")
    client = Client()
    client.post("/werk/inloggen/", {"username": "analyst", "password": DEMO_PASSWORD})
    register_passkey(client, SoftAuthenticator(), name="sleutel")
    assert WebAuthnCredential.objects.filter(user=user, name="sleutel").exists()
    # The package marks the session verified with the new passkey.
    assert client.session[DEVICE_ID_SESSION_KEY].startswith("django_otp_webauthn.")


def test_nobody_names_or_removes_someone_elses_passkey(caseworker_with_passkey, persona):
    caseworker, _authenticator = caseworker_with_passkey
    passkey = WebAuthnCredential.objects.get(user=caseworker)
    _coordinator, other = persona("coordinator")
    stepped_up(other)
    other.post("/werk/account/passkeys/naam/", {"passkey": passkey.pk, "name": "gestolen"})
    other.post("/werk/account/passkeys/verwijderen/", {"passkey": passkey.pk})
    passkey.refresh_from_db()
    assert passkey.name == "werklaptop"


def test_a_user_with_only_a_passkey_is_sent_to_the_passkey_step(demo_region, settings):
    settings.DEMO_MODE = True
    user = User.objects.get(username="liaison")
    client = Client()
    client.post("/werk/inloggen/", {"username": "liaison", "password": DEMO_PASSWORD})
    register_passkey(client, SoftAuthenticator())
    settings.DEMO_MODE = False

    fresh = Client()
    response = fresh.post("/werk/inloggen/", {"username": "liaison", "password": DEMO_PASSWORD})
    assert response["Location"] == "/werk/inloggen/code/"
    assert fresh.get("/werk/").status_code == 302  # nobody is logged in between the steps
    page = fresh.get("/werk/inloggen/code/", **HOST).content.decode()
    assert 'id="passkey-verification-button"' in page
    assert 'name="token"' not in page  # no code to type: this user has no app or codes
    assert WebAuthnCredential.objects.filter(user=user).count() == 1


def test_password_then_passkey_lets_staff_in_where_they_were_going(caseworker_with_passkey):
    user, authenticator = caseworker_with_passkey
    client = Client()
    client.post(
        "/werk/inloggen/",
        {"username": "caseworker", "password": DEMO_PASSWORD, "next": "/werk/sociale-kaart/"},
    )
    page = client.get("/werk/inloggen/code/", **HOST).content.decode()
    assert 'id="passkey-verification-button"' in page and 'name="token"' in page

    done = passkey_login(client, authenticator)
    assert done.status_code == 200, done.content
    assert done.json()["redirect_url"] == "/werk/sociale-kaart/"
    assert client.get("/werk/sociale-kaart/").status_code == 200  # logged in and verified
    assert AuditEvent.objects.filter(action="login", actor_id=user.pk).exists()
    # The pending login is used up: the passkey step cannot be started again.
    assert post_json(client, "/werk/inloggen/passkey/begin/").status_code == 403


def test_the_passkey_step_needs_the_password_step_first(caseworker_with_passkey):
    _user, authenticator = caseworker_with_passkey
    client = Client()
    response = post_json(client, "/werk/inloggen/passkey/begin/")
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"
    # Nor can a passkey stand in for the password at the complete step.
    forged = authenticator.get({"challenge": b64url(secrets.token_bytes(32))})
    assert post_json(client, "/werk/inloggen/passkey/klaar/", forged).status_code in (400, 403)
    assert client.get("/werk/").status_code == 302


def test_the_passkey_step_refuses_a_passkey_of_someone_else(caseworker_with_passkey, persona):
    caseworker, authenticator = caseworker_with_passkey
    persona("coordinator")  # who has an authenticator app, so the password leads to step two
    client = Client()
    client.post("/werk/inloggen/", {"username": "coordinator", "password": DEMO_PASSWORD})
    response = passkey_login(client, authenticator)  # the caseworker's passkey
    assert response.status_code == 403
    assert response.json()["code"] == "credential_user_mismatch"
    assert client.get("/werk/").status_code == 302
    coordinator = User.objects.get(username="coordinator")
    assert AuditEvent.objects.filter(
        action="login_failed", actor_id=coordinator.pk, purpose="second factor"
    ).exists()
    assert not AuditEvent.objects.filter(action="login", actor_id=caseworker.pk).exists()


def test_a_staff_member_removes_a_passkey_and_the_trail_records_it(caseworker_with_passkey):
    from tests.conftest import verified_client

    user, _authenticator = caseworker_with_passkey
    client = verified_client(user)
    passkey = WebAuthnCredential.objects.get(user=user)
    refused = client.post("/werk/account/passkeys/verwijderen/", {"passkey": passkey.pk})
    assert refused["Location"].startswith("/werk/account/bevestigen/")
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    stepped_up(client)
    before = AuditEvent.objects.filter(action="update", object_id=str(user.pk)).count()
    response = client.post("/werk/account/passkeys/verwijderen/", {"passkey": passkey.pk})
    assert response["Location"] == "/werk/account/"
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    events = AuditEvent.objects.filter(action="update", object_id=str(user.pk))
    assert events.count() == before + 1
    assert events.latest("id").fields == ["second_factor"]
    assert client.get("/werk/account/").status_code == 200  # still logged in (with the app)


def test_removing_the_passkey_this_session_used_logs_out(caseworker_with_passkey):
    user, authenticator = caseworker_with_passkey
    client = Client()
    client.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})
    passkey_login(client, authenticator)
    passkey = WebAuthnCredential.objects.get(user=user)
    stepped_up(client)
    response = client.post("/werk/account/passkeys/verwijderen/", {"passkey": passkey.pk})
    assert response["Location"] == "/werk/inloggen/"
    assert client.get("/werk/").status_code == 302


def test_passkey_pages_keep_the_strict_content_security_policy(caseworker_with_passkey, persona):
    _user, account = persona("coordinator")
    stepped_up(account)  # the account page offers a new passkey only after the step-up
    pending = Client()
    pending.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})
    for client, url in [(account, "/werk/account/"), (pending, "/werk/inloggen/code/")]:
        response = client.get(url, **HOST)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        html = response.content.decode()
        # The package's configuration is a JSON data block: the browser never runs it.
        blocks = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert blocks == [' id="otp_webauthn_config" type="application/json"'], url
        config = json.loads(re.search(r'type="application/json">(.*?)</script>', html).group(1))
        assert config["autocompleteLoginFieldSelector"] is None  # no passwordless login
        for target in re.findall(r'<(?:script|img|link)[^>]+(?:src|href)="([^"]+)"', html):
            assert not re.match(r"(https?:)?//", target), f"{url} loads {target}"
        assert "/static/django_otp_webauthn/" in html
        assert " style=" not in html


def test_on_another_address_the_page_says_where_passkeys_work(caseworker_with_passkey):
    client = Client()
    client.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})
    page = client.get("/werk/inloggen/code/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert 'id="passkey-verification-button"' not in page
    assert 'href="http://localhost:8000/werk/inloggen/"' in page
    assert 'name="token"' in page


def test_the_package_script_texts_are_served_by_baken(db):
    response = Client().get("/werk/passkeys/teksten.js")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"WEBAUTHN_RP_ID": "127.0.0.1"}, "WEBAUTHN_RP_ID"),
        ({"WEBAUTHN_ORIGINS": "http://127.0.0.1:8000"}, "WEBAUTHN_ORIGINS"),
        (
            {"WEBAUTHN_RP_ID": "baken.example.nl", "WEBAUTHN_ORIGINS": "http://baken.example.nl"},
            "WEBAUTHN_ORIGINS",
        ),
        (
            {"WEBAUTHN_RP_ID": "baken.example.nl", "WEBAUTHN_ORIGINS": "https://elders.example"},
            "WEBAUTHN_ORIGINS",
        ),
    ],
)
def test_a_wrong_passkey_setting_stops_start_up_and_names_it(tmp_path, env, named):
    result = run_baken(tmp_path, "check", **env)
    assert result.returncode == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_the_default_passkey_settings_work_locally(settings):
    assert settings.OTP_WEBAUTHN_RP_ID == "localhost"
    assert settings.OTP_WEBAUTHN_ALLOWED_ORIGINS == ["http://localhost:8000"]
    assert settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is False
