"""System checks of the running deployment (``manage.py check --deploy --database default``)."""

from django.core.checks import Tags, Warning, register
from django.db import connections

from .db_roles import AUDIT_TABLE


@register(Tags.database, deploy=True)
def audit_log_is_read_and_append_only(app_configs=None, databases=None, **kwargs) -> list:
    """Web and worker should connect as the app role (ijh/db_roles.py), which cannot change the
    audit log. Runs only with ``--database``, on PostgreSQL."""
    problems = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, has_table_privilege(%s, 'UPDATE') OR has_table_privilege(%s, 'DELETE') "
                "OR has_table_privilege(%s, 'TRUNCATE')",
                [AUDIT_TABLE] * 3,
            )
            role, may_change = cursor.fetchone()
        if may_change:
            problems.append(
                Warning(
                    f"The database role {role!r} may UPDATE, DELETE or TRUNCATE the audit log.",
                    hint="Connect web and worker as the app role that `manage.py grant_app_role` creates "
                    "(docker-compose.yml: DATABASE_URL with ijh_app); only the migrate job uses the owner.",
                    id="ijh.W001",
                )
            )
    return problems
