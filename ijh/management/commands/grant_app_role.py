"""``manage.py grant_app_role``: the app's restricted database role (issue 21 §6; ijh/db_roles.py).

Run as the owner role, after ``migrate`` (docker-compose.yml's migrate job does both). The app
role's name and password come from APP_DATABASE_URL, the URL web and worker use as DATABASE_URL.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ijh.db_roles import grant_app_role, role_from_url


class Command(BaseCommand):
    help = "Create the app's database role (APP_DATABASE_URL) and grant it data rights; audit log: INSERT and SELECT only."

    def handle(self, *args, **options) -> None:
        url = os.environ.get("APP_DATABASE_URL", "")
        if not url:
            raise CommandError("APP_DATABASE_URL is not set: nothing to grant.")
        if connection.vendor != "postgresql":
            raise CommandError(
                "grant_app_role is for PostgreSQL; the embedded default (SQLite) has no roles."
            )
        try:
            role, password = role_from_url(url)
            connection.ensure_connection()
            with connection.connection.transaction():
                statements = grant_app_role(connection.connection, role, password or None)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for statement in statements:
            self.stdout.write(statement)
        self.stdout.write(
            self.style.SUCCESS(f"Role {role}: rights granted on {connection.settings_dict['NAME']}.")
        )
