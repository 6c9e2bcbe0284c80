"""Reminders by mail (issue 21 §5): meeting invitations, agreements that expire, overdue actions;
each arrives once, in Dutch, with the right link, and only for people who switched it on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from networks import reminders, tasks

from ..factories import (
    ActionItemFactory,
    AgreementFactory,
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://ijh.example.be"


def person(username, **extra):
    return UserFactory(
        username=username, first_name=username.capitalize(), email=f"{username}@example.org", **extra
    )


def test_meeting_invitations_go_once_to_who_wants_them(
    network, smtp_server, deliver_mail, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(body__network=network, starts_at=timezone.now() + datetime.timedelta(days=10))
    past = MeetingFactory(body__network=network, starts_at=timezone.now() - datetime.timedelta(days=1))
    wants, declines = person("sofie"), person("koen", mail_meeting_invitations=False)
    for user in (wants, declines):
        AttendanceFactory(meeting=meeting, user=user)
        AttendanceFactory(meeting=past, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.mail_meeting_invitations() == 1
        assert tasks.mail_meeting_invitations() == 0  # idempotent
    deliver_mail()
    [message] = smtp_server.messages
    assert message["To"] == "sofie@example.org"
    assert message["Subject"].startswith(f"Uitnodiging: {meeting.body} op ")
    text = smtp_server.text(message)
    assert "Beste Sofie," in text and "Je bent uitgenodigd voor" in text
    assert f"https://ijh.example.be{reverse('networks:meeting-detail', args=[meeting.pk])}" in text
    assert "https://ijh.example.be/profiel/#meldingen" in text


def test_agreement_expiry_reminds_its_keepers_once_per_expiry_date(
    network, smtp_server, deliver_mail, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    agreement = AgreementFactory(network=network, valid_until=today + datetime.timedelta(days=20))
    AgreementFactory(network=network, valid_until=today + datetime.timedelta(days=200))  # not yet
    keeper = person("els")
    MembershipFactory(user=keeper, network=network, coordinator=True)
    MembershipFactory(user=person("lid"), network=network)  # a member: not a keeper
    MembershipFactory(user=person("stil", mail_agreement_reminders=False), network=network, coordinator=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.mail_agreement_reminders() == 1
        assert reminders.mail_agreement_reminders() == 0
    deliver_mail()
    [message] = smtp_server.messages
    assert message["To"] == "els@example.org"
    assert "vervalt op" in message["Subject"]
    assert reverse("networks:agreement-detail", args=[agreement.pk]) in smtp_server.text(message)
    # A new expiry date (extended, then expiring again) is a new reminder.
    agreement.valid_until = today + datetime.timedelta(days=30)
    agreement.save()
    assert reminders.mail_agreement_reminders() == 1


def test_overdue_actions_remind_their_owner_once_per_deadline(
    network, smtp_server, deliver_mail, django_capture_on_commit_callbacks
):
    owner, quiet = person("jonas"), person("wim", mail_action_reminders=False)
    action = ActionItemFactory(
        meeting__body__network=network, owner=owner, overdue=True, title="Verwijsfiche herwerken"
    )
    ActionItemFactory(meeting__body__network=network, owner=quiet, overdue=True)
    ActionItemFactory(meeting__body__network=network, owner=owner)  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.mail_daily_reminders() == (0, 1)
        assert tasks.mail_daily_reminders() == (0, 0)
    deliver_mail()
    [message] = smtp_server.messages
    assert message["Subject"] == "Actiepunt over tijd: Verwijsfiche herwerken"
    assert f"had klaar moeten zijn op {action.due_on:%d/%m/%Y}" in smtp_server.text(message)


def test_reminders_skip_accounts_that_are_switched_off(network):
    gone = person("weg", is_active=False)
    ActionItemFactory(meeting__body__network=network, owner=gone, overdue=True)
    assert reminders.mail_action_reminders() == 0
