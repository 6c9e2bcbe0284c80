"""Every response that shows client-identifying data is logged, once per request (DESIGN.md §5).

Views call ``log_read(request, obj, page=..., case_id=...)`` after the access check, for pages,
htmx partials, downloads and exports alike. The first call of a request writes one audit event
(``<label>.viewed`` or ``.downloaded``, the object, the client file and the kind of page); later
calls in the same request write nothing. The case team reads them all on "wie heeft ingekeken"
(``case_reads``), per person and day.
"""

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ijh import audit
from ijh.models import AuditEvent

_LOGGED = "_client_read_logged"

# The kinds of page, as the team reads them on "wie heeft ingekeken". A module adds its own.
PAGE_LABELS = {
    "case": _("dossier"),
    "case_list": _("dossierlijst"),
    "case_edit": _("dossier bewerken"),
    "timeline": _("tijdlijn"),
    "viewers": _("wie heeft ingekeken"),
    "consent_evidence": _("bewijsstuk toestemming"),
    "conference": _("cliëntoverleg"),
    "conference_request": _("aanvraag cliëntoverleg"),
    "conference_inbox": _("inbox cliëntoverleg"),
    "session": _("overleg"),
    "referral": _("verwijzing en gegevensfiche"),
    "referral_form": _("verwijzing opstellen"),
    "referral_inbox": _("inbox verwijzingen"),
    "document": _("document"),
    "guidance": _("trajectbegeleiding"),
    "guidance_list": _("caseload trajectbegeleiding"),
    "transfer": _("overplaatsing"),
    "crisis_meldpunt": _("meldpunt: oproepen en lopende crisisstappen"),
    "crisis_episode": _("crisisepisode"),
    "crisis_steps": _("mijn crisisstappen"),
    "trajectory": _("planmakerstraject"),
    "trajectory_form": _("aanmelding bij de planmakers"),
    "trajectory_list": _("planmakerstrajecten"),
    "bottleneck": _("knelpunt met trajecten"),
    "carousel": _("carrouselsignaal (pseudoniemen)"),
}


def log_read(
    request: HttpRequest,
    obj=None,
    *,
    page: str,
    case_id: int | None = None,
    network_id: int | None = None,
    action: str = "",
    downloaded: bool = False,
) -> None:
    """Log that this response shows client data. ``obj`` is what was read (None for a list);
    ``case_id`` the client file it belongs to; ``page`` a key of ``PAGE_LABELS``."""
    if getattr(request, _LOGGED, False):
        return
    setattr(request, _LOGGED, True)
    if not action:
        label = obj._meta.model_name if obj is not None else page
        action = f"{label}.{'downloaded' if downloaded else 'viewed'}"
    audit.record(request.user, action, obj, network_id=network_id, case_id=case_id, detail=page)


def read_was_logged(request: HttpRequest) -> bool:
    return bool(getattr(request, _LOGGED, False))


READ_ACTIONS = Q(action__endswith=".viewed") | Q(action__endswith="downloaded")


def case_reads(case_id: int):
    """Reads of a client file, all kinds of page: the events that name the case, and the case
    detail views logged before events carried ``case_id`` (the log cannot be updated)."""
    legacy = Q(action="case.viewed", object_type="cases.case", object_id=str(case_id), case_id__isnull=True)
    return AuditEvent.objects.filter(Q(case_id=case_id) | legacy).filter(READ_ACTIONS)


def reads_per_person_and_day(case_id: int):
    """One row per person and day, newest day first: (day, actor, actor_label, reads, first, last).
    A queryset, so it pages in the database."""
    return (
        case_reads(case_id)
        .annotate(day=TruncDate("at"))
        .values("day", "actor_id", "actor_label")
        .annotate(reads=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("-day", "actor_label", "actor_id")
    )


def pages_of(case_id: int, rows: list[dict]) -> dict[tuple, list[tuple[str, int]]]:
    """For the person-day rows of one page: which kinds of page they read, how often. One query."""
    if not rows:
        return {}
    days = [row["day"] for row in rows]
    first_day, last_day = min(days), max(days)
    counted = (
        case_reads(case_id)
        .annotate(day=TruncDate("at"))
        .filter(day__gte=first_day, day__lte=last_day)
        .values("day", "actor_id", "detail")
        .annotate(n=Count("id"))
        .order_by("detail")
    )
    pages: dict[tuple, list[tuple[str, int]]] = {}
    for row in counted:
        key = (row["day"], row["actor_id"])
        label = str(PAGE_LABELS.get(row["detail"], row["detail"] or PAGE_LABELS["case"]))
        pages.setdefault(key, []).append((label, row["n"]))
    return pages
