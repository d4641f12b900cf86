"""No visitor's IP address reaches the database or the logs (docs/privacy.md).

A real ``baken serve`` runs behind a (pretend) proxy that forwards the visitor's address
203.0.113.77 in ``X-Forwarded-For``, so uvicorn and Django see that address as the client. The
visitor uses the public pages, the self-check, the anonymous report, starts a chat and writes in
it over the websocket, reloads and picks the chat up again. Afterwards the address appears in
no log line and in no cell of the database.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
import websockets

VISITOR = "203.0.113.77"
BAKEN = [sys.executable, "-m", "baken"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        BAKEN_VAR_DIR=str(var),
        BAKEN_DEMO_MODE="true",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        LOG_LEVEL="DEBUG",
        PYTHONUNBUFFERED="1",
    )
    subprocess.run([*BAKEN, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    subprocess.run([*BAKEN, "demo"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*BAKEN, "collectstatic", "--no-input"], env=env, check=True, capture_output=True
    )
    # A teacher has a scenario lesson running with the vote open, for the visitor to join.
    started = subprocess.run(
        [*BAKEN, "shell", "-c", LESSON_START], env=env, check=True, capture_output=True, text=True
    )
    (var / "lesson-code").write_text(started.stdout.strip().splitlines()[-1])
    port = free_port()
    log = var / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*BAKEN, "serve", "--port", str(port), "--proxy-headers"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"127.0.0.1:{port}", var, log
        server.terminate()
        server.wait(timeout=10)


LESSON_START = """
from baken.accounts.models import User
from baken.programmes.models import Scenario
from baken.programmes.services import lesson_open_vote, lesson_start
lesson = lesson_start(
    scenario=Scenario.objects.get(slug="makkelijk-geld"),
    teacher=User.objects.get(username="educator"),
    group_name="2B",
)
lesson_open_vote(lesson)
print(lesson.code)
"""


def visit(base: str, var: Path) -> None:
    opener = build_opener(HTTPCookieProcessor())
    headers = {"X-Forwarded-For": VISITOR, "Accept-Language": "pl"}

    def get(path: str) -> str:
        return opener.open(Request(f"http://{base}{path}", headers=headers)).read().decode()

    def post(path: str, data: dict, extra: dict | None = None, form: str = "") -> str:
        page = get(form or (path if path != "/chat/starten/" else "/chat/"))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"csrfmiddlewaretoken": token, **data}, doseq=True).encode()
        request = Request(
            f"http://{base}{path}",
            data=body,
            headers={**headers, "Origin": f"http://{base}", **(extra or {})},
        )
        return opener.open(request).read().decode()

    for path in [
        "/",
        "/informatie/",
        "/informatie/get-help/",
        "/hulp-zoeken/?language=pl",
        "/nope/",
    ]:
        try:
            get(path)
        except Exception:  # noqa: BLE001 - the 404 is part of the visit
            pass
    post("/zelftest/", {"papers_kept": "yes"})
    get("/vergunningcheck/?q=06+12345678")
    get("/projecten/lesprogramma-doorsturen-doe-je-niet/")
    database = sqlite3.connect(Path(var) / "baken.sqlite3")
    (feedback_code,) = database.execute(
        "SELECT feedback_code FROM programmes_activity LIMIT 1"
    ).fetchone()
    database.close()
    post(f"/feedback/{feedback_code}/", {"rating": "4", "learned": "Veel."})
    code = (Path(var) / "lesson-code").read_text()
    try:
        post("/klas/", {"code": "000000"})  # a wrong code first (answered with 400)
    except Exception:  # noqa: BLE001 - the refusal is part of the visit
        pass
    post("/klas/", {"code": code})  # joins, and follows to the lesson's page
    voted = post(f"/klas/{code}/stem/", {"round": "0", "choice": "0"}, form=f"/klas/{code}/")
    assert "Twój głos się liczy" in voted  # Polish, as the visitor asked
    post("/melden/", {"description": "Mensen slapen in een loods.", "about_minor": "no"})
    started = json.loads(
        post(
            "/chat/starten/", {"language": "pl", "nickname": "Ola"}, {"Accept": "application/json"}
        )
    )

    async def chat() -> None:
        url = f"ws://{base}/ws/chat/"
        ws_headers = {"Origin": f"http://{base}", "X-Forwarded-For": VISITOR}
        async with websockets.connect(url, additional_headers=ws_headers) as socket_:
            await socket_.send(json.dumps({"type": "hello", "token": started["token"]}))
            assert json.loads(await socket_.recv())["type"] == "welcome"
            await socket_.send(
                json.dumps(
                    {"type": "message.send", "client_id": str(uuid.uuid4()), "text": "Pomocy"}
                )
            )
            assert json.loads(await socket_.recv())["type"] == "message"
            await socket_.send("not json")  # an error on the way, too
            await socket_.recv()
        async with websockets.connect(url, additional_headers=ws_headers) as socket_:
            await socket_.send(json.dumps({"type": "hello", "token": started["token"]}))
            welcome = json.loads(await socket_.recv())
            assert [m["text"] for m in welcome["messages"]] == ["Pomocy"]

    asyncio.run(chat())

    async def lesson() -> None:
        url = f"ws://{base}/ws/klas/{code}/"
        ws_headers = {"Origin": f"http://{base}", "X-Forwarded-For": VISITOR}
        async with websockets.connect(url, additional_headers=ws_headers) as socket_:
            await socket_.send(json.dumps({"type": "ping"}))
            assert json.loads(await socket_.recv()) == {"type": "pong"}

    asyncio.run(lesson())


def test_no_visitor_address_in_the_database_or_the_logs(served):
    base, var, log = served
    visit(base, var)
    time.sleep(0.5)  # let the server flush its log lines

    logged = log.read_text()
    assert "/chat/starten/" in logged  # the request log is there, so we are looking at it
    assert VISITOR not in logged, [line for line in logged.splitlines() if VISITOR in line]

    database = sqlite3.connect(Path(var) / "baken.sqlite3")
    hits = []
    for (table,) in database.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        for row in database.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - table names from SQLite
            if any(VISITOR in str(value) for value in row):
                hits.append(table)
    assert hits == []
    assert database.execute("SELECT COUNT(*) FROM chat_message").fetchone() == (1,)
    assert database.execute("SELECT COUNT(*) FROM casework_signal").fetchone()[0] >= 1
    assert database.execute(
        "SELECT COUNT(*) FROM programmes_feedback WHERE learned = 'Veel.'"
    ).fetchone() == (1,)
    assert database.execute("SELECT SUM(votes) FROM programmes_roundcount").fetchone() == (1,)
