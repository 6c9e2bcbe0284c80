"""Property: whatever is POSTed to the referral views, never a 500, and a refused submission
(4xx) changes nothing (no referral, no status change, no timeline line)."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Referral, TimelineEvent
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "999999999999999999999", "NaN", "\x00", "a\x00b", "😀" * 50, "[]"]),
    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "10000-01-01", "31/12/2026", "2026-1-1"]),
    st.dates().map(datetime.date.isoformat),
)


def snapshot():
    return (
        list(Referral.objects.order_by("pk").values_list("pk", "status", "received_on", "accepted_on")),
        TimelineEvent.objects.count(),
    )


def post(client, url, data, htmx):
    before = snapshot()
    with transaction.atomic():
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(url, data, headers=headers)
        changed = snapshot() != before
        transaction.set_rollback(True)
    return response, changed


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "to_organisation": GARBAGE,
            "agreement": GARBAGE,
            "question": GARBAGE,
            "letter_note": GARBAGE,
            "from_organisation": GARBAGE,
            "sent_on": GARBAGE,
        },
    ),
    htmx=st.booleans(),
)
def test_create_survives_any_post(client, case, consent, caseworker, partner_organisation, data, htmx):
    client.force_login(caseworker.user)
    good = {
        "to_organisation": str(partner_organisation.pk),
        "question": "Vraag",
        "sent_on": timezone.localdate().isoformat(),
    }
    response, changed = post(client, reverse("cases:referral-create", args=[case.pk]), {**good, **data}, htmx)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert not changed


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "status": st.one_of(st.sampled_from(Referral.Status.values), GARBAGE),
        },
        optional={"on": GARBAGE, "decline_reason": GARBAGE, "decline_note": GARBAGE},
    ),
    htmx=st.booleans(),
    receiver_side=st.booleans(),
)
def test_status_survives_any_post(
    client, case, consent, caseworker, other_caseworker, partner_organisation, data, htmx, receiver_side
):
    referral = ReferralFactory(
        case=case, consent=consent, to_organisation=partner_organisation, sent_on=datetime.date(2026, 2, 2)
    )
    client.force_login((other_caseworker if receiver_side else caseworker).user)
    response, changed = post(client, reverse("cases:referral-status", args=[referral.pk]), data, htmx)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert not changed


# For the completeness check in tests/cases/test_conferences_fuzz.py.
FUZZED_URL_NAMES = {"cases:referral-create", "cases:referral-status"}
