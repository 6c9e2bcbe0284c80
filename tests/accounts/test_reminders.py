"""Reminders by mail (issue 21 §5): meeting invitations, agreements that expire, overdue actions;
each arrives once, in Dutch, with the right link, and only for people who switched it on."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ijh.models import OutgoingMail
from networks import reminders, tasks
from networks.models import ReminderWatermark

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


def _run_at(moment):
    with time_machine.travel(moment, tick=False):
        return reminders.mail_meeting_invitations()


def test_meeting_invitations_mail_only_what_is_new_since_the_last_run(network):
    # given a history: the job last ran two days ago; a meeting next month with people invited a
    # week ago (mailed then, or from before mails existed) and one invited yesterday
    now = timezone.now()
    ReminderWatermark.objects.update_or_create(
        job=reminders.MEETING_INVITATIONS, defaults={"at": now - datetime.timedelta(days=2)}
    )
    meeting = MeetingFactory(body__network=network, starts_at=now + datetime.timedelta(days=30))
    old = [person(name) for name in ("oud", "ouder")]
    for user in old:
        AttendanceFactory(meeting=meeting, user=user, invited_at=now - datetime.timedelta(days=7))
    AttendanceFactory(meeting=meeting, user=person("onbekend"), invited_at=None)  # before it was recorded
    new = AttendanceFactory(
        meeting=meeting, user=person("nieuw"), invited_at=now - datetime.timedelta(days=1)
    )

    # when the job runs, then only the invitation made since its last run is mailed
    assert _run_at(now) == 1
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["nieuw@example.org"]
    assert OutgoingMail.objects.get().key == f"meeting-invitation:{meeting.pk}:{new.user_id}"
    # and the watermark moved to this run: a run an hour later sends nothing again
    assert ReminderWatermark.objects.get(job=reminders.MEETING_INVITATIONS).at == now
    assert _run_at(now + datetime.timedelta(hours=1)) == 0

    # an invitation made between two runs goes with the next run, once
    later = AttendanceFactory(
        meeting=meeting, user=person("laat"), invited_at=now + datetime.timedelta(hours=1, minutes=5)
    )
    assert _run_at(now + datetime.timedelta(hours=2)) == 1
    assert OutgoingMail.objects.filter(key__endswith=f":{later.user_id}").count() == 1


def test_an_invitation_committed_after_a_run_read_the_table_is_still_mailed(network):
    # An invitation stamped just before a run's start but committed after that run read the
    # table: the overlap before the watermark catches it, the mail key keeps it single.
    now = timezone.now()
    ReminderWatermark.objects.update_or_create(job=reminders.MEETING_INVITATIONS, defaults={"at": now})
    meeting = MeetingFactory(body__network=network, starts_at=now + datetime.timedelta(days=3))
    AttendanceFactory(meeting=meeting, user=person("traag"), invited_at=now - datetime.timedelta(minutes=1))
    assert _run_at(now + datetime.timedelta(minutes=15)) == 1
    assert _run_at(now + datetime.timedelta(minutes=16)) == 0


def test_switching_the_mails_back_on_does_not_mail_older_invitations(
    network, django_capture_on_commit_callbacks
):
    now = timezone.now()
    ReminderWatermark.objects.update_or_create(
        job=reminders.MEETING_INVITATIONS, defaults={"at": now - datetime.timedelta(hours=3)}
    )
    meeting = MeetingFactory(body__network=network, starts_at=now + datetime.timedelta(days=5))
    user = person("lies", mail_meeting_invitations=False)
    MembershipFactory(user=user, network=network)
    AttendanceFactory(meeting=meeting, user=user, invited_at=now - datetime.timedelta(hours=2))
    # she switches the mails on, on her profile page, an hour later
    client = Client()
    client.force_login(user)
    with time_machine.travel(now - datetime.timedelta(hours=1), tick=False):
        client.post(reverse("account:preferences"), {"mail_meeting_invitations": "on"})
    user.refresh_from_db()
    assert user.mail_meeting_invitations
    assert user.mail_meeting_invitations_since == now - datetime.timedelta(hours=1)
    # the invitation made while they were off is not mailed; the next one is
    assert _run_at(now) == 0
    second = MeetingFactory(body__network=network, starts_at=now + datetime.timedelta(days=9))
    AttendanceFactory(meeting=second, user=user, invited_at=now + datetime.timedelta(minutes=1))
    assert _run_at(now + datetime.timedelta(minutes=15)) == 1
    assert OutgoingMail.objects.get().key == f"meeting-invitation:{second.pk}:{user.pk}"


def test_the_first_run_on_an_upgraded_database_mails_no_old_invitation(network):
    # The migration left old invitations without a time and set the watermark; a missing
    # watermark (a fresh database) means: start from now.
    ReminderWatermark.objects.all().delete()
    meeting = MeetingFactory(body__network=network, starts_at=timezone.now() + datetime.timedelta(days=8))
    for name in ("een", "twee", "drie"):
        AttendanceFactory(meeting=meeting, user=person(name), invited_at=None)
    AttendanceFactory(
        meeting=meeting, user=person("vorigjaar"), invited_at=timezone.now() - datetime.timedelta(days=300)
    )
    assert reminders.mail_meeting_invitations() == 0
    assert ReminderWatermark.objects.filter(job=reminders.MEETING_INVITATIONS).exists()
