"""Reminders by mail (issue 21 §5): what the dashboards show, sent to those who want it.

Each kind is switchable per person on the profile page (``User.mail_*``). The beat tasks in
networks/tasks.py run these; ``send_mail_once`` keys name the notice and the person, so a run
that repeats (or overlaps another) sends nothing twice:

- ``meeting-invitation:<meeting>:<user>`` for a person invited to a meeting still to come —
  only for invitations made since the job's last run (a watermark, ``ReminderWatermark``) and
  since the person switched these mails on: the first run after an upgrade, or after someone
  switches the mails back on, does not mail every invitation of every future meeting;
- ``agreement-expiry:<agreement>:<valid_until>:<user>`` once per expiry date, to the people who
  keep the agreement (coordinators and chairs of the network, staff of its region);
- ``action-overdue:<action>:<due_on>:<user>`` once per deadline, to the action's owner.
"""

import datetime

from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh.mail import absolute_url, send_mail_once
from ijh.models import OutgoingMail, User

from .models import ActionItem, Agreement, Attendance, Membership, ReminderWatermark

BATCH = 500


def _preferences_link() -> str:
    return absolute_url(reverse("account:profile") + "#meldingen")


def _not_mailed(queryset, *parts):
    """Rows whose mail key (built from ``parts``) has no OutgoingMail yet."""
    pieces = []
    for part in parts:
        pieces.append(Cast(part, CharField()) if not isinstance(part, Value) else part)
    keyed = queryset.annotate(mail_key=Concat(*pieces, output_field=CharField()))
    return keyed.exclude(Exists(OutgoingMail.objects.filter(key=OuterRef("mail_key"))))


MEETING_INVITATIONS = "meeting-invitations"
# The job looks back this far before its watermark: an invitation whose transaction was still open
# when the last run read the table has an earlier invited_at than that run's start. The mail key
# keeps what the overlap sees twice from being mailed twice.
WATERMARK_OVERLAP = datetime.timedelta(minutes=10)


def _watermark(job: str, now) -> ReminderWatermark:
    # Without a row (a new database; the migration creates it) the job starts from now.
    watermark, _created = ReminderWatermark.objects.get_or_create(job=job, defaults={"at": now})
    return watermark


def _advance(job: str, to) -> None:
    ReminderWatermark.objects.filter(job=job, at__lt=to).update(at=to)


def mail_meeting_invitations(now=None) -> int:
    now = now or timezone.now()
    since = _watermark(MEETING_INVITATIONS, now).at - WATERMARK_OVERLAP
    attendances = _not_mailed(
        Attendance.objects.filter(
            meeting__starts_at__gt=now,
            status=Attendance.Status.INVITED,
            invited_at__gt=since,
            user__is_active=True,
            user__mail_meeting_invitations=True,
        )
        .filter(
            Q(user__mail_meeting_invitations_since__isnull=True)
            | Q(invited_at__gte=F("user__mail_meeting_invitations_since"))
        )
        .exclude(user__email=""),
        Value("meeting-invitation:"),
        "meeting_id",
        Value(":"),
        "user_id",
    ).select_related("meeting__body", "meeting__network", "user")
    batch = list(attendances.order_by("invited_at", "pk")[:BATCH])
    sent = 0
    for attendance in batch:
        meeting, user = attendance.meeting, attendance.user
        starts = timezone.localtime(meeting.starts_at)
        where = meeting.location or meeting.online_link
        send_mail_once(
            key=attendance.mail_key,
            to=user.email,
            subject=_("Uitnodiging: %(body)s op %(day)s")
            % {"body": meeting.body, "day": starts.strftime("%d/%m/%Y")},
            template="notice",
            context={
                "name": user.first_name,
                "paragraphs": [
                    _("Je bent uitgenodigd voor %(body)s van %(network)s op %(day)s om %(time)s, %(where)s.")
                    % {
                        "body": meeting.body,
                        "network": meeting.network,
                        "day": starts.strftime("%d/%m/%Y"),
                        "time": starts.strftime("%H:%M"),
                        "where": where,
                    },
                    _("De agenda en de stukken staan bij de vergadering."),
                ],
                "link": absolute_url(reverse("networks:meeting-detail", args=[meeting.pk])),
                "link_label": _("Bekijk de vergadering"),
                "preferences_link": _preferences_link(),
            },
        )
        sent += 1
    # A full batch leaves the rest for the next run: the watermark goes only as far as this one
    # got (the overlap and the mail keys make the repeat harmless).
    _advance(MEETING_INVITATIONS, batch[-1].invited_at if len(batch) == BATCH else now)
    return sent


