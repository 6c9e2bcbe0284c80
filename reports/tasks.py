"""Report rendering in the worker. Idempotent, acks late, time-limited; state in the ReportRun row."""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone, translation

from ijh import jobs
from ijh.files import store_atomically
from networks.models import Network, Region

from . import history_services, indicators, services
from .models import ReportRun, period_of, report_file_path

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300
STALE_AFTER = datetime.timedelta(seconds=TIME_LIMIT)


def _claim(run_id: int, task_id: str) -> ReportRun | None:
    # A failed run may be delivered again (the requeue job) and then runs: only DONE is final.
    return jobs.claim(
        ReportRun.objects.select_related("network__region", "region", "narrative"),
        run_id,
        task_id=task_id,
        stale_after=STALE_AFTER,
        finished=(ReportRun.Status.DONE,),
        start_progress=5,
    )


def _progress(run: ReportRun, value: int) -> None:
    ReportRun.objects.filter(pk=run.pk).update(progress=value)


def _narrative_dict(run: ReportRun) -> dict | None:
    narrative = run.narrative
    if narrative is None:
        return None
    return {
        "bottlenecks": narrative.bottlenecks,
        "good_practices": narrative.good_practices,
        "conclusions": narrative.conclusions,
        "version": narrative.version,
        "status": narrative.status,
    }


def _version_label(run: ReportRun) -> str:
    from django.utils.translation import gettext as _

    if run.narrative is None:
        return _("ontwerp zonder verhalend deel")
    if run.is_final:
        return _("definitieve versie %(version)s") % {"version": run.narrative.version}
    return _("ontwerp, versie %(version)s") % {"version": run.narrative.version}


@shared_task(bind=True, acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_report(self, run_id: int) -> None:
    from . import document, figures  # heavy imports only in the worker

    run = _claim(run_id, self.request.id or "")
    if run is None:
        return
    try:
        with translation.override("nl-be"):
            # Reuse the snapshot of an interrupted attempt: the retry renders the same figures.
            if run.figures is None:
                run.figures = figures.compute(
                    network=run.network, region=run.region, flanders=run.is_flanders, period=run.period
                )
                ReportRun.objects.filter(pk=run.pk).update(figures=run.figures, progress=40)
            else:
                _progress(run, 40)
            pdf = document.render_pdf(
                snapshot=run.figures, narrative=_narrative_dict(run), version_label=_version_label(run)
            )
        _progress(run, 85)
        name = store_atomically(report_file_path(run, "report.pdf"), pdf)
        jobs.finish(run, file=name, progress=100)
    except SoftTimeLimitExceeded:
        jobs.fail(run, "Het rapport duurde te lang en werd afgebroken.")
    except Exception as exc:
        logger.exception("Report run %s failed", run_id)
        jobs.fail(run, f"Het rapport kon niet gemaakt worden ({type(exc).__name__}).")


@shared_task(acks_late=True)
def schedule_half_year_reports(today: str | None = None) -> int:
    """On 1 January and 1 July: a draft run for the half year just ended (and on 1 January for
    the calendar year just ended too), for every active network, every region that has one and
    Flanders. One task per scope, so one failure stops nothing. Idempotent
    (``create_scheduled_run`` skips scopes that have their run), so the safety net can call it
    again when the day was missed."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    count = 0
    for period in services.scheduled_periods(day):
        networks = list(
            Network.objects.exclude(status=Network.Status.ENDED)
            .filter(started_on__lte=period.end)
            .values_list("pk", "region_id")
        )
        for network_id, _region_id in networks:
            create_scheduled_run.delay("network", network_id, period.year, period.half)
        for region_id in sorted({region_id for _network_id, region_id in networks}):
            create_scheduled_run.delay("region", region_id, period.year, period.half)
        if networks:
            create_scheduled_run.delay("flanders", 0, period.year, period.half)
        count += len(networks)
    return count


@shared_task(acks_late=True)
def create_scheduled_run(scope_type: str, scope_id: int, year: int, half: int) -> None:
    period = period_of(year, half)
    if scope_type == "network":
        scope, filter_scope = {"network": Network.objects.get(pk=scope_id)}, {"network_id": scope_id}
    elif scope_type == "region":
        scope, filter_scope = {"region": Region.objects.get(pk=scope_id)}, {"region_id": scope_id}
    else:
        scope, filter_scope = {"flanders": True}, {"network__isnull": True, "region__isnull": True}
    # Idempotent: a second delivery finds the scheduled run already there.
    if ReportRun.objects.filter(**filter_scope, year=year, half=half, scheduled=True).exists():
        return
    with transaction.atomic():
        services.request_report(**scope, period=period, by=None, scheduled=True)


@shared_task
def requeue_stale_report_runs() -> int:
    """Every five minutes: lost or dead runs and history imports again, and the half-year
    scheduling if its day passed while the broker or beat was down."""
    today = timezone.localdate()
    if services.missed_half_year_period(today) is not None:
        schedule_half_year_reports(today.isoformat())
    history_services.requeue_stale_imports()
    return services.requeue_stale_runs()


@shared_task(bind=True, acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def import_history(self, batch_id: int) -> None:
    """Import a checked history file (reports/history_services.py): idempotent, one transaction."""
    with translation.override("nl-be"):
        try:
            history_services.run_import(batch_id, self.request.id or "")
        except SoftTimeLimitExceeded:
            history_services.fail(
                batch_id, "De import duurde te lang en werd afgebroken. Er is niets geïmporteerd."
            )


@shared_task(acks_late=True)
def sync_linked_indicators() -> int:
    """Nightly: the progress rows of goals linked to registered figures follow the registrations."""
    with translation.override("nl-be"):
        return indicators.sync()
