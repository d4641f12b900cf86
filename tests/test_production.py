"""Running Baken in production: readiness, scheduled jobs on record, refused unsafe settings
(docs/deploy.md)."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from baken.operations.models import JobRun, JobStatus
from baken.operations.services import heartbeat_beat

BAKEN = [sys.executable, "-m", "baken"]
GOOD_KEYS = {
    "SECRET_KEY": "k3Jq9vP2xL7mR4tY8wZ1cB6nF0hD5gS2aQ9eU3iO7pK4jM1lN8bV6cX0zT5rW2yE",
    "FIELD_ENCRYPTION_KEY": "Hq2Wm9Zr4Tx7Vb1Nc8Lk5Jd3Gf6Sa0Pe2Ou9Iy4Rt7Ew1Qz8Xc5Vb3Nm6Ml0Kj4Hg",
    "PSEUDONYM_KEY": "Zx8Cv5Bn2Ml9Kj6Hg3Fd0Sa7Qw4Er1Ty8Ui5Op2As9Df6Gh3Jk0Lz7Xc4Vb1Nm8Qw",
}


def production_env(tmp_path) -> dict[str, str]:
    """The environment of a production start-up on SQLite with good keys, for a subprocess."""
    return {
        "PATH": os.environ["PATH"],
        "BAKEN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "baken.settings",
        "BAKEN_PRODUCTION": "true",
        "BAKEN_ALLOW_SQLITE": "true",
        "ALLOWED_HOSTS": "localhost",
        **GOOD_KEYS,
    }


# The readiness checks run in worker threads with their own database connections: the tests
# that read what they wrote use ``transactional_db`` (committed rows).
def ready(client: Client | None = None) -> tuple[int, dict]:
    response = (client or Client()).get("/health/ready")
    return response.status_code, response.json()


def test_live_answers_and_ready_names_every_check(db, settings):
    assert Client().get("/health/live").json() == {"status": "ok"}
    status, body = ready()
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == body["checks"]["migrations"] == "ok"
    # Redis is checked when it is configured (CI's PostgreSQL run has it), else not named.
    assert set(body["checks"]) == {"database", "migrations"} | (
        {"redis"} if settings.REDIS_URL else set()
    )


def test_ready_is_503_and_names_redis_when_redis_is_down(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"  # nothing listens there
    status, body = ready()
    assert status == 503
    assert body["status"] == "unavailable"
    assert "Redis" in body["checks"]["redis"]
    assert body["checks"]["database"] == "ok"


def test_ready_expects_a_worker_and_a_scheduler_in_production(transactional_db, settings):
    settings.EXPECT_BACKGROUND_ROLES = True
    status, body = ready()
    assert status == 503
    assert body["checks"]["worker"] == "no worker has run yet"
    assert body["checks"]["scheduler"] == "no scheduler has run yet"
    heartbeat_beat("worker")
    heartbeat_beat("scheduler")
    for job in ("mail_outbox", "worker_ping", "purge"):
        call_command("jobs", "run", job, stdout=io.StringIO())
    status, body = ready()
    assert status == 200, body
    # Three minutes on, the worker has not been seen again: it counts as down.
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        heartbeat_beat("scheduler")
        status, body = ready()
    assert status == 503
    assert body["checks"]["worker"].startswith("worker last seen")
    # A day and more without the mail job: the job check names it.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        heartbeat_beat("scheduler")
        heartbeat_beat("worker")
        status, body = ready()
    assert "mail_outbox has not run for" in body["checks"]["jobs"]


def test_a_failed_job_is_on_record_and_makes_ready_fail(transactional_db, settings):
    settings.EXPECT_BACKGROUND_ROLES = True
    settings.ADMONITOR_INBOX_DIR = "/nonexistent/inbox"
    heartbeat_beat("worker")
    heartbeat_beat("scheduler")
    with pytest.raises(Exception, match="ad_inbox failed"):
        call_command("jobs", "run", "ad_inbox", stdout=io.StringIO())
    run = JobRun.objects.get(job="ad_inbox")
    assert run.status == JobStatus.FAILED
    assert "is not a folder" in run.summary
    assert run.finished_at is not None
    status, body = ready()
    assert status == 503
    assert "ad_inbox failed" in body["checks"]["jobs"]


def test_the_scheduler_runs_the_purge_by_itself(tmp_path):
    """``baken scheduler`` as an operator starts it: every job runs once at start, on record."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(BAKEN_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    subprocess.run([*BAKEN, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    scheduler = subprocess.Popen(
        [*BAKEN, "scheduler"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    database = tmp_path / "baken.sqlite3"
    try:
        runs: list[tuple[str, str]] = []
        for _ in range(60):
            time.sleep(0.5)
            with sqlite3.connect(database) as db:
                runs = db.execute("SELECT job, status FROM operations_jobrun").fetchall()
                beats = db.execute("SELECT role FROM operations_heartbeat").fetchall()
            if ("purge", "ok") in runs and ("scheduler",) in beats:
                break
    finally:
        scheduler.terminate()
        output = scheduler.communicate(timeout=20)[0].decode()
    assert ("purge", "ok") in runs, output
    assert ("scheduler",) in beats
    assert scheduler.returncode == 0, output


def start_up(**env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BAKEN_", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS"))
        and key not in GOOD_KEYS
    }
    env.update(env_vars)
    return subprocess.run([*BAKEN, "check"], env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_short_or_placeholder_keys_and_sqlite(tmp_path):
    base = {"BAKEN_PRODUCTION": "true", "BAKEN_VAR_DIR": str(tmp_path)}
    postgres = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}
    short = start_up(
        **base,
        **postgres,
        **{**GOOD_KEYS, "SECRET_KEY": "k3Jq9vP2xL7mR4tY8wZ1cB6nF0hD5gS2aQ9eU3iO7pK"},
    )
    assert short.returncode != 0
    assert "SECRET_KEY is too short or a placeholder" in short.stderr
    placeholder = {**GOOD_KEYS, "SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 5}
    refused = start_up(**base, **postgres, **placeholder)
    assert "SECRET_KEY is too short or a placeholder" in refused.stderr
    same = {**GOOD_KEYS, "PSEUDONYM_KEY": GOOD_KEYS["SECRET_KEY"]}
    assert "three different keys" in start_up(**base, **postgres, **same).stderr
    sqlite = start_up(**base, **GOOD_KEYS)
    assert "Production runs on PostgreSQL" in sqlite.stderr
    allowed = start_up(**base, **GOOD_KEYS, BAKEN_ALLOW_SQLITE="true")
    assert allowed.returncode == 0, allowed.stderr
    # Keys that cannot be replaced without losing data keep the general minimum of 32: an
    # older field key after the new one (rotation), and an existing pseudonym key.
    upgraded = {
        **GOOD_KEYS,
        "FIELD_ENCRYPTION_KEY": GOOD_KEYS["FIELD_ENCRYPTION_KEY"]
        + ",Rt5Yu8Io2Pa6Sd9Fg3Hj7Kl1Zx4Cv0Bn5Mq",
        "PSEUDONYM_KEY": "Wq3Er6Ty9Ui2Op5As8Df1Gh4Jk7Lz0Xc3Vb6Nm",
    }
    kept = start_up(**base, **upgraded, BAKEN_ALLOW_SQLITE="true")
    assert kept.returncode == 0, kept.stderr


def test_production_checks_every_pseudonym_key_of_a_rotation(tmp_path):
    base = {
        "BAKEN_PRODUCTION": "true",
        "BAKEN_VAR_DIR": str(tmp_path),
        "BAKEN_ALLOW_SQLITE": "true",
    }
    new = "Pn4Qw7Er0Ty3Ui6Op9As2Df5Gh8Jk1Lz4Xc7Vb0Nm3Qw6Er9Ty2Ui5Op8As1Df4Gh7"
    rotated = {**GOOD_KEYS, "PSEUDONYM_KEY": f"{new},{GOOD_KEYS['PSEUDONYM_KEY']}"}
    assert start_up(**base, **rotated).returncode == 0
    short = {**GOOD_KEYS, "PSEUDONYM_KEY": f"{new},Zx8Cv5Bn2Ml9"}
    assert "PSEUDONYM_KEY[1] is too short or a placeholder" in start_up(**base, **short).stderr
    placeholder = {**GOOD_KEYS, "PSEUDONYM_KEY": f"{new},change-me-{'Zx8Cv5Bn2M' * 4}"}
    assert "PSEUDONYM_KEY[1] is too short" in start_up(**base, **placeholder).stderr
    reused = {**GOOD_KEYS, "PSEUDONYM_KEY": f"{new},{GOOD_KEYS['FIELD_ENCRYPTION_KEY']}"}
    assert "three different keys" in start_up(**base, **reused).stderr


def test_mail_settings_come_from_the_environment(tmp_path):
    password = tmp_path / "smtp-password"
    password.write_text("s3cret-from-a-file\n")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, "
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD)"
    )
    env = {"PATH": os.environ["PATH"], "BAKEN_VAR_DIR": str(tmp_path)}
    env.update(
        DJANGO_SETTINGS_MODULE="baken.settings",
        EMAIL_HOST="smtp.example.nl",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        EMAIL_HOST_USER="baken",
        EMAIL_HOST_PASSWORD_FILE=str(password),
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.nl",
        "587",
        "True",
        "baken",
        "s3cret-from-a-file",
    ], out.stderr


