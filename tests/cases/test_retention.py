"""Closed cases are anonymised after the retention period; the audit trail keeps a stub."""

import datetime

import pytest
from django.core.files.base import ContentFile

from cases import retention
from cases.models import Case, Client
from ijh.models import AuditEvent

from ..factories import (
    CarePlanItemFactory,
    CaseFactory,
    ConsentFactory,
    ReferralFactory,
    SessionInvitationFactory,
    TimelineEventFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    settings.CASE_RETENTION_YEARS = 5


def old_case(**kwargs):
    return CaseFactory(opened_on=datetime.date(2019, 1, 1), closed_on=datetime.date(2021, 6, 30), **kwargs)


def test_old_closed_case_loses_everything_identifying(tmp_path):
    case = old_case(summary="Lotte spijbelt")
    consent = ConsentFactory(
        case=case,
        giver_name="Moeder Vermeersch",
        named_people="Oma Jeanne",
        given_on=datetime.date(2019, 1, 2),
    )
    consent.evidence.save("form.pdf", ContentFile(b"%PDF-1.4 test"))
    evidence_path = tmp_path / consent.evidence.name
    item = CarePlanItemFactory(
        made_in__conference__case=case,
        made_in__conference__consent=consent,
        description="Lotte gaat naar de logopedist",
    )
    SessionInvitationFactory(session=item.made_in, name="Oma Jeanne", bound_by_secrecy=False)
    ReferralFactory(case=case, consent=consent, question="Lotte heeft hulp nodig")
    TimelineEventFactory(case=case, detail="CGG Waas")
    assert evidence_path.exists()

    with django_capture_on_commit():
        assert retention.anonymise_due_cases(today=TODAY) == 1

    client = Client.objects.get(pk=case.client_id)
    assert (client.first_name, client.last_name, client.birth_date, client.postcode) == ("", "", None, "")
    assert client.birth_year == 2011 and client.anonymised_at is not None  # kept for age bands
    case.refresh_from_db()
    assert case.summary == "" and case.closed_on == datetime.date(2021, 6, 30)
    consent.refresh_from_db()
    assert consent.giver_name == "" and consent.named_people == "" and not consent.evidence
    assert not evidence_path.exists()
    item.refresh_from_db()
    assert "Lotte" not in item.description
    assert not case.timeline.exclude(detail="").exists()
    assert not case.referrals.filter(question__contains="Lotte").exists()
    assert AuditEvent.objects.filter(action="case.anonymised", object_id=str(case.pk)).count() == 1
    # Idempotent: nothing left to do on the next night.
    assert retention.anonymise_due_cases(today=TODAY) == 0


def test_recent_or_open_cases_are_kept():
    recent = CaseFactory(opened_on=datetime.date(2024, 1, 1), closed_on=datetime.date(2025, 1, 1))
    still_open = CaseFactory(opened_on=datetime.date(2015, 1, 1))
    assert retention.anonymise_due_cases(today=TODAY) == 0
    assert Case.objects.get(pk=recent.pk).client.first_name == "Lotte"
    assert Case.objects.get(pk=still_open.pk).client.first_name == "Lotte"


def test_client_with_another_open_case_is_not_anonymised():
    closed = old_case()
    CaseFactory(client=closed.client, opened_on=datetime.date(2025, 1, 1))
    assert retention.anonymise_due_cases(today=TODAY) == 0


def django_capture_on_commit():
    # The file deletion runs on commit; in a test transaction, run it right away.
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_beat_runs_the_retention_task_and_it_is_registered():
    from django.conf import settings

    from cases import tasks
    from ijh.celery import app

    entries = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cases.tasks.anonymise_closed_cases", "cases.tasks.requeue_stale_case_documents"} <= entries
    app.loader.import_default_modules()
    assert entries <= set(app.tasks), "every beat entry names a registered task"
    old_case()
    assert tasks.anonymise_closed_cases() == 1
