"""Step-up: changing a second factor, the password or someone's roles asks for the password and
a second-factor code again, even in a session that is logged in and verified (security issue 13,
finding 7; ASVS level 3, which Baken holds itself to for staff)."""

from __future__ import annotations

import time

from django.test import Client

from baken.accounts.models import AuthenticatorApp, Role, User
from baken.accounts.sessions import STEPPED_UP_KEY
from baken.audit.models import AuditEvent
from baken.demo.data import DEMO_PASSWORD
from tests.conftest import verified_client

STEP_UP = "/werk/account/bevestigen/"


def current_code(user: User) -> str:
    """The code the user's authenticator app shows now; waits for the next 30-second step
    when this step's code was used already (a code is accepted once)."""
    app = AuthenticatorApp.objects.get(user=user, confirmed=True)
    if app.last_step >= int(time.time()) // 30:
        time.sleep(30 - time.time() % 30 + 0.2)
    return app.code_now()


def step_up(client: Client, user: User, next_url: str):
    return client.post(
        STEP_UP, {"password": DEMO_PASSWORD, "token": current_code(user), "next": next_url}
    )


def test_changing_the_password_asks_for_password_and_code_again(persona):
    user, client = persona("caseworker")
    elsewhere = verified_client(user)  # the same account, logged in on another computer

    asked = client.get("/werk/account/wachtwoord/")
    assert asked.status_code == 302
    assert asked["Location"] == f"{STEP_UP}?next=%2Fwerk%2Faccount%2Fwachtwoord%2F"

    wrong_password = client.post(
        STEP_UP, {"password": "raden", "token": current_code(user), "next": "/x/"}
    )
    assert "Dit wachtwoord klopt niet" in wrong_password.content.decode()
    time.sleep(1.1)  # each wrong try slows the next (django-otp's throttle)
    wrong_code = client.post(STEP_UP, {"password": DEMO_PASSWORD, "token": "000000"})
    assert "Deze code klopt niet" in wrong_code.content.decode()
    assert client.get("/werk/account/wachtwoord/").status_code == 302  # still not confirmed

    time.sleep(2.1)
    confirmed = step_up(client, user, "/werk/account/wachtwoord/")
    assert confirmed["Location"] == "/werk/account/wachtwoord/"
    mismatch = client.post(
        "/werk/account/wachtwoord/",
        {"new_password1": "Zeilboot-op-de-Dinkel-7", "new_password2": "Zeilboot-op-de-Dinkel-8"},
    )
    assert mismatch.status_code == 200  # nothing changed; Django's message in Dutch
    assert "komen niet overeen" in mismatch.content.decode()
    changed = client.post(
        "/werk/account/wachtwoord/",
        {"new_password1": "Zeilboot-op-de-Dinkel-7", "new_password2": "Zeilboot-op-de-Dinkel-7"},
    )
    assert changed["Location"] == "/werk/account/"

    assert client.get("/werk/").status_code == 200  # this session stays
    assert elsewhere.get("/werk/").status_code == 302  # the other one is logged out
    user.refresh_from_db()
    assert user.check_password("Zeilboot-op-de-Dinkel-7")
    event = AuditEvent.objects.filter(object_id=str(user.pk), action="update").latest("id")
    assert event.fields == ["password"]
    assert AuditEvent.objects.filter(object_id=str(user.pk), purpose="step-up").count() == 1


def test_replacing_the_authenticator_app_asks_for_the_step_up_and_ends_other_sessions(persona):
    import re

    import pyotp

    user, client = persona("coordinator")
    elsewhere = verified_client(user)  # perhaps whoever has the old phone
    asked = client.get("/werk/account/tweede-factor/")
    assert asked["Location"].startswith(STEP_UP)
    assert not AuthenticatorApp.objects.filter(user=user, confirmed=False).exists()
    step_up(client, user, "/werk/account/tweede-factor/")
    page = client.get("/werk/account/tweede-factor/")
    assert page.status_code == 200
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    client.post(
        "/werk/account/tweede-factor/", {"token": pyotp.TOTP(secret.replace(" ", "")).now()}
    )
    assert AuthenticatorApp.objects.get(user=user).confirmed
    assert client.get("/werk/").status_code == 200  # this session stays
    assert elsewhere.get("/werk/").status_code == 302  # every other one ends


def test_the_step_up_holds_a_few_minutes_only(persona, settings):
    user, client = persona("coordinator")
    step_up(client, user, "/werk/account/")
    assert client.get("/werk/account/wachtwoord/").status_code == 200
    session = client.session
    session[STEPPED_UP_KEY] = int(time.time()) - settings.STAFF_STEP_UP_MINUTES * 60 - 1
    session.save()
    assert client.get("/werk/account/wachtwoord/")["Location"].startswith(STEP_UP)


def test_changing_roles_in_the_administration_asks_for_the_step_up(persona):
    admin, client = persona("administrator")
    analyst = User.objects.get(username="analyst")
    change = f"/beheer/accounts/user/{analyst.pk}/change/"
    assert client.get(change)["Location"].startswith(STEP_UP)
    # A change posted straight at the form is refused the same way, and nothing changes.
    refused = client.post(change, {"username": "analyst", "is_active": ""})
    assert refused["Location"].startswith(STEP_UP)
    analyst.refresh_from_db()
    assert analyst.is_active and analyst.has_role(Role.ANALYST)
    password = f"/beheer/accounts/user/{analyst.pk}/password/"
    assert client.get(password)["Location"].startswith(STEP_UP)

    step_up(client, admin, change)
    assert client.get(change).status_code == 200
    assert client.get(password).status_code == 200


def test_the_step_up_page_keeps_the_way_back_on_this_site(persona):
    user, client = persona("coordinator")
    away = step_up(client, user, "https://elders.example/")
    assert away["Location"] == "/werk/"


def test_an_administrator_resets_a_lost_phone_after_the_step_up_and_never_sees_its_seed(persona):
    admin, client = persona("administrator")
    caseworker, _ = persona("caseworker")
    app = AuthenticatorApp.objects.get(user=caseworker)
    listing = client.get("/beheer/accounts/authenticatorapp/").content.decode()
    assert str(caseworker) in listing and app.seed not in listing
    delete = f"/beheer/accounts/authenticatorapp/{app.pk}/delete/"
    assert client.post(delete, {"post": "yes"})["Location"].startswith(STEP_UP)
    assert AuthenticatorApp.objects.filter(pk=app.pk).exists()
    step_up(client, admin, delete)
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not AuthenticatorApp.objects.filter(pk=app.pk).exists()
    event = AuditEvent.objects.filter(object_id=str(caseworker.pk), action="update").latest("id")
    assert event.fields == ["second_factor"] and event.actor_id == admin.pk


def test_an_all_digit_password_of_good_length_is_accepted(persona):
    """No composition rules (ASVS V6.2.5): length and the common-password list decide."""
    user, client = persona("analyst")
    step_up(client, user, "/werk/account/wachtwoord/")
    digits = "839271645038"
    short = client.post(
        "/werk/account/wachtwoord/", {"new_password1": "83927164", "new_password2": "83927164"}
    )
    assert "Dit wachtwoord is te kort: gebruik minstens 12 tekens." in short.content.decode()
    done = client.post(
        "/werk/account/wachtwoord/", {"new_password1": digits, "new_password2": digits}
    )
    assert done["Location"] == "/werk/account/"
    user.refresh_from_db()
    assert user.check_password(digits)
