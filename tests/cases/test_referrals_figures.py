"""Referral figures for the practice report: exact numbers, events counted in the period."""

import datetime

import pytest

from cases.figures_referrals import referral_figures
from cases.models import Referral
from tests.factories import CaseFactory, NetworkFactory, ReferralFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)
END = datetime.date(2026, 6, 30)
D = datetime.date


@pytest.fixture
def referrals(network):
    case = CaseFactory(network=network)

    def make(sent_on, **fields):
        return ReferralFactory(case=case, sent_on=sent_on, **{"outside_agreement": False, **fields})

    # sent in the period, still waiting
    make(D(2026, 1, 10))
    # received, then accepted after 4 and 10 days; one also started
    make(D(2026, 1, 12), status="accepted", received_on=D(2026, 1, 13), accepted_on=D(2026, 1, 16))
    make(
        D(2026, 2, 1),
        status="started",
        received_on=D(2026, 2, 2),
        accepted_on=D(2026, 2, 11),
        started_on=D(2026, 3, 1),
    )
    # accepted after 20 days, outside agreement
    make(D(2026, 3, 1), status="accepted", accepted_on=D(2026, 3, 21), outside_agreement=True)
    # declined: two for a waiting list, one outside the target group (outside agreement too)
    make(D(2026, 3, 5), status="declined", declined_on=D(2026, 3, 9), decline_reason="full")
    make(D(2026, 4, 5), status="declined", declined_on=D(2026, 4, 6), decline_reason="full")
    make(
        D(2026, 4, 7),
        status="declined",
        declined_on=D(2026, 4, 20),
        decline_reason="not_target_group",
        outside_agreement=True,
    )
    # withdrawn by the team
    make(D(2026, 5, 1), status="withdrawn", withdrawn_on=D(2026, 5, 3))
    # sent before the period, accepted in it (30 days): counts as accepted, not as sent
    make(D(2025, 12, 20), status="accepted", accepted_on=D(2026, 1, 19))
    # sent in the period, accepted after it: counts as sent only
    make(D(2026, 6, 25), status="accepted", accepted_on=D(2026, 7, 2))
    # outside the period altogether
    make(D(2026, 7, 5), outside_agreement=True)
    make(D(2025, 11, 1), status="declined", declined_on=D(2025, 11, 2), decline_reason="full")
    # another network's referral in the period
    ReferralFactory(case=CaseFactory(network=NetworkFactory()), sent_on=D(2026, 2, 2), outside_agreement=True)


def test_exact_figures(network, referrals):
    figures = referral_figures(network_ids=[network.pk], start=START, end=END)
    assert figures == {
        "sent": 9,
        "outside_agreement": 2,
        "received": 2,
        "accepted": 4,
        "declined": 3,
        "declined_by_reason": {
            "full": 2,
            "not_target_group": 1,
            "incomplete": 0,
            "client_declined": 0,
            "other": 0,
        },
        "started": 1,
        "withdrawn": 1,
        # accepted in the period after 4, 10, 20 and 30 days
        "median_days_to_acceptance": 15,
    }


def test_several_networks_add_up(network, referrals):
    other = Referral.objects.exclude(network=network).get().network_id
    figures = referral_figures(network_ids=[network.pk, other], start=START, end=END)
    assert figures["sent"] == 10
    assert figures["outside_agreement"] == 3


def test_an_empty_period(network, referrals):
    figures = referral_figures(network_ids=[network.pk], start=D(2024, 1, 1), end=D(2024, 6, 30))
    assert figures["sent"] == figures["accepted"] == figures["declined"] == 0
    assert figures["declined_by_reason"]["full"] == 0
    assert figures["median_days_to_acceptance"] is None


def test_an_odd_count_gives_the_middle_value(network):
    case = CaseFactory(network=network)
    for days in (3, 8, 21):
        ReferralFactory(
            case=case,
            sent_on=D(2026, 2, 1),
            status="accepted",
            accepted_on=D(2026, 2, 1) + datetime.timedelta(days),
        )
    assert referral_figures(network_ids=[network.pk], start=START, end=END)["median_days_to_acceptance"] == 8


@pytest.mark.parametrize("extra", [0, 25])
def test_fixed_query_count(network, referrals, extra, django_assert_num_queries):
    case = CaseFactory(network=network)
    for _ in range(extra):
        ReferralFactory(case=case, sent_on=D(2026, 2, 1), status="accepted", accepted_on=D(2026, 2, 5))
    # one aggregate with every count, one list of (sent, accepted) dates for the median
    with django_assert_num_queries(2):
        figures = referral_figures(network_ids=[network.pk], start=START, end=END)
    assert figures["sent"] == 9 + extra
