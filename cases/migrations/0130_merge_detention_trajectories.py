from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0110_detention_goals_withdrawal_prison_staff"),
        ("cases", "0120_meetings_planned_support_ended"),
    ]

    operations = []
