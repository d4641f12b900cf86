"""The image as a region runs it: web (twice), worker and scheduler containers against the
machine's PostgreSQL and a Redis of their own, in production mode, with secrets as files.

Slow (a minute or two) and it needs podman and the image, so it runs only when
``BAKEN_CONTAINER_TESTS=1`` (``.ci/run`` sets it after ``deploy/build-image.sh``)::

    deploy/build-image.sh && BAKEN_CONTAINER_TESTS=1 .venv/bin/pytest tests/container

Everything goes over the network as a browser would: HTTP with ``X-Forwarded-Proto: https``
from 127.0.0.1 (a trusted proxy by uvicorn's default ``FORWARDED_ALLOW_IPS``), and websockets.
Environment: ``BAKEN_IMAGE`` (default ``baken:latest``), ``BAKEN_TEST_PG`` (default
``postgres://postgres@127.0.0.1:5432``), ``CONTAINERS_CONF`` (one with
``default_ulimits = []`` is written when unset).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import pytest

if os.environ.get("BAKEN_CONTAINER_TESTS") != "1":
    pytest.skip(
        "container tests run only with BAKEN_CONTAINER_TESTS=1 (after deploy/build-image.sh)",
        allow_module_level=True,
    )
if shutil.which("podman") is None:
    pytest.skip("podman is not installed", allow_module_level=True)

IMAGE = os.environ.get("BAKEN_IMAGE", "baken:latest")
PG = os.environ.get("BAKEN_TEST_PG", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "een lang wachtwoord voor de container"
TOTP_KEY = secrets.token_hex(20)


if not os.environ.get("CONTAINERS_CONF"):
    # This kind of machine refuses the default ulimits (and crun, hence --runtime runc).
    _conf = Path(tempfile.mkdtemp(prefix="baken-containers-")) / "containers.conf"
    _conf.write_text("[containers]\ndefault_ulimits = []\n")
    os.environ["CONTAINERS_CONF"] = str(_conf)


def podman(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["podman", "--runtime", "runc", *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=timeout,
    )


if podman("image", "exists", IMAGE, check=False).returncode != 0:
    pytest.skip(f"image {IMAGE} is absent (build it with deploy/build-image.sh)", True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- HTTP as a browser behind the TLS proxy ---------------------------------------------------


@dataclass
class Browser:
    """HTTP to one web container as the proxy forwards it: over HTTPS as far as Baken knows.
    Cookies are kept by hand (they are Secure, which a cookie jar would not send over http)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, form: dict | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        all_headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.csrf_token(), **form}
            body = urllib.parse.urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["Origin"] = self.origin
            all_headers["Referer"] = self.origin + path
            all_headers["X-CSRFToken"] = self.csrf_token()
        all_headers.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response.status, response.headers, text

    def csrf_token(self) -> str:
        """The CSRF cookie: ``__Host-baken-csrf`` in production (HTTPS), ``csrftoken`` else."""
        return self.cookies.get("__Host-baken-csrf") or self.cookies.get("csrftoken", "")

    def get(self, path: str, **headers) -> tuple[int, http.client.HTTPMessage, str]:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, form: dict, **headers) -> tuple[int, http.client.HTTPMessage, str]:
        return self.request("POST", path, form=form, headers=headers)

    def websocket(self, path: str):
        from websockets.sync.client import connect

        headers = {"X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return connect(
            f"ws://127.0.0.1:{self.port}{path}",
            origin=self.origin,
            additional_headers=headers,
            open_timeout=10,
        )


def wait_for(predicate, *, timeout: float, what: str, logs=lambda: ""):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except (OSError, http.client.HTTPException) as exc:
            last = exc
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what} (last error: {last})\n{logs()}")


def receive_until(socket_, event_type: str, **match) -> dict:
    for _ in range(50):
        event = json.loads(socket_.recv(timeout=10))
        if event["type"] == event_type and all(event.get(k) == v for k, v in match.items()):
            return event
    raise AssertionError(f"no {event_type} event")


# --- the region -------------------------------------------------------------------------------

