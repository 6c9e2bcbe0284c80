"""Writes for reports: narratives (draft → final → correction) and report runs (queued on commit)."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit, queue
from ijh.models import User
from networks.models import GoalProgress, Network, Region

from . import indicators
from .models import (
    CalendarYear,
    GoalIndicator,
    HalfYear,
    LinkedMeasurement,
    Narrative,
    ReportPeriod,
    ReportRun,
)

logger = logging.getLogger(__name__)


def _scope_filter(network: Network | None, region: Region | None, flanders: bool = False) -> dict:
    """A report is for one network, one region, or (``flanders``) all of Flanders."""
    if sum((network is not None, region is not None, flanders)) != 1:
        raise ValueError("a report is for one network, one region or all of Flanders")
    return {"network": network, "region": region}


def check_period(period: ReportPeriod) -> None:
    if period.start > timezone.localdate():
        raise ValidationError(_("Deze periode ligt in de toekomst: er valt nog niets te rapporteren."))


def check_period_ended(period: ReportPeriod) -> None:
    """A final report describes a whole period: not one that is still running."""
    if not period.is_finished():
        raise ValidationError(
            _(
                "De periode %(period)s loopt nog tot en met %(end)s. Een rapport wordt pas definitief "
                "na het einde van de periode; een voorlopige versie kan je altijd maken."
            )
            % {"period": period.label, "end": period.end.strftime("%d/%m/%Y")}
        )


def current_narrative(
    *,
    network: Network | None = None,
    region: Region | None = None,
    flanders: bool = False,
    period: ReportPeriod,
):
    """The newest version for the scope and period (draft or final), or None."""
    return (
        Narrative.objects.filter(
            **_scope_filter(network, region, flanders), year=period.year, half=period.half
        )
        .order_by("-version")
        .first()
    )


def default_period(
    *, network: Network | None = None, region: Region | None = None, flanders: bool = False
) -> HalfYear:
    """The half year a report page opens on: the one just ended, unless its report is final
    already — then the running one, whose draft is what staff work on next."""
    today = timezone.localdate()
    previous = HalfYear.containing(today).previous()
    narrative = current_narrative(network=network, region=region, flanders=flanders, period=previous)
    if narrative is not None and narrative.is_locked:
        return HalfYear.containing(today)
    return previous


@transaction.atomic
def save_narrative(
    *,
    network: Network | None = None,
    region: Region | None = None,
    flanders: bool = False,
    period: ReportPeriod,
    data: dict,
    by: User,
) -> Narrative:
    check_period(period)
    narrative = current_narrative(network=network, region=region, flanders=flanders, period=period)
    if narrative is None:
        narrative = Narrative(
            **_scope_filter(network, region, flanders), year=period.year, half=period.half, version=1
        )
    elif narrative.is_locked:
        raise ValidationError(
            _("Dit rapport is definitief en vergrendeld. Maak een verbeterde versie om iets te wijzigen.")
        )
    for field in ("bottlenecks", "good_practices", "conclusions"):
        setattr(narrative, field, data.get(field, "").strip())
    narrative.updated_by = by
    narrative.save()
    audit.record(
        by, "report.narrative_saved", narrative, network_id=narrative.network_id, changed_fields=list(data)
    )
    return narrative


@transaction.atomic
def finalise_narrative(*, narrative: Narrative, by: User) -> ReportRun:
    """Lock the narrative and make the final report from it."""
    narrative = Narrative.objects.select_for_update().get(pk=narrative.pk)
    if narrative.is_locked:
        raise ValidationError(_("Dit rapport is al definitief."))
    check_period_ended(narrative.period)
    if narrative.is_empty:
        raise ValidationError(
            _(
                "Schrijf eerst het verhalende deel (knelpunten, goede praktijken, conclusies) voor je het rapport definitief maakt."
            )
        )
    narrative.status = Narrative.Status.FINAL
    narrative.finalised_at = timezone.now()
    narrative.updated_by = by
    narrative.save()
    audit.record(
        by,
        "report.narrative_finalised",
        narrative,
        network_id=narrative.network_id,
        changed_fields=["status"],
    )
    return request_report(
        network=narrative.network,
        region=narrative.region,
        flanders=narrative.is_flanders,
        period=narrative.period,
        by=by,
        final=True,
    )


@transaction.atomic
def correct_narrative(*, narrative: Narrative, by: User) -> Narrative:
    narrative = Narrative.objects.select_for_update().get(pk=narrative.pk)
    if not narrative.is_locked:
        raise ValidationError(_("Alleen een definitief rapport wordt verbeterd met een nieuwe versie."))
    latest = current_narrative(
        network=narrative.network,
        region=narrative.region,
        flanders=narrative.is_flanders,
        period=narrative.period,
    )
    if latest.pk != narrative.pk:
        raise ValidationError(_("Er bestaat al een nieuwere versie; verbeter die."))
    correction = Narrative.objects.create(
        network=narrative.network,
        region=narrative.region,
        year=narrative.year,
        half=narrative.half,
        version=narrative.version + 1,
        bottlenecks=narrative.bottlenecks,
        good_practices=narrative.good_practices,
        conclusions=narrative.conclusions,
        corrects=narrative,
        updated_by=by,
    )
    audit.record(by, "report.correction_started", correction, network_id=correction.network_id)
    return correction


RENDER_TASK = "reports.tasks.render_report"


def _record_publishing(run_id: int, task_id: str | None) -> None:
    if task_id is None:
        # The broker is down. The run stays pending and says so; the requeue job picks it up
        # once the broker is back, so the request is not lost.
        ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.PENDING).update(
            error=_(
                "De takenwachtrij is tijdelijk niet bereikbaar. Je aanvraag is bewaard en start zodra ze terug is."
            )
        )
        return
    ReportRun.objects.filter(pk=run_id).update(task_id=task_id, error="")


def _enqueue_on_commit(run_id: int) -> None:
    queue.publish_on_commit(
        RENDER_TASK, run_id, on_result=lambda task_id: _record_publishing(run_id, task_id)
    )


def request_report(
    *,
    network: Network | None = None,
    region: Region | None = None,
    flanders: bool = False,
    period: ReportPeriod,
    by: User | None,
    scheduled: bool = False,
    final: bool = False,
) -> ReportRun:
    """The active run for this scope and period, or a new one queued after commit.

    A double click, or a person racing the scheduler, finds the active run (the partial unique
    constraint makes the race harmless): never two runs.
    """
    check_period(period)
    scope = _scope_filter(network, region, flanders)
    narrative = current_narrative(network=network, region=region, flanders=flanders, period=period)
    if final:
        check_period_ended(period)
        if not (narrative and narrative.is_locked):
            raise ValidationError(_("Er is nog geen definitief verhalend deel voor deze periode."))
    same = {**scope, "year": period.year, "half": period.half, "is_final": final}
    active = ReportRun.objects.active().filter(**same).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            run = ReportRun.objects.create(**same, narrative=narrative, requested_by=by, scheduled=scheduled)
            audit.record(by, "report.requested", run, network_id=run.network_id)
    except IntegrityError:
        return ReportRun.objects.active().get(**same)
    _enqueue_on_commit(run.pk)
    run.was_created = True
    return run


@transaction.atomic
def retry_report(*, run: ReportRun, by: User) -> ReportRun:
    """A failed run is not retried in place: a new run keeps the failure on record."""
    if run.status != ReportRun.Status.FAILED:
        return run
    return request_report(
        network=run.network,
        region=run.region,
        flanders=run.is_flanders,
        period=run.period,
        by=by,
        final=run.is_final,
    )


def requeue_stale_runs(*, older_than_minutes: int = 10) -> int:
    """Queue again runs whose message was lost (broker outage) or whose worker died; give up, with
    a reason on the run, on those that already used all their attempts."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    stale = ReportRun.objects.filter(
        Q(status=ReportRun.Status.PENDING, created_at__lt=cutoff)
        | Q(status=ReportRun.Status.RUNNING, started_at__lt=cutoff)
    )
    stale.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
        status=ReportRun.Status.FAILED,
        finished_at=timezone.now(),
        error=_(
            "Het rapport is %(n)s keer niet afgeraakt (de verwerking stopte telkens). Het wordt niet "
            "opnieuw geprobeerd; vraag het opnieuw aan of meld het aan de beheerder."
        )
        % {"n": settings.JOB_MAX_ATTEMPTS},
    )
    run_ids = list(stale.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).values_list("pk", flat=True))
    for run_id in run_ids:
        _record_publishing(run_id, queue.publish(RENDER_TASK, run_id))
    return len(run_ids)


