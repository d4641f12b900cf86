"""The public portal: pages in many languages, editors with a review step, the self-check and
the help finder, all readable without JavaScript."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client

from baken.chat.models import Conversation, Message
from baken.portal import selfcheck
from baken.portal.models import PageVersion, PageViewStat, VersionStatus
from baken.portal.services import missing_key_translations


def test_every_key_page_is_published_in_every_portal_language(demo_region):
    assert missing_key_translations() == []
    assert {code for code, _ in settings.LANGUAGES} == {
        "nl",
        "en",
        "pl",
        "ro",
        "bg",
        "uk",
        "es",
        "ar",
    }


def test_switching_language_keeps_the_page_and_arabic_reads_right_to_left(demo_region):
    visitor = Client()
    dutch = visitor.get("/informatie/get-help/").content.decode()
    assert '<html lang="nl" dir="ltr"' in dutch
    switched = visitor.post("/taal/", {"language": "ar", "next": "/informatie/get-help/"})
    assert switched["Location"] == "/informatie/get-help/"
    arabic = visitor.get("/informatie/get-help/").content.decode()
    assert '<html lang="ar" dir="rtl"' in arabic
    title = PageVersion.objects.get(
        page__slug="get-help", language="ar", status=VersionStatus.PUBLISHED
    ).title
    assert title in arabic
    # Counted per page and language; nothing about the visitor.
    assert PageViewStat.objects.get(slug="get-help", language="ar").count == 1


def test_a_page_not_yet_translated_says_so_and_marks_the_language_of_its_text(demo_region):
    visitor = Client()
    visitor.post("/taal/", {"language": "pl", "next": "/"})
    page = visitor.get("/informatie/organ-removal/").content.decode()
    assert 'lang="nl"' in page.split("<article", 1)[1][:40]


def test_public_pages_work_without_javascript(demo_region):
    visitor = Client()
    for url in [
        "/",
        "/informatie/",
        "/informatie/signs/",
        "/zelftest/",
        "/hulp-zoeken/",
        "/melden/",
    ]:
        response = visitor.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "data-quick-exit" in html and "/informatie/hide-your-visit/" in html, url
    results = visitor.get("/hulp-zoeken/", {"language": "pl"}).content.decode()
    assert re.search(r"services? found|gevonden", results)


def test_the_help_finder_never_shows_a_confidential_shelter_address(demo_region):
    html = Client().get("/hulp-zoeken/", {"q": "opvang"}).content.decode()
    assert "Opvanghuis Enschede" not in html
    assert "Beschermde opvang voor vrouwen" in html


def test_an_editor_writes_a_translation_and_a_colleague_publishes_it(persona):
    counsellor_user, counsellor = persona("counsellor")
    _coordinator_user, coordinator = persona("coordinator")
    form = counsellor.get("/werk/portaal/organ-removal/pl/")
    assert form.status_code == 200
    body = "## Pomoc\n\nPisz do nas na [czacie](/chat/).\n\n<script>alert(1)</script> [x](javascript:alert(1))\n"
    response = counsellor.post(
        "/werk/portaal/organ-removal/pl/",
        {
            "title": "Usunięcie narządów",
            "summary": "Krótko o handlu narządami.",
            "body": body,
            "submit": "1",
        },
    )
    version = PageVersion.objects.get(page__slug="organ-removal", language="pl")
    assert response["Location"] == f"/werk/portaal/versie/{version.pk}/"
    assert version.status == VersionStatus.IN_REVIEW

    # The author cannot publish; a counsellor has no right to publish at all.
    assert (
        counsellor.post(f"/werk/portaal/versie/{version.pk}/", {"action": "approve"}).status_code
        == 403
    )
    visitor = Client()
    visitor.post("/taal/", {"language": "pl", "next": "/"})
    assert "Usunięcie narządów" not in visitor.get("/informatie/organ-removal/").content.decode()

    coordinator.post(f"/werk/portaal/versie/{version.pk}/", {"action": "approve", "note": ""})
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    page = visitor.get("/informatie/organ-removal/").content.decode()
    assert "Usunięcie narządów" in page
    assert '<a href="/chat/">czacie</a>' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_a_reviewer_cannot_publish_their_own_text(persona):
    _user, coordinator = persona("coordinator")
    coordinator.post(
        "/werk/portaal/signs/en/",
        {"title": "Signs", "summary": "The signs.", "body": "Text", "submit": "1"},
    )
    version = PageVersion.objects.filter(page__slug="signs", language="en").first()
    response = coordinator.post(f"/werk/portaal/versie/{version.pk}/", {"action": "approve"})
    assert (
        "Someone else must review" in response.content.decode()
        or "iemand anders" in response.content.decode().lower()
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


def _table_counts():
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()}


def test_the_self_check_advises_and_stores_nothing(demo_region):
    visitor = Client()
    before = _table_counts()
    answers = {"papers_kept": "yes", "threatened": "yes", "can_stop": "no", "online_pictures": "no"}
    response = visitor.post("/zelftest/", answers)
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.context["outcome"].level == "strong"
    assert "112" in html
    assert "/informatie/your-rights/" in html  # advice links to the page about papers
    assert _table_counts() == before


def test_answers_go_to_the_chat_only_when_the_visitor_chooses_to_share_them(demo_region):
    visitor = Client()
    encoded = selfcheck.encode({"money_kept": "yes", "work_more": "unsure"})
    page = visitor.post("/chat/", {"selfcheck": encoded}).content.decode()
    assert str(selfcheck.BY_CODE["money_kept"].text) in page or "money" in page
    share_box = re.search(r'<input[^>]*name="share_selfcheck"[^>]*>', page).group(0)
    assert "checked" not in share_box  # she ticks it herself, or it stays private
    not_shared = visitor.post(
        "/chat/starten/",
        {"language": "en", "selfcheck": encoded},
        HTTP_ACCEPT="application/json",
    )
    assert not Message.objects.filter(conversation_id=not_shared.json()["conversation"]).exists()
    shared = visitor.post(
        "/chat/starten/",
        {"language": "en", "selfcheck": encoded, "share_selfcheck": "on"},
        HTTP_ACCEPT="application/json",
    )
    first = Message.objects.get(conversation_id=shared.json()["conversation"])
    assert "shared their self-check answers" in first.text
    assert Conversation.objects.count() == 2


def test_the_self_check_ignores_answers_it_does_not_know(demo_region):
    response = Client().post("/zelftest/", {"work_more": "maybe", "unknown": "yes"})
    assert response.status_code == 200
    assert "outcome" not in response.context or response.context.get("outcome") is None
    assert re.search(r"valid choice|geldige keuze", response.content.decode())
    empty = Client().post("/zelftest/", {})
    assert re.search(r"at least one question|minstens één vraag", empty.content.decode())
