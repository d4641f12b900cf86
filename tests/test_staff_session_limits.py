"""Staff sessions end when idle or past their absolute limit, whatever polls in the background,
and an open chat console closes with its session (security findings 3 and 4)."""

from __future__ import annotations

import time
import uuid

import pytest
import time_machine
from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.db import SessionStore
from django.shortcuts import resolve_url
from django.urls import reverse

from baken.accounts.models import User
from baken.accounts.sessions import LAST_SEEN_KEY, LOGGED_IN_KEY
from baken.demo.data import DEMO_PASSWORD
from tests.test_chat import console_socket_with_session

BACKGROUND = {"HTTP_X_BAKEN_BACKGROUND": "1", "HTTP_HX_REQUEST": "true"}


def test_a_screen_left_on_the_chat_queue_is_logged_out_after_the_idle_time(persona, settings):
    _user, client = persona("coordinator")
    queue = reverse("chat:queue")
    page = client.get(queue).content.decode()
    assert "X-Baken-Background" in page  # the polling element marks its requests
    idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.get("/werk/")
        statuses = []
        for _ in range(idle // 60 + 2):  # the queue polls on for the whole idle time and more
            traveller.shift(60)
            statuses.append(client.get(queue, **BACKGROUND))
        ended = next(n for n, r in enumerate(statuses) if r.status_code != 200)
        assert ended + 1 >= idle // 60  # not before the idle time was over
        assert statuses[ended].status_code == 204  # htmx reloads the page into the login
        assert statuses[ended]["HX-Redirect"] == resolve_url(settings.LOGIN_URL)
        response = client.get("/werk/")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_session_warning_counts_down_while_only_background_polls_run(persona, settings):
    _user, client = persona("coordinator")
    queue = reverse("chat:queue")
    idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.get("/werk/")
        traveller.shift(300)
        left = int(client.get(queue, **BACKGROUND)["X-Baken-Session-Seconds"])
        assert idle - 300 - 60 <= left <= idle - 300
        traveller.shift(120)
        left = int(client.get("/werk/")["X-Baken-Session-Seconds"])
        assert left == idle  # a real request renews it


def test_a_busy_session_still_ends_at_the_absolute_limit(persona, settings):
    _user, client = persona("coordinator")
    hours = settings.SESSION_COOKIE_AGE // 3600
    with time_machine.travel(time.time(), tick=False) as traveller:
        client.get("/werk/")
        for _ in range(hours * 3):  # a page every twenty minutes, all day
            traveller.shift(20 * 60)
            last = client.get("/werk/")
        assert last.status_code == 200
        traveller.shift(25 * 60)
        response = client.get("/werk/", follow=True)
    assert response.redirect_chain[0][0] == resolve_url(settings.LOGIN_URL)
    assert f"{hours} uur" in response.content.decode()


def test_logging_in_records_when_so_the_limit_counts_from_there(demo_region, client):
    client.post("/werk/inloggen/", {"username": "coordinator", "password": DEMO_PASSWORD})
    assert abs(client.session[LOGGED_IN_KEY] - time.time()) < 5


# --- the chat console's websocket -------------------------------------------------------------


async def _console(user: User):
    client, socket, welcome = await console_socket_with_session(user.username)
    assert welcome["type"] == "welcome"
    return client, socket


async def _closed_for_session(socket) -> None:
    for _ in range(10):
        output = await socket.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            assert output["code"] == 4401
            return
    raise AssertionError("the console stayed open")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_logging_out_closes_the_open_chat_console(demo_region_committed):
    user = await sync_to_async(User.objects.get)(username="counsellor")
    client, socket = await _console(user)
    await sync_to_async(client.post)("/werk/uitloggen/")
    await _closed_for_session(socket)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_console_closes_when_its_session_goes_idle(demo_region_committed, monkeypatch):
    from baken.chat import consumers  # noqa: PLC0415 (to shorten the recheck for the test)

    monkeypatch.setattr(consumers, "SESSION_RECHECK_SECONDS", 0.2)
    user = await sync_to_async(User.objects.get)(username="counsellor")
    client, socket = await _console(user)
    key = client.cookies["sessionid"].value

    def go_idle() -> None:
        session = SessionStore(key)
        session[LAST_SEEN_KEY] = int(time.time()) - 24 * 3600
        session.save()

    await sync_to_async(go_idle)()
    await _closed_for_session(socket)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_password_changed_elsewhere_closes_the_console(demo_region_committed, monkeypatch):
    from baken.chat import consumers  # noqa: PLC0415 (to shorten the recheck for the test)

    monkeypatch.setattr(consumers, "SESSION_RECHECK_SECONDS", 0.2)
    user = await sync_to_async(User.objects.get)(username="counsellor")
    _client, socket = await _console(user)

    def change_password() -> None:
        user.set_password("a new and long passphrase 2026")
        user.save()

    await sync_to_async(change_password)()
    await _closed_for_session(socket)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_working_console_keeps_its_session(demo_region_committed):
    user = await sync_to_async(User.objects.get)(username="counsellor")
    client, socket = await _console(user)
    key = client.cookies["sessionid"].value

    def almost_idle() -> None:
        session = SessionStore(key)
        session[LAST_SEEN_KEY] = int(time.time()) - 20 * 60
        session.save()

    await sync_to_async(almost_idle)()
    await socket.send_json_to({"type": "typing", "conversation": str(uuid.uuid4()), "active": True})
    await socket.receive_json_from(timeout=5)  # "not yours": still a counsellor's action
    seen = await sync_to_async(lambda: SessionStore(key).load()[LAST_SEEN_KEY])()
    assert time.time() - seen < 5
    await socket.disconnect()
