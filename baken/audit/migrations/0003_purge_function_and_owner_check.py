"""PostgreSQL: the append-only trigger honours the unlock setting only for the table's owner,
and the retention purge goes through ``baken_audit_purge``, a SECURITY DEFINER function.

Until ``baken audit secure-database`` has run, the role that ran the migrations owns the table
and everything works as before. After it, a separate owner role owns the table, the trigger
function and ``baken_audit_purge``; the application's role may INSERT and SELECT only, and
``set_config('baken.audit_unlocked', 'on')`` gets it nowhere: the trigger lets a change through
only when the current user owns the table (true inside ``baken_audit_purge``) or is a superuser
(the test suite's flush). ``baken_audit_purge`` refuses cutoffs younger than the shortest
retention the settings allow (docs/deploy.md, "Database roles"). SQLite: nothing changes.
"""

from django.db import migrations

# A day under the settings' minimums (AUDIT_RETENTION_YEARS >= 1 and
# AUDIT_LOGIN_FAILED_RETENTION_DAYS >= 30): the application's clock and the database's may differ.
MIN_AGE = "364 days"
MIN_AGE_LOGIN_FAILED = "29 days"


# 0002's trigger function, for migrating back.
PREVIOUS_TRIGGER_FUNCTION = """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
   BEGIN
     IF current_setting('baken.audit_unlocked', true) = 'on' THEN
       IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
       RETURN NEW;
     END IF;
     RAISE EXCEPTION 'audit trail is append-only';
   END; $$ LANGUAGE plpgsql;"""


def postgres(schema: str) -> list[str]:
    table = f"{schema}.audit_auditevent"
    return [
        """CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger
           LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
           BEGIN
             IF current_setting('baken.audit_unlocked', true) = 'on' AND (
                  (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID)
                    = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
                  OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r
                      WHERE r.rolname = current_user)) THEN
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
               RETURN NEW;
             END IF;
             RAISE EXCEPTION 'audit trail is append-only';
           END; $$;""",
        f"""CREATE OR REPLACE FUNCTION baken_audit_purge(
             cutoff timestamptz, login_failed_cutoff timestamptz) RETURNS bigint
           LANGUAGE plpgsql SECURITY DEFINER
           SET search_path = pg_catalog, pg_temp
           SET baken.audit_unlocked = 'on' AS $$
           DECLARE deleted bigint;
           BEGIN
             IF cutoff IS NULL OR cutoff > now() - interval '{MIN_AGE}' THEN
               RAISE EXCEPTION 'audit events younger than {MIN_AGE} are kept (cutoff %)', cutoff;
             END IF;
             IF login_failed_cutoff IS NULL
                OR login_failed_cutoff > now() - interval '{MIN_AGE_LOGIN_FAILED}' THEN
               RAISE EXCEPTION 'failed logins younger than {MIN_AGE_LOGIN_FAILED} are kept'
                 ' (cutoff %)', login_failed_cutoff;
             END IF;
             DELETE FROM {table}
               WHERE occurred_at < cutoff
                  OR (action = 'login_failed' AND occurred_at < login_failed_cutoff);
             GET DIAGNOSTICS deleted = ROW_COUNT;
             RETURN deleted;
           END; $$;""",  # nosec B608 # schema: current_schema() through quote_ident, constants
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        (schema,) = cursor.fetchone()
    for sql in postgres(schema):
        schema_editor.execute(sql, params=None)  # None: the % of RAISE are not placeholders


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP FUNCTION IF EXISTS baken_audit_purge(timestamptz, timestamptz)", params=None
    )
    schema_editor.execute(PREVIOUS_TRIGGER_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
