"""Shared fixtures of the planmaker tests: a planmaker network beside the case's network, its
people, and a case that may be referred to it."""

import datetime

import pytest

from cases.models import Trajectory
from cases.services import trajectories as services
from networks.models import Membership, Network

from ..factories import (
    ConsentFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    UserFactory,
)

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def pm(network):
    """A planmaker network in the same region, with its planmakers, coordinator and a steering member."""
    planmakers = NetworkFactory(
        name="Planmakers Testland", kind=Network.Kind.PLANMAKER, region=network.region
    )
    home = NetworkMembershipFactory(network=planmakers, organisation__name="Co-ncept test").organisation

    def person(username, role, organisation=None):
        user = UserFactory(username=username, first_name=username.capitalize(), last_name="Test")
        MembershipFactory(user=user, network=planmakers, role=role, organisation=organisation)
        return user

    class PM:
        pass

    pm = PM()
    pm.network = planmakers
    pm.home = home
    pm.planmaker = person("nele", Membership.Role.PLANMAKER, home)
    pm.colleague = person("pieter", Membership.Role.PLANMAKER, home)
    pm.coordinator = person("coco", Membership.Role.COORDINATOR)
    pm.steering = person("stuur", Membership.Role.STEERING_MEMBER)
    return pm


@pytest.fixture
def referable(pm, case, case_organisation):
    """The case's lead organisation is a member of the planmaker network; consent names the planmakers."""
    NetworkMembershipFactory(network=pm.network, organisation=case_organisation)
    ConsentFactory(case=case, organisations=[case_organisation, pm.home])
    return case


def referred(case, pm, caseworker) -> Trajectory:
    return services.refer(
        case=case,
        by=caseworker.user,
        network=pm.network,
        referring_organisation=case.lead_organisation,
        question="Vraag",
        in_facility_going_badly=True,
        difficult_from_start=False,
        involved="Moeder",
        referrer_engaged=True,
    )


def accepted(case, pm, caseworker, on=TODAY) -> Trajectory:
    trajectory = referred(case, pm, caseworker)
    return services.decide(
        trajectory=trajectory, by=pm.coordinator, accept=True, planmakers=[pm.planmaker], on=on
    )
