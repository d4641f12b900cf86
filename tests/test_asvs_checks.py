"""Small checks that pin ASVS 5.0 level-1 and level-2 requirements Baken met without a test
showing it (docs/asvs.md names each test next to its requirement). Each goes through HTTP, as a
browser or a staff member would."""

from __future__ import annotations

import re
import time
import uuid

from django.test import Client

from baken.accounts.models import AuthenticatorApp, User
from baken.demo.data import DEMO_PASSWORD
from tests.test_step_up import current_code, step_up


def test_session_and_csrf_cookies_are_httponly_and_samesite_lax(demo_region):
    client = Client()
    login_page = client.get("/werk/inloggen/")
    csrf = login_page.cookies[next(iter(login_page.cookies))]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    client.post("/werk/inloggen/", {"username": "analyst", "password": DEMO_PASSWORD})
    session = client.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    # The session key travels only in the cookie, never in a page.
    assert session.value not in client.get("/werk/account/tweede-factor/").content.decode()


def test_the_csp_forbids_plugins_and_a_foreign_base_url(db):
    csp = Client().get("/")["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp


def test_logging_out_needs_a_post_and_a_get_changes_nothing(persona):
    _user, client = persona("coordinator")
    assert client.get("/werk/uitloggen/").status_code == 405
    assert client.get("/werk/").status_code == 200
    page = client.get("/werk/").content.decode()
    assert re.search(r'<form method="post" action="/werk/uitloggen/"', page)  # on every page


def test_password_fields_hide_what_is_typed(persona):
    user, client = persona("coordinator")
    pages = [Client().get("/werk/inloggen/"), client.get("/werk/account/bevestigen/")]
    step_up(client, user, "/werk/account/")
    pages.append(client.get("/werk/account/wachtwoord/"))
    for page in pages:
        inputs = re.findall(
            r'<input[^>]*name="(?:password|new_password[12])"[^>]*>', page.content.decode()
        )
        assert inputs and all('type="password"' in tag for tag in inputs)
        assert not re.search(r'onpaste|autocomplete="off"', " ".join(inputs))  # managers welcome


def test_a_long_password_with_spaces_works_exactly_as_typed(persona):
    user, client = persona("analyst")
    step_up(client, user, "/werk/account/wachtwoord/")
    typed = "  een hele lange zin als wachtwoord, over de Dinkel en de Regge, 2026!  "
    assert len(typed) > 64
    client.post("/werk/account/wachtwoord/", {"new_password1": typed, "new_password2": typed})
    for password, works in ((typed, True), (typed.strip(), False), (typed[:64], False)):
        fresh = Client()
        answer = fresh.post("/werk/inloggen/", {"username": "analyst", "password": password})
        assert (answer.status_code == 302) is works, password[:10]


def test_an_authenticator_code_lets_in_once_only(persona):
    user, _client = persona("caseworker")
    code = current_code(user)
    first = Client()
    first.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})
    first_key = first.cookies["sessionid"].value
    first.post("/werk/inloggen/code/", {"token": code})
    assert first.get("/werk/").status_code == 200
    # A new session key at each login step (no fixation).
    assert first.cookies["sessionid"].value != first_key
    time.sleep(1.1)
    replay = Client()
    replay.post("/werk/inloggen/", {"username": "caseworker", "password": DEMO_PASSWORD})
    answer = replay.post("/werk/inloggen/code/", {"token": code})
    assert "klopt niet" in answer.content.decode()
    assert replay.get("/werk/").status_code == 302
    assert AuthenticatorApp.objects.get(user=user).last_step >= 0


def test_deactivating_an_account_ends_its_sessions_at_once(persona):
    user, client = persona("caseworker")
    assert client.get("/werk/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/werk/").status_code == 302


def test_a_document_download_never_carries_the_uploaded_file_name(persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baken.casework.models import CaseDocument
    from tests.test_cases import reported_signal, triage_into_case

    _c, coordinator = persona("coordinator")
    caseworker, client = persona("caseworker")
    case = triage_into_case(coordinator, reported_signal(), lead=caseworker.pk)
    pdf = b"%PDF-1.7\n" + b"x" * 100
    client.post(
        f"/werk/casussen/{case.pk}/documenten/",
        {
            "title": "V",
            "upload": SimpleUploadedFile("../../Andrei Popescu.pdf", pdf, "application/pdf"),
        },
    )
    document = CaseDocument.objects.get()
    download = client.get(f"/werk/casussen/{case.pk}/documenten/{document.pk}/")
    assert download["Content-Disposition"] == f'attachment; filename="document-{document.pk}"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_errors_show_a_plain_page_without_internals(persona):
    _user, client = persona("coordinator")
    missing = client.get(f"/werk/casussen/{uuid.uuid4()}/")
    assert missing.status_code == 404
    body = missing.content.decode()
    assert "<html" in body
    for internal in ("Traceback", "site-packages", ".py", "DoesNotExist", "SELECT"):
        assert internal not in body
