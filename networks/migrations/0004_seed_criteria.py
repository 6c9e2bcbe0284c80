"""The self-assessment criteria (see networks/reference_data.py)."""

from django.db import migrations

from networks import reference_data


def seed(apps, schema_editor):
    reference_data.ensure_criteria(apps.get_model("networks", "Criterion"))


class Migration(migrations.Migration):
    dependencies = [("networks", "0003_steering")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
