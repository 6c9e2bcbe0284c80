import sqlite3
import subprocess
import sys

import pytest
from django.db import DatabaseError, connection, transaction

from ijh import audit
from ijh.models import AuditEvent
from tests.factories import AuditEventFactory, NetworkMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_stores_who_what_and_field_names_only():
    # given
    actor = UserFactory(username="els")
    membership = NetworkMembershipFactory()
    # when
    event = audit.record(
        actor, "network.organisation_added", membership, changed_fields=["kind", "since", "kind"]
    )
    # then
    event.refresh_from_db()
    assert event.actor_id == actor.pk
    assert event.actor_label == "els"
    assert event.object_type == "networks.networkmembership"
    assert event.object_id == str(membership.pk)
    assert event.network_id == membership.network_id  # taken from the object
    assert event.changed_fields == ["kind", "since"]


def test_record_without_actor_or_object():
    event = audit.record(None, "retention.run")
    assert (event.actor_id, event.actor_label, event.object_type, event.object_id) == (None, "", "", "")


def test_python_api_refuses_update_and_delete():
    event = AuditEventFactory()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ijh_auditevent SET action = 'tampered' WHERE id = %s",
        "DELETE FROM ijh_auditevent WHERE id = %s",
    ],
)
def test_database_trigger_refuses_update_and_delete(statement):
    """Even raw SQL past the ORM cannot rewrite history (PostgreSQL trigger from migration 0002)."""
    assert connection.vendor == "postgresql"
    event = AuditEventFactory(action="original")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "original"


def test_events_outlive_the_user_they_name():
    actor = UserFactory(username="weg")
    event = audit.record(actor, "case.viewed")
    actor.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_label == "weg"
    assert event.actor_id is not None  # no foreign key constraint: the trail keeps the id


@pytest.mark.django_db(transaction=False)
def test_sqlite_trigger_refuses_update_and_delete(tmp_path):
    """The embedded default gets the same guarantee: migrate a fresh SQLite file and try."""
    env = {"VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "ijh.settings", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=120
    )
    db = sqlite3.connect(tmp_path / "ijh.sqlite3")
    db.execute(
        "INSERT INTO ijh_auditevent (at, actor_label, action, object_type, object_id, changed_fields, detail) "
        "VALUES ('2026-11-22 10:00:00', 'x', 'original', '', '', '[]', '')"
    )
    db.commit()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE ijh_auditevent SET action = 'tampered'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM ijh_auditevent")
    assert db.execute("SELECT action FROM ijh_auditevent").fetchall() == [("original",)]