SETUP = f"""
from datetime import time
from baken.accounts.models import User
from baken.accounts.services import user_roles_set
from baken.chat.models import OpeningHours
from baken.directory.models import Organisation
from baken.accounts.models import AuthenticatorApp
centre = Organisation.objects.create(name="Kenniscentrum", organisation_type="knowledge_centre")
user = User.objects.create_user(
    username="counsellor", password={PASSWORD!r}, first_name="Yusuf", organisation=centre
)
user_roles_set(user=user, roles=["counsellor"])
AuthenticatorApp.objects.create(user=user, name="phone", seed={TOTP_KEY!r}, confirmed=True)
for weekday in range(7):
    OpeningHours.objects.create(weekday=weekday, opens_at=time(0), closes_at=time(0))
print("region ready")
"""


@dataclass
class Region:
    suffix: str
    web1: Browser
    web2: Browser
    redis: subprocess.Popen
    names: dict[str, str]
    #: `podman run` arguments every Baken container of the region gets (network, secrets, env).
    common: list[str]

    def logs(self, role: str | None = None, tail: int = 40) -> str:
        out = []
        for name_role, name in self.names.items():
            if role and name_role != role:
                continue
            result = podman("logs", "--tail", str(tail), name, check=False)
            out.append(f"--- {name_role} ({name})\n{result.stdout}{result.stderr}")
        return "\n".join(out)

    def running(self, role: str) -> bool:
        result = podman("inspect", "--format", "{{.State.Running}}", self.names[role], check=False)
        return result.stdout.strip() == "true"


