# Copies each photo's encrypted bytes, unchanged (still Fernet), from the column to the private
# storage; backwards, from the storage into the column.

import uuid

from django.core.files.base import ContentFile
from django.db import migrations


def to_storage(apps, schema_editor):
    InspectionPhoto = apps.get_model("supervision", "InspectionPhoto")
    for photo in InspectionPhoto.objects.filter(file="").iterator():
        # The field's upload_to adds the directory (inspection-photos/<year>/<month>/).
        name = f"{uuid.uuid4().hex}.jpg.enc"
        photo.file.save(name, ContentFile(bytes(photo.content)), save=False)
        photo.save(update_fields=["file"])


def to_column(apps, schema_editor):
    InspectionPhoto = apps.get_model("supervision", "InspectionPhoto")
    for photo in InspectionPhoto.objects.exclude(file="").iterator():
        with photo.file.open("rb") as handle:
            photo.content = handle.read()
        photo.save(update_fields=["content"])


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0004_inspectionphoto_file'),
    ]

    operations = [
        migrations.RunPython(to_storage, to_column),
    ]
