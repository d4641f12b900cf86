"""Staff log in with a password and a second factor; guessing is locked out; idle sessions end."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.test import Client

from baken.accounts.middleware import LAST_SEEN_KEY
from baken.accounts.models import AuthenticatorApp, User
from baken.demo.data import DEMO_PASSWORD
from tests.conftest import stepped_up


def totp_now(device: AuthenticatorApp) -> str:
    import base64

    secret = base64.b32encode(bytes.fromhex(device.seed)).decode()
    return pyotp.TOTP(secret).now()


def test_password_then_authenticator_code_lets_staff_in(demo_region):
    user = User.objects.get(username="caseworker")
    device = AuthenticatorApp.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    response = client.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})
    assert response["Location"] == "/werk/inloggen/code/"
    # Between the steps nobody is logged in yet.
    assert client.get("/werk/sociale-kaart/").status_code == 302
    response = client.post("/werk/inloggen/code/", {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.get("/werk/sociale-kaart/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message_in_dutch(demo_region):
    user = User.objects.get(username="caseworker")
    AuthenticatorApp.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})
    response = client.post("/werk/inloggen/code/", {"token": "000000"})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    assert client.get("/werk/sociale-kaart/").status_code == 302


def test_a_recovery_code_works_once(demo_region):
    user = User.objects.get(username="analyst")
    client = Client()
    client.post("/werk/inloggen/", {"username": "analyst", "password": DEMO_PASSWORD})
    client.get("/werk/account/tweede-factor/")
    device = AuthenticatorApp.objects.get(user=user, confirmed=False)
    done = client.post("/werk/account/tweede-factor/", {"token": totp_now(device)})
    codes = re.findall(
        r'<li class="utrecht-unordered-list__item">([0-9a-f]{10})</li>', done.content.decode()
    )
    assert len(codes) == 10

    for attempt, expected_ok in ((codes[0], True), (codes[0], False)):
        fresh = Client()
        fresh.post("/werk/inloggen/", {"username": "analyst", "password": DEMO_PASSWORD})
        fresh.post("/werk/inloggen/code/", {"token": attempt})
        assert (fresh.get("/werk/").status_code == 200) is expected_ok


def test_setting_up_an_authenticator_app_with_the_code_it_shows(demo_region):
    client = Client()
    response = client.post("/werk/inloggen/", {"username": "liaison", "password": DEMO_PASSWORD})
    assert response["Location"] == "/werk/account/tweede-factor/"
    page = client.get("/werk/account/tweede-factor/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert 'src="data:image/svg+xml' in page  # the QR code is drawn here, not by a third party
    wrong = client.post("/werk/account/tweede-factor/", {"token": "123456"})
    assert "klopt niet" in wrong.content.decode()
    # django-otp throttles after a wrong code; the page says how long to wait.
    too_soon = client.post("/werk/account/tweede-factor/", {"token": pyotp.TOTP(secret).now()})
    assert "seconden" in too_soon.content.decode()
    time.sleep(1.1)
    client.post("/werk/account/tweede-factor/", {"token": pyotp.TOTP(secret).now()})
    assert client.get("/werk/sociale-kaart/").status_code == 200


def test_password_guessing_is_locked_out_with_429_even_for_the_right_password(
    demo_region, settings
):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/werk/inloggen/", {"username": "coordinator", "password": "guess"})
    response = client.post(
        "/werk/inloggen/", {"username": "coordinator", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 429
    assert "Te veel pogingen" in response.content.decode()


def test_an_idle_session_ends_and_says_why(persona, settings):
    _user, client = persona("coordinator")
    assert client.get("/werk/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.STAFF_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get("/werk/", follow=True)
    assert response.redirect_chain[0][0] == "/werk/inloggen/"
    assert "niets gedaan" in response.content.decode() or "sessie" in response.content.decode()


def test_staff_pages_carry_the_session_warning_timer(persona, settings):
    _user, client = persona("coordinator")
    page = client.get("/werk/").content.decode()
    assert f'data-session-seconds="{settings.STAFF_SESSION_IDLE_MINUTES * 60}"' in page


def test_sessions_end_when_the_browser_closes(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.parametrize("module", ["baken.settings"])
def test_passwords_are_hashed_with_argon2_outside_the_test_suite(module):
    import importlib

    from django.contrib.auth.hashers import Argon2PasswordHasher

    production = importlib.import_module(module)
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    encoded = Argon2PasswordHasher().encode("correct horse battery", "saltsaltsalt")
    assert encoded.startswith("argon2$argon2id$")


def test_a_new_authenticator_app_replaces_the_old_one(persona):
    user, client = persona("coordinator")
    old = AuthenticatorApp.objects.get(user=user, confirmed=True)
    stepped_up(client)  # replacing a factor asks for the step-up (tests/test_step_up.py)
    client.get("/werk/account/tweede-factor/")
    new = AuthenticatorApp.objects.get(user=user, confirmed=False)
    client.post("/werk/account/tweede-factor/", {"token": totp_now(new)})
    assert list(AuthenticatorApp.objects.filter(user=user)) == [new]
    assert not AuthenticatorApp.objects.filter(pk=old.pk).exists()


def _every_stored_value() -> str:
    """Every value in every table of the database, as one text (what a dump would show)."""
    from django.db import connection

    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(values).lower()


def test_a_database_dump_holds_neither_the_authenticator_seed_nor_the_recovery_codes(
    demo_region,
):
    client = Client()
    client.post("/werk/inloggen/", {"username": "analyst", "password": DEMO_PASSWORD})
    page = client.get("/werk/account/tweede-factor/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    done = client.post("/werk/account/tweede-factor/", {"token": pyotp.TOTP(secret).now()})
    codes = re.findall(
        r'<li class="utrecht-unordered-list__item">([0-9a-f]{10})</li>', done.content.decode()
    )
    assert len(codes) == 10

    import base64

    seed_hex = base64.b32decode(secret + "=" * (-len(secret) % 8)).hex()
    dump = _every_stored_value()
    assert seed_hex not in dump
    assert secret.lower() not in dump
    assert not [code for code in codes if code in dump]
    # Stored that way, both still let the analyst in.
    fresh = Client()
    fresh.post("/werk/inloggen/", {"username": "analyst", "password": DEMO_PASSWORD})
    fresh.post("/werk/inloggen/code/", {"token": codes[3]})
    assert fresh.get("/werk/").status_code == 200


def test_lockout_records_neither_the_address_nor_the_browser_of_an_attempt(demo_region, settings):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    client = Client(REMOTE_ADDR="192.0.2.44", HTTP_USER_AGENT="Mozilla/5.0 (Proefbrowser 1.0)")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/werk/inloggen/", {"username": "coordinator", "password": "raden"})
    locked = client.post("/werk/inloggen/", {"username": "coordinator", "password": DEMO_PASSWORD})
    assert locked.status_code == 429  # the lockout itself still holds, by user name
    other = Client(REMOTE_ADDR="192.0.2.45")
    other.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})

    rows = [*AccessAttempt.objects.all(), *AccessFailureLog.objects.all(), *AccessLog.objects.all()]
    assert {row.username for row in rows} >= {"coordinator"}
    for row in rows:
        assert row.ip_address is None
        assert row.user_agent == ""


def test_logging_out_clears_what_the_browser_kept_of_staff_pages(persona):
    _user, client = persona("coordinator")
    response = client.post("/werk/uitloggen/")
    assert response["Location"] == "/werk/inloggen/"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/werk/").status_code == 302
