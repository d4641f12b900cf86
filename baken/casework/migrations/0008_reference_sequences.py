"""On PostgreSQL, references come from sequences: nextval() takes no row lock, so concurrent
intakes do not wait for each other (bench/casework.py). Other databases use ReferenceCounter."""

from django.db import migrations

PREFIXES = ("m", "c")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for prefix in PREFIXES:
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS casework_reference_{prefix}_seq")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for prefix in PREFIXES:
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS casework_reference_{prefix}_seq")


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_api")]
    operations = [migrations.RunPython(forwards, backwards)]
