from django.db import migrations

from instruments import reference_data


def seed(apps, schema_editor):
    reference_data.ensure(apps.get_model("instruments", "LifeDomain"))


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
