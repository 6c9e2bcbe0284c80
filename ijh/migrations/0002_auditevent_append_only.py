"""Make the audit table append-only in the database itself, not just in Python.

Row-level UPDATE and DELETE are refused by a trigger on PostgreSQL and on SQLite. TRUNCATE (a
table-level operation only the schema owner can run, used by test flushes) is left alone.
"""

from django.db import migrations

TABLE = "ijh_auditevent"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION ijh_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % on {TABLE} is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ijh_audit_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION ijh_audit_append_only();
CREATE TRIGGER ijh_audit_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION ijh_audit_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS ijh_audit_no_update ON {TABLE};
DROP TRIGGER IF EXISTS ijh_audit_no_delete ON {TABLE};
DROP FUNCTION IF EXISTS ijh_audit_append_only();
"""
SQLITE_UP = [
    f"CREATE TRIGGER ijh_audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE is not allowed'); END;",
    f"CREATE TRIGGER ijh_audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: DELETE is not allowed'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS ijh_audit_no_update;", "DROP TRIGGER IF EXISTS ijh_audit_no_delete;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"No append-only trigger for {schema_editor.connection.vendor}")
        for statement in statements:
            # params=None: no placeholder parsing, so the % in RAISE reaches PostgreSQL as is.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ijh", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [POSTGRES_UP], "sqlite": SQLITE_UP}),
            _run({"postgresql": [POSTGRES_DOWN], "sqlite": SQLITE_DOWN}),
        )
    ]
