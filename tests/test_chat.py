"""The anonymous chat through the paths people use: the page's HTTP calls and the websockets."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from baken.accounts.models import User
from baken.asgi import application
from baken.casework.models import Notification, Signal, SignalSource
from baken.chat.models import Conversation, ConversationStatus, Message
from baken.demo.services import demo_load
from tests.conftest import verified_client

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


@pytest.fixture
def region(transactional_db):
    demo_load()


def start_chat(language: str = "pl", nickname: str = "Ola", client: Client | None = None, **extra):
    client = client or Client()
    client.get("/chat/")
    response = client.post(
        "/chat/starten/",
        {"language": language, "nickname": nickname, **extra},
        HTTP_ACCEPT="application/json",
    )
    return response


async def visitor_socket(token: str, last_seq: int = 0) -> tuple[WebsocketCommunicator, dict]:
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=ORIGIN)
    communicator.scope["client"] = ["127.0.0.1", 50000]  # as the test client's REMOTE_ADDR
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "hello", "token": token, "last_seq": last_seq})
    welcome = await communicator.receive_json_from()
    return communicator, welcome


async def console_socket(username: str) -> tuple[WebsocketCommunicator, dict]:
    _client, communicator, welcome = await console_socket_with_session(username)
    return communicator, welcome


async def console_socket_with_session(
    username: str,
) -> tuple[Client, WebsocketCommunicator, dict]:
    """A verified staff session of ``username`` (its browser) and its connected console."""
    client = await sync_to_async(lambda: verified_client(User.objects.get(username=username)))()
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/chat/console/", headers=[*ORIGIN, (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "hello", "last_seq": {}})
    welcome = await communicator.receive_json_from()
    return client, communicator, welcome


async def receive_until(communicator, event_type: str, **match) -> dict:
    """The next event of this type (and matching fields); other events are skipped."""
    for _ in range(30):
        event = await communicator.receive_json_from(timeout=3)
        if event["type"] == event_type and all(event.get(k) == v for k, v in match.items()):
            return event
    raise AssertionError(f"no {event_type} event")


async def test_a_visitor_and_a_counsellor_talk_and_nothing_is_lost_on_reconnect(region):
    response = await sync_to_async(start_chat)()
    assert response.status_code == 201
    token = response.json()["token"]

    visitor, welcome = await visitor_socket(token)
    assert welcome["conversation"]["status"] == "waiting"
    assert welcome["conversation"]["position"] == 1
    assert welcome["conversation"]["expected_wait_minutes"] >= 1

    console, console_welcome = await console_socket("counsellor")
    conversation_id = welcome["conversation"]["id"]
    assert [item["conversation"] for item in console_welcome["queue"]["waiting"]] == [
        conversation_id
    ]

    first = str(uuid.uuid4())
    await visitor.send_json_to({"type": "message.send", "client_id": first, "text": "Dzień dobry"})
    echoed = await receive_until(visitor, "message", client_id=first)
    assert echoed["text"] == "Dzień dobry" and echoed["sender"] == "visitor"

    await console.send_json_to({"type": "chat.accept", "conversation": conversation_id})
    assigned = await receive_until(console, "assigned")
    assert [m["text"] for m in assigned["conversation"]["messages"] if m["kind"] == "text"] == [
        "Dzień dobry"
    ]
    status = await receive_until(visitor, "status")
    assert status["status"] == "active" and status["counsellor"] == "Yusuf"

    # Typing reaches the other side, not the sender.
    await console.send_json_to({"type": "typing", "conversation": conversation_id, "active": True})
    assert (await receive_until(visitor, "typing"))["sender"] == "counsellor"

    await console.send_json_to(
        {
            "type": "note.add",
            "conversation": conversation_id,
            "client_id": str(uuid.uuid4()),
            "text": "Vermoedelijk arbeidsuitbuiting",
        }
    )
    await receive_until(console, "message", kind="note")
    reply_id = str(uuid.uuid4())
    await console.send_json_to(
        {
            "type": "message.send",
            "conversation": conversation_id,
            "client_id": reply_id,
            "text": "Cześć, jestem tutaj.",
        }
    )
    reply = await receive_until(visitor, "message", client_id=reply_id)
    assert reply["author"] == "Yusuf"
    # The note before it is numbered too, but the visitor's chain skips it: no false gap.
    assert reply["prev_seq"] == reply["seq"] - 2
    await visitor.disconnect()

    # A retried send with the same client_id is stored once.
    visitor, welcome = await visitor_socket(token, last_seq=0)
    texts = [m["text"] for m in welcome["messages"]]
    assert "Dzień dobry" in texts and "Cześć, jestem tutaj." in texts
    assert "Vermoedelijk arbeidsuitbuiting" not in texts  # internal notes never reach the visitor
    await visitor.send_json_to({"type": "message.send", "client_id": first, "text": "Dzień dobry"})
    again = await receive_until(visitor, "message", client_id=first)
    assert again["seq"] == echoed["seq"]
    count = await sync_to_async(
        Message.objects.filter(conversation_id=conversation_id, client_id=first).count
    )()
    assert count == 1

    # After a reconnect only what came after last_seq is sent again.
    _, later = await visitor_socket(token, last_seq=reply["seq"])
    assert all(m["seq"] > reply["seq"] for m in later["messages"])
    await visitor.disconnect()
    await console.disconnect()


async def test_bad_frames_get_a_clear_message_and_lose_nothing(region, settings):
    token = (await sync_to_async(start_chat)(language="nl")).json()["token"]
    visitor, welcome = await visitor_socket(token)
    await visitor.send_json_to(
        {"type": "message.send", "client_id": str(uuid.uuid4()), "text": "Eerste bericht"}
    )
    await receive_until(visitor, "message")

    await visitor.send_to(text_data="{not json")
    error = await receive_until(visitor, "error")
    assert error["code"] == "invalid" and "niet lezen" in error["message"]

    too_long = "x" * (settings.CHAT_MESSAGE_MAX_CHARS + 1)
    await visitor.send_json_to(
        {"type": "message.send", "client_id": str(uuid.uuid4()), "text": too_long}
    )
    error = await receive_until(visitor, "error")
    assert error["code"] == "too_long" and str(settings.CHAT_MESSAGE_MAX_CHARS) in error["message"]

    await visitor.send_to(text_data="y" * 20_000)
    assert (await receive_until(visitor, "error"))["code"] == "too_large"

    texts = await sync_to_async(
        lambda: [
            m.text for m in Message.objects.filter(conversation_id=welcome["conversation"]["id"])
        ]
    )()
    assert texts == ["Eerste bericht"]
    await visitor.disconnect()


async def test_a_socket_without_the_token_sees_nothing(region):
    await sync_to_async(start_chat)()
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=ORIGIN)
    await communicator.connect()
    await communicator.send_json_to({"type": "hello", "token": "x" * 43, "last_seq": 0})
    assert (await communicator.receive_json_from())["code"] == "unknown"
    await communicator.send_json_to(
        {"type": "message.send", "client_id": str(uuid.uuid4()), "text": "hallo"}
    )
    assert (await communicator.receive_json_from())["code"] == "hello_first"
    await communicator.disconnect()


async def test_the_console_needs_a_counsellor_with_a_second_factor(region):
    analyst_client = await sync_to_async(
        lambda: verified_client(User.objects.get(username="analyst"))
    )()
    cookie = f"sessionid={analyst_client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/chat/console/", headers=[*ORIGIN, (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect()
    assert not connected

    anonymous = WebsocketCommunicator(application, "/ws/chat/console/", headers=ORIGIN)
    connected, _ = await anonymous.connect()
    assert not connected


async def test_consent_in_the_chat_turns_it_into_a_signal_for_triage(region):
    token = (await sync_to_async(start_chat)()).json()["token"]
    visitor, welcome = await visitor_socket(token)
    conversation_id = welcome["conversation"]["id"]
    console, _ = await console_socket("counsellor")
    await console.send_json_to({"type": "chat.accept", "conversation": conversation_id})
    await receive_until(console, "assigned")
    await visitor.send_json_to(
        {
            "type": "message.send",
            "client_id": str(uuid.uuid4()),
            "text": "Szef zabrał mi paszport i nie płaci.",
        }
    )
    await receive_until(visitor, "message", sender="visitor")

    counsellor_client = await sync_to_async(
        lambda: verified_client(User.objects.get(username="counsellor"))
    )()
    url = f"/werk/chat/{conversation_id}/signaal/"
    form = {
        "summary": "Werkgever houdt paspoort in, betaalt niet.",
        "exploitation_forms": ["labour"],
        "include_transcript": "on",
    }
    refused = await sync_to_async(counsellor_client.post)(url, form)
    assert refused.status_code == 200
    assert "not agreed" in refused.content.decode() or "niet ingestemd" in refused.content.decode()
    assert not await sync_to_async(Signal.objects.exists)()

    await console.send_json_to({"type": "consent.request", "conversation": conversation_id})
    await receive_until(visitor, "consent.request")
    await visitor.send_json_to({"type": "consent.answer", "granted": True})
    status = await receive_until(console, "status", consent_given=True)
    assert status["conversation"] == conversation_id

    created = await sync_to_async(counsellor_client.post)(url, form)
    assert created.status_code == 302
    signal = await sync_to_async(Signal.objects.get)()
    assert signal.source == SignalSource.CHAT
    assert "paszport" in signal.description  # the transcript came along

    coordinator = await sync_to_async(
        lambda: verified_client(User.objects.get(username="coordinator"))
    )()
    queue = await sync_to_async(coordinator.get)("/werk/meldingen/triage/")
    assert signal.reference in queue.content.decode()
    await visitor.disconnect()
    await console.disconnect()


async def test_crisis_alerts_the_coordinator_and_block_ends_the_chat(region):
    client = Client()
    token = (await sync_to_async(start_chat)(client=client)).json()["token"]
    visitor, welcome = await visitor_socket(token)
    conversation_id = welcome["conversation"]["id"]
    console, _ = await console_socket("counsellor")
    await console.send_json_to({"type": "chat.accept", "conversation": conversation_id})
    await receive_until(console, "assigned")

    await console.send_json_to({"type": "chat.crisis", "conversation": conversation_id})
    await receive_until(console, "status", crisis=True)
    notified = await sync_to_async(
        Notification.objects.filter(
            recipient__username="coordinator", subject__icontains="crisis"
        ).exists
    )()
    assert notified

    await console.send_json_to(
        {"type": "chat.block", "conversation": conversation_id, "reason": "spam"}
    )
    status = await receive_until(visitor, "status", status=ConversationStatus.BLOCKED)
    assert status["conversation"] == conversation_id
    await visitor.send_json_to(
        {"type": "message.send", "client_id": str(uuid.uuid4()), "text": "hoi"}
    )
    assert (await receive_until(visitor, "error"))["code"] == "ended"
    # The same visitor (same address, rotating hash in the cache) cannot start again at once.
    again = await sync_to_async(start_chat)(client=client)
    assert again.status_code == 403
    await visitor.disconnect()
    await console.disconnect()


async def test_a_chat_can_be_transferred_to_a_colleague(region):
    token = (await sync_to_async(start_chat)(language="en")).json()["token"]
    visitor, welcome = await visitor_socket(token)
    conversation_id = welcome["conversation"]["id"]
    counsellor, _ = await console_socket("counsellor")
    coordinator, coordinator_welcome = await console_socket("coordinator")
    await counsellor.send_json_to({"type": "chat.accept", "conversation": conversation_id})
    await receive_until(counsellor, "assigned")
    coordinator_id = await sync_to_async(lambda: User.objects.get(username="coordinator").pk)()
    await counsellor.send_json_to(
        {"type": "chat.transfer", "conversation": conversation_id, "to": coordinator_id}
    )
    assert (await receive_until(counsellor, "released"))["conversation"] == conversation_id
    taken = await receive_until(coordinator, "assigned")
    assert taken["conversation"]["conversation"] == conversation_id
    assert await receive_until(visitor, "status", counsellor="Sanne")
    for communicator in (visitor, counsellor, coordinator):
        await communicator.disconnect()


async def test_a_visitor_can_end_and_delete_their_chat(region):
    token = (await sync_to_async(start_chat)()).json()["token"]
    visitor, welcome = await visitor_socket(token)
    await visitor.send_json_to({"type": "chat.end"})
    assert (await receive_until(visitor, "status"))["status"] == "ended"
    await visitor.disconnect()
    response = await sync_to_async(Client().post)("/chat/verwijderen/", {"token": token})
    assert response.json() == {"deleted": True}
    assert not await sync_to_async(
        Conversation.objects.filter(pk=welcome["conversation"]["id"]).exists
    )()


async def test_topics_and_waiting_times_are_counted_without_identifiers(region):
    from baken.chat.models import ChatHourStat, ChatTopicStat

    token = (await sync_to_async(start_chat)(language="uk")).json()["token"]
    visitor, welcome = await visitor_socket(token)
    conversation_id = welcome["conversation"]["id"]
    console, _ = await console_socket("counsellor")
    await console.send_json_to({"type": "chat.accept", "conversation": conversation_id})
    await receive_until(console, "assigned")
    for topics in (["labour", "debts_housing"], ["labour"], ["labour", "sextortion"]):
        await console.send_json_to(
            {"type": "chat.tag", "conversation": conversation_id, "topics": topics}
        )
        await receive_until(console, "status")
    await console.send_json_to(
        {"type": "chat.tag", "conversation": conversation_id, "topics": ["not-a-topic"]}
    )
    assert (await receive_until(console, "error"))["code"] == "topic"

    counts = await sync_to_async(
        lambda: dict(ChatTopicStat.objects.values_list("topic", "count"))
    )()
    assert counts == {"labour": 1, "debts_housing": 1, "sextortion": 1}
    hour = await sync_to_async(ChatHourStat.objects.get)(language="uk")
    assert (hour.chats_started, hour.chats_accepted) == (1, 1)
    # The trend rows hold counts only: no link to a conversation, no text, no token.
    for model in (ChatHourStat, ChatTopicStat):
        kinds = {f.get_internal_type() for f in model._meta.get_fields()}
        assert not kinds & {"ForeignKey", "TextField", "UUIDField"}, model
    await visitor.disconnect()
    await console.disconnect()


async def test_docs_describe_every_frame_and_event_of_the_protocol():
    from pathlib import Path

    from baken.chat import events

    docs = (Path(__file__).resolve().parent.parent / "docs" / "chat.md").read_text()
    for kind in {
        *events.VISITOR_FRAME_TYPES,
        *events.CONSOLE_FRAME_TYPES,
        *events.SERVER_EVENT_TYPES,
    }:
        assert f"| `{kind}` |" in docs, kind


async def test_only_the_counsellor_who_has_the_chat_writes_notes_or_types_in_it(region):
    """Security finding 8: any console user could add notes to, and type into, a colleague's
    chat."""
    token = (await sync_to_async(start_chat)(language="en")).json()["token"]
    visitor, welcome = await visitor_socket(token)
    conversation_id = welcome["conversation"]["id"]
    counsellor, _ = await console_socket("counsellor")
    colleague, _ = await console_socket("coordinator")
    await counsellor.send_json_to({"type": "chat.accept", "conversation": conversation_id})
    await receive_until(counsellor, "assigned")
    await colleague.send_json_to(
        {
            "type": "note.add",
            "conversation": conversation_id,
            "text": "Notitie van een ander",
            "client_id": str(uuid.uuid4()),
        }
    )
    assert (await receive_until(colleague, "error"))["code"] == "not_yours"
    await colleague.send_json_to(
        {"type": "typing", "conversation": conversation_id, "active": True}
    )
    assert (await receive_until(colleague, "error"))["code"] == "not_yours"
    # The counsellor who has it does both; the visitor sees the typing, never the note.
    await counsellor.send_json_to(
        {
            "type": "note.add",
            "conversation": conversation_id,
            "text": "Eigen notitie",
            "client_id": str(uuid.uuid4()),
        }
    )
    note = await receive_until(counsellor, "message", kind="note")
    assert note["text"] == "Eigen notitie"
    await counsellor.send_json_to(
        {"type": "typing", "conversation": conversation_id, "active": True}
    )
    typing = await receive_until(visitor, "typing")
    assert typing["sender"] == "counsellor"
    notes = await sync_to_async(
        lambda: list(Message.objects.filter(kind="note").values_list("text", flat=True))
    )()
    assert notes == ["Eigen notitie"]
    for communicator in (visitor, counsellor, colleague):
        await communicator.disconnect()


async def test_what_counsellors_write_is_in_the_trail_and_what_visitors_type_is_not(region):
    """Security finding 5: staff changes to chat messages are recorded, with the field named and
    never the words; a visitor's lines are not recorded at all."""
    from baken.audit.models import AuditEvent

    token = (await sync_to_async(start_chat)(language="en")).json()["token"]
    visitor, welcome = await visitor_socket(token)
    conversation_id = welcome["conversation"]["id"]
    counsellor, _ = await console_socket("counsellor")
    await counsellor.send_json_to({"type": "chat.accept", "conversation": conversation_id})
    await receive_until(counsellor, "assigned")
    line = str(uuid.uuid4())
    await visitor.send_json_to({"type": "message.send", "client_id": line, "text": "Help mij"})
    await receive_until(visitor, "message", client_id=line)
    for kind, text in (("message.send", "Ik ben er voor je"), ("note.add", "Lijkt acuut")):
        client_id = str(uuid.uuid4())
        await counsellor.send_json_to(
            {"type": kind, "conversation": conversation_id, "text": text, "client_id": client_id}
        )
        await receive_until(counsellor, "message", client_id=client_id)

    def recorded():
        return list(
            AuditEvent.objects.filter(object_type="chat.Message", action="create").values_list(
                "actor_name", "fields", "purpose"
            )
        )

    events = await sync_to_async(recorded)()
    assert events == [("counsellor", ["text"], ""), ("counsellor", ["text"], "")]
    for communicator in (visitor, counsellor):
        await communicator.disconnect()
