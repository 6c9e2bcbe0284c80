"""The client file an audit event concerns (``case_id``) and a short label for reads (``detail``).

SQLite adds a column with a default by rebuilding the table, and a rebuilt table has lost its
triggers: the append-only triggers of 0002 are created again afterwards (IF NOT EXISTS, so
PostgreSQL, which alters in place and keeps them, is untouched).
"""

from django.db import migrations, models

TABLE = "ijh_auditevent"
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS ijh_audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE is not allowed'); END;",
    f"CREATE TRIGGER IF NOT EXISTS ijh_audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: DELETE is not allowed'); END;",
]


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ijh", "0002_auditevent_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="case_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="dossier-id"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="detail",
            field=models.CharField(blank=True, max_length=80, verbose_name="detail"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("case_id__isnull", False)), fields=["case_id", "-at"], name="audit_case_at_idx"
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
