import pytest
from django.test import override_settings
from django.urls import reverse
from kombu.exceptions import OperationalError

from ijh import views
from ijh.models import AuditEvent, WorkerPing
from tests.factories import MembershipFactory, UserFactory, WorkerPingFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_dutch(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'lang="nl-be"' in response.text
    assert "Gebruikersnaam" in response.text


def test_wrong_password_shows_dutch_error(client):
    UserFactory(username="els")
    response = client.post(reverse("login"), {"username": "els", "password": "fout"})
    assert response.status_code == 200
    assert "gebruikersnaam en wachtwoord" in response.text.lower()


def test_dashboard_lists_my_networks_and_roles(client, django_assert_num_queries):
    membership = MembershipFactory(coordinator=True, network__name="RTJ Waas en Dender")
    MembershipFactory(user=membership.user, network__name="Gevangenis Gent", expired=True)
    client.force_login(membership.user)
    # session, user, then one query per dashboard part: grants to confirm, my roles, my open
    # actions, expiring agreements, my werkplan agreements, my sessions, my planmaker trajectories,
    # werkplan deadlines, the crisis rota of networks I manage, my crisis roles, the learning
    # networks I coordinate (a coordinator: asked); then the session is saved again for the idle
    # timeout (savepoint, update, release)
    with django_assert_num_queries(16):
        response = client.get(reverse("home"))
    assert "RTJ Waas en Dender" in response.text
    assert "coördinator" in response.text
    assert "Gevangenis Gent" not in response.text  # ended roles are not shown
    assert "Mijn deadlines" in response.text


def test_dashboard_queries_do_not_grow_with_roles(client, django_assert_num_queries):
    user = UserFactory()
    MembershipFactory.create_batch(15, user=user)
    client.force_login(user)
    with django_assert_num_queries(15):  # as above, but no coordinator: no learning-network query
        client.get(reverse("home"))


def test_health_ok(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_health_reports_broker_down(client, monkeypatch):
    monkeypatch.setattr(views, "_check_broker", lambda: "error")
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_unknown_url_gets_dutch_404_page(client):
    client.force_login(UserFactory())
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.text


@override_settings(DEBUG=False)
def test_server_error_page_needs_no_context(client, monkeypatch):
    def explode(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.dashboard, "panels_for", explode)
    client.raise_request_exception = False
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text


class TestSystemPage:
    def test_operations_staff_sees_it(self, client):
        client.force_login(UserFactory(is_staff=True))
        assert client.get(reverse("system")).status_code == 200

    def test_network_member_is_refused(self, client):
        client.force_login(MembershipFactory(coordinator=True).user)
        assert client.get(reverse("system")).status_code == 403
        assert client.post(reverse("ping-create")).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        assert client.get(reverse("system")).status_code == 302

    def test_ping_status_of_unknown_ping_is_404(self, client):
        client.force_login(UserFactory(is_staff=True))
        assert client.get(reverse("ping-status", args=[999999])).status_code == 404


def test_ping_is_queued_only_after_commit(client, monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr("ijh.services.ping.delay", lambda ping_id: queued.append(ping_id))
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("ping-create"), headers={"HX-Request": "true"})
    assert queued == []  # nothing published inside the transaction
    for callback in callbacks:
        callback()
    worker_ping = WorkerPing.objects.get()
    assert queued == [worker_ping.pk]
    # The partial polls itself while the worker has not answered.
    assert 'hx-trigger="load delay:1s"' in response.text
    assert AuditEvent.objects.filter(action="worker.ping_requested", actor=staff).exists()


def test_ping_with_broker_down_says_so(client, monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(ping_id):
        raise OperationalError("connection refused")

    monkeypatch.setattr("ijh.services.ping.delay", broker_down)
    client.force_login(UserFactory(is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ping-create"))
    worker_ping = WorkerPing.objects.get()
    assert worker_ping.status == WorkerPing.Status.FAILED
    response = client.get(reverse("ping-status", args=[worker_ping.pk]))
    assert "niet bereikbaar" in response.text
    assert "hx-trigger" not in response.text  # stops polling


def test_answered_ping_stops_polling(client):
    client.force_login(UserFactory(is_staff=True))
    worker_ping = WorkerPingFactory()
    from ijh.tasks import ping

    ping(worker_ping.pk)
    ping(worker_ping.pk)  # a redelivered message changes nothing
    worker_ping.refresh_from_db()
    assert worker_ping.status == WorkerPing.Status.DONE
    response = client.get(reverse("ping-status", args=[worker_ping.pk]))
    assert 'data-ping-status="done"' in response.text
    assert "hx-trigger" not in response.text


def test_english_is_available(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert 'lang="en"' in response.text
    assert "Log in" in response.text
