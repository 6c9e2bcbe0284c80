"""Issue 20 §2, §3: the offer in a prison — activities per domain, participant lists by code, the
waiting list in order, security events that cancel sessions, the welcome folder PDF."""

import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent
from instruments import services_offer as services
from instruments.models import Activity, ActivitySession, Enrolment, OfferFolder, SecurityEvent
from tests.factories_detention import ActivityFactory

pytestmark = pytest.mark.django_db

GET_ONLY_URL_NAMES = {
    "instruments:offer",
    "instruments:activity",
    "instruments:folder-status",
    "instruments:folder-download",
}

NOW = datetime.datetime(2026, 10, 5, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def activity(prison, provider):
    return ActivityFactory(network=prison, provider=provider, title="Voetbal op dinsdag", places=2)


def codes(activity, status):
    return list(
        Enrolment.objects.filter(activity=activity, status=status)
        .order_by("requested_at", "pk")
        .values_list("detainee_code", flat=True)
    )


def test_sessions_follow_the_schedule(activity):
    sessions = list(activity.sessions.all())
    assert sessions[0].starts_at.date() == datetime.date(2026, 9, 1)  # a Tuesday
    assert all(timezone.localtime(s.starts_at).weekday() == 1 for s in sessions)
    assert len(sessions) == Activity.MAX_SESSIONS or sessions[-1].starts_at.date() <= activity.ends_on


def test_enrolling_past_the_places_puts_on_the_waiting_list_in_order(activity):
    for code in ("GD-0001", "GD-0002", "GD-0003", "GD-0004"):
        services.enrol(activity=activity, detainee_code=code, by=None)
    assert codes(activity, Enrolment.Status.ENROLLED) == ["GD-0001", "GD-0002"]
    assert codes(activity, Enrolment.Status.WAITING) == ["GD-0003", "GD-0004"]
    # a freed place goes to the first on the waiting list
    first = Enrolment.objects.get(detainee_code="GD-0001")
    moved = services.end_enrolment(enrolment=first, by=None)
    assert moved.detainee_code == "GD-0003"
    assert codes(activity, Enrolment.Status.ENROLLED) == ["GD-0002", "GD-0003"]
    assert codes(activity, Enrolment.Status.WAITING) == ["GD-0004"]
    assert AuditEvent.objects.filter(action="activity.moved_up").count() == 1
    # ending it again changes nothing and audits nothing
    events = AuditEvent.objects.count()
    assert services.end_enrolment(enrolment=first, by=None) is None
    assert AuditEvent.objects.count() == events
    # leaving the waiting list frees no place
    assert services.end_enrolment(enrolment=Enrolment.objects.get(detainee_code="GD-0004"), by=None) is None


def test_guide_enrols_through_the_page_and_full_means_waiting_list(client, activity, guide):
    client.force_login(guide.user)
    url = reverse("instruments:activity-enrol", args=[activity.pk])
    for code in (" gd-0001", "GD-0002", "GD-0003"):
        assert client.post(url, {"detainee_code": code}).status_code == 302
    response = client.get(reverse("instruments:activity", args=[activity.pk]))
    page = response.content.decode()
    assert "staat op de wachtlijst" in page  # the message after the third
    assert "GD-0001" in page and "GD-0003" in page
    # twice the same: a Dutch message, nothing added
    response = client.post(url, {"detainee_code": "GD-0003"})
    assert response.status_code == 422
    assert "staat al op de lijst of de wachtlijst" in response.content.decode()
    # a name instead of a code
    for name in ("Jan Peeters", "PEETERS"):
        response = client.post(url, {"detainee_code": name})
        assert response.status_code == 422
        assert "Gebruik nooit een naam" in response.content.decode()
    assert Enrolment.objects.count() == 3


def test_who_sees_the_lists(
    client, activity, guide, offer_coordinator, provider_rep, policy_officer, management, prison_outsider
):
    services.enrol(activity=activity, detainee_code="GD-0042", by=None)
    url = reverse("instruments:activity", args=[activity.pk])
    for persona in (guide, offer_coordinator, provider_rep):
        client.force_login(persona.user)
        assert "GD-0042" in client.get(url).content.decode()
    for persona in (policy_officer, management):
        client.force_login(persona.user)
        page = client.get(url).content.decode()
        assert "GD-0042" not in page and "1 ingeschreven" in page  # counts only
        assert (
            client.post(
                reverse("instruments:activity-enrol", args=[activity.pk]), {"detainee_code": "GD-0043"}
            ).status_code
            == 403
        )
    client.force_login(prison_outsider.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("instruments:offer", args=[activity.network_id])).status_code == 404
    # the provider sees codes but may not enrol or end
    client.force_login(provider_rep.user)
    enrolment = Enrolment.objects.get()
    assert client.post(reverse("instruments:enrolment-end", args=[enrolment.pk])).status_code == 403
    assert Enrolment.objects.get().status == Enrolment.Status.ENROLLED


def test_offer_coordinator_keeps_the_offer(client, prison, provider, offer_coordinator, management):
    data = {
        "domain": "education",
        "title": "Nederlands tweede taal",
        "provider": provider.pk,
        "target_group": "Anderstalige gedetineerden",
        "places": "12",
        "weekday": "2",
        "start_time": "09:00",
        "end_time": "11:30",
        "starts_on": "2026-10-07",
        "ends_on": "2026-12-16",
        "location": "Leslokaal 2",
        "description": "",
    }
    url = reverse("instruments:activity-create", args=[prison.pk])
    client.force_login(management.user)
    assert client.post(url, data).status_code == 403
    client.force_login(offer_coordinator.user)
    bad = client.post(url, {**data, "end_time": "08:00", "places": "0"})
    assert bad.status_code == 422
    assert "Het einduur ligt niet na het beginuur." in bad.content.decode()
    assert client.post(url, data).status_code == 302
    activity = Activity.objects.get()
    assert activity.sessions.count() == 11
    assert AuditEvent.objects.filter(action="activity.created").exists()


def test_offer_page_queries_do_not_grow(
    client, prison, provider, offer_coordinator, django_assert_num_queries
):
    ActivityFactory.create_batch(6, network=prison, provider=provider, ends_on=datetime.date(2026, 12, 31))
    client.force_login(offer_coordinator.user)
    url = reverse("instruments:offer", args=[prison.pk])
    client.get(url)
    # session, user, network with flags, activities with counts (one query), latest folder,
    # security events, and the base template's (messages, navigation)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    ActivityFactory.create_batch(6, network=prison, provider=provider, ends_on=datetime.date(2026, 12, 31))
    with django_assert_num_queries(8):
        client.get(url)


def test_activity_page_queries_do_not_grow(client, activity, guide, django_assert_num_queries):
    for n in range(5):
        services.enrol(activity=activity, detainee_code=f"GD-{n:04d}", by=None)
    client.force_login(guide.user)
    url = reverse("instruments:activity", args=[activity.pk])
    client.get(url)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_security_event_cancels_the_sessions_in_its_period(
    client, prison, provider, offer_coordinator, policy_officer, management
):
    sport = ActivityFactory(network=prison, provider=provider, weekday=1, ends_on=datetime.date(2026, 12, 31))
    school = ActivityFactory(
        network=prison, provider=provider, weekday=3, ends_on=datetime.date(2026, 12, 31)
    )
    url = reverse("instruments:security", args=[prison.pk])
    data = {
        "kind": "lockdown",
        "starts_at": "2026-10-06T00:00",
        "ends_at": "2026-10-08T00:00",
        "note": "Lockdown na incident",
    }
    client.force_login(management.user)
    assert client.post(url, data).status_code == 403
    client.force_login(policy_officer.user)
    response = client.post(url, data, follow=True)
    assert "1 sessies zijn geannuleerd" in response.content.decode()
    lost = ActivitySession.objects.filter(cancel_reason=ActivitySession.CancelReason.SECURITY)
    assert [s.activity for s in lost] == [sport]  # Tuesday 6 October; Thursday 8 October starts after the end
    assert lost.get().security_event == SecurityEvent.objects.get()
    assert school.sessions.filter(status=ActivitySession.Status.CANCELLED).count() == 0
    # overlapping: a Dutch message, nothing registered
    client.force_login(offer_coordinator.user)
    response = client.post(url, {**data, "starts_at": "2026-10-07T12:00", "ends_at": "2026-10-09T00:00"})
    assert response.status_code == 422
    assert "overlapt met een veiligheidsincident" in response.content.decode()
    assert SecurityEvent.objects.count() == 1
    # end before start
    response = client.post(url, {**data, "starts_at": "2026-11-07T12:00", "ends_at": "2026-11-07T10:00"})
    assert "Het einde ligt niet na het begin." in response.content.decode()
    # the offer page counts the session lost, also in the reach per domain
    page = client.get(reverse("instruments:offer", args=[prison.pk])).content.decode()
    assert 'data-figure="lost">1<' in page
    assert re.search(r'data-domain="sport">.*?<td class="num">1</td></tr>', page, re.S)
    # an activity made later skips the period too
    later = ActivityFactory(
        network=prison,
        provider=provider,
        weekday=2,
        starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 31),
    )
    assert later.sessions.filter(cancel_reason="security").count() == 1


