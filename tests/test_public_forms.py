"""The public forms as a visitor meets them (issue 17): nothing she typed is lost, dates that
cannot be are refused in plain words, and her browser keeps no long-lived cookie."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from baken.casework.models import Signal


def test_a_report_dated_in_the_future_is_refused_and_keeps_the_text(demo_region):
    visitor = Client()
    visitor.get("/melden/")
    next_year = timezone.localdate() + dt.timedelta(days=365)
    answer = visitor.post(
        "/melden/",
        {
            "description": "Er slapen elke nacht mensen in de loods achter de garage.",
            "observed_on": next_year.isoformat(),
            "about_minor": "unknown",
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Deze datum ligt in de toekomst" in page
    assert "mensen in de loods achter de garage" in page
    assert not Signal.objects.exists()
    today = visitor.post(
        "/melden/",
        {
            "description": "Er slapen elke nacht mensen in de loods achter de garage.",
            "observed_on": timezone.localdate().isoformat(),
            "about_minor": "unknown",
        },
    )
    assert today.status_code in (200, 302) and Signal.objects.count() == 1


def test_a_visitor_keeps_no_baken_cookie_once_the_browser_is_closed(demo_region):
    visitor = Client()
    for path in ("/", "/informatie/", "/zelftest/", "/melden/", "/chat/"):
        response = visitor.get(path)
        for cookie in response.cookies.values():
            assert not cookie["max-age"] and not cookie["expires"], (path, cookie.key)


def test_the_language_choice_is_at_the_top_of_every_public_page_as_links(demo_region):
    from django.conf import settings

    visitor = Client()
    page = visitor.get("/informatie/").content.decode()
    top = page[: page.index("<main")]
    for code, _name in settings.LANGUAGES:
        assert f'href="/taal/{code}/?next=/informatie/"' in top, code
    assert 'lang="pl" hreflang="pl"' in top and ">polski<" in top
    chosen = visitor.get("/taal/pl/", {"next": "/informatie/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/informatie/"
    polish = visitor.get("/informatie/").content.decode()
    assert '<html lang="pl"' in polish
    assert 'hreflang="pl" aria-current="true"' in polish
    for away in ("https://elders.example/", "//elders.example/", "javascript:alert(1)"):
        assert visitor.get("/taal/nl/", {"next": away})["Location"] == "/"
    assert visitor.get("/taal/xx/").status_code == 404
