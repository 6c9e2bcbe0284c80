"""The demo cases: every conference state and referral status shows, and loading twice adds nothing."""

import pytest
from django.core.management import call_command

from cases.models import Case, ClientConference, Consent, Referral, TimelineEvent
from ijh.models import AuditEvent
from instruments.models import PlaybookAdoption, ReferralAgreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Case,
            ClientConference,
            Referral,
            Consent,
            TimelineEvent,
            AuditEvent,
            ReferralAgreement,
            PlaybookAdoption,
        )
    }


def test_demo_cases_cover_every_state_and_load_idempotently():
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first

    assert first["Case"] >= 30
    assert set(ClientConference.objects.values_list("status", flat=True)) == set(
        ClientConference.Status.values
    )
    assert {
        Referral.Status.SENT,
        Referral.Status.RECEIVED,
        Referral.Status.ACCEPTED,
        Referral.Status.DECLINED,
        Referral.Status.STARTED,
    } <= set(Referral.objects.values_list("status", flat=True))
    assert Referral.objects.filter(outside_agreement=True).exists()
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
    # Every case has a timeline, and every timeline line has an audit twin.
    assert not Case.objects.filter(timeline__isnull=True).exists()
    assert AuditEvent.objects.filter(object_type="cases.case", action="case.opened").count() == first["Case"]


def test_demo_caseworker_sees_their_cases_and_steering_sees_none():
    from cases.access import chaired_conferences, visible_cases
    from ijh.models import User

    call_command("load_demo")
    assert visible_cases(User.objects.get(username="hulpverlener")).count() >= 5
    assert visible_cases(User.objects.get(username="stuurgroeplid")).count() == 0
    assert visible_cases(User.objects.get(username="staf")).count() == 0
    # The external chair reaches conferences, not cases.
    assert visible_cases(User.objects.get(username="extvoorzitter")).count() == 0
    assert chaired_conferences(User.objects.get(username="extvoorzitter")).exists()