def _agreement_keepers(agreement: Agreement):
    mine = Membership.objects.active()
    return (
        User.objects.filter(is_active=True, mail_agreement_reminders=True)
        .exclude(email="")
        .filter(
            Q(
                memberships__in=mine.filter(
                    network_id=agreement.network_id, role__in=Membership.MANAGING_NETWORK_ROLES
                )
            )
            | Q(
                memberships__in=mine.filter(region_id=agreement.network.region_id, role=Membership.Role.STAFF)
            )
        )
        .distinct()
    )


def mail_agreement_reminders(today=None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for agreement in Agreement.objects.expiring(today).select_related("network"):
        for user in _agreement_keepers(agreement):
            key = f"agreement-expiry:{agreement.pk}:{agreement.valid_until.isoformat()}:{user.pk}"
            if OutgoingMail.objects.filter(key=key).exists():
                continue
            send_mail_once(
                key=key,
                to=user.email,
                subject=_("%(title)s vervalt op %(day)s")
                % {"title": agreement, "day": agreement.valid_until.strftime("%d/%m/%Y")},
                template="notice",
                context={
                    "name": user.first_name,
                    "paragraphs": [
                        _(
                            "%(title)s van %(network)s is geldig tot en met %(day)s. Plan tijdig een nieuwe versie "
                            "of een verlenging."
                        )
                        % {
                            "title": agreement,
                            "network": agreement.network,
                            "day": agreement.valid_until.strftime("%d/%m/%Y"),
                        }
                    ],
                    "link": absolute_url(reverse("networks:agreement-detail", args=[agreement.pk])),
                    "link_label": _("Bekijk de afspraak"),
                    "preferences_link": _preferences_link(),
                },
            )
            sent += 1
    return sent


def mail_action_reminders(today=None) -> int:
    today = today or timezone.localdate()
    actions = _not_mailed(
        ActionItem.objects.overdue(today)
        .filter(owner__is_active=True, owner__mail_action_reminders=True)
        .exclude(owner__email=""),
        Value("action-overdue:"),
        "pk",
        Value(":"),
        "due_on",
        Value(":"),
        "owner_id",
    ).select_related("owner", "network", "meeting__body")
    sent = 0
    for action in actions[:BATCH]:
        owner = action.owner
        send_mail_once(
            key=action.mail_key,
            to=owner.email,
            subject=_("Actiepunt over tijd: %(title)s") % {"title": action.title},
            template="notice",
            context={
                "name": owner.first_name,
                "paragraphs": [
                    _(
                        "Het actiepunt ‘%(title)s’ (%(network)s, %(meeting)s) had klaar moeten zijn op %(day)s."
                    )
                    % {
                        "title": action.title,
                        "network": action.network,
                        "meeting": action.meeting,
                        "day": action.due_on.strftime("%d/%m/%Y"),
                    },
                    _("Zet het op ‘afgerond’ als het klaar is, of spreek een nieuwe deadline af."),
                ],
                "link": absolute_url(reverse("networks:meeting-detail", args=[action.meeting_id])),
                "link_label": _("Bekijk het actiepunt"),
                "preferences_link": _preferences_link(),
            },
        )
        sent += 1
    return sent
