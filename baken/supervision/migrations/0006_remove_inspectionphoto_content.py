from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0005_inspectionphoto_content_to_storage'),
    ]

    operations = [
        # A default first, so that migrating backwards can add the column to existing rows
        # before 0005 fills it from the storage again.
        migrations.AlterField(
            model_name='inspectionphoto',
            name='content',
            field=models.BinaryField(default=b''),
        ),
        migrations.RemoveField(
            model_name='inspectionphoto',
            name='content',
        ),
    ]
