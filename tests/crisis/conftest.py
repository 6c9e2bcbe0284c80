"""The crisis network of the tests: a programme with the research's defaults, a provider per
step, a meldpunt operator, a provider's caseworker, a steering member and an outsider."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from instruments.crisis_models import CrisisProgramme, CrisisProvider, CrisisStepKind
from instruments.crisis_services import set_up_programme
from networks import reference_data
from networks.models import Membership, Network, Region, Sector
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    RegionFactory,
    UserFactory,
)

HTMX = {"HX-Request": "true"}


@dataclass
class CrisisWorld:
    network: Network
    programme: CrisisProgramme
    intervention: CrisisProvider
    guidance: CrisisProvider
    shelter: CrisisProvider
    meldpunt: object
    provider_worker: object
    coordinator: object
    steering: object
    outsider: object


def member(network, name: str, sector_code: str):
    sector = Sector.objects.get(code=sector_code)
    return NetworkMembershipFactory(
        network=network, organisation__name=name, organisation__sector=sector
    ).organisation


def person(network, role, username, organisation=None):
    user = UserFactory(username=username)
    MembershipFactory(user=user, network=network, role=role, organisation=organisation)
    return user


def build_crisis_world(prefix: str = "") -> CrisisWorld:
    # A transactional test's flush empties the seeded sectors; bring them back.
    reference_data.ensure(Region, Sector)
    network = NetworkFactory(
        name=f"{prefix}Crisisnetwerk Testland",
        kind=Network.Kind.CRISIS,
        region=RegionFactory(code="antwerpen"),
    )
    coordinator = person(network, Membership.Role.COORDINATOR, f"{prefix}coordinator")
    programme, _created = set_up_programme(network=network, by=coordinator)
    meldpunt_org = member(network, f"{prefix}Meldpunt CAW", "caw")
    programme.meldpunt_organisation = meldpunt_org
    programme.meldpunt_phone = "03 123 45 67"
    programme.save()
    mobile = member(network, f"{prefix}Mobiel Crisisteam", "jwz")
    ckg = member(network, f"{prefix}CKG De Wieg", "ckg")
    vaph = member(network, f"{prefix}VAPH De Horizon", "vaph")
    intervention = CrisisProvider.objects.create(
        programme=programme,
        organisation=mobile,
        step=CrisisStepKind.INTERVENTION,
        contact_line="0470 00 00 01",
    )
    guidance = CrisisProvider.objects.create(
        programme=programme,
        organisation=vaph,
        step=CrisisStepKind.GUIDANCE,
        contact_line="0470 00 00 02",
        places=3,
        reserved_places=2,
    )
    shelter = CrisisProvider.objects.create(
        programme=programme,
        organisation=ckg,
        step=CrisisStepKind.SHELTER,
        contact_line="0470 00 00 03",
        places=1,
        reserved_places=1,
        email="opvang@example.org",
    )
    other = NetworkFactory(name=f"{prefix}RTJ Elders", region=RegionFactory(code="limburg"))
    return CrisisWorld(
        network=network,
        programme=programme,
        intervention=intervention,
        guidance=guidance,
        shelter=shelter,
        meldpunt=person(network, Membership.Role.MELDPUNT, f"{prefix}meldpunt", meldpunt_org),
        provider_worker=person(network, Membership.Role.CASEWORKER, f"{prefix}opvang", ckg),
        coordinator=coordinator,
        steering=person(network, Membership.Role.STEERING_MEMBER, f"{prefix}stuurgroep"),
        outsider=person(other, Membership.Role.MELDPUNT, f"{prefix}buiten"),
    )


@pytest.fixture
def crisis(db) -> CrisisWorld:
    return build_crisis_world()


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))
