"""The crisis objects of a side of tests/world.py (issue 18)."""

import datetime

from django.utils import timezone

from cases.models import Client, CrisisCall, CrisisConflict, CrisisEpisode, CrisisStep
from instruments.crisis_models import CrisisProgramme, CrisisProvider, CrisisStepKind, OnCallShift
from networks.models import Membership

from .factories import NetworkMembershipFactory


def build_crisis_side(side) -> None:
    network = side.network
    programme = CrisisProgramme.objects.create(network=network)
    shelter_org = NetworkMembershipFactory(
        network=network, organisation__name=f"Crisisopvang {side.name}"
    ).organisation
    provider = CrisisProvider.objects.create(
        programme=programme,
        organisation=shelter_org,
        step=CrisisStepKind.SHELTER,
        contact_line="0470 1",
        places=2,
    )
    now = timezone.now()
    shift = OnCallShift.objects.create(
        programme=programme,
        name="Permanentie",
        phone="03 1",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=1),
    )
    mobile_org = NetworkMembershipFactory(
        network=network, organisation__name=f"Mobiel team {side.name}"
    ).organisation
    mobile = CrisisProvider.objects.create(
        programme=programme, organisation=mobile_org, step=CrisisStepKind.INTERVENTION, contact_line="0470 2"
    )
    meldpunt = side.person(Membership.Role.MELDPUNT, "meldpunt")
    side.person(Membership.Role.CASEWORKER, "shelter", organisation=shelter_org)
    call = CrisisCall.objects.create(
        network=network,
        programme=programme,
        received_at=now - datetime.timedelta(hours=2),
        caller=CrisisCall.Caller.PARENT,
        question="Ruzie thuis, jongere weggelopen.",
        admissible=True,
        outcome=CrisisCall.Outcome.DISPATCHED,
        registered_by=meldpunt,
    )
    episode = CrisisEpisode.objects.create(
        call=call, network=network, client=Client.objects.create(), opened_at=call.received_at
    )
    CrisisStep.objects.create(
        episode=episode,
        kind=CrisisStepKind.INTERVENTION,
        provider=mobile,
        started_at=call.received_at + datetime.timedelta(minutes=40),
        started_by=meldpunt,
    )
    shelter = CrisisStep.objects.create(
        episode=episode,
        kind=CrisisStepKind.SHELTER,
        provider=provider,
        started_at=now - datetime.timedelta(hours=1),
        limit_days=7,
        due_at=now + datetime.timedelta(days=7),
        place_number=1,
        started_by=meldpunt,
    )
    conflict = CrisisConflict.objects.create(
        episode=episode,
        network=network,
        kind=CrisisStepKind.SHELTER,
        first_organisation=shelter_org,
        second_organisation=mobile_org,
        question="Wie vangt op na de interventie?",
        raised_by=meldpunt,
    )
    side.objects.update(
        {
            "conflict_id": conflict.pk,
            "provider_id": provider.pk,
            "shift_id": shift.pk,
            "episode_id": episode.pk,
            "cases:step_id": shelter.pk,
        }
    )
    side.objects["_crisis_programme"] = programme
