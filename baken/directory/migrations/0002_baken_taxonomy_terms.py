"""Baken's own taxonomy terms (forms of exploitation, audiences) always exist."""

from django.db import migrations



def forwards(apps, schema_editor):
    from baken.directory.models import Audience, ExploitationForm

    TaxonomyTerm = apps.get_model("directory", "TaxonomyTerm")
    for taxonomy, choices in (
        ("baken-exploitation-form", ExploitationForm.choices),
        ("baken-audience", Audience.choices),
    ):
        for code, label in choices:
            TaxonomyTerm.objects.get_or_create(
                taxonomy=taxonomy, code=code, defaults={"name": str(label)}
            )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
