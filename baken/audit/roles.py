"""PostgreSQL roles that keep the audit trail append-only against the application's own role.

``audit_database_secure`` (``baken audit secure-database``, run by a superuser: the migration
role) gives the table ``audit_auditevent``, its trigger function and ``baken_audit_purge`` to a
separate owner role without login, and leaves the application's role INSERT and SELECT on the
table and EXECUTE on the purge function (which refuses young cutoffs). The application's role
gets SELECT, INSERT, UPDATE and DELETE on every other table of the schema, now and (default
privileges) for the tables later migrations create. ``audit_database_problems`` says what is
not so; empty means secured. See docs/deploy.md, "Database roles".
"""

from __future__ import annotations

import re

from django.db import connection, transaction

__all__ = ["AuditDatabaseError", "audit_database_problems", "audit_database_secure"]

TABLE = "audit_auditevent"
TRIGGER_FUNCTION = "audit_event_refuse_change()"
PURGE_FUNCTION = "baken_audit_purge(timestamptz, timestamptz)"
TRIGGERS = ("audit_event_no_change", "audit_event_no_truncate")
_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class AuditDatabaseError(Exception):
    """The database cannot be secured as asked; nothing was changed."""


def _quoted(role: str) -> str:
    if not _ROLE_NAME.fullmatch(role):
        raise AuditDatabaseError(
            f"{role!r} is not a role name Baken accepts (lower-case letters, digits and _)."
        )
    return f'"{role}"'


