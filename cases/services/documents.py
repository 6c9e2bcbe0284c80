"""Generated case documents (conference forms, referral letters): requesting them and the panel
that lists them. The worker side is in cases/tasks.py, the contents in cases/documents.py.

Contract for the pages that show a document panel (conference, session, referral):

    context.update(documents.panel_context(case=case, conference=conference))   # or session=, referral=
    {% include "cases/documents/_panel.html" %}

Pass the objects as the access helpers return them: the panel reads their access flags
(``conference.user_on_team`` / ``user_is_chair`` from ``get_conference_for_user``, the same on
``session.conference`` from ``get_session_for_user``, ``case.user_on_team`` from
``get_case_for_user`` and ``referral.user_receives`` from ``get_referral_for_user``). Without
flags it shows nothing, unless ``user=`` is given, then it looks them up (one query).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import queue
from ijh.models import User

from .. import access
from ..documents import KINDS_BY_SOURCE, SOURCE_TYPE_OF_KIND, parse_source, source_of
from ..models import Case, CaseDocument, ClientConference, ConferenceSession, Referral, TimelineEvent
from .cases import log_event


def _case_id_of(source_obj) -> int:
    if isinstance(source_obj, ConferenceSession):
        return source_obj.conference.case_id
    return source_obj.case_id


@transaction.atomic
def request_document(*, kind: str, case: Case, source_obj, by: User | None) -> CaseDocument:
    """The active document of this kind for this source, or a new one queued after commit.

    A double click finds the active one; two clicks racing each other meet the partial unique
    constraint and the loser returns the winner's row: never two jobs.
    """
    source = source_of(source_obj)
    source_type, _source_id = parse_source(source)
    if SOURCE_TYPE_OF_KIND.get(kind) != source_type:
        raise ValidationError(_("Dit document kan niet gemaakt worden vanuit deze pagina."), code="kind")
    if _case_id_of(source_obj) != case.pk:
        raise ValueError("the source belongs to another case")
    if isinstance(source_obj, Referral) and not source_obj.consent.is_in_force():
        # Withdrawal stops further sharing (DESIGN.md §5): no new letter with client data.
        raise ValidationError(
            _(
                "De toestemming waarop deze verwijzing steunt, geldt niet meer. Zonder nieuwe "
                "toestemming wordt geen verwijsbrief met cliëntgegevens gemaakt."
            ),
            code="no_consent",
        )
    active = CaseDocument.objects.filter(
        kind=kind, source=source, status__in=CaseDocument.ACTIVE_STATUSES
    ).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            document = CaseDocument.objects.create(case=case, kind=kind, source=source, requested_by=by)
    except IntegrityError:
        return CaseDocument.objects.get(kind=kind, source=source, status__in=CaseDocument.ACTIVE_STATUSES)
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.DOCUMENT,
        obj=document,
        detail=document.get_kind_display(),
        action="case_document.requested",
    )
    _enqueue_on_commit(document.pk)
    document.was_created = True
    return document


RENDER_TASK = "cases.tasks.render_case_document"


def _record_publishing(document_id: int, task_id: str | None) -> None:
    if task_id is None:
        # The broker is down. The document stays pending and says so; the requeue job picks it
        # up once the broker is back, so the request is not lost.
        CaseDocument.objects.filter(pk=document_id, status=CaseDocument.Status.PENDING).update(
            error=_(
                "De takenwachtrij is tijdelijk niet bereikbaar. Je aanvraag is bewaard en start zodra ze terug is."
            )
        )
        return
    CaseDocument.objects.filter(pk=document_id).update(task_id=task_id, error="")


def _enqueue_on_commit(document_id: int) -> None:
    queue.publish_on_commit(
        RENDER_TASK, document_id, on_result=lambda task_id: _record_publishing(document_id, task_id)
    )


def requeue_stale_documents(*, older_than_minutes: int = 10) -> int:
    """Queue again documents whose message was lost (broker outage) or whose worker died; give up,
    with a reason on the row, on those that already used all their attempts."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    stale = CaseDocument.objects.filter(
        Q(status=CaseDocument.Status.PENDING, requested_at__lt=cutoff)
        | Q(status=CaseDocument.Status.RUNNING, started_at__lt=cutoff)
    )
    exhausted = stale.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS)
    exhausted.update(
        status=CaseDocument.Status.FAILED,
        finished_at=timezone.now(),
        error=_(
            "Het document is %(n)s keer niet afgeraakt (de verwerking stopte telkens). Het wordt niet "
            "opnieuw geprobeerd; vraag het opnieuw aan of meld het aan de beheerder."
        )
        % {"n": settings.JOB_MAX_ATTEMPTS},
    )
    document_ids = list(stale.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).values_list("pk", flat=True))
    for document_id in document_ids:
        _record_publishing(document_id, queue.publish(RENDER_TASK, document_id))
    return len(document_ids)


# --- the panel ----------------------------------------------------------------------------------


def _flags(
    case: Case,
    conference: ClientConference | None,
    session: ConferenceSession | None,
    referral: Referral | None,
    user: User | None,
) -> tuple[bool, bool]:
    """(may generate, may read) for the panel's source. Conference documents carry the client's
    name: the team and that conference's chair. Referral letters: the sending team makes them, the receiving
    organisation reads them. The organising cell sees pseudonyms only, so no documents."""
    if user is not None:
        document = CaseDocument(case_id=case.pk, source=source_of(session or conference or referral))
        flags = access.document_flags(user, document)
        on_team = flags["user_on_team"]
        if referral is not None:
            return on_team, on_team or flags["user_receives"]
        return on_team or flags["user_is_chair"], on_team or flags["user_is_chair"]
    if referral is not None:
        on_team = bool(getattr(case, "user_on_team", False))
        return on_team, on_team or bool(getattr(referral, "user_receives", False))
    owner = session.conference if session is not None else conference
    allowed = bool(getattr(owner, "user_on_team", False) or getattr(owner, "user_is_chair", False))
    return allowed, allowed


def panel_context(
    *,
    case: Case,
    conference: ClientConference | None = None,
    session: ConferenceSession | None = None,
    referral: Referral | None = None,
    user: User | None = None,
) -> dict:
    """What _panel.html reads: the kinds this user may generate here and the documents made so
    far for this source (one query)."""
    sources = [obj for obj in (session, conference, referral) if obj is not None]
    if len(sources) != 1:
        raise ValueError("a document panel is for one conference, session or referral")
    source = source_of(sources[0])
    source_type, _source_id = parse_source(source)
    may_generate, may_read = _flags(case, conference, session, referral, user)
    documents = (
        list(CaseDocument.objects.filter(case_id=case.pk, source=source).select_related("requested_by"))
        if may_read
        else []
    )
    kinds = (
        [{"value": kind.value, "label": kind.label} for kind in KINDS_BY_SOURCE[source_type]]
        if may_generate
        else []
    )
    return {
        "document_panel": {
            "visible": may_read,
            "source": source,
            "dom_id": "documents-" + source.replace(":", "-"),
            "create_url": reverse("cases:document-create"),
            "kinds": kinds,
            "documents": documents,
        }
    }
