"""The regions and sectors every installation starts with (see networks/reference_data.py)."""

from django.db import migrations

from networks import reference_data


def seed(apps, schema_editor):
    reference_data.ensure(apps.get_model("networks", "Region"), apps.get_model("networks", "Sector"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
