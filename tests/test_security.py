"""Security baseline: headers, no third-party requests, CSRF, no visitor addresses stored."""

from __future__ import annotations

import logging
import re

from django.test import Client

from baken.audit.models import AuditEvent

PUBLIC_PAGES = ["/", "/toegankelijkheid/", "/werk/inloggen/"]


def test_pages_carry_a_strict_content_security_policy_and_safe_headers(db):
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_no_page_loads_anything_from_another_site_or_runs_inline_script(persona):
    _user, staff = persona("coordinator")
    pages = [(Client(), url) for url in PUBLIC_PAGES] + [
        (staff, url) for url in ["/werk/", "/werk/sociale-kaart/?language=pl", "/werk/audit/"]
    ]
    for client, url in pages:
        html = client.get(url).content.decode()
        loads = re.findall(r'<(?:script|img|link|iframe)[^>]+(?:src|href)="([^"]+)"', html)
        assert loads, url
        for target in loads:
            assert not re.match(r"(https?:)?//", target), f"{url} loads {target}"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {url}"
        assert " style=" not in html, f"inline style on {url}"


def test_forms_are_protected_against_cross_site_requests(demo_region):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/werk/inloggen/", {"username": "coordinator", "password": "x"})
    assert response.status_code == 403


def test_anonymous_visits_leave_no_address_in_the_trail_or_the_logs(db, caplog):
    caplog.set_level(logging.INFO)
    Client().get("/", REMOTE_ADDR="203.0.113.77")
    Client().get("/toegankelijkheid/", REMOTE_ADDR="203.0.113.77")
    assert "203.0.113.77" not in caplog.text
    assert "GET / 200" in caplog.text  # the request log exists, without the address
    assert not AuditEvent.objects.filter(origin__contains="203.0.113.77").exists()


def test_public_pages_offer_a_quick_exit_first_in_line(db):
    html = Client().get("/").content.decode()
    skip = html.index('href="#main"')
    exit_link = html.index("data-quick-exit")
    first_other_link = html.index('class="baken-brand')
    assert skip < exit_link < first_other_link
    assert 'src="/static/baken/js/quick-exit.js' in html


def test_the_technical_administration_lives_under_beheer(db):
    response = Client().get("/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")
    assert Client().get("/admin/").status_code == 404


def _report(client: Client, text: str, *, minor: str = "unknown"):
    return client.post(
        "/melden/", {"description": text, "municipality": "GM0153", "about_minor": minor}
    )


def test_a_visitor_sends_a_few_anonymous_reports_an_hour_and_keeps_the_text(demo_region):
    """Security finding 2: /melden/ had no limit."""
    from baken.casework.models import Signal

    visitor = Client(REMOTE_ADDR="198.51.100.40")
    for n in range(5):
        assert _report(visitor, f"Melding nummer {n}: mannen in een loods.").status_code == 200
    refused = _report(visitor, "Een zesde melding die niet verloren mag gaan.")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert 'id="report-limited"' in page
    assert "Een zesde melding die niet verloren mag gaan." in page  # still in the form
    assert Signal.objects.count() == 5
    other = Client(REMOTE_ADDR="198.51.100.41")
    assert _report(other, "Een andere bezorgde buurtbewoner.").status_code == 200


def test_receipt_codes_cannot_be_guessed_in_bulk(db):
    guesser = Client(REMOTE_ADDR="198.51.100.42")
    for n in range(20):
        guesser.post("/melden/volgen/", {"code": f"AAAA-BBBB-{n:04d}"})
    limited = guesser.post("/melden/volgen/", {"code": "AAAA-BBBB-CCCC"})
    assert limited.status_code == 429
    assert 'id="follow-limited"' in limited.content.decode()


def test_a_flood_of_anonymous_reports_about_minors_does_not_flood_the_coordinators_mail(
    demo_region, django_capture_on_commit_callbacks
):
    """Every alert is in Baken; a coordinator gets one e-mail per ten minutes for them."""
    from baken.casework.models import Notification
    from baken.operations.models import OutboundMail

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(12):
            visitor = Client(REMOTE_ADDR=f"203.0.113.{n + 10}")
            _report(visitor, f"Een meisje van 15 werkt in de salon ({n}).", minor="yes")
    alerts = Notification.objects.filter(recipient__username="coordinator")
    assert alerts.count() == 12
    mails = OutboundMail.objects.filter(to__startswith="coordinator@")
    assert mails.count() == 1


def test_trace_and_unknown_methods_are_refused_before_any_page_answers(db):
    client = Client()
    for path in ("/", "/melden/", "/werk/inloggen/", "/api/v1/"):
        for method in ("TRACE", "CONNECT", "PROPFIND"):
            response = client.generic(method, path)
            assert response.status_code == 405, (method, path)
            assert b"<html" not in response.content  # nothing of the request echoed back
    assert client.get("/").status_code == 200


def test_the_administration_has_no_password_only_login_of_its_own(demo_region):
    from baken.accounts.models import User

    User.objects.create_superuser("root", password="wortel-en-stok-12", organisation=None)
    client = Client()
    asked = client.get("/beheer/login/?next=/beheer/accounts/user/")
    assert asked.status_code == 302
    assert asked["Location"] == "/werk/inloggen/?next=%2Fbeheer%2Faccounts%2Fuser%2F"
    posted = client.post("/beheer/login/", {"username": "root", "password": "wortel-en-stok-12"})
    assert posted.status_code == 302 and posted["Location"].startswith("/werk/inloggen/")
    assert "_auth_user_id" not in client.session
