"""Steering data at Flanders scale, for benchmarks: deterministic from a seed, bulk inserts only.

Per region it adds ``networks`` networks, each with member organisations, people with roles and
seats, a year of meetings with invitations, decisions and actions, goals with progress,
agreements and two self-assessment rounds. Case data comes with the cases issue.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from ijh.models import User

from . import reference_data
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementSignatory,
    Attendance,
    Body,
    Criterion,
    Decision,
    Goal,
    GoalProgress,
    Meeting,
    Membership,
    Minutes,
    Network,
    NetworkMembership,
    Organisation,
    Region,
    Score,
    Sector,
    SelfAssessmentRound,
)


@dataclass
class Scale:
    networks_per_region: int = 10
    organisations_per_network: int = 50
    people_per_network: int = 60
    meetings_per_year: int = 24
    actions_per_meeting: int = 4
    respondents: int = 30


def generate(
    *, region: Region, scale: Scale, seed: int = 7, today: datetime.date | None = None
) -> dict[str, int]:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    reference_data.ensure(Region, Sector)
    reference_data.ensure_criteria(Criterion)
    sectors = list(Sector.objects.order_by("pk"))
    criteria = list(Criterion.objects.order_by("pk"))
    password = make_password(None)  # unusable: benchmark people do not log in
    counts: dict[str, int] = {}
    prefix = f"Bench {region.code}"
    kinds = [rng.choice(list(Network.Kind.values)) for _ in range(scale.networks_per_region)]
    if Network.Kind.RTJ not in kinds:
        # Every region gets at least one network with conferences: the case pages the benchmark
        # measures need one (a one-network set drew a prison network and had none).
        kinds[0] = Network.Kind.RTJ
    with transaction.atomic():
        existing = Network.objects.filter(name__startswith=prefix).count()
        networks = Network.objects.bulk_create(
            Network(
                name=f"{prefix} {existing + i + 1:03d}",
                kind=kinds[i],
                region=region,
                area=f"Benchmarkgebied {i + 1}",
                started_on=datetime.date(2015, 1, 1),
            )
            for i in range(scale.networks_per_region)
        )
        bodies = Body.objects.bulk_create(
            Body(network=network, kind=Body.Kind.STEERING_GROUP, name=f"Stuurgroep {network.name}")
            for network in networks
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"{network.name} org {j:03d}", sector=rng.choice(sectors), municipality="Benchmark"
            )
            for network in networks
            for j in range(scale.organisations_per_network)
        )
        org_by_network = {
            network.pk: organisations[
                i * scale.organisations_per_network : (i + 1) * scale.organisations_per_network
            ]
            for i, network in enumerate(networks)
        }
        NetworkMembership.objects.bulk_create(
            NetworkMembership(network=network, organisation=org, since=datetime.date(2020, 1, 1))
            for network in networks
            for org in org_by_network[network.pk]
        )
        users = User.objects.bulk_create(
            User(
                username=f"bench-{region.code}-{existing}-{i}-{j}",
                first_name="Bench",
                last_name=f"{i}-{j}",
                password=password,
            )
            for i in range(len(networks))
            for j in range(scale.people_per_network)
        )
        memberships = Membership.objects.bulk_create(
            Membership(
                user=users[i * scale.people_per_network + j],
                network=network,
                role=Membership.Role.CHAIR if j == 0 else Membership.Role.STEERING_MEMBER,
                organisation=org_by_network[network.pk][j % scale.organisations_per_network],
                mandate_status=Membership.MandateStatus.MANDATED
                if j % 3
                else Membership.MandateStatus.OBSERVER,
                since=datetime.date(2020, 1, 1),
            )
            for i, network in enumerate(networks)
            for j in range(scale.people_per_network)
        )
        Membership.bodies.through.objects.bulk_create(
            Membership.bodies.through(membership_id=m.pk, body_id=bodies[i // scale.people_per_network].pk)
            for i, m in enumerate(memberships)
        )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                network=network,
                body=bodies[i],
                starts_at=timezone.make_aware(
                    datetime.datetime.combine(
                        today - datetime.timedelta(days=k * (365 // scale.meetings_per_year)),
                        datetime.time(14),
                    )
                ),
                location="Benchmarkzaal",
            )
            for i, network in enumerate(networks)
            for k in range(scale.meetings_per_year)
        )
        attendances = []
        items = []
        for meeting_index, meeting in enumerate(meetings):
            network_index = meeting_index // scale.meetings_per_year
            for j in range(scale.people_per_network):
                membership = memberships[network_index * scale.people_per_network + j]
                attendances.append(
                    Attendance(
                        meeting=meeting,
                        user_id=membership.user_id,
                        organisation_id=membership.organisation_id,
                        holds_mandate=membership.holds_mandate,
                        status=rng.choice(
                            [Attendance.Status.PRESENT] * 4
                            + [Attendance.Status.EXCUSED, Attendance.Status.ABSENT]
                        ),
                    )
                )
            items.extend(
                AgendaItem(meeting=meeting, position=p, title=f"Agendapunt {p}") for p in range(1, 5)
            )
        Attendance.objects.bulk_create(attendances, batch_size=5000)
        items = AgendaItem.objects.bulk_create(items, batch_size=5000)
        Decision.objects.bulk_create(
            (
                Decision(agenda_item=item, text="Besluit", method=rng.choice(list(Decision.Method.values)))
                for item in items[::2]
            ),
            batch_size=5000,
        )
        Minutes.objects.bulk_create(
            Minutes(meeting=meeting, text="Verslag", status=Minutes.Status.APPROVED) for meeting in meetings
        )
        actions = []
        for meeting_index, meeting in enumerate(meetings):
            network_index = meeting_index // scale.meetings_per_year
            for _ in range(scale.actions_per_meeting):
                owner = memberships[
                    network_index * scale.people_per_network + rng.randrange(scale.people_per_network)
                ]
                status = rng.choice(list(ActionItem.Status.values))
                actions.append(
                    ActionItem(
                        network_id=meeting.network_id,
                        meeting=meeting,
                        title="Actie",
                        owner_id=owner.user_id,
                        due_on=meeting.starts_at.date() + datetime.timedelta(days=rng.randrange(10, 120)),
                        status=status,
                        dropped_reason="Niet meer nodig" if status == ActionItem.Status.DROPPED else "",
                    )
                )
        ActionItem.objects.bulk_create(actions, batch_size=5000)
        end_goals = Goal.objects.bulk_create(
            Goal(network=network, kind=Goal.Kind.END_GOAL, title=f"Einddoel {k}")
            for network in networks
            for k in range(3)
        )
        operational = Goal.objects.bulk_create(
            Goal(
                network_id=end.network_id,
                parent=end,
                kind=Goal.Kind.OPERATIONAL,
                title=f"Operationeel doel {k}",
                indicator="Aantal",
                baseline_value=10,
                target_value=40,
                deadline=today + datetime.timedelta(days=365),
            )
            for end in end_goals
            for k in range(3)
        )
        GoalProgress.objects.bulk_create(
            GoalProgress(goal=goal, measured_on=today - datetime.timedelta(days=30 * m), value=40 - 3 * m)
            for goal in operational
            for m in range(8)
        )
        agreements = Agreement.objects.bulk_create(
            Agreement(
                network=network,
                kind=Agreement.Kind.PROTOCOL,
                title=f"Protocol {k}",
                valid_from=datetime.date(2024, 1, 1),
                valid_until=today + datetime.timedelta(days=30 * k),
            )
            for network in networks
            for k in range(1, 4)
        )
        AgreementSignatory.objects.bulk_create(
            AgreementSignatory(agreement=agreement, organisation=org, signed_on=datetime.date(2024, 1, 10))
            for agreement in agreements
            for org in org_by_network[agreement.network_id][:10]
        )
        rounds = SelfAssessmentRound.objects.bulk_create(
            SelfAssessmentRound(
                network=network,
                title=f"Zelfevaluatie {k}",
                opened_on=today - datetime.timedelta(days=200 * k + 30),
                closes_on=today - datetime.timedelta(days=200 * k + 10),
                closed_at=timezone.now() - datetime.timedelta(days=200 * k + 10),
            )
            for network in networks
            for k in range(2)
        )
        scores = []
        for round_index, assessment_round in enumerate(rounds):
            network_index = round_index // 2
            for j in range(min(scale.respondents, scale.people_per_network)):
                respondent = memberships[network_index * scale.people_per_network + j].user_id
                scores.extend(
                    Score(
                        round=assessment_round,
                        criterion=criterion,
                        respondent_id=respondent,
                        value=rng.randint(1, 5),
                    )
                    for criterion in criteria
                )
        Score.objects.bulk_create(scores, batch_size=10000)
    counts.update(
        networks=len(networks),
        organisations=len(organisations),
        people=len(users),
        meetings=len(meetings),
        attendances=len(attendances),
        actions=len(actions),
        scores=len(scores),
    )
    return counts
