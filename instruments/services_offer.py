"""Writes on a prison's offer (issue 20 §2, §3). Each records an audit event in its transaction;
a write that changes nothing records nothing.

The waiting list: enrolling past the places puts the detainee on the waiting list, in the order
asked (never an error); when a participant leaves, the first on the waiting list moves up. The
activity row is locked while places are counted, so two enrolments at once cannot both take
the last place.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.models import User
from ijh.queue import publish_on_commit

from .models_offer import (
    Activity,
    ActivitySession,
    Enrolment,
    OfferFolder,
    SecurityEvent,
    normalise_detainee_code,
    validate_detainee_code,
)


def session_times(activity: Activity) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """Every weekly session from the first to the last day, on the activity's weekday."""
    day = activity.starts_on + datetime.timedelta(days=(activity.weekday - activity.starts_on.weekday()) % 7)
    times = []
    while day <= activity.ends_on and len(times) < Activity.MAX_SESSIONS:
        start = timezone.make_aware(datetime.datetime.combine(day, activity.start_time))
        end = timezone.make_aware(datetime.datetime.combine(day, activity.end_time))
        times.append((start, end))
        day += datetime.timedelta(days=7)
    return times


@transaction.atomic
def create_activity(*, activity: Activity, by: User | None) -> Activity:
    activity.created_by = by
    activity.save()
    sessions = [
        ActivitySession(activity=activity, starts_at=start, ends_at=end)
        for start, end in session_times(activity)
    ]
    # A session that falls in a security period already registered is cancelled at once.
    events = list(
        SecurityEvent.objects.filter(
            network_id=activity.network_id,
            starts_at__lt=timezone.make_aware(
                datetime.datetime.combine(activity.ends_on + datetime.timedelta(days=1), datetime.time.min)
            ),
            ends_at__gt=timezone.make_aware(datetime.datetime.combine(activity.starts_on, datetime.time.min)),
        )
    )
    for session in sessions:
        for event in events:
            if session.starts_at < event.ends_at and session.ends_at > event.starts_at:
                session.status = ActivitySession.Status.CANCELLED
                session.cancel_reason = ActivitySession.CancelReason.SECURITY
                session.security_event = event
    ActivitySession.objects.bulk_create(sessions)
    audit.record(by, "activity.created", activity)
    return activity


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def enrol(*, activity: Activity, detainee_code: str, by: User | None) -> Enrolment:
    """Put a detainee on the participant list, or on the waiting list when the places are taken."""
    code = normalise_detainee_code(detainee_code)
    validate_detainee_code(code)
    activity = _lock(activity)
    if activity.ends_on < timezone.localdate():
        raise ValidationError(_("Deze activiteit is afgelopen: inschrijven kan niet meer."))
    if Enrolment.objects.current().filter(activity=activity, detainee_code=code).exists():
        raise ValidationError(
            _("Deze gedetineerde staat al op de lijst of de wachtlijst van deze activiteit.")
        )
    taken = Enrolment.objects.filter(activity=activity, status=Enrolment.Status.ENROLLED).count()
    now = timezone.now()
    full = taken >= activity.places
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                activity=activity,
                detainee_code=code,
                status=Enrolment.Status.WAITING if full else Enrolment.Status.ENROLLED,
                requested_at=now,
                enrolled_at=None if full else now,
                added_by=by,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Deze gedetineerde staat al op de lijst of de wachtlijst van deze activiteit.")
        ) from exc
    audit.record(
        by,
        "activity.waiting_listed" if full else "activity.enrolled",
        enrolment,
        network_id=activity.network_id,
    )
    return enrolment


@transaction.atomic
def end_enrolment(*, enrolment: Enrolment, by: User | None) -> Enrolment | None:
    """Take a detainee off the list (or the waiting list). A freed place goes to the first on the
    waiting list; that one is returned (None when nobody moved up)."""
    activity = _lock(enrolment.activity)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.ENDED:
        return None  # already done: nothing changes, nothing audited
    freed = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.ENDED
    enrolment.ended_at = timezone.now()
    enrolment.save(update_fields=["status", "ended_at"])
    audit.record(by, "activity.enrolment_ended", enrolment, network_id=activity.network_id)
    if not freed:
        return None
    return _move_up(activity, by=by)


def _move_up(activity: Activity, *, by: User | None) -> Enrolment | None:
    taken = Enrolment.objects.filter(activity=activity, status=Enrolment.Status.ENROLLED).count()
    if taken >= activity.places:
        return None
    first = Enrolment.objects.filter(activity=activity).waiting_in_order().select_for_update().first()
    if first is None:
        return None
    first.status = Enrolment.Status.ENROLLED
    first.enrolled_at = timezone.now()
    first.save(update_fields=["status", "enrolled_at"])
    audit.record(by, "activity.moved_up", first, network_id=activity.network_id, detail="wachtlijst")
    return first


def end_enrolments_of(*, detainee_code: str, network_id: int, by: User | None) -> int:
    """End every current enrolment of a detainee in a prison (a transfer or a release)."""
    ended = 0
    for enrolment in (
        Enrolment.objects.current()
        .filter(detainee_code=detainee_code, activity__network_id=network_id)
        .select_related("activity")
    ):
        end_enrolment(enrolment=enrolment, by=by)
        ended += 1
    return ended


@transaction.atomic
def register_security_event(*, event: SecurityEvent, by: User | None) -> int:
    """Register the period and cancel the sessions in it; return how many were cancelled."""
    overlapping = SecurityEvent.objects.filter(
        network_id=event.network_id, starts_at__lt=event.ends_at, ends_at__gt=event.starts_at
    ).exists()
    if overlapping:
        raise ValidationError(
            _(
                "Deze periode overlapt met een veiligheidsincident dat al geregistreerd is. "
                "Pas dat incident aan of kies een periode die er niet mee overlapt."
            )
        )
    event.registered_by = by
    event.save()
    cancelled = ActivitySession.objects.filter(
        activity__network_id=event.network_id,
        status=ActivitySession.Status.PLANNED,
        starts_at__lt=event.ends_at,
        ends_at__gt=event.starts_at,
    ).update(
        status=ActivitySession.Status.CANCELLED,
        cancel_reason=ActivitySession.CancelReason.SECURITY,
        security_event=event,
    )
    audit.record(by, "security_event.registered", event, detail=f"{cancelled} sessies geannuleerd")
    return cancelled


def request_folder(*, network, by: User | None) -> OfferFolder:
    """The active folder of the network if one is being made (a double click queues one job),
    else a new one queued for the worker."""
    with transaction.atomic():
        active = OfferFolder.objects.filter(network=network, status__in=OfferFolder.ACTIVE_STATUSES).first()
        if active is not None:
            return active
        try:
            with transaction.atomic():
                folder = OfferFolder.objects.create(network=network, requested_by=by)
        except IntegrityError:
            return OfferFolder.objects.get(network=network, status__in=OfferFolder.ACTIVE_STATUSES)
        audit.record(by, "offer_folder.requested", folder, network_id=network.pk)

        def remember(task_id: str | None) -> None:
            if task_id:
                OfferFolder.objects.filter(pk=folder.pk, task_id="").update(task_id=task_id)

        publish_on_commit("instruments.tasks.render_offer_folder", folder.pk, on_result=remember)
    return folder
