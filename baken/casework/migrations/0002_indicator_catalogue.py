from django.db import migrations


def forwards(apps, schema_editor):
    from baken.casework.indicators import CATALOGUE

    Indicator = apps.get_model("casework", "Indicator")
    for position, (code, category, forms, label) in enumerate(CATALOGUE):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "category": category,
                "forms": forms,
                "label": str(label),
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
