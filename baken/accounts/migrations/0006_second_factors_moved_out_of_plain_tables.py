"""Move existing second factors out of django-otp's plain tables (security issue 13, finding 6).

Up to this migration Baken used django-otp's ``otp_totp`` and ``otp_static`` plugins, which keep
the authenticator seed as hex and the recovery codes as typed. Each seed is copied into
``AuthenticatorApp`` (encrypted) and each unused recovery code into ``RecoveryCode`` (a password
hash); then the plugins' tables are dropped, so that no seed or code stays readable in the
database. The plugins are no longer installed, so their tables are read with plain SQL when they
exist (a database made before this change) and skipped otherwise (a new one).

Irreversible on purpose: going back would mean writing the secrets in plain text again.
"""

from django.contrib.auth.hashers import make_password
from django.db import migrations

PLAIN_TABLES = ("otp_static_statictoken", "otp_static_staticdevice", "otp_totp_totpdevice")


def move_second_factors(apps, schema_editor):
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    AuthenticatorApp = apps.get_model("accounts", "AuthenticatorApp")
    RecoveryCodes = apps.get_model("accounts", "RecoveryCodes")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    with connection.cursor() as cursor:
        if "otp_totp_totpdevice" in existing:
            cursor.execute(
                "SELECT user_id, name, confirmed, key, last_t, drift, created_at, last_used_at"
                " FROM otp_totp_totpdevice"
            )
            for user_id, name, confirmed, key, last_t, drift, created, used in cursor.fetchall():
                AuthenticatorApp.objects.create(
                    user_id=user_id,
                    name=name,
                    confirmed=bool(confirmed),
                    seed=key,
                    last_step=last_t,
                    drift=drift,
                    created_at=created,
                    last_used_at=used,
                )
        if "otp_static_staticdevice" in existing:
            cursor.execute("SELECT id, user_id, name, confirmed FROM otp_static_staticdevice")
            devices = {
                old_id: RecoveryCodes.objects.create(
                    user_id=user_id, name=name, confirmed=bool(confirmed)
                )
                for old_id, user_id, name, confirmed in cursor.fetchall()
            }
            cursor.execute("SELECT device_id, token FROM otp_static_statictoken")
            for device_id, token in cursor.fetchall():
                code = token.strip().lower()
                # As baken.accounts.models: a two-character hint, the code as a password hash.
                RecoveryCode.objects.create(
                    device=devices[device_id], hint=code[:2], digest=make_password(code)
                )
        for table in PLAIN_TABLES:
            if table in existing:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")  # nosec B608 # fixed names above
        cursor.execute("DELETE FROM django_migrations WHERE app IN ('otp_totp', 'otp_static')")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_second_factors_at_rest")]

    operations = [migrations.RunPython(move_second_factors)]
