"""Demo data of the carousel signal (issue 19 §8): three young people in the Planmakers
West-Vlaanderen region passed between many providers in the last year, one just below the
thresholds. Invented people only. Idempotent: cases are found by a fixed pseudonym."""

import datetime

from django.db import transaction
from django.utils import timezone

from ijh.models import AuditEvent, User
from networks.models import Network, Organisation

from .demo_planmakers import NETWORK, TZ
from .models import Case, CaseTeamMember, Client, TimelineEvent

# (pseudonym, first name, last name, providers, team rows after the lead's, ended rows = hand-offs)
CASES = [
    ("CL-CAR-01", "Robbe", "Vanacker", 5, 4, 4),
    ("CL-CAR-02", "Ines", "Vercruysse", 4, 3, 2),
    ("CL-CAR-03", "Matteo", "Dhondt", 3, 3, 3),  # back and forth between two providers
    ("CL-CAR-04", "Lien", "Verbeke", 3, 2, 1),  # below both thresholds: not listed
]


@transaction.atomic
def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    network = networks.get(NETWORK)
    creator = User.objects.filter(username="hulpverlener.west").first()
    if network is None or creator is None:
        return {"carousel_cases": 0}
    organisations = list(
        Organisation.objects.filter(network_memberships__network=network).order_by("name")[:6]
    )
    if len(organisations) < 2:
        return {"carousel_cases": 0}
    created = 0
    for number, (pseudonym, first, last, providers, rows, handoffs) in enumerate(CASES):
        if Client.objects.filter(pseudonym=pseudonym).exists():
            continue
        client = Client.objects.create(
            pseudonym=pseudonym, first_name=first, last_name=last, birth_year=today.year - 14 - number,
            gender=[Client.Gender.MALE, Client.Gender.FEMALE][number % 2], postcode="8800",
        )  # fmt: skip
        opened = today - datetime.timedelta(days=330)
        lead = organisations[number % len(organisations)]
        case = Case.objects.create(
            network=network, client=client, lead_organisation=lead, opened_on=opened, created_by=creator,
            summary="Meerdere breuken in de hulpverlening op korte tijd.",
        )  # fmt: skip
        CaseTeamMember.objects.create(
            case=case, organisation=lead, role=CaseTeamMember.Role.LEAD, since=opened
        )
        events = [(TimelineEvent.Kind.OPENED, opened, str(lead), case, "case.opened")]
        # The other providers one after the other; the first ``handoffs`` rows ended.
        pool = [org for org in organisations if org != lead][: providers - 1]
        for index in range(rows):
            organisation = pool[index % len(pool)]
            since = opened + datetime.timedelta(days=40 + 70 * index)
            until = since + datetime.timedelta(days=60) if index < handoffs else None
            row = CaseTeamMember.objects.create(
                case=case,
                organisation=organisation,
                since=min(since, today),
                until=until and min(until, today),
            )
            events.append(
                (TimelineEvent.Kind.TEAM_ADDED, row.since, str(organisation), row, "case_team.added")
            )
            if row.until:
                events.append(
                    (TimelineEvent.Kind.TEAM_ENDED, row.until, str(organisation), row, "case_team.ended")
                )
        for kind, day, detail, target, action in events:
            # Every timeline line has its audit twin, as the services write them.
            at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=TZ)
            TimelineEvent.objects.create(
                case=case, kind=kind, detail=detail[:250], actor=creator, at=at,
                object_type=target._meta.label_lower, object_id=str(target.pk),
            )  # fmt: skip
            AuditEvent.objects.create(
                at=at, actor=creator, actor_label=creator.username, action=action,
                object_type=target._meta.label_lower, object_id=str(target.pk), network_id=network.pk,
            )  # fmt: skip
        created += 1
    return {"carousel_cases": created}
