"""Conference figures for the half-year report, with exact numbers from known data."""

import datetime

import pytest
from django.utils import timezone

from cases.figures import conference_figures
from cases.models import CarePlanItem, ClientConference, ConferenceSession
from tests.factories import (
    CarePlanItemFactory,
    ClientConferenceFactory,
    ConferenceSessionFactory,
    NetworkFactory,
    OrganisationFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

S = ClientConference.Status
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(day).replace(hour=hour, minute=minute))


@pytest.fixture
def sectors(db):
    return {
        # the seeded sectors (get or create by code): the figures key them by name
        code: OrganisationFactory(sector=SectorFactory(code=code))
        for code in ("clb", "caw", "cgg")
    }


def conference(network, org, requested, status=S.REQUESTED, decided=None):
    return ClientConferenceFactory(
        case__network=network,
        requesting_organisation=org,
        requested_on=datetime.date.fromisoformat(requested),
        status=status,
        decided_on=datetime.date.fromisoformat(decided) if decided else None,
    )


def held(conf, day, **kwargs):
    return ConferenceSessionFactory(
        conference=conf, starts_at=at(day, **kwargs), status=ConferenceSession.Status.HELD
    )


def items(session, due, *statuses):
    for status in statuses:
        reason = ""
        if isinstance(status, tuple):
            status, reason = status
        CarePlanItemFactory(
            made_in=session, due_on=datetime.date.fromisoformat(due), status=status, not_done_reason=reason
        )


@pytest.fixture
def world(network, other_network, sectors):
    clb, caw, cgg = sectors["clb"], sectors["caw"], sectors["cgg"]
    elsewhere = NetworkFactory(name="RTJ Niet in het rapport")
    # network: the report's first network
    c1 = conference(network, clb, "2026-01-10", S.RUNNING, "2026-01-15")
    s1 = held(c1, "2026-01-20")  # 10 days
    s1b = held(c1, "2026-03-01")  # not the first
    conference(network, caw, "2026-02-01", S.NOT_ADMISSIBLE, "2026-02-03")
    c3 = conference(network, clb, "2026-03-01", S.RUNNING, "2026-03-02")
    ConferenceSessionFactory(
        conference=c3, starts_at=at("2026-03-10"), status=ConferenceSession.Status.CANCELLED
    )
    s3 = held(c3, "2026-04-01")  # 31 days
    c4 = conference(network, cgg, "2025-12-20", S.CLOSED, "2026-01-05")  # requested before the period
    held(c4, "2026-01-25")  # 36 days
    conference(network, caw, "2026-06-20")  # still to decide
    conference(network, clb, "2026-05-01", S.WITHDRAWN, "2026-05-02")  # admissible, then withdrawn
    c7 = conference(network, clb, "2026-06-01", S.RUNNING, "2026-06-02")
    held(c7, "2026-07-05")  # first session after the period
    c10 = conference(network, caw, "2026-06-10", S.RUNNING, "2026-06-11")
    held(c10, "2026-06-30", hour=23, minute=30)  # late on the last day, local time: 20 days
    # other_network: also in the report
    c8 = conference(other_network, cgg, "2026-04-10", S.RUNNING, "2026-04-11")
    s8 = held(c8, "2026-04-20")  # 10 days
    # a network outside the report
    c9 = conference(elsewhere, clb, "2026-02-01", S.RUNNING, "2026-02-02")
    s9 = held(c9, "2026-02-10")

    items(s1, "2026-02-01", "done", ("not_done", "waiting_list"))
    items(s1b, "2026-03-01", "done", ("not_done", "regulation"))
    items(s1b, "2026-07-15", "done")  # due after the period
    items(s3, "2026-05-01", "dropped", "open", ("not_done", "no_suitable_offer"))
    items(s8, "2026-06-30", "open")
    items(s9, "2026-03-01", "done", "open")  # outside the report's networks
    return [network.pk, other_network.pk]


def test_figures_for_a_half_year(world, sectors, django_assert_num_queries):
    clb, caw, cgg = (sectors[code].sector.name for code in ("clb", "caw", "cgg"))
    # totals, per sector, first held sessions, plan items by status and reason
    with django_assert_num_queries(4):
        figures = conference_figures(network_ids=world, start=START, end=END)
    assert figures == {
        "requests": 8,
        "admissible": 7,
        "not_admissible": 1,
        "first_sessions_held": 5,
        "requests_per_sector": {clb: 4, caw: 3, cgg: 1},
        "median_days_to_first_session": 20.0,
        "p75_days_to_first_session": 31.0,
        "plan_items": {
            "done": 2,
            "not_done": 3,
            "not_done_by_reason": {
                CarePlanItem.NotDoneReason.WAITING_LIST: 1,
                CarePlanItem.NotDoneReason.REGULATION: 1,
                CarePlanItem.NotDoneReason.NO_SUITABLE_OFFER: 1,
                CarePlanItem.NotDoneReason.CLIENT_DECLINED: 0,
                CarePlanItem.NotDoneReason.OTHER: 0,
            },
            "dropped": 1,
            "open": 2,
        },
    }


def test_one_network(world, network):
    figures = conference_figures(network_ids=[network.pk], start=START, end=END)
    assert figures["requests"] == 7
    assert figures["first_sessions_held"] == 4
    # 10, 20, 31, 36: between the middle two; p75 interpolated a quarter of the way from 31 to 36
    assert figures["median_days_to_first_session"] == 25.5
    assert figures["p75_days_to_first_session"] == 32.25


def test_no_data(db, network, django_assert_num_queries):
    with django_assert_num_queries(4):
        figures = conference_figures(network_ids=[network.pk], start=START, end=END)
    assert figures["requests"] == 0
    assert figures["requests_per_sector"] == {}
    assert figures["median_days_to_first_session"] is None
    assert figures["p75_days_to_first_session"] is None
    assert figures["plan_items"]["open"] == 0


def test_a_single_first_session(network, sectors):
    conf = conference(network, sectors["clb"], "2026-02-01", S.RUNNING, "2026-02-02")
    held(conf, "2026-02-15")
    figures = conference_figures(network_ids=[network.pk], start=START, end=END)
    assert figures["median_days_to_first_session"] == 14.0
    assert figures["p75_days_to_first_session"] == 14.0


@pytest.mark.parametrize("networks", [1, 6])
def test_query_count_does_not_grow_with_networks(db, sectors, networks, django_assert_num_queries):
    ids = []
    for _ in range(networks):
        network = NetworkFactory()
        conf = conference(network, sectors["clb"], "2026-02-01", S.RUNNING, "2026-02-02")
        items(held(conf, "2026-02-15"), "2026-03-01", "done")
        ids.append(network.pk)
    with django_assert_num_queries(4):
        figures = conference_figures(network_ids=ids, start=START, end=END)
    assert figures["requests"] == networks
    assert figures["plan_items"]["done"] == networks
