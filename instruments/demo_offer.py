"""Demo offer of the four prisons (issue 20 §8): activities across the six domains, participants
and waiting lists by code, one security event. Invented; idempotent (a prison that has activities
is left alone)."""

import datetime

from django.utils import timezone

from networks.models import Network, NetworkMembership, Organisation, Sector

from . import services_offer as services
from .models_offer import Activity, SecurityEvent

# (domain, title, provider kind, target group, places, weekday, start hour, hours, description)
ACTIVITIES = [
    (
        "welfare",
        "Onthaalgesprek nieuwe gedetineerden",
        "caw",
        "Nieuw binnengekomen gedetineerden",
        8,
        0,
        9,
        2,
        "Een eerste gesprek over je vragen: familie, huisvesting, schulden, administratie.",
    ),
    (
        "welfare",
        "Groepswerking relaties en opvoeding",
        "caw",
        "Gedetineerde ouders",
        10,
        2,
        13,
        2,
        "Samen met andere ouders praten over contact met je kinderen tijdens de detentie.",
    ),
    (
        "health",
        "Inloopspreekuur verslaving",
        "cgg",
        "Gedetineerden met een verslavingsvraag",
        6,
        1,
        10,
        2,
        "Een vertrouwelijk gesprek met een hulpverlener van het CGG.",
    ),
    (
        "education",
        "Nederlands tweede taal",
        "education",
        "Anderstalige gedetineerden",
        12,
        0,
        13,
        3,
        "Lessen Nederlands op je eigen niveau, met een attest op het einde.",
    ),
    (
        "education",
        "Basiseducatie rekenen en computer",
        "education",
        "Gedetineerden zonder diploma",
        10,
        3,
        9,
        3,
        "Rekenen, lezen en werken met de computer.",
    ),
    (
        "work",
        "Opleiding keukenhulp",
        "work",
        "Gedetineerden met een werkvraag",
        8,
        1,
        8,
        4,
        "Een opleiding in de gevangeniskeuken met een getuigschrift van de VDAB.",
    ),
    (
        "work",
        "Sollicitatietraining voor de vrijlating",
        "work",
        "Gedetineerden binnen een jaar voor hun vrijlating",
        8,
        4,
        13,
        2,
        "Je cv opmaken en een sollicitatiegesprek oefenen.",
    ),
    (
        "culture",
        "Bibliotheek en leesclub",
        "culture",
        "Alle gedetineerden",
        12,
        2,
        15,
        2,
        "Boeken lenen en samen lezen en praten over een boek.",
    ),
    ("sport", "Voetbal", "sport", "Alle gedetineerden", 16, 1, 14, 2, "Elke week een training en een match."),
    (
        "sport",
        "Fitness en conditie",
        "sport",
        "Alle gedetineerden",
        4,
        3,
        14,
        2,
        "Begeleide fitness in de sportzaal.",
    ),
]

# Which member organisation provides each kind, by sector code; a prison without one gets a small
# invented provider that becomes a member of the network.
PROVIDER_SECTORS = {
    "caw": ("caw",),
    "cgg": ("cgg", "gezondheid"),
    "education": ("onderwijs",),
    "work": ("werk",),
    "culture": (),
    "sport": (),
}
FALLBACK_PROVIDERS = {
    "caw": "CAW – justitieel welzijnswerk {area}",
    "cgg": "CGG – gevangeniswerking {area}",
    "education": "Centrum Basiseducatie {area}",
    "work": "VDAB – werk in detentie {area}",
    "culture": "Bibliotheek {area}",
    "sport": "Sportdienst {area}",
}


FALLBACK_SECTORS = {
    "caw": "caw",
    "cgg": "cgg",
    "education": "onderwijs",
    "work": "werk",
    "culture": "cultuur-sport",
    "sport": "cultuur-sport",
}


def _provider(network: Network, kind: str, members: list[Organisation], sectors: dict) -> Organisation:
    area = network.name.removeprefix("Gevangenis ").strip()
    fallback_name = FALLBACK_PROVIDERS[kind].format(area=area)
    for organisation in members:
        if organisation.name == fallback_name:
            return organisation
    for organisation in members:
        if organisation.sector.code in PROVIDER_SECTORS[kind]:
            return organisation
    if kind == "caw":
        named = [o for o in members if "CAW" in o.name]
        if named:
            return named[0]
    organisation, _ = Organisation.objects.get_or_create(
        name=fallback_name,
        defaults={"sector": sectors[FALLBACK_SECTORS[kind]], "municipality": area, "postcode": ""},
    )
    NetworkMembership.objects.get_or_create(
        network=network, organisation=organisation, defaults={"since": network.started_on}
    )
    members.append(organisation)
    return organisation


def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"activities": 0, "enrolments": 0, "security_events": 0}
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    start = today - datetime.timedelta(days=120)
    end = today + datetime.timedelta(days=180)
    for index, network in enumerate(sorted(networks.values(), key=lambda n: n.name)):
        if network.kind != Network.Kind.DETENTION or Activity.objects.filter(network=network).exists():
            continue
        members = list(
            Organisation.objects.filter(network_memberships__network=network)
            .select_related("sector")
            .distinct()
        )
        made = []
        for position, (domain, title, kind, target, places, weekday, hour, hours, text) in enumerate(
            ACTIVITIES
        ):
            activity = services.create_activity(
                activity=Activity(
                    network=network,
                    domain=domain,
                    title=title,
                    provider=_provider(network, kind, members, sectors),
                    target_group=target,
                    places=places,
                    weekday=weekday,
                    start_time=datetime.time(hour, 0),
                    end_time=datetime.time(hour + hours, 0),
                    starts_on=start,
                    ends_on=end,
                    location=f"Lokaal {position % 4 + 1}",
                    description=text,
                ),
                by=None,
            )
            made.append(activity)
            counts["activities"] += 1
        # Participants by code; the small activities fill up and get a waiting list.
        prefix = network.name.removeprefix("Gevangenis ")[:2].upper()
        for position, activity in enumerate(made):
            for n in range(min(activity.places + (3 if activity.places <= 6 else -2), 20)):
                services.enrol(
                    activity=activity, detainee_code=f"{prefix}-{(position * 7 + n) % 40 + 100:04d}", by=None
                )
                counts["enrolments"] += 1
        # One lockdown a month ago: "when security is at risk, everything stops".
        if not SecurityEvent.objects.filter(network=network).exists():
            day = today - datetime.timedelta(days=30 + index)
            starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))
            services.register_security_event(
                event=SecurityEvent(
                    network=network,
                    kind=SecurityEvent.Kind.LOCKDOWN,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=36),
                    note="Lockdown na een incident op de wandeling",
                ),
                by=None,
            )
            counts["security_events"] += 1
    return counts
