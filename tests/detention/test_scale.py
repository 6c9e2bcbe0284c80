"""generate_scale's prisons (issue 20 §8): an offer with sessions, lists and a lockdown, and
guided detainees their trajectbegeleiders reach."""

import pytest

from cases import scale_detention
from cases.access import visible_guidances
from cases.models import Guidance
from instruments.models import Activity, ActivitySession, Enrolment, LifeDomain
from instruments.reference_data import ensure
from networks.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_prisons_get_an_offer_and_guided_detainees(prison, jww, provider):
    ensure(LifeDomain)
    for _ in range(2):
        MembershipFactory(network=prison, organisation=jww)
    counts = scale_detention.generate(activities_per_prison=12, detainees_per_prison=30)
    assert counts["activities"] == Activity.objects.count() == 12
    assert set(Activity.objects.values_list("domain", flat=True)) == {
        "welfare",
        "health",
        "education",
        "work",
        "culture",
        "sport",
    }
    assert ActivitySession.objects.filter(cancel_reason="security").exists()
    assert Enrolment.objects.filter(status="waiting").exists() or counts["enrolments"]
    assert Guidance.objects.count() == 30
    guide = Membership.objects.filter(role=Membership.Role.TRAJECTORY_GUIDE).first().user
    assert visible_guidances(guide).count() == 15
    # a second run adds nothing
    assert scale_detention.generate()["activities"] == 0
