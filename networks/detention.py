"""A detention network per prison (research 001, ch. 4; issue 20 §1).

The strategic plan of the Flemish Community (8 December 2000) gives each prison network five
strategic objectives (001:3125-3149); the network turns them into operational goals. The PMD
(planningsteam maatschappelijke dienstverlening) is the steering body, chaired by the Flemish
beleidsmedewerker (001:3169, 3856-3860); it sets up thematic working groups, and the plan asks
for two standing consultations: prison management with the beleidsmedewerker, and the
psychosocial service (PSD) with the trajectbegeleiders (001:3179-3185).

``set_up`` makes all of that for a network, once: running it again adds only what is missing
and changes nothing that exists (a renamed body or an edited goal stays as it is).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ijh import audit
from ijh.models import User

from .models import Body, Goal, Membership, Network

# The six domains of the offer (001:3120-3122). Codes are used by the offer in instruments/.
DOMAINS = [
    ("welfare", _("welzijn")),
    ("health", _("gezondheid")),
    ("education", _("onderwijs")),
    ("work", _("beroepsopleiding en werk")),
    ("culture", _("cultuur")),
    ("sport", _("sport")),
]
DOMAIN_LABELS = dict(DOMAINS)

# The five strategic objectives, in the plan's order and wording (001:3125-3145).
STRATEGIC_OBJECTIVES = [
    _("Een kwalitatief aanbod uitbouwen"),
    _("Het hulp- en dienstverleningsaanbod profileren"),
    _("Samenwerkingsmodellen en organisatievormen ontwikkelen en implementeren"),
    _("Draagvlak verkrijgen en vergroten bij de actoren van de Vlaamse Gemeenschap en de stakeholders"),
    _("Een HRM- en organisatieontwikkelingsbeleid ontwikkelen en implementeren"),
]

CONSULTATIONS = [
    (
        _("Structureel overleg gevangenisdirectie – beleidsmedewerker"),
        _("Vast overleg tussen de gevangenisdirectie en de Vlaamse beleidsmedewerker."),
    ),
    (
        _("Structureel overleg PSD – trajectbegeleiding"),
        _(
            "Vast overleg tussen de psychosociale dienst en de trajectbegeleiders. Individuele "
            "begeleidingen worden hier niet inhoudelijk besproken: de trajectbegeleiding valt onder "
            "het beroepsgeheim, de gevangenis heeft een rapporteringsplicht."
        ),
    ),
]


def pmd_name(network: Network) -> str:
    return str(_("PMD %(network)s")) % {"network": network.name}


def working_group_name(label) -> str:
    return str(_("Werkgroep %(domain)s")) % {"domain": label}


@dataclass
class Structure:
    pmd: Body | None
    working_groups: list[Body]
    consultations: list[Body]
    objectives: list[Goal]
    policy_officers: list[Membership]

    @property
    def complete(self) -> bool:
        return (
            self.pmd is not None
            and len(self.working_groups) >= len(DOMAINS)
            and len(self.consultations) >= len(CONSULTATIONS)
            and len(self.objectives) >= len(STRATEGIC_OBJECTIVES)
        )


def structure_of(network: Network) -> Structure:
    """The network's PMD, working groups, consultations and strategic goals (four queries)."""
    bodies = list(
        Body.objects.filter(
            network=network, kind__in=(Body.Kind.PMD, Body.Kind.WORKING_GROUP, Body.Kind.CONSULTATION)
        )
        .select_related("chair")
        .order_by("kind", "pk")
    )
    objective_titles = [str(title) for title in STRATEGIC_OBJECTIVES]
    objectives = sorted(
        Goal.objects.filter(network=network, kind=Goal.Kind.END_GOAL, title__in=objective_titles),
        key=lambda goal: objective_titles.index(goal.title),
    )
    officers = list(
        Membership.objects.active()
        .filter(network=network, role=Membership.Role.POLICY_OFFICER)
        .select_related("user")
    )
    return Structure(
        pmd=next((body for body in bodies if body.kind == Body.Kind.PMD), None),
        working_groups=[body for body in bodies if body.kind == Body.Kind.WORKING_GROUP],
        consultations=[body for body in bodies if body.kind == Body.Kind.CONSULTATION],
        objectives=objectives,
        policy_officers=officers,
    )


@transaction.atomic
def set_up(network: Network, *, by: User | None) -> dict[str, int]:
    """Add what the strategic plan asks for and the network lacks; return how many of each."""
    added = {"bodies": 0, "goals": 0}
    officer = (
        Membership.objects.active()
        .filter(network=network, role=Membership.Role.POLICY_OFFICER)
        .order_by("since", "pk")
        .first()
    )
    pmd = Body.objects.filter(network=network, kind=Body.Kind.PMD).order_by("pk").first()
    if pmd is None:
        pmd = Body.objects.create(
            network=network,
            kind=Body.Kind.PMD,
            name=pmd_name(network),
            description=str(
                _(
                    "Het aansturend orgaan van het netwerk: beslist over het lokale beleid van de hulp- en dienstverlening."
                )
            ),
        )
        added["bodies"] += 1
        audit.record(by, "body.created", pmd)
    if pmd.chair_id is None and officer is not None:
        # The PMD is chaired by the Flemish beleidsmedewerker (001:3856-3860).
        pmd.chair = officer.user
        pmd.save(update_fields=["chair"])
        officer.bodies.add(pmd)
        audit.record(by, "body.chair_set", pmd, changed_fields=["chair"])
    wanted = [(Body.Kind.WORKING_GROUP, working_group_name(label), "") for _code, label in DOMAINS] + [
        (Body.Kind.CONSULTATION, str(name), str(text)) for name, text in CONSULTATIONS
    ]
    existing = set(Body.objects.filter(network=network).values_list("name", flat=True))
    for kind, name, description in wanted:
        if name in existing:
            continue
        body = Body.objects.create(network=network, kind=kind, name=name, description=description)
        added["bodies"] += 1
        audit.record(by, "body.created", body)
    titles = set(
        Goal.objects.filter(network=network, kind=Goal.Kind.END_GOAL).values_list("title", flat=True)
    )
    for title in STRATEGIC_OBJECTIVES:
        if str(title) in titles:
            continue
        goal = Goal.objects.create(
            network=network,
            kind=Goal.Kind.END_GOAL,
            title=str(title),
            level=Goal.Level.GOVERNMENT,
            description=str(
                _(
                    "Strategische doelstelling uit het strategisch plan hulp- en dienstverlening aan gedetineerden."
                )
            ),
            created_by=by if by is not None else getattr(officer, "user", None),
        )
        added["goals"] += 1
        audit.record(by, "goal.created", goal)
    return added
