"""Security finding 15: the audit trail stays append-only against the application's own database
role once `baken audit secure-database` has given the table to an owner role without login."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from baken.audit.models import AuditEvent
from baken.audit.services import audit_purge, audit_record

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="database roles and grants are PostgreSQL's; SQLite has no roles to secure",
)

# Roles belong to the whole cluster: a name of this run's own (the test's transaction, rolled
# back at the end, removes them again).
APP = f"test_baken_app_{os.getpid()}"
OWNER = f"test_baken_audit_owner_{os.getpid()}"


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("audit", *args, stdout=out, stderr=out)
    return out.getvalue()


def sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def refused(statement: str, params: list[object] | None = None) -> bool:
    try:
        with transaction.atomic():
            sql(statement, params)
    except DatabaseError:
        return True
    return False


@pytest.fixture
def app_role(db):
    sql(f"CREATE ROLE {APP} LOGIN")
    return APP


@postgres_only
def test_the_applications_role_can_append_and_purge_but_never_change_or_unlock(app_role, settings):
    now = timezone.now()
    old = AuditEvent.objects.create(
        action="read", object_type="old", occurred_at=now - timedelta(days=3 * 365)
    )
    AuditEvent.objects.create(
        action="login_failed", object_type="old", occurred_at=now - timedelta(days=60)
    )
    recent = AuditEvent.objects.create(
        action="read", object_type="recent", occurred_at=now - timedelta(days=10)
    )
    assert "append-only for" in command(
        "secure-database", "--owner-role", OWNER, "--app-role", app_role
    )
    sql(f"SET ROLE {app_role}")
    try:
        for statement in (
            "UPDATE audit_auditevent SET purpose = 'tampered'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
            "DROP TABLE audit_auditevent",
            "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger"
            " LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END; $$",
            # The escape of migration 0002 (what audit_maintenance() sets) opens nothing now.
            "SELECT set_config('baken.audit_unlocked', 'on', false); DELETE FROM audit_auditevent",
            "SELECT set_config('baken.audit_unlocked', 'on', false);"
            " UPDATE audit_auditevent SET purpose = 'tampered'",
            # The purge function keeps what is younger than the shortest retention.
            "SELECT baken_audit_purge(now(), now() - interval '60 days')",
            "SELECT baken_audit_purge(now() - interval '3 years', now())",
        ):
            assert refused(statement), statement
        with pytest.raises(DatabaseError), transaction.atomic():
            audit_purge(cutoff=now - timedelta(days=30), login_failed_cutoff=now)

        appended = audit_record(action="read", object_type="as the application")
        # The retention purge, as the application runs it: only what is past its term goes.
        settings.AUDIT_RETENTION_YEARS = 2
        settings.AUDIT_LOGIN_FAILED_RETENTION_DAYS = 30
        out = io.StringIO()
        call_command("purge", stdout=out)
        assert "2 audit event(s) were deleted" in out.getvalue()
        # A retention shorter than the database allows is refused, not applied.
        settings.AUDIT_RETENTION_YEARS = 0
        with pytest.raises(DatabaseError), transaction.atomic():
            call_command("purge", stdout=io.StringIO())
    finally:
        sql("RESET ROLE")
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {recent.pk, appended.pk} <= remaining
    assert not AuditEvent.objects.filter(purpose="tampered").exists()
    assert AuditEvent.objects.filter(object_type="old").count() == 0


@postgres_only
def test_check_database_says_what_is_open_until_the_database_is_secured(app_role):
    with pytest.raises(CommandError, match="problem"):
        command("check-database", "--owner-role", OWNER, "--app-role", app_role)
    command("secure-database", "--owner-role", OWNER, "--app-role", app_role)
    # Idempotent: after every migrate the entrypoint runs it again.
    command("secure-database", "--owner-role", OWNER, "--app-role", app_role)
    assert "append-only for" in command(
        "check-database", "--owner-role", OWNER, "--app-role", app_role
    )
    # A trigger switched off (by a superuser) shows up.
    sql("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_change")
    with pytest.raises(CommandError):
        command("check-database", "--owner-role", OWNER, "--app-role", app_role)


@postgres_only
def test_even_a_stray_delete_grant_does_not_let_the_unlock_setting_through(app_role):
    """The trigger honours ``baken.audit_unlocked`` only for the table's owner (or a superuser):
    a DELETE or UPDATE privilege granted by mistake still meets the trigger."""
    event = AuditEvent.objects.create(action="read", object_type="kept")
    command("secure-database", "--owner-role", OWNER, "--app-role", app_role)
    sql(f"GRANT UPDATE, DELETE ON audit_auditevent TO {app_role}")
    with pytest.raises(CommandError):
        command("check-database", "--owner-role", OWNER, "--app-role", app_role)
    sql(f"SET ROLE {app_role}")
    try:
        for statement in (
            "DELETE FROM audit_auditevent",
            "UPDATE audit_auditevent SET purpose = 'x'",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                sql("SELECT set_config('baken.audit_unlocked', 'on', false)")
                sql(statement)
    finally:
        sql("RESET ROLE")
    assert AuditEvent.objects.get(pk=event.pk).purpose == ""


@postgres_only
def test_secure_database_makes_the_applications_login_role_from_a_password_file(db, tmp_path):
    password = tmp_path / "postgres_app_password"
    password.write_text("first-password\n")
    args = ("secure-database", "--owner-role", OWNER, "--app-role", APP)

    def login_role() -> tuple[bool, bool, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolcanlogin, rolsuper, rolpassword FROM pg_authid WHERE rolname = %s",
                [APP],
            )
            return cursor.fetchone()

    command(*args, "--app-password-file", str(password))
    can_login, superuser, first = login_role()
    assert (can_login, superuser) == (True, False) and first
    password.write_text("second-password\n")
    command(*args, "--app-password-file", str(password))  # sets the new one
    assert login_role()[2] not in ("", first)
    password.write_text("")
    with pytest.raises(CommandError, match="is empty"):
        command(*args, "--app-password-file", str(password))


@postgres_only
@pytest.mark.parametrize(
    "attribute, reason",
    [("SUPERUSER", "superuser"), ("CREATEROLE", "CREATEROLE")],
)
def test_secure_database_refuses_an_application_role_that_could_undo_it(
    app_role, attribute, reason
):
    sql(f"ALTER ROLE {app_role} {attribute}")
    with pytest.raises(CommandError, match=reason):
        command("secure-database", "--owner-role", OWNER, "--app-role", app_role)


@postgres_only
def test_secure_database_refuses_an_application_role_that_owns_the_schema(app_role):
    sql(f"ALTER SCHEMA public OWNER TO {app_role}")
    with pytest.raises(CommandError, match="owns the schema"):
        command("secure-database", "--owner-role", OWNER, "--app-role", app_role)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="what SQLite says")
def test_secure_database_on_sqlite_says_roles_are_postgresqls(db):
    with pytest.raises(CommandError, match="only PostgreSQL"):
        command("secure-database", "--app-role", "baken_app")


def _psql(statement: str) -> None:
    url = urlparse(os.environ["DATABASE_URL"])
    subprocess.run(
        ["psql", "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432)]
        + ["-U", url.username or "postgres", "-d", "postgres", "-c", statement],
        check=True,
        capture_output=True,
    )


@postgres_only
@pytest.mark.skipif(shutil.which("psql") is None, reason="needs psql to make a database")
def test_the_entrypoint_migrates_as_the_migration_role_and_the_app_cannot_unlock(tmp_path):
    """deploy/entrypoint.sh setup-database, as compose's service `migrate` runs it; then the
    application's own login role, as web1 would, against a database of this test's own."""
    suffix = uuid.uuid4().hex[:8]
    database, app, owner = f"baken_roles_{suffix}", f"baken_app_{suffix}", f"baken_owner_{suffix}"
    url = urlparse(os.environ["DATABASE_URL"])
    server = f"{url.hostname or '127.0.0.1'}:{url.port or 5432}"
    (tmp_path / "migrate_url").write_text(f"postgres://{url.username}@{server}/{database}\n")
    (tmp_path / "app_password").write_text(f"{uuid.uuid4().hex}\n")
    app_url = (
        f"postgres://{app}:{(tmp_path / 'app_password').read_text().strip()}@{server}/{database}"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        BAKEN_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=app_url,
        DATABASE_MIGRATE_URL_FILE=str(tmp_path / "migrate_url"),
        BAKEN_DATABASE_APP_ROLE=app,
        BAKEN_DATABASE_AUDIT_OWNER_ROLE=owner,
        BAKEN_DATABASE_APP_PASSWORD_FILE=str(tmp_path / "app_password"),
    )
    entrypoint = str(Path(__file__).resolve().parent.parent / "deploy" / "entrypoint.sh")

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["sh", entrypoint, *args],
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=300,
        )

    _psql(f"CREATE DATABASE {database}")
    try:
        setup = run("setup-database")
        assert setup.returncode == 0, setup.stderr[-3000:]
        assert f"append-only for {app}" in setup.stdout
        attack = run(
            "shell",
            "-c",
            "from django.db import connection\n"
            "from baken.audit.services import audit_record\n"
            "audit_record(action='read', object_type='by the app')\n"
            "with connection.cursor() as cursor:\n"
            "    cursor.execute('SELECT current_user')\n"
            "    print('as', cursor.fetchone()[0])\n"
            "    cursor.execute(\"SELECT set_config('baken.audit_unlocked', 'on', false)\")\n"
            "    cursor.execute('DELETE FROM audit_auditevent')\n",
            DATABASE_MIGRATE_URL_FILE="",
        )
        assert f"as {app}" in attack.stdout
        assert attack.returncode != 0
        assert "permission denied for table audit_auditevent" in attack.stderr
        check = run("audit", "check-database", "--app-role", app, "--owner-role", owner)
        assert check.returncode == 0, check.stderr[-3000:]
        # Nothing but the entrypoint itself ever sees the migration role's URL.
        environment = run("shell", "-c", "import os; print(sorted(os.environ))")
        assert "DATABASE_MIGRATE_URL" not in environment.stdout
    finally:
        _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        _psql(f"DROP ROLE IF EXISTS {app}")
        _psql(f"DROP ROLE IF EXISTS {owner}")
