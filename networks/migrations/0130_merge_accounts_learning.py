from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0100_meeting_invitation_watermark"),
        ("networks", "0120_learning_themes"),
    ]

    operations = []