# How long after 1 January / 1 July a missed scheduling (broker or beat down on the day) is still
# made up for by the safety net: long enough for any outage, short enough that a new installation
# does not suddenly produce reports for a period long gone.
SCHEDULE_CATCH_UP_DAYS = 31


def scheduled_periods(day: datetime.date) -> list[ReportPeriod]:
    """The periods whose draft reports are made on ``day``'s scheduling: the half year just ended
    and, on 1 January, the calendar year just ended as well."""
    half = HalfYear.containing(day).previous()
    if half.half == 2:
        return [half, CalendarYear(half.year)]
    return [half]


def missed_half_year_period(today: datetime.date) -> ReportPeriod | None:
    """A period whose scheduled reports should exist by now and may have been missed (the half
    year just ended, or on the January scheduling the calendar year too)."""
    half = HalfYear.containing(today).previous()
    if (today - half.end).days > SCHEDULE_CATCH_UP_DAYS:
        return None
    for period in scheduled_periods(half.end + datetime.timedelta(days=1)):
        networks = Network.objects.exclude(status=Network.Status.ENDED).filter(started_on__lte=period.end)
        scheduled = ReportRun.objects.filter(year=period.year, half=period.half, scheduled=True)
        if networks.exclude(pk__in=scheduled.filter(network__isnull=False).values("network_id")).exists():
            return period
    return None


@transaction.atomic
def save_goal_indicator(*, goal, figure: str, counts_people: bool, by: User):
    """Link an operational goal's indicator to a registered figure (or back to hand measurement),
    and bring its progress rows in step at once. Unlinking removes the rows the registrations
    wrote; hand measurements stay."""
    if figure and figure not in indicators.REGISTRY:
        raise ValidationError(_("Kies een cijfer uit de lijst."))
    link, created = GoalIndicator.objects.get_or_create(goal=goal, defaults={"updated_by": by})
    changed = [
        name
        for name, value in (("figure", figure), ("counts_people", counts_people))
        if getattr(link, name) != value
    ]
    if not changed and not created:
        return link
    if link.figure and link.figure != figure:
        progress_ids = list(
            LinkedMeasurement.objects.filter(indicator=link).values_list("progress_id", flat=True)
        )
        GoalProgress.objects.filter(pk__in=progress_ids).delete()  # cascades to the measurements
    link.figure, link.counts_people, link.updated_by = figure, counts_people, by
    link.save()
    audit.record(by, "report.goal_indicator_saved", goal, network_id=goal.network_id, changed_fields=changed)
    if figure:
        indicators.sync(goal_ids=[goal.pk])
    return link