def test_several_workers_without_redis_are_refused(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["BAKEN_VAR_DIR"] = str(tmp_path)
    out = subprocess.run(
        [*BAKEN, "serve", "--workers", "2", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert "Several workers need REDIS_URL" in out.stderr


def test_hsts_and_secure_host_only_cookies_in_production_not_on_a_laptop(tmp_path, client):
    """The web scan on plain HTTP reports no HSTS and cookies without Secure: those are set
    in production (HTTPS) only, where the cookies also carry the ``__Host-`` prefix."""
    code = (
        "import django; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0); "
        "from django.test import Client; "
        "r = Client().get('/werk/inloggen/', secure=True, headers={'host': 'localhost'}); "
        "print(r.status_code, r.headers.get('Strict-Transport-Security')); "
        "[print(k, bool(m['secure']), m['path'], m['domain'] or '-') for k, m in r.cookies.items()]"
    )
    env = production_env(tmp_path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    assert lines, out.stderr
    status, hsts = lines[0].split(" ", 1)
    assert status == "200", out.stderr
    assert "max-age=" in hsts
    assert "__Host-baken-csrf True / -" in lines[1:]
    # On a laptop (plain HTTP): no HSTS, the plain cookie name, not Secure.
    page = client.get("/werk/inloggen/")
    assert "Strict-Transport-Security" not in page.headers
    assert page.cookies["csrftoken"]["secure"] == ""
