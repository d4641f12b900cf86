"""Chat rules that need no websocket: opening hours, messages left outside them, retention,
limits on starting chats."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from baken.chat import hours, services
from baken.chat.models import ClosedDay, Conversation, Message, OpeningHours

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=AMSTERDAM)


WEEKDAYS_9_TO_21 = [hours.Slot(day, time(9), time(21)) for day in range(5)]


def test_opening_hours_follow_the_week_and_skip_dutch_public_holidays():
    wednesday_noon = local(2026, 11, 25, 12, 0)
    assert hours.is_open(wednesday_noon, WEEKDAYS_9_TO_21)
    assert not hours.is_open(wednesday_noon.replace(hour=22), WEEKDAYS_9_TO_21)
    assert not hours.is_open(local(2026, 11, 28, 12), WEEKDAYS_9_TO_21)  # Saturday
    christmas = local(2026, 12, 25, 12)  # a Friday, and Eerste Kerstdag
    assert not hours.is_open(christmas, WEEKDAYS_9_TO_21)
    assert hours.is_open(christmas, WEEKDAYS_9_TO_21, with_holidays=False)
    assert not hours.is_open(wednesday_noon, WEEKDAYS_9_TO_21, [date(2026, 11, 25)])
    # Friday evening after Christmas Eve: next opening skips Christmas and the weekend.
    assert hours.next_opening(local(2026, 12, 24, 22), WEEKDAYS_9_TO_21) == local(2026, 12, 28, 9)
    around_the_clock = [hours.Slot(day, time(0), time(0)) for day in range(7)]
    assert hours.is_open(local(2026, 11, 29, 23, 59), around_the_clock)


@pytest.fixture
def closed_now(demo_region):
    OpeningHours.objects.all().delete()
    ClosedDay.objects.create(date=timezone.localdate(), reason="Teamdag")


def test_outside_opening_hours_a_visitor_leaves_a_message_and_reads_the_answer_with_a_code(
    closed_now, persona
):
    visitor = Client()
    page = visitor.get("/chat/").content.decode()
    assert "chat-closed" in page
    refused = visitor.post("/chat/starten/", {"language": "nl"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 409 and refused.json()["error"] == "closed"

    left = visitor.post(
        "/chat/bericht/", {"language": "ro", "text": "Șeful îmi ține pașaportul.", "nickname": ""}
    )
    code = left.context["code"]
    assert code and code in left.content.decode()

    _user, counsellor = persona("counsellor")
    listing = counsellor.get("/werk/chat/berichten/").content.decode()
    conversation = Conversation.objects.get(kind="message")
    assert conversation.short_id in listing
    counsellor.post(f"/werk/chat/berichten/{conversation.pk}/", {"text": "Ești în siguranță acum?"})

    answer = visitor.post("/chat/antwoord/", {"code": code.lower().replace("-", " ")})
    body = answer.content.decode()
    assert "Ești în siguranță acum?" in body and "Șeful îmi ține pașaportul." in body
    wrong = visitor.post("/chat/antwoord/", {"code": "AAAA-AAAA-AAAA"})
    assert "Ești" not in wrong.content.decode()

    visitor.post("/chat/antwoord/", {"code": code, "action": "delete"})
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_a_left_message_that_is_too_long_is_refused_with_the_text_kept(closed_now, settings):
    text = "a" * (settings.CHAT_MESSAGE_MAX_CHARS + 1)
    response = Client().post("/chat/bericht/", {"language": "nl", "text": text})
    assert response.status_code == 200
    assert text in response.content.decode()  # what was typed is still in the form
    assert not Conversation.objects.exists()


def test_transcripts_go_after_the_retention_period_unless_they_became_a_signal(
    demo_region, settings
):
    from baken.casework.services import signal_create

    old, _token = services.chat_start(language="nl")
    services.chat_end(conversation=old)
    kept, _token = services.chat_start(language="nl")
    kept.signal = signal_create(reporter=None, source="chat", description="Uit de chat")
    kept.save()
    recent, _token = services.chat_start(language="nl")
    long_ago = timezone.now() - timedelta(days=settings.CHAT_RETENTION_DAYS + 1)
    Conversation.objects.filter(pk__in=[old.pk, kept.pk]).update(last_activity_at=long_ago)

    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "1 chat transcript(s) would be deleted (1 kept" in out.getvalue()
    assert Conversation.objects.count() == 3
    call_command("purge", stdout=StringIO())
    assert set(Conversation.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}


def test_starting_many_chats_from_one_address_is_limited_without_storing_it(demo_region, settings):
    visitor = Client()
    for _ in range(settings.CHAT_STARTS_PER_HOUR):
        ok = visitor.post("/chat/starten/", {"language": "en"}, HTTP_ACCEPT="application/json")
        assert ok.status_code == 201
    limited = visitor.post("/chat/starten/", {"language": "en"}, HTTP_ACCEPT="application/json")
    assert limited.status_code == 429
    assert "wait an hour" in limited.json()["message"] or "uur" in limited.json()["message"]
    # Another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        other.post("/chat/starten/", {"language": "en"}, HTTP_ACCEPT="application/json").status_code
        == 201
    )


def test_without_javascript_the_start_form_explains_and_offers_a_message(demo_region):
    response = Client().post("/chat/starten/", {"language": "nl"})
    assert response.status_code == 400
    assert "/chat/bericht/" in response.content.decode()
    assert not Conversation.objects.exists()
