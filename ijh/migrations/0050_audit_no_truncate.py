"""TRUNCATE on the audit table is refused too (issue 21 §6), by a statement-level trigger.

0002 refuses row-level UPDATE and DELETE; TRUNCATE bypasses row triggers, so it needs its own,
statement-level one. It fires for every role, the owner and superusers included. The only way past
it is what only a superuser may do (``session_replication_role = replica`` switches ordinary
triggers off): the test suite's flush between transactional tests does that (tests/conftest.py).
SQLite has no TRUNCATE (a DELETE without WHERE is refused row by row by 0002): nothing to do.
"""

from django.db import migrations

TABLE = "ijh_auditevent"


def _up(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The function from 0002 raises with TG_OP, which is 'TRUNCATE' here.
    schema_editor.execute(
        f"CREATE TRIGGER ijh_audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ijh_audit_append_only()",
        params=None,
    )


def _down(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS ijh_audit_no_truncate ON {TABLE}", params=None)


class Migration(migrations.Migration):
    dependencies = [("ijh", "0004_outgoing_mail")]

    operations = [migrations.RunPython(_up, _down)]