def _psql(sql: str) -> None:
    url = urllib.parse.urlparse(PG)
    subprocess.run(
        [
            "psql",
            "-h",
            url.hostname or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            "-d",
            "postgres",
            "-q",
            "-c",
            sql,
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("container")
    suffix = uuid.uuid4().hex[:8]
    database = f"baken_box_{suffix}"
    redis_port, port1, port2 = free_port(), free_port(), free_port()

    # A Redis of the containers' own: the test stops it, the machine's shared one stays up.
    redis = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(redis_port), "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    # Secrets as files, mounted read-only where the settings (and the entrypoint) read them.
    secret_values = {
        "secret_key": secrets.token_urlsafe(50),
        "field_encryption_key": secrets.token_urlsafe(40),
        "pseudonym_key": secrets.token_urlsafe(40),
        "database_url": f"{PG}/{database}",
        "redis_url": f"redis://127.0.0.1:{redis_port}/0",
    }
    mounts = []
    for name, value in secret_values.items():
        path = tmp / name
        path.write_text(value + "\n")
        path.chmod(0o444)
        mounts += ["--volume", f"{path}:/run/secrets/{name}:ro"]
    volume = f"baken-box-var-{suffix}"
    env = {
        "BAKEN_PRODUCTION": "true",
        "SECRET_KEY_FILE": "/run/secrets/secret_key",
        "FIELD_ENCRYPTION_KEY_FILE": "/run/secrets/field_encryption_key",
        "PSEUDONYM_KEY_FILE": "/run/secrets/pseudonym_key",
        "DATABASE_URL_FILE": "/run/secrets/database_url",
        "REDIS_URL_FILE": "/run/secrets/redis_url",
        "ALLOWED_HOSTS": "127.0.0.1",
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "WEB_WORKERS": "2",
        "CHAT_CLOSED_ON_PUBLIC_HOLIDAYS": "false",
    }
    common = ["--network", "host", *mounts, "--volume", f"{volume}:/var/lib/baken"]
    for key, value in env.items():
        common += ["--env", f"{key}={value}"]

    names = {role: f"baken-box-{role}-{suffix}" for role in ("web1", "web2", "worker", "scheduler")}
    web1, web2 = Browser(port1), Browser(port2)
    region = Region(suffix, web1, web2, redis, names, common)

    def start(role: str, *args: str, extra: tuple[str, ...] = ()) -> None:
        podman("run", "--detach", "--name", names[role], *common, *extra, IMAGE, *args)

    def healthy(browser: Browser) -> bool:
        return browser.get("/health/")[0] == 200

    try:
        _psql(f"CREATE DATABASE {database}")
        podman("volume", "create", volume)
        # web1 migrates the empty database on start; the others start once it is done.
        start(
            "web1", "web", extra=("--env", f"PORT={port1}", "--env", "BAKEN_MIGRATE_ON_START=true")
        )
        wait_for(lambda: healthy(web1), timeout=180, what="web1", logs=region.logs)
        setup = podman("run", "--rm", *common, IMAGE, "shell", "-c", SETUP, check=False)
        assert "region ready" in setup.stdout, setup.stdout + setup.stderr
        start("web2", "web", extra=("--env", f"PORT={port2}"))
        start("worker", "worker")
        start("scheduler", "scheduler")
        wait_for(lambda: healthy(web2), timeout=90, what="web2", logs=region.logs)
        yield region
    finally:
        if os.environ.get("BAKEN_CONTAINER_LOGS") == "1":
            print(region.logs(tail=200))
        for name in names.values():
            podman("rm", "--force", "--time", "5", name, check=False)
        podman("volume", "rm", "--force", volume, check=False)
        redis.terminate()
        redis.wait(timeout=10)
        _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


# --- the tests --------------------------------------------------------------------------------


def test_both_web_containers_answer_health_and_serve_the_collected_static_files(region):
    for browser in (region.web1, region.web2):
        status, _, body = browser.get("/health/")
        assert status == 200, body
    status, _, page = region.web1.get("/chat/")
    assert status == 200
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheet, "the chat page links no stylesheet"
    # A hashed name from the manifest collected at build time.
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet.group(1)), stylesheet.group(1)
    status, headers, _ = region.web1.get(stylesheet.group(1))
    assert status == 200 and "text/css" in headers["Content-Type"]


def test_plain_http_is_redirected_to_https(region):
    connection = http.client.HTTPConnection("127.0.0.1", region.web1.port, timeout=10)
    connection.request("GET", "/chat/", headers={"Host": f"127.0.0.1:{region.web1.port}"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"].startswith("https://")


def test_the_roles_run_as_the_baken_user(region):
    result = podman("exec", region.names["web1"], "id", "-un")
    assert result.stdout.strip() == "baken"
    assert region.running("worker"), region.logs("worker")


def test_the_image_keeps_nothing_of_the_build_machine():
    # The machine's CA bundle and pip configuration were build secrets: no layer has them.
    script = (
        "test ! -e /run/secrets/ca && test ! -e /run/secrets/pipconf && test ! -e /etc/pip.conf"
        " && test -s /opt/baken/static/staticfiles.json && id -un"
    )
    result = podman("run", "--rm", "--network", "host", "--entrypoint", "sh", IMAGE, "-c", script)
    assert result.stdout.strip() == "baken"


def test_django_finds_the_production_configuration_sound(region):
    result = podman("run", "--rm", *region.common, IMAGE, "check", "--deploy", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def ready(browser: Browser) -> tuple[int, dict]:
    status, _, body = browser.get("/health/ready", Accept="application/json")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"body": body[:300]}


def test_ready_is_200_once_worker_and_scheduler_have_been_seen(region):
    # The scheduler beats at start and leaves the worker a ping task (docs/operations.md).
    wait_for(
        lambda: ready(region.web1)[0] == 200,
        timeout=90,
        what="/health/ready to answer 200",
        logs=lambda: f"{ready(region.web1)}\n{region.logs(tail=20)}",
    )
    status, body = ready(region.web2)
    assert status == 200, body
    assert set(body["checks"]) >= {"database", "redis", "migrations", "worker", "scheduler"}
    status, _, body = region.web1.get("/health/live")
    assert status == 200, body


def test_a_chat_goes_from_a_visitor_on_web1_to_a_counsellor_on_web2(region):
    visitor_http, counsellor = region.web1, region.web2

    # The visitor starts a chat on web1 through the page's call.
    visitor_http.get("/chat/")
    status, _, body = visitor_http.post(
        "/chat/starten/", {"language": "pl", "nickname": "Ola"}, Accept="application/json"
    )
    assert status == 201, body
    token = json.loads(body)["token"]

    # The counsellor logs in on web2: password, then the TOTP code.
    counsellor.get("/werk/inloggen/")
    status, headers, body = counsellor.post(
        "/werk/inloggen/", {"username": "counsellor", "password": PASSWORD}
    )
    assert status == 302 and "/werk/inloggen/code/" in headers["Location"], body
    code = pyotp.TOTP(base64.b32encode(bytes.fromhex(TOTP_KEY)).decode()).now()
    status, headers, body = counsellor.post("/werk/inloggen/code/", {"token": code})
    assert status == 302, body
    assert counsellor.get("/werk/chat/")[0] == 200

    with (
        visitor_http.websocket("/ws/chat/") as visitor,
        counsellor.websocket("/ws/chat/console/") as console,
    ):
        visitor.send(json.dumps({"type": "hello", "token": token, "last_seq": 0}))
        welcome = receive_until(visitor, "welcome")
        conversation = welcome["conversation"]["id"]
        console.send(json.dumps({"type": "hello", "last_seq": {}}))
        receive_until(console, "welcome")

        first = str(uuid.uuid4())
        visitor.send(
            json.dumps({"type": "message.send", "client_id": first, "text": "Dzień dobry"})
        )
        receive_until(visitor, "message", client_id=first)
        console.send(json.dumps({"type": "chat.accept", "conversation": conversation}))
        assigned = receive_until(console, "assigned")
        assert "Dzień dobry" in [m["text"] for m in assigned["conversation"]["messages"]]
        assert receive_until(visitor, "status")["status"] == "active"

        # Live, across the two containers: only the shared Redis channel layer carries these.
        second = str(uuid.uuid4())
        visitor.send(
            json.dumps({"type": "message.send", "client_id": second, "text": "Potrzebuję pomocy"})
        )
        assert receive_until(console, "message", client_id=second)["text"] == "Potrzebuję pomocy"
        reply = str(uuid.uuid4())
        console.send(
            json.dumps(
                {
                    "type": "message.send",
                    "conversation": conversation,
                    "client_id": reply,
                    "text": "Jestem tutaj.",
                }
            )
        )
        assert receive_until(visitor, "message", client_id=reply)["author"] == "Yusuf"


PURGE_RUNS = """
from baken.operations.models import JobRun
for run in JobRun.objects.filter(job="purge").order_by("started_at"):
    print("run", run.status, run.finished_at is not None, run.summary[:200].replace("\\n", " "))
"""


def test_the_scheduler_has_run_the_purge_on_record(region):
    # `baken scheduler` runs every job once when it starts, each run on record (JobRun).
    def purge_runs() -> list[str]:
        if not region.running("scheduler"):
            raise AssertionError(f"the scheduler has stopped:\n{region.logs('scheduler')}")
        # Through the entrypoint, which reads DATABASE_URL_FILE (a bare `baken` would not).
        result = podman(
            "exec", region.names["web1"], "baken-entrypoint", "shell", "-c", PURGE_RUNS, check=False
        )
        runs = [line for line in result.stdout.splitlines() if line.startswith("run ")]
        return [run for run in runs if not run.startswith("run running")]

    runs = wait_for(purge_runs, timeout=60, what="a finished purge run", logs=region.logs)
    assert runs[0].startswith("run ok True"), runs


def test_stopping_redis_turns_ready_into_503_naming_redis(region):
    # Last: it stops the containers' own Redis (never the machine's).
    region.redis.terminate()
    region.redis.wait(timeout=10)

    def ready_fails():
        status, body = ready(region.web1)
        return (status, body) if status == 503 else None

    status, body = wait_for(ready_fails, timeout=30, what="/health/ready to answer 503")
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"] != "ok" and "redis" in body["checks"]["redis"].lower(), body
    assert body["checks"]["database"] == "ok", body