def test_welcome_folder_holds_the_current_offer(
    client, prison, provider, offer_coordinator, fake_broker, settings, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    from instruments.tasks import render_offer_folder

    ActivityFactory(
        network=prison,
        provider=provider,
        domain="culture",
        title="Theaterwerkplaats",
        ends_on=datetime.date(2026, 12, 31),
    )
    ActivityFactory(
        network=prison,
        provider=provider,
        domain="sport",
        title="Voormalige fitness",
        starts_on=datetime.date(2026, 1, 6),
        ends_on=datetime.date(2026, 6, 30),
    )
    client.force_login(offer_coordinator.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("instruments:folder-create", args=[prison.pk]), headers={"HX-Request": "true"}
        )
    assert response.status_code == 200 and "hx-trigger" in response.content.decode()
    folder = OfferFolder.objects.get()
    assert fake_broker.ids("instruments.tasks.render_offer_folder") == [folder.pk]
    # a double click queues nothing more
    client.post(reverse("instruments:folder-create", args=[prison.pk]))
    assert OfferFolder.objects.count() == 1
    render_offer_folder.apply(args=[folder.pk])
    folder.refresh_from_db()
    assert folder.status == OfferFolder.Status.DONE, folder.error
    download = client.get(reverse("instruments:folder-download", args=[folder.pk]))
    pdf = b"".join(download.streaming_content)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Theaterwerkplaats" in text and "Cultuur" in text
    assert "Voormalige fitness" not in text  # ended before today: not current
    status = client.get(reverse("instruments:folder-status", args=[folder.pk])).content.decode()
    assert "Onthaalmap downloaden" in status
