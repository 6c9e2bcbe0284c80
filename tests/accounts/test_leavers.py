"""Leavers (issue 21 §3): the night after the last role ends the account is deactivated (sessions
ended, invitation links void, a notice to the coordinator); a new role reactivates it."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent, User, UserSession
from networks import leavers, tasks
from networks.models import Invitation, Membership

from ..factories import MembershipFactory, NetworkMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2026, 11, 30)


def at(day: datetime.date, hour: int = 1):
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30))), tick=False
    )


@pytest.fixture
def organisation(network):
    return NetworkMembershipFactory(network=network, organisation__name="CAW Waasland").organisation


@pytest.fixture
def coordinator(network):
    return MembershipFactory(
        network=network,
        coordinator=True,
        user=UserFactory(username="els", first_name="Els", email="els@example.org"),
    ).user


@pytest.fixture
def leaver(network, organisation):
    user = UserFactory(username="jonas", first_name="Jonas", last_name="Peeters", email="jonas@example.org")
    MembershipFactory(user=user, network=network, organisation=organisation, until=LAST_DAY)
    return user


def test_a_leaver_is_deactivated_the_night_after_the_last_role_ends(
    leaver, coordinator, network, smtp_server, deliver_mail, django_capture_on_commit_callbacks
):
    with at(LAST_DAY - datetime.timedelta(days=1)):
        laptop = Client()
        laptop.force_login(leaver)
    open_invitation = Invitation(
        user=leaver, network=network, email="jonas@example.org", invited_by=coordinator
    )
    open_invitation.renew()
    open_invitation.save()

    with at(LAST_DAY):  # the night of the last day: still a role today
        assert tasks.sync_accounts() == (0, 0)
    leaver.refresh_from_db()
    assert leaver.is_active

    with at(LAST_DAY + datetime.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        assert tasks.sync_accounts() == (1, 0)
        assert tasks.sync_accounts() == (0, 0)  # a second run changes nothing
    leaver.refresh_from_db()
    assert (leaver.is_active, leaver.left_on) == (False, LAST_DAY + datetime.timedelta(days=1))
    assert not UserSession.objects.filter(user=leaver).exists()
    assert laptop.get(reverse("home")).status_code == 302
    open_invitation.refresh_from_db()
    assert open_invitation.revoked_at is not None
    # Nothing deleted: the person, the role and its history stay.
    assert Membership.objects.filter(user=leaver).count() == 1
    assert AuditEvent.objects.filter(action="account.deactivated", object_id=str(leaver.pk)).count() == 1

    assert deliver_mail() == 1
    [notice] = smtp_server.to("els@example.org")
    assert notice["Subject"] == "Account van Jonas Peeters gedeactiveerd"
    text = smtp_server.text(notice)
    assert "Beste Els," in text and "eindigde op 30/11/2026" in text
    assert f"/netwerken/{network.pk}/" in text


def test_a_new_role_reactivates_the_account(client, leaver, coordinator, network, organisation):
    with at(LAST_DAY + datetime.timedelta(days=1)):
        leavers.sync_accounts()
    leaver.refresh_from_db()
    assert not leaver.is_active
    today = timezone.localdate()
    client.force_login(coordinator)
    response = client.post(
        reverse("networks:role-add", args=[network.pk]),
        {
            "user": leaver.pk,
            "role": "steering_member",
            "organisation": organisation.pk,
            "since": today.isoformat(),
        },
    )
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.is_active and leaver.left_on is None
    assert AuditEvent.objects.filter(action="account.reactivated", object_id=str(leaver.pk)).exists()


def test_a_role_starting_later_reactivates_on_its_first_night(leaver, network, organisation):
    start = LAST_DAY + datetime.timedelta(days=10)
    with at(LAST_DAY + datetime.timedelta(days=1)):
        leavers.sync_accounts()
    MembershipFactory(user=leaver, network=network, organisation=organisation, since=start)
    with at(start - datetime.timedelta(days=1)):
        assert leavers.sync_accounts() == (0, 0)
    with at(start):
        assert leavers.sync_accounts() == (0, 1)
    leaver.refresh_from_db()
    assert leaver.is_active


def test_accounts_without_roles_or_switched_off_by_an_admin_are_left_alone(network):
    admin = UserFactory(username="beheer-zonder-rol")  # no memberships at all
    switched_off = UserFactory(username="uitgezet", is_active=False)
    MembershipFactory(user=switched_off, network=network)  # active role, but an admin turned it off
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    MembershipFactory(user=superuser, network=network, until=LAST_DAY)
    with at(LAST_DAY + datetime.timedelta(days=2)):
        assert leavers.sync_accounts() == (0, 0)
    assert User.objects.get(pk=admin.pk).is_active
    assert not User.objects.get(pk=switched_off.pk).is_active
    assert User.objects.get(pk=superuser.pk).is_active


def test_a_deactivated_leaver_cannot_log_in(client, leaver):
    with at(LAST_DAY + datetime.timedelta(days=1)):
        leavers.sync_accounts()
    response = client.post(reverse("login"), {"username": "jonas", "password": "correct-horse-battery"})
    assert response.status_code == 200  # the login form again
    assert "_auth_user_id" not in client.session


def test_an_unused_invitation_dies_when_its_role_ends(network, coordinator, organisation):
    invited = UserFactory(username="nieuw@example.org", email="nieuw@example.org", is_active=False)
    MembershipFactory(user=invited, network=network, organisation=organisation, until=LAST_DAY)
    invitation = Invitation(user=invited, network=network, email=invited.email, invited_by=coordinator)
    with at(LAST_DAY - datetime.timedelta(days=2)):
        invitation.renew()
        invitation.save()
    with at(LAST_DAY + datetime.timedelta(days=1)):
        leavers.sync_accounts()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
