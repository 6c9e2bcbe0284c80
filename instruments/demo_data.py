"""Demo data for the instruments of the demo RTJ networks: the registry, referral agreements, and
self-checks against the Flemish draaiboek. Idempotent: rows are found by natural keys.

Organisations and networks come from ``networks.demo``; the Flemish playbook itself from
``instruments.demo.ensure_flemish_playbook``.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from ijh.models import User
from networks.models import Network, Organisation

from . import demo_offer, reference_data
from .models import (
    ImprovementAction,
    Instrument,
    LifeDomain,
    Playbook,
    PlaybookAdoption,
    PlaybookTask,
    ReferralAgreement,
    ReferralAgreementSignatory,
    ReferralArea,
    TaskCheck,
)

RTJ_INSTRUMENTS = [
    # kind, name, binding, origin, version, since
    (
        Instrument.Kind.PLAYBOOK,
        "Draaiboek brede instap",
        Instrument.Binding.MANDATORY,
        Instrument.Origin.FLEMISH,
        "1.0",
        datetime.date(2016, 1, 1),
    ),
    (
        Instrument.Kind.CLIENT_CONFERENCE,
        "Cliëntoverleg (netwerktafel)",
        Instrument.Binding.MANDATORY,
        Instrument.Origin.FLEMISH,
        "2.1",
        datetime.date(2015, 6, 1),
    ),
    (
        Instrument.Kind.REFERRAL_AGREEMENTS,
        "Verwijsafspraken brede instap",
        Instrument.Binding.DESIRED,
        Instrument.Origin.FLEMISH,
        "1.3",
        datetime.date(2017, 9, 1),
    ),
    (
        Instrument.Kind.SHARED_CARE,
        "Debat gedeelde zorg",
        Instrument.Binding.OPTIONAL,
        Instrument.Origin.FLEMISH,
        "",
        datetime.date(2019, 1, 1),
    ),
    (
        Instrument.Kind.OTHER,
        "Lokale intakefiche schoolnoden",
        Instrument.Binding.OPTIONAL,
        Instrument.Origin.LOCAL,
        "0.9",
        datetime.date(2023, 2, 1),
    ),
]

# network, receiving organisation, offer, target group, domains, ages, postcode ranges, referring
REFERRAL_AGREEMENTS = [
    (
        "RTJ Waas en Dender",
        "CKG De Zonnewijzer",
        "Mobiele opvoedingsondersteuning",
        "Gezinnen met kinderen van 0 tot 12 jaar met opvoedingsvragen",
        ["family"],
        (0, 12),
        [(9100, 9190)],
        ["CAW Waasland", "Vrij CLB Waas en Dender", "Opgroeien regio Waas en Dender"],
    ),
    (
        "RTJ Waas en Dender",
        "CGG Waas en Dender",
        "Kinder- en jeugdteam: diagnostiek en therapie",
        "Kinderen en jongeren met psychische klachten",
        ["mental_health"],
        (3, 18),
        [(9100, 9299)],
        ["Vrij CLB Waas en Dender", "GO! CLB Dender", "CAW Waasland"],
    ),
    (
        "RTJ Waas en Dender",
        "Jeugdhulp Het Kompas",
        "Contextbegeleiding en dagbegeleiding",
        "Jongeren van 12 tot 18 jaar met gedrags- en emotionele problemen",
        ["family", "school"],
        (12, 18),
        [(9200, 9300)],
        ["CAW Dendermonde-Aalst", "GO! CLB Dender"],
    ),
    (
        "RTJ Waas en Dender",
        "CAW Waasland",
        "JAC: onthaal en begeleiding jongeren",
        "Jongeren van 12 tot 25 jaar met vragen over thuis, school, geld, relaties",
        ["family", "work_income", "housing"],
        (12, 25),
        [(9100, 9190)],
        ["Vrij CLB Waas en Dender", "OCMW Sint-Niklaas"],
    ),
    (
        "RTJ Waas en Dender",
        "Dienstencentrum De Akker (VAPH)",
        "Rechtstreeks toegankelijke handicapspecifieke hulp",
        "Kinderen en jongeren met een (vermoeden van) handicap",
        ["health", "leisure"],
        (0, 21),
        [],
        ["Vrij CLB Waas en Dender", "GO! CLB Dender", "CAW Waasland"],
    ),
    (
        "RTJ Antwerpen Stad",
        "CKG Het Nest",
        "Crisisopvang en ambulante gezinsondersteuning",
        "Gezinnen met jonge kinderen in een moeilijke opvoedingssituatie",
        ["family", "safety"],
        (0, 12),
        [(2000, 2180)],
        ["CAW Antwerpen", "Stedelijk CLB Antwerpen"],
    ),
    (
        "RTJ Antwerpen Stad",
        "CAW Antwerpen",
        "JAC Antwerpen",
        "Jongeren van 12 tot 25 jaar",
        ["family", "housing", "work_income"],
        (12, 25),
        [(2000, 2180)],
        ["Stedelijk CLB Antwerpen", "Vrij CLB Antwerpen-Noord"],
    ),
    (
        "RTJ Antwerpen Stad",
        "CGG Vagga-Noord (fictief)",
        "Ambulante geestelijke gezondheidszorg",
        "Kinderen en jongeren met psychische problemen",
        ["mental_health", "substance_use"],
        (6, 18),
        [(2000, 2180)],
        ["CAW Antwerpen", "Stedelijk CLB Antwerpen"],
    ),
]

# organisations that ran a self-check per network: (name, months ago started, profile of ratings)
SELF_CHECKS = {
    "RTJ Waas en Dender": [
        ("CAW Waasland", 14, "good"),
        ("Vrij CLB Waas en Dender", 8, "mixed"),
        ("CKG De Zonnewijzer", 3, "weak"),
    ],
    "RTJ Antwerpen Stad": [("CAW Antwerpen", 10, "mixed"), ("Stedelijk CLB Antwerpen", 5, "good")],
}


@transaction.atomic
def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    # A transactional test's flush empties the seeded life domains; put them back first.
    reference_data.ensure(LifeDomain)
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    domains = {domain.code: domain for domain in LifeDomain.objects.all()}
    coordinator = User.objects.filter(username="coordinator").first()
    counts = {"instruments": 0, "referral_agreements": 0, "self_checks": 0}

    for network in networks.values():
        if network.kind != Network.Kind.RTJ:
            continue
        for kind, name, binding, origin, version, since in RTJ_INSTRUMENTS:
            Instrument.objects.update_or_create(
                network=network,
                name=name,
                defaults={
                    "kind": kind,
                    "binding": binding,
                    "origin": origin,
                    "version": version,
                    "in_use_since": max(since, network.started_on),
                    "contact_person": coordinator,
                },
            )
            counts["instruments"] += 1

    for network_name, receiver, offer, target, domain_codes, (
        age_min,
        age_max,
    ), areas, referring in REFERRAL_AGREEMENTS:
        network = networks[network_name]
        agreement, _ = ReferralAgreement.objects.update_or_create(
            network=network,
            title=f"Verwijsafspraak {offer}",
            defaults={
                "receiving_organisation": organisations[receiver],
                "offer": offer,
                "target_group": target,
                "age_min": age_min,
                "age_max": age_max,
                "conditions": "Aanmelding na vraagverheldering door een organisatie van de brede instap; "
                "toestemming van de jongere of de ouders voor het doorgeven van de gegevensfiche.",
                "letter_requirements": "De hulpvraag in de woorden van de jongere, wat al geprobeerd werd, "
                "de betrokken hulpverleners, en de verwachting van het gezin.",
                "contact_point": f"Aanmeldpunt {receiver}, elke werkdag van 9 tot 12 uur",
                "contact_phone": "03 123 45 67",
                "contact_email": "aanmelden@example.org",
                "valid_from": datetime.date(2024, 1, 1),
                "valid_until": datetime.date(2027, 12, 31),
                "created_by": coordinator,
            },
        )
        agreement.domains.set([domains[code] for code in domain_codes])
        agreement.referring_organisations.set([organisations[name] for name in referring])
        agreement.areas.all().delete()
        ReferralArea.objects.bulk_create(
            ReferralArea(agreement=agreement, postcode_from=low, postcode_to=high) for low, high in areas
        )
        for name in [receiver, *referring]:
            ReferralAgreementSignatory.objects.update_or_create(
                agreement=agreement,
                organisation=organisations[name],
                defaults={"signed_on": datetime.date(2023, 12, 12)},
            )
        counts["referral_agreements"] += 1

    playbook = _flemish_playbook()
    if playbook is not None:
        tasks = list(PlaybookTask.objects.filter(step__playbook=playbook).order_by("step__order", "order"))
        for network_name, checks in SELF_CHECKS.items():
            network = networks[network_name]
            for name, months_ago, profile in checks:
                if _self_check(
                    network, organisations[name], playbook, tasks, months_ago, profile, today, coordinator
                ):
                    counts["self_checks"] += 1
    # The offer of the prisons (issue 20).
    counts.update(demo_offer.load(networks, today))
    return counts


def _flemish_playbook() -> Playbook | None:
    try:
        from .demo import ensure_flemish_playbook
    except ImportError:  # the seed arrives with the playbook pages
        return Playbook.objects.filter(network__isnull=True, status=Playbook.Status.PUBLISHED).first()
    return ensure_flemish_playbook()


RATINGS = {
    "good": [TaskCheck.Rating.MET] * 5 + [TaskCheck.Rating.PARTLY],
    "mixed": [TaskCheck.Rating.MET, TaskCheck.Rating.PARTLY, TaskCheck.Rating.MET, TaskCheck.Rating.NOT_MET],
    "weak": [TaskCheck.Rating.PARTLY, TaskCheck.Rating.NOT_MET, TaskCheck.Rating.MET],
}
IMPROVEMENTS = [
    (
        ImprovementAction.Level.ORGANISATION,
        "Vraagverheldering in de woorden van de jongere opnemen in het intakeformulier.",
    ),
    (
        ImprovementAction.Level.NETWORK,
        "Gezamenlijke sociale kaart van het aanbod actualiseren en delen met alle onthaalpunten.",
    ),
    (
        ImprovementAction.Level.FLEMISH,
        "Signaal aan het agentschap: geen gedeeld registratiesysteem voor dispatching.",
    ),
]


def _self_check(network, organisation, playbook, tasks, months_ago, profile, today, by) -> bool:
    started = today - datetime.timedelta(days=30 * months_ago)
    adoption, created = PlaybookAdoption.objects.get_or_create(
        network=network,
        organisation=organisation,
        playbook=playbook,
        defaults={"started_on": started, "performed_by": by},
    )
    if not created:
        return False
    ratings = RATINGS[profile]
    for index, task in enumerate(tasks):
        rating = ratings[index % len(ratings)]
        TaskCheck.objects.create(
            adoption=adoption,
            task=task,
            rating=rating,
            note=""
            if rating == TaskCheck.Rating.MET
            else "Gebeurt nog niet systematisch bij elke aanmelding.",
        )
    adoption.status = PlaybookAdoption.Status.COMPLETED
    adoption.completed_on = started + datetime.timedelta(days=21)
    adoption.save(update_fields=["status", "completed_on"])
    gaps = [task for index, task in enumerate(tasks) if ratings[index % len(ratings)] != TaskCheck.Rating.MET]
    for (level, description), task in zip(IMPROVEMENTS, gaps, strict=False):
        ImprovementAction.objects.create(
            adoption=adoption,
            task=task,
            level=level,
            description=description,
            owner=by if level == ImprovementAction.Level.NETWORK else None,
            due_on=adoption.completed_on + datetime.timedelta(days=120),
            status=ImprovementAction.Status.DONE if months_ago > 12 else ImprovementAction.Status.IN_PROGRESS,
        )
    return True
