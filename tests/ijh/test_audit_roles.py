"""An audit log nobody can empty (issue 21 §6).

- TRUNCATE is refused by the database itself, even to the owner (migration ijh 0050).
- The app role (ijh/db_roles.py, ``manage.py grant_app_role``) may INSERT and SELECT the audit log,
  not UPDATE, DELETE or TRUNCATE it; other tables it reads and writes; it cannot create tables.
- Edits in /beheer/ write AuditEvents beside Django's LogEntry.
"""

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from ijh import audit
from ijh.db_roles import grant_app_role, role_from_url
from ijh.models import AuditEvent

from ..factories import UserFactory

AUDIT_INSERT = (
    "INSERT INTO ijh_auditevent (at, actor_label, action, object_type, object_id, changed_fields, detail) "
    "VALUES (now(), 'app', 'probe', '', '', '[]', '') RETURNING id"
)


@pytest.mark.django_db
def test_truncate_of_the_audit_log_is_refused_even_to_the_owner():
    audit.record(None, "probe")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE ijh_auditevent")
    assert AuditEvent.objects.filter(action="probe").exists()


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_still_empties_every_table():
    """tests/conftest.py lets the flush after a transactional test past the trigger (as superuser)."""
    audit.record(None, "probe-before-flush")
    assert AuditEvent.objects.filter(action="probe-before-flush").exists()


# --- the app role -----------------------------------------------------------------------------


def _conninfo(settings_dict: dict, **override) -> str:
    params = {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        **override,
    }
    return psycopg.conninfo.make_conninfo(**{key: value for key, value in params.items() if value})


@pytest.fixture
def app_role(django_db_setup, django_db_blocker):
    """A role granted as the migrate job does, on the test database; dropped afterwards."""
    settings_dict = connection.settings_dict
    # Roles are cluster-wide: one per test database, so parallel suites do not share it.
    role = f"app_{settings_dict['NAME']}"[:60]
    password = "app-role-test-password"
    with django_db_blocker.unblock(), psycopg.connect(_conninfo(settings_dict), autocommit=True) as owner:
        with owner.transaction():
            grant_app_role(owner, role, password)
        try:
            yield _conninfo(settings_dict, user=role, password=password)
        finally:
            owner.execute(f'DROP OWNED BY "{role}"')
            owner.execute(f'DROP ROLE "{role}"')


def _refused(app, statement: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refused, app.transaction():
        app.execute(statement)
    return str(refused.value)


def test_the_app_role_may_only_insert_and_select_the_audit_log(app_role, django_db_blocker):
    with django_db_blocker.unblock(), psycopg.connect(app_role, autocommit=True) as app:
        # INSERT and SELECT: yes (rolled back, so the test database keeps no row it cannot delete).
        with app.transaction(force_rollback=True):
            event_id = app.execute(AUDIT_INSERT).fetchone()[0]
            row = app.execute("SELECT action FROM ijh_auditevent WHERE id = %s", [event_id]).fetchone()
            assert row == ("probe",)
        # UPDATE, DELETE, TRUNCATE: refused by the privileges, before any trigger runs.
        for statement in (
            "UPDATE ijh_auditevent SET action = 'x'",
            "DELETE FROM ijh_auditevent",
            "TRUNCATE ijh_auditevent",
        ):
            assert "permission denied" in _refused(app, statement), statement
        # Other tables: read and written as the app needs; the schema itself: untouchable.
        with app.transaction():
            app.execute("SELECT count(*) FROM networks_network").fetchone()
            app.execute("UPDATE ijh_user SET first_name = first_name WHERE false")
            app.execute("DELETE FROM django_session WHERE false")
        assert "permission denied" in _refused(app, "TRUNCATE django_session")
        assert "permission denied" in _refused(app, "CREATE TABLE ijh_intruder (id int)")
        assert "must be owner" in _refused(app, "DROP TRIGGER ijh_audit_no_truncate ON ijh_auditevent")


def test_grant_command_needs_a_postgres_url_and_another_role(monkeypatch):
    with pytest.raises(ValueError):
        role_from_url("sqlite:////tmp/x.sqlite3")
    assert role_from_url("postgres://ijh_app:p%40ss@db:5432/ijh") == ("ijh_app", "p@ss")
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    with pytest.raises(CommandError, match="APP_DATABASE_URL"):
        call_command("grant_app_role")


@pytest.mark.django_db
def test_grant_command_refuses_the_owner_role(monkeypatch):
    owner = connection.settings_dict["USER"]
    monkeypatch.setenv("APP_DATABASE_URL", f"postgres://{owner}@127.0.0.1/x")
    with pytest.raises(CommandError, match="owner"):
        call_command("grant_app_role")


# --- /beheer/ ------------------------------------------------------------------------------------


@pytest.fixture
def root(client, db):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type="auth.group").order_by("id"))


def test_admin_edits_write_audit_events(root):
    response = root.post("/beheer/auth/group/add/", {"name": "Regioteam", "permissions": []})
    assert response.status_code == 302
    group = Group.objects.get(name="Regioteam")
    [added] = _events("admin.added")
    assert added.object_id == str(group.pk) and added.actor_label == "root" and added.detail == "beheer"

    root.post(f"/beheer/auth/group/{group.pk}/change/", {"name": "Regioteam Oost", "permissions": []})
    [changed] = _events("admin.changed")
    assert changed.changed_fields == ["name"]

    root.post(f"/beheer/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert not Group.objects.exists()
    [deleted] = _events("admin.deleted")
    assert deleted.object_id == str(group.pk)


def test_admin_bulk_delete_writes_one_event_per_object(root):
    groups = [Group.objects.create(name=name) for name in ("A", "B", "C")]
    response = root.post(
        "/beheer/auth/group/",
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Group.objects.exists()
    assert sorted(event.object_id for event in _events("admin.deleted")) == sorted(str(g.pk) for g in groups)


def test_no_owner_password_in_the_app_services_environment():
    from django.conf import settings

    text = (settings.BASE_DIR / "docker-compose.yml").read_text()
    app_env = text.split("x-app-env: &app-env", 1)[1].split("\nx-app:", 1)[0]
    migrate = text.split("\n  migrate:", 1)[1].split("\n  web:", 1)[0]
    assert "DATABASE_URL: postgres://ijh_app:" in app_env and "${POSTGRES_PASSWORD" not in app_env
    assert "DATABASE_URL: postgres://ijh:${POSTGRES_PASSWORD" in migrate
    assert "APP_DATABASE_URL: postgres://ijh_app:" in migrate and "grant_app_role" in migrate


@pytest.mark.django_db
def test_deploy_check_warns_when_the_app_connects_as_a_role_that_may_change_the_audit_log():
    from django.core import checks

    # The test database is used by a superuser: exactly what production must not do.
    found = checks.run_checks(
        tags=[checks.Tags.database], include_deployment_checks=True, databases=["default"]
    )
    assert "ijh.W001" in {message.id for message in found}
    assert not {m.id for m in checks.run_checks(tags=[checks.Tags.database], databases=["default"])} & {
        "ijh.W001"
    }


@pytest.mark.django_db
def test_grant_command_refuses_a_powerful_role_as_app_role():
    # Inside the test's transaction: the role disappears with its rollback.
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE ijh_test_too_powerful CREATEROLE")
    with pytest.raises(ValueError, match="superuser or may create roles"):
        grant_app_role(connection.connection, "ijh_test_too_powerful", None)
