"""The app's own database role on PostgreSQL (issue 21 §6, DESIGN.md §5).

Production runs two roles: the **owner** (``POSTGRES_USER``), which owns the schema and runs the
migrations, and the **app role**, which web, worker and beat connect as. The app role reads and
writes every table, except the audit log: there it may only INSERT and SELECT. So even a
compromised web process cannot rewrite or empty the trail; the triggers of migrations 0002 and
0050 refuse UPDATE, DELETE and TRUNCATE to the owner as well.

``manage.py grant_app_role`` (run by the migrate job, as the owner, after ``migrate``) creates the
role when it is missing and (re)grants on every table, so tables a new migration adds are covered.
"""

from urllib.parse import unquote, urlsplit

from psycopg import sql

AUDIT_TABLE = "ijh_auditevent"


def role_from_url(url: str) -> tuple[str, str]:
    """(user, password) of a postgres:// URL, as dj-database-url reads it."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"} or not parts.username:
        raise ValueError("APP_DATABASE_URL must be a postgres:// URL with a user name")
    return unquote(parts.username), unquote(parts.password or "")


def grant_statements(
    role: str, password: str | None, *, database: str, exists: bool, tables: list[str]
) -> list:
    """The statements, as psycopg ``sql`` objects (identifiers and the password quoted by psycopg)."""
    name = sql.Identifier(role)
    statements = []
    if not exists:
        statements.append(sql.SQL("CREATE ROLE {} LOGIN").format(name))
    if password:
        statements.append(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(name, sql.Literal(password)))
    statements += [
        # Never more than data rights: no CREATE in the schema, no TRUNCATE, REFERENCES or TRIGGER.
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), name),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(name),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
    ]
    for table in tables:
        table_name = sql.Identifier(table)
        statements.append(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(table_name, name))
        rights = "SELECT, INSERT" if table == AUDIT_TABLE else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(sql.SQL("GRANT " + rights + " ON TABLE {} TO {}").format(table_name, name))
    return statements


def grant_app_role(connection, role: str, password: str | None) -> list[str]:
    """Create/alter ``role`` and grant it its rights, on the database ``connection`` points at
    (a psycopg connection of the owner). Returns the statements run, passwords masked."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_user")
        database, owner = cursor.fetchone()
        if role == owner:
            raise ValueError("the app role must not be the owner role that runs the migrations")
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls OR rolcreaterole FROM pg_roles WHERE rolname = %s", [role]
        )
        found = cursor.fetchone()
        exists = found is not None
        if exists and found[0]:
            # A superuser ignores grants (and may switch triggers off): it cannot be the app role.
            raise ValueError(f"role {role} is a superuser or may create roles; the app role must be neither")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user "
            "ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        done = []
        for statement in grant_statements(role, password, database=database, exists=exists, tables=tables):
            text = statement.as_string(connection)
            cursor.execute(text)
            done.append(text if "PASSWORD" not in text else text.split(" PASSWORD ")[0] + " PASSWORD '…'")
    return done
