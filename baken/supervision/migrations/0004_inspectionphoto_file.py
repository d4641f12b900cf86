# Inspection photos move from a database column to the private storage (settings.STORAGES
# ["private"]), like case documents: in three steps, each its own transaction on PostgreSQL
# (altering a table after updating its rows in one transaction is refused there).

import baken.lib.storage
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0003_photos_and_follow_ups'),
    ]

    operations = [
        migrations.AddField(
            model_name='inspectionphoto',
            name='file',
            field=models.FileField(default='', storage=baken.lib.storage.private_storage, upload_to='inspection-photos/%Y/%m/'),
            preserve_default=False,
        ),
    ]