def _one(sql: str, params: list[str] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def _role(name: str) -> tuple[bool, bool, bool] | None:
    """(superuser, can log in, can create roles) of ``name``, or None if there is no such role."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcanlogin, rolcreaterole FROM pg_catalog.pg_roles"
            " WHERE rolname = %s",
            [name],
        )
        row = cursor.fetchone()
    return (bool(row[0]), bool(row[1]), bool(row[2])) if row else None


def _app_role_problems(app_role: str, owner_role: str, schema: str) -> list[str]:
    app = _role(app_role)
    if app is None:
        return [f"the application's role {app_role} does not exist"]
    superuser, _login, createrole = app
    problems = []
    if superuser:
        problems.append(f"{app_role} is a superuser: it can drop triggers and tables")
    if createrole:
        problems.append(f"{app_role} has CREATEROLE: it could make itself a member of the owner")
    if _role(owner_role) is not None and _one(
        "SELECT pg_catalog.pg_has_role(%s, %s, 'MEMBER')", [app_role, owner_role]
    ):
        problems.append(f"{app_role} is a member of {owner_role}")
    if _one(
        "SELECT pg_catalog.pg_has_role(%s, nspowner, 'MEMBER') FROM pg_catalog.pg_namespace"
        " WHERE nspname = %s",
        [app_role, schema],
    ):
        problems.append(
            f"{app_role} owns the schema {schema} (or the database): it could drop the table"
        )
    return problems


def audit_database_problems(*, owner_role: str, app_role: str) -> list[str]:
    """What stands between this database and an audit trail the application's role cannot change
    (an empty list: nothing). Reads the catalogue only; any role may run it."""
    if connection.vendor != "postgresql":
        return [f"the database is {connection.vendor}; roles are a PostgreSQL matter"]
    for role in (owner_role, app_role):
        _quoted(role)  # refuses names that are not plain
    schema = str(_one("SELECT current_schema()"))
    table = f"{schema}.{TABLE}"
    if _one("SELECT pg_catalog.to_regclass(%s) IS NULL", [table]):
        return [f"there is no table {table}: run `baken migrate` first"]
    problems = _app_role_problems(app_role, owner_role, schema)
    owner = _role(owner_role)
    if owner is None:
        return [*problems, f"the owner role {owner_role} does not exist"]
    if owner[0] or owner[1]:
        problems.append(f"{owner_role} must be a role without login and not a superuser")
    if (
        _one(
            "SELECT relowner::regrole::text FROM pg_catalog.pg_class WHERE oid = %s::regclass",
            [table],
        )
        != owner_role
    ):
        problems.append(f"{table} is not owned by {owner_role}")
    for function in (TRIGGER_FUNCTION, PURGE_FUNCTION):
        if (
            _one(
                "SELECT proowner::regrole::text FROM pg_catalog.pg_proc WHERE oid = %s::regprocedure",
                [f"{schema}.{function}"],
            )
            != owner_role
        ):
            problems.append(f"the function {function} is not owned by {owner_role}")
    for trigger in TRIGGERS:
        enabled = _one(
            "SELECT tgenabled FROM pg_catalog.pg_trigger WHERE tgrelid = %s::regclass"
            " AND tgname = %s",
            [table, trigger],
        )
        if enabled not in ("O", "A"):
            problems.append(f"the trigger {trigger} is missing or disabled")
    if _role(app_role) is None:
        return problems
    for privilege, wanted in (
        ("SELECT", True),
        ("INSERT", True),
        ("UPDATE", False),
        ("DELETE", False),
        ("TRUNCATE", False),
        ("TRIGGER", False),
        ("REFERENCES", False),
    ):
        check = "has_any_column_privilege" if privilege == "UPDATE" else "has_table_privilege"
        held = _one(f"SELECT pg_catalog.{check}(%s, %s, %s)", [app_role, table, privilege])
        if bool(held) != wanted:
            problems.append(f"{app_role} {'lacks' if wanted else 'holds'} {privilege} on {table}")
    if not _one(
        "SELECT pg_catalog.has_function_privilege(%s, %s, 'EXECUTE')",
        [app_role, f"{schema}.{PURGE_FUNCTION}"],
    ):
        problems.append(f"{app_role} may not execute {PURGE_FUNCTION}")
    return problems


def audit_database_secure(
    *, owner_role: str, app_role: str, app_password: str | None = None
) -> list[str]:
    """Give the audit table to ``owner_role`` (created without login if missing) and leave
    ``app_role`` INSERT and SELECT on it; return ``audit_database_problems`` afterwards. With
    ``app_password``, ``app_role`` is made a login role with that password first (created if
    missing): how compose gets its application's role.

    Idempotent: run it after every ``migrate``. Needs a superuser (the migration role); all or
    nothing. Raises ``AuditDatabaseError`` when the application's role could undo it anyway (a
    superuser, CREATEROLE, a member of the owner or of the schema's owner)."""
    if connection.vendor != "postgresql":
        raise AuditDatabaseError(
            f"The database is {connection.vendor}: only PostgreSQL has roles to secure."
        )
    owner, app = _quoted(owner_role), _quoted(app_role)
    if owner_role == app_role:
        raise AuditDatabaseError("The owner role and the application's role must differ.")
    with transaction.atomic():
        if app_password is not None:
            verb = "CREATE" if _role(app_role) is None else "ALTER"
            with connection.cursor() as cursor:
                # Client-side binding (Django's default): the password goes in as a literal.
                cursor.execute(f"{verb} ROLE {app} WITH LOGIN PASSWORD %s", [app_password])
        schema = str(_one("SELECT current_schema()"))
        problems = _app_role_problems(app_role, owner_role, schema)
        if problems:
            raise AuditDatabaseError("; ".join(problems) + ". Nothing was changed.")
        existing = _role(owner_role)
        if existing is not None and (existing[0] or existing[1]):
            raise AuditDatabaseError(
                f"{owner_role} exists and can log in or is a superuser; the owner of the audit"
                " trail must be neither. Nothing was changed."
            )
        quoted_schema = connection.ops.quote_name(schema)
        table = f"{quoted_schema}.{TABLE}"
        sequence = _one("SELECT pg_catalog.pg_get_serial_sequence(%s, 'id')", [table])
        statements = [] if existing else [f"CREATE ROLE {owner} NOLOGIN"]
        statements += [
            f"GRANT USAGE ON SCHEMA {quoted_schema} TO {owner}, {app}",
            # The application's role works with every other table as before ...
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quoted_schema}"
            f" TO {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quoted_schema}"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {quoted_schema}"
            f" GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            # ... and appends to the audit trail only (ALTER TABLE OWNER moves its sequence too).
            f"ALTER TABLE {table} OWNER TO {owner}",
            f"ALTER FUNCTION {quoted_schema}.{TRIGGER_FUNCTION} OWNER TO {owner}",
            f"ALTER FUNCTION {quoted_schema}.{PURGE_FUNCTION} OWNER TO {owner}",
            f"REVOKE ALL ON TABLE {table} FROM PUBLIC, {app}",
            f"GRANT SELECT, INSERT ON TABLE {table} TO {app}",
            f"REVOKE ALL ON FUNCTION {quoted_schema}.{PURGE_FUNCTION} FROM PUBLIC",
            f"GRANT EXECUTE ON FUNCTION {quoted_schema}.{PURGE_FUNCTION} TO {app}",
            *(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}" for trigger in TRIGGERS),
        ]
        if sequence:
            statements += [
                f"REVOKE ALL ON SEQUENCE {sequence} FROM PUBLIC, {app}",
                f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {app}",
            ]
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        return audit_database_problems(owner_role=owner_role, app_role=app_role)
