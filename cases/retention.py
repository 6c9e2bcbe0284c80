"""Retention (DESIGN.md §5): closed cases are anonymised after CASE_RETENTION_YEARS (default 5).

What goes: names, birth date, postcode, every free text about the client (summary, questions,
notes, invitee names, letters), consent evidence and generated documents (files deleted). What
stays: the pseudonym, birth year and gender, dates, statuses, organisations, counts — so the
half-year figures of past periods stay reproducible — and the audit trail, which gets one
``case.anonymised`` event per case as its stub. Idempotent: anonymised clients are skipped.
Runs in batches so one nightly run never holds long locks.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ijh import audit

from .models import (
    CarePlanItem,
    Case,
    CaseDocument,
    Client,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    Consent,
    Referral,
    SessionInvitation,
    TimelineEvent,
)

BATCH = 500
REDACTED = "(geanonimiseerd)"


def cutoff(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - settings.CASE_RETENTION_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - settings.CASE_RETENTION_YEARS, day=28)


def due_cases(today: datetime.date | None = None):
    """Closed before the cutoff, client not yet anonymised, and no open case of the same client."""
    return Case.objects.filter(closed_on__lt=cutoff(today), client__anonymised_at__isnull=True).exclude(
        client__cases__closed_on__isnull=True
    )


def anonymise_due_cases(*, today: datetime.date | None = None, limit: int | None = None) -> int:
    done = 0
    while limit is None or done < limit:
        batch = list(due_cases(today).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not batch:
            break
        anonymise_cases(case_ids=batch)
        done += len(batch)
    return done


@transaction.atomic
def anonymise_cases(*, case_ids: list[int]) -> None:
    cases = list(Case.objects.filter(pk__in=case_ids).select_related("client"))
    client_ids = [case.client_id for case in cases]
    files = [
        *Consent.objects.filter(case_id__in=case_ids).exclude(evidence="").values_list("evidence", flat=True),
        *CaseDocument.objects.filter(case_id__in=case_ids).exclude(file="").values_list("file", flat=True),
    ]
    Client.objects.filter(pk__in=client_ids).update(
        first_name="", last_name="", birth_date=None, postcode="", anonymised_at=timezone.now()
    )
    Case.objects.filter(pk__in=case_ids).update(summary="")
    Consent.objects.filter(case_id__in=case_ids).update(
        giver_name="", named_people="", evidence="", evidence_note="", withdrawal_note=""
    )
    conferences = ClientConference.objects.filter(case_id__in=case_ids)
    conferences.update(
        question=REDACTED, complexity=REDACTED, involved=REDACTED, outcome_note="", admissibility_reason=""
    )
    ConferenceSession.objects.filter(conference__in=conferences).update(notes="")
    SessionInvitation.objects.filter(session__conference__in=conferences).update(name=REDACTED)
    CarePlanItem.objects.filter(conference__in=conferences).update(
        description=REDACTED, owner_label="", status_note=""
    )
    ConferenceEvaluation.objects.filter(conference__in=conferences).update(comment="")
    Referral.objects.filter(case_id__in=case_ids).update(question=REDACTED, letter_note="", decline_note="")
    TimelineEvent.objects.filter(case_id__in=case_ids).update(detail="")
    CaseDocument.objects.filter(case_id__in=case_ids).update(file="")
    for case in cases:
        audit.record(None, "case.anonymised", case, network_id=case.network_id)

    def delete_files() -> None:
        from django.core.files.storage import default_storage

        for name in files:
            default_storage.delete(name)

    # Files go only once the rows no longer point at them.
    transaction.on_commit(delete_files)
