"""JSON logs with a request id and no visitor address; Prometheus metrics (docs/operations.md)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client

from baken.asgi import application

VISITOR = "203.0.113.9"

REQUESTS = f"""
from django.test import Client
client = Client(HTTP_HOST="localhost", REMOTE_ADDR="{VISITOR}", HTTP_X_FORWARDED_FOR="{VISITOR}")
given = client.get("/health/live", HTTP_X_REQUEST_ID="proxy-req-0001")
made = client.get("/health/live", HTTP_X_REQUEST_ID="bad id; injected")
print("IDS", given["X-Request-ID"], made["X-Request-ID"])
"""


def test_logs_are_json_lines_with_the_request_id_and_no_visitor_address(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(BAKEN_VAR_DIR=str(tmp_path), LOG_FORMAT="json")
    subprocess.run(
        [sys.executable, "-m", "baken", "migrate"], env=env, check=True, capture_output=True
    )
    out = subprocess.run(
        [sys.executable, "-m", "baken", "shell", "-c", REQUESTS],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    given, made = re.search(r"IDS (\S+) (\S+)", out.stdout).groups()
    assert given == "proxy-req-0001"  # the proxy's id is kept
    assert re.fullmatch(r"[0-9a-f]{32}", made)  # a malformed one is replaced
    lines = [json.loads(line) for line in out.stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "baken.requests"]
    assert [line["request_id"] for line in requests] == [given, made]
    assert all(line["event"].startswith("GET /health/live 200") for line in requests)
    assert VISITOR not in out.stderr + out.stdout


def metrics(client: Client | None = None, **headers: str) -> str:
    response = (client or Client()).get("/metrics", **headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_metrics_count_requests_by_page_never_by_path():
    Client().get("/health/live")
    Client().get("/melden/ontvangstbewijs/ABCD-EFGH/")  # a path that could carry a code
    text = metrics()
    assert re.search(r'baken_http_requests_total\{[^}]*view="[^"]*health-live"', text)
    assert "ABCD-EFGH" not in text
    assert re.search(r'baken_queue_length\{queue="mail"\} 0\.0', text)
    assert re.search(r'baken_queue_length\{queue="chat"\} 0\.0', text)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_metrics_count_open_chat_sockets():
    def sockets() -> float:
        found = re.search(r'baken_chat_sockets\{kind="visitor"\} (\S+)', metrics())
        return float(found.group(1)) if found else 0.0

    from asgiref.sync import sync_to_async

    before = await sync_to_async(sockets)()
    visitor = WebsocketCommunicator(
        application,
        "/ws/chat/",
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
    )
    connected, _ = await visitor.connect()
    assert connected
    assert await sync_to_async(sockets)() == before + 1
    await visitor.disconnect()
    assert await sync_to_async(sockets)() == before


def test_metrics_need_the_token_when_one_is_set(db, settings):
    settings.METRICS_TOKEN = "prometheus-scrape-token-0123456789"
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    metrics(HTTP_AUTHORIZATION="Bearer prometheus-scrape-token-0123456789")
    settings.METRICS_TOKEN = ""
    settings.PRODUCTION = True
    assert Client().get("/metrics").status_code == 404
