"""What a web scanner reports as "lack of anti-CSRF token" on the public and login forms is a
false positive: every such form carries Django's token, and a POST without it, or with a
wrong one, is refused with 403 and stores nothing (docs/asvs.md, docs/security-scans.md).
wapiti 3.0.4 says so because its list of token names lacks Django's ``csrfmiddlewaretoken``.
Also: the language cookie the scan found without Secure, and the check of the scan's report
against its allow-list (scripts/web_scan_check.py, scripts/web-scan-allowlist.toml)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.test import Client

from baken.casework.models import Signal
from baken.chat.models import Conversation, Message
from tests.test_production import production_env

ROOT = Path(__file__).resolve().parent.parent

PUBLIC_FORMS = [
    ("/melden/", {"description": "Er wonen twaalf mensen in één huis.", "about_minor": "no"}),
    ("/melden/volgen/", {"code": "ABCD-EFGH"}),
    ("/chat/", {"selfcheck": "work_more=unsure;can_stop=unsure"}),
    ("/chat/starten/", {"language": "nl", "nickname": "Sam"}),
    ("/chat/bericht/", {"text": "Bel me terug", "language": "nl"}),
    ("/chat/antwoord/", {"code": "ABCD-EFGH"}),
    ("/zelftest/", {"q1": "yes"}),
    ("/werk/inloggen/", {"username": "coordinator", "password": "baken-demo-2026"}),
    ("/taal/", {"language": "en", "next": "/"}),
]


def _stored() -> tuple[int, int, int]:
    return Signal.objects.count(), Conversation.objects.count(), Message.objects.count()


@pytest.mark.parametrize(("path", "form"), PUBLIC_FORMS)
def test_a_form_post_without_a_valid_csrf_token_is_refused(demo_region, path, form):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    # 405: a POST-only endpoint (chat start); 204: the language choice answers a GET with nothing
    assert page.status_code in (200, 204, 302, 405)
    if page.status_code == 200 and "<form" in page.content.decode():
        assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    before = _stored()
    missing = browser.post(path, form)
    wrong = browser.post(path, {**form, "csrfmiddlewaretoken": "x" * 64})
    assert missing.status_code == 403
    assert wrong.status_code == 403
    assert _stored() == before
    assert "_auth_user_id" not in browser.session
    assert "django_language" not in missing.cookies


def test_the_language_cookie_is_secure_in_production_not_on_a_laptop(tmp_path, client):
    """The web scan found the language cookie (``django_language``, set by the language
    choice at /taal/) without Secure: in production it is now Secure like the session and
    CSRF cookies; on plain HTTP (a laptop) a browser would drop a Secure cookie."""
    code = (
        "import django; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0); "
        "from django.test import Client; "
        "r = Client().post('/taal/', {'language': 'en', 'next': '/'}, secure=True, "
        "headers={'host': 'localhost'}); "
        "m = r.cookies['django_language']; "
        "print(r.status_code, m.value, bool(m['secure']), bool(m['httponly']))"
    )
    env = production_env(tmp_path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["302", "en", "True", "True"], out.stderr
    # On a laptop (plain HTTP): the same cookie, not Secure.
    page = client.post("/taal/", {"language": "en", "next": "/"})
    assert page.status_code == 302
    assert page.cookies["django_language"]["secure"] == ""


def _check(tmp_path, report: dict) -> subprocess.CompletedProcess:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    checker = [sys.executable, "scripts/web_scan_check.py", str(path)]
    return subprocess.run(checker, capture_output=True, text=True, cwd=ROOT)


def _finding(path: str, info: str, parameter: str = "") -> dict:
    return {"method": "POST", "path": path, "parameter": parameter, "info": info, "level": 2}


def test_the_web_scan_fails_on_a_finding_the_allow_list_does_not_explain(tmp_path):
    csrf = _finding("/melden/", "Lack of anti CSRF token")
    xss = _finding(
        "/melden/", "XSS vulnerability found via injection in the parameter place", "place"
    )
    explained = _check(tmp_path, {"vulnerabilities": {"Cross Site Request Forgery": [csrf]}})
    assert explained.returncode == 0, explained.stdout
    assert "1 findings, 1 allowed, 0 new" in explained.stdout
    assert "WARNING: stale allow-list entry" in explained.stdout  # HSTS, cookies: not reported
    new = _check(
        tmp_path,
        {"vulnerabilities": {"Cross Site Request Forgery": [csrf], "Cross Site Scripting": [xss]}},
    )
    assert new.returncode == 1
    assert "NEW findings" in new.stdout
    assert "Cross Site Scripting: POST /melden/ [place]" in new.stdout


def test_each_allowed_finding_names_its_reason_and_an_existing_test():
    allowlist = tomllib.loads((ROOT / "scripts" / "web-scan-allowlist.toml").read_text())
    assert allowlist["allow"]
    for entry in allowlist["allow"]:
        assert len(entry["reason"].split()) >= 10, entry
        module, _, name = entry["evidence"].partition("::")
        source = (ROOT / module).read_text()
        assert re.search(rf"^def {re.escape(name)}\(", source, re.M), entry["evidence"]
