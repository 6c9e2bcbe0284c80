import pytest
from django.core.management import call_command

from ijh.models import User
from networks import demo
from networks.models import Membership, Network, NetworkMembership, Organisation, Region, Sector

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (User, Membership, Network, NetworkMembership, Organisation, Region, Sector)
    }


def test_load_demo_is_idempotent():
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_demo_covers_what_the_foundation_promises():
    demo.load()
    assert Region.objects.count() == 6
    assert Organisation.objects.count() >= 40
    assert Organisation.objects.values("sector").distinct().count() >= 10
    names = set(Network.objects.values_list("name", flat=True))
    assert {"RTJ Waas en Dender", "RTJ Antwerpen Stad", "Crisisnetwerk Antwerpen"} <= names
    assert {f"Gevangenis {city}" for city in ("Gent", "Ieper", "Hoogstraten", "Hasselt")} <= names
    assert Network.objects.filter(kind=Network.Kind.PLANMAKER, region__code="west-vlaanderen").exists()
    # one demo login per role of DESIGN.md §2, each able to log in with the printed password
    roles = set(
        Membership.objects.filter(user__username__in=[u[0] for u in demo.DEMO_USERS]).values_list(
            "role", flat=True
        )
    )
    assert roles == set(Membership.Role.values)
    assert User.objects.get(username="staf").check_password(demo.DEMO_PASSWORD)
    for organisation in Organisation.objects.exclude(kbo_number=""):
        organisation.full_clean()  # invented KBO numbers still pass the check digits
    for membership in Membership.objects.all():
        membership.full_clean()  # every demo role satisfies the model's rules
