"""The one way past the audit trail's append-only triggers: an explicit maintenance context.

Used by the retention purge on SQLite (``audit_purge``) and by the test suite's database flush.
Application code never enters it: the model and its QuerySet refuse changes regardless, and raw
SQL outside this context is refused by the database triggers.

SQLite's trigger asks the function ``baken_audit_unlocked()``, registered on every Baken
connection (see ``AuditConfig.ready``); a connection without it (the sqlite3 shell) cannot delete
either. PostgreSQL's trigger reads the session setting ``baken.audit_unlocked`` and honours it
only for the table's owner or a superuser (migration 0003): once ``baken audit secure-database``
has given the table to its own role, this context opens nothing for the application's role, and
the purge goes through ``baken_audit_purge`` instead (``baken.audit.roles``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

_unlocked: ContextVar[bool] = ContextVar("baken_audit_unlocked", default=False)


def sqlite_unlocked_flag() -> int:
    return 1 if _unlocked.get() else 0


def register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("baken_audit_unlocked", 0, sqlite_unlocked_flag)


@contextmanager
def audit_maintenance(using: str = "default") -> Iterator[None]:
    connection = connections[using]
    token = _unlocked.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('baken.audit_unlocked', 'on', false)")
        yield
    finally:
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('baken.audit_unlocked', 'off', false)")
        _unlocked.reset(token)
