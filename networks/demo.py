"""Demo data for the networks domain: invented organisations and people, real network names.

Idempotent: every row is found by a natural key and updated, so running it twice changes nothing.
No real persons' names from the research documents are used.
"""

import datetime

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from ijh.models import User

from . import demo_steering, detention, reference_data
from .models import Body, Criterion, Membership, Network, NetworkMembership, Organisation, Region, Sector

DEMO_PASSWORD = "demo-ijh-2026"

# (name, sector code, municipality, postcode, region code)
ORGANISATIONS = [
    ("CAW Waasland", "caw", "Sint-Niklaas", "9100", "oost-vlaanderen"),
    ("CAW Dendermonde-Aalst", "caw", "Dendermonde", "9200", "oost-vlaanderen"),
    ("CKG De Zonnewijzer", "ckg", "Sint-Niklaas", "9100", "oost-vlaanderen"),
    ("Vrij CLB Waas en Dender", "clb", "Lokeren", "9160", "oost-vlaanderen"),
    ("GO! CLB Dender", "clb", "Aalst", "9300", "oost-vlaanderen"),
    ("CGG Waas en Dender", "cgg", "Sint-Niklaas", "9100", "oost-vlaanderen"),
    ("Opgroeien regio Waas en Dender", "kg", "Sint-Niklaas", "9100", "oost-vlaanderen"),
    ("Sociale Dienst Jeugdrechtbank Dendermonde", "jwz", "Dendermonde", "9200", "oost-vlaanderen"),
    ("Dienstencentrum De Akker (VAPH)", "vaph", "Temse", "9140", "oost-vlaanderen"),
    ("Jeugdhulp Het Kompas", "jwz", "Aalst", "9300", "oost-vlaanderen"),
    ("OCMW Sint-Niklaas", "ocmw", "Sint-Niklaas", "9100", "oost-vlaanderen"),
    ("Centrum Leerlingenbegeleiding Scheldeland", "clb", "Hamme", "9220", "oost-vlaanderen"),
    ("Justitiehuis Gent", "justitie", "Gent", "9000", "oost-vlaanderen"),
    ("CAW Oost-Vlaanderen – werking gevangenis", "caw", "Gent", "9000", "oost-vlaanderen"),
    ("Centrum Basiseducatie Gent", "onderwijs", "Gent", "9000", "oost-vlaanderen"),
    ("CAW Antwerpen", "caw", "Antwerpen", "2000", "antwerpen"),
    ("CKG Het Nest", "ckg", "Antwerpen", "2060", "antwerpen"),
    ("Stedelijk CLB Antwerpen", "clb", "Antwerpen", "2018", "antwerpen"),
    ("Vrij CLB Antwerpen-Noord", "clb", "Merksem", "2170", "antwerpen"),
    ("CGG Vagga-Noord (fictief)", "cgg", "Antwerpen", "2060", "antwerpen"),
    ("Kinder- en Jeugdpsychiatrie Scheldezicht", "kinderpsychiatrie", "Antwerpen", "2020", "antwerpen"),
    ("Opgroeien regio Antwerpen", "kg", "Antwerpen", "2000", "antwerpen"),
    ("Crisismeldpunt Minderjarigen Antwerpen", "jwz", "Antwerpen", "2000", "antwerpen"),
    ("Mobiel Crisisteam De Brug", "jwz", "Mortsel", "2640", "antwerpen"),
    ("Crisisopvang Den Uil", "jwz", "Schoten", "2900", "antwerpen"),
    ("Begeleidingscentrum Zonnebloem (VAPH)", "vaph", "Edegem", "2650", "antwerpen"),
    ("Lokale Politie Antwerpen – jeugdafdeling", "politie", "Antwerpen", "2000", "antwerpen"),
    ("OCMW Antwerpen", "ocmw", "Antwerpen", "2000", "antwerpen"),
    ("Justitiehuis Turnhout", "justitie", "Turnhout", "2300", "antwerpen"),
    ("CAW De Kempen – gevangeniswerking", "caw", "Hoogstraten", "2320", "antwerpen"),
    ("VDAB Werkwinkel Turnhout", "werk", "Turnhout", "2300", "antwerpen"),
    ("CAW Centraal-West-Vlaanderen", "caw", "Roeselare", "8800", "west-vlaanderen"),
    ("CAW Westhoek – gevangeniswerking", "caw", "Ieper", "8900", "west-vlaanderen"),
    ("CKG De Vlinder", "ckg", "Kortrijk", "8500", "west-vlaanderen"),
    ("Vrij CLB Westhoek", "clb", "Ieper", "8900", "west-vlaanderen"),
    ("CGG Mandel en Leie", "cgg", "Roeselare", "8800", "west-vlaanderen"),
    ("Co-ncept Jeugdhulp (planmakers)", "jwz", "Roeselare", "8800", "west-vlaanderen"),
    ("Leefgroepenwerking De Schakel", "jwz", "Brugge", "8000", "west-vlaanderen"),
    ("Dienst Ondersteuningsplan West (VAPH)", "vaph", "Brugge", "8000", "west-vlaanderen"),
    ("Justitiehuis Ieper", "justitie", "Ieper", "8900", "west-vlaanderen"),
    ("Sportdienst Ieper", "cultuur-sport", "Ieper", "8900", "west-vlaanderen"),
    ("CAW Limburg – gevangeniswerking", "caw", "Hasselt", "3500", "limburg"),
    ("CGG Limburg", "cgg", "Hasselt", "3500", "limburg"),
    ("Centrum voor Volwassenenonderwijs Hasselt", "onderwijs", "Hasselt", "3500", "limburg"),
    ("Justitiehuis Hasselt", "justitie", "Hasselt", "3500", "limburg"),
    ("Bibliotheek Hasselt", "cultuur-sport", "Hasselt", "3500", "limburg"),
    ("VDAB Limburg – werk in detentie", "werk", "Hasselt", "3500", "limburg"),
]

# (name, kind, region code, area, started on, organisation name prefixes or names, bodies)
NETWORKS = [
    (
        "RTJ Waas en Dender",
        Network.Kind.RTJ,
        "oost-vlaanderen",
        "Regio Waas en Dender",
        datetime.date(2015, 3, 1),
        [
            "CAW Waasland",
            "CAW Dendermonde-Aalst",
            "CKG De Zonnewijzer",
            "Vrij CLB Waas en Dender",
            "GO! CLB Dender",
            "CGG Waas en Dender",
            "Opgroeien regio Waas en Dender",
            "Dienstencentrum De Akker (VAPH)",
            "Jeugdhulp Het Kompas",
            "OCMW Sint-Niklaas",
            "Centrum Leerlingenbegeleiding Scheldeland",
        ],
        [
            (Body.Kind.STEERING_GROUP, "Netwerkstuurgroep Waas en Dender"),
            (Body.Kind.CORE_GROUP, "Kerngroep Waas en Dender"),
            (Body.Kind.WORKING_GROUP, "Werkgroep cliëntoverleg"),
            (Body.Kind.WORKING_GROUP, "Werkgroep brede instap"),
        ],
    ),
    (
        "RTJ Antwerpen Stad",
        Network.Kind.RTJ,
        "antwerpen",
        "Stad Antwerpen",
        datetime.date(2014, 9, 1),
        [
            "CAW Antwerpen",
            "CKG Het Nest",
            "Stedelijk CLB Antwerpen",
            "Vrij CLB Antwerpen-Noord",
            "CGG Vagga-Noord (fictief)",
            "Opgroeien regio Antwerpen",
            "OCMW Antwerpen",
            "Begeleidingscentrum Zonnebloem (VAPH)",
        ],
        [
            (Body.Kind.STEERING_GROUP, "Netwerkstuurgroep Antwerpen Stad"),
            (Body.Kind.WORKING_GROUP, "Werkgroep verwijsafspraken"),
            (Body.Kind.PARTNER_MEETING, "Partnervergadering Antwerpen Stad"),
        ],
    ),
    (
        "Crisisnetwerk Antwerpen",
        Network.Kind.CRISIS,
        "antwerpen",
        "Stad Antwerpen en randgemeenten",
        datetime.date(2012, 1, 1),
        [
            "Crisismeldpunt Minderjarigen Antwerpen",
            "Mobiel Crisisteam De Brug",
            "Crisisopvang Den Uil",
            "CAW Antwerpen",
            "Kinder- en Jeugdpsychiatrie Scheldezicht",
            "Begeleidingscentrum Zonnebloem (VAPH)",
            "Lokale Politie Antwerpen – jeugdafdeling",
            "CKG Het Nest",
        ],
        [
            (Body.Kind.STEERING_GROUP, "Netwerkstuurgroep crisis Antwerpen"),
            (Body.Kind.WORKING_GROUP, "Werkgroep crisismeldpunt"),
        ],
    ),
    (
        "Gevangenis Gent",
        Network.Kind.DETENTION,
        "oost-vlaanderen",
        "Gevangenis van Gent",
        datetime.date(2016, 1, 1),
        ["CAW Oost-Vlaanderen – werking gevangenis", "Justitiehuis Gent", "Centrum Basiseducatie Gent"],
        [(Body.Kind.PMD, "PMD Gevangenis Gent")],
    ),
    (
        "Gevangenis Ieper",
        Network.Kind.DETENTION,
        "west-vlaanderen",
        "Gevangenis van Ieper",
        datetime.date(2017, 1, 1),
        ["CAW Westhoek – gevangeniswerking", "Justitiehuis Ieper", "Sportdienst Ieper"],
        [(Body.Kind.PMD, "PMD Gevangenis Ieper")],
    ),
    (
        "Gevangenis Hoogstraten",
        Network.Kind.DETENTION,
        "antwerpen",
        "Penitentiair schoolcentrum Hoogstraten",
        datetime.date(2016, 6, 1),
        ["CAW De Kempen – gevangeniswerking", "Justitiehuis Turnhout", "VDAB Werkwinkel Turnhout"],
        [(Body.Kind.PMD, "PMD Gevangenis Hoogstraten")],
    ),
    (
        "Gevangenis Hasselt",
        Network.Kind.DETENTION,
        "limburg",
        "Gevangenis van Hasselt",
        datetime.date(2015, 9, 1),
        [
            "CAW Limburg – gevangeniswerking",
            "CGG Limburg",
            "Centrum voor Volwassenenonderwijs Hasselt",
            "Justitiehuis Hasselt",
            "Bibliotheek Hasselt",
            "VDAB Limburg – werk in detentie",
        ],
        [(Body.Kind.PMD, "PMD Gevangenis Hasselt")],
    ),
    (
        "Planmakers West-Vlaanderen",
        Network.Kind.PLANMAKER,
        "west-vlaanderen",
        "Provincie West-Vlaanderen",
        datetime.date(2019, 9, 1),
        [
            "Co-ncept Jeugdhulp (planmakers)",
            "CAW Centraal-West-Vlaanderen",
            "CKG De Vlinder",
            "Vrij CLB Westhoek",
            "CGG Mandel en Leie",
            "Leefgroepenwerking De Schakel",
            "Dienst Ondersteuningsplan West (VAPH)",
        ],
        [
            (Body.Kind.LEARNING_NETWORK, "Lerend netwerk planmakers"),
            (Body.Kind.FORUM, "Jaarlijks forum West-Vlaanderen"),
        ],
    ),
]

# One demo login per role of DESIGN.md §2: (username, first, last, role, network or region, organisation)
DEMO_USERS = [
    (
        "stuurgroeplid",
        "Sofie",
        "Wuyts",
        Membership.Role.STEERING_MEMBER,
        "RTJ Waas en Dender",
        "CGG Waas en Dender",
    ),
    ("voorzitter", "Koen", "De Smet", Membership.Role.CHAIR, "RTJ Waas en Dender", "CAW Waasland"),
    ("coordinator", "Els", "Vermeulen", Membership.Role.COORDINATOR, "RTJ Waas en Dender", None),
    ("staf", "Bram", "Goossens", Membership.Role.STAFF, "region:oost-vlaanderen", None),
    (
        "planmaker",
        "Nele",
        "Desmet",
        Membership.Role.PLANMAKER,
        "Planmakers West-Vlaanderen",
        "Co-ncept Jeugdhulp (planmakers)",
    ),
    (
        "hulpverlener",
        "Jonas",
        "Peeters",
        Membership.Role.CASEWORKER,
        "RTJ Waas en Dender",
        "CKG De Zonnewijzer",
    ),
    (
        "meldpunt",
        "Hanne",
        "Maes",
        Membership.Role.MELDPUNT,
        "Crisisnetwerk Antwerpen",
        "Crisismeldpunt Minderjarigen Antwerpen",
    ),
    ("extvoorzitter", "Wim", "Jacobs", Membership.Role.CHAIRPERSON_EXTERNAL, "RTJ Antwerpen Stad", None),
    ("beheerder", "An", "Claes", Membership.Role.ADMIN, "region:*", None),
    # Detention network Gent (research 001, ch. 4): the Flemish policy officer chairs the PMD, the
    # organisation supporter keeps the offer, the trajectory guide follows detainees.
    ("beleidsmedewerker", "Lotte", "Verhaeghe", Membership.Role.POLICY_OFFICER, "Gevangenis Gent", None),
    (
        "organisatieondersteuner",
        "Dries",
        "Van Acker",
        Membership.Role.OFFER_COORDINATOR,
        "Gevangenis Gent",
        "CAW Oost-Vlaanderen – werking gevangenis",
    ),
    (
        "trajectbegeleider",
        "Fatima",
        "Bennani",
        Membership.Role.TRAJECTORY_GUIDE,
        "Gevangenis Gent",
        "CAW Oost-Vlaanderen – werking gevangenis",
    ),
    # The receiving side of a transfer between prisons (issue 20 §5).
    (
        "trajectbegeleider.ieper",
        "Yannick",
        "Deconinck",
        Membership.Role.TRAJECTORY_GUIDE,
        "Gevangenis Ieper",
        "CAW Westhoek – gevangeniswerking",
    ),
    (
        "beleidsmedewerker.ieper",
        "Saar",
        "Vandenberghe",
        Membership.Role.POLICY_OFFICER,
        "Gevangenis Ieper",
        None,
    ),
    # The Flemish administration: counts of every network, no client data.
    ("agentschap", "Marc", "Van den Broeck", Membership.Role.AGENCY, "flanders", None),
]

# Extra, non-login people so network pages show a realistic steering group.
EXTRA_PEOPLE = [
    ("Lien", "Mertens"),
    ("Tom", "Willems"),
    ("Sarah", "Dubois"),
    ("Pieter", "Lambrechts"),
    ("Evi", "Hermans"),
    ("Stijn", "Van Damme"),
    ("Ines", "Aerts"),
    ("Jeroen", "Segers"),
    ("Katrien", "Michiels"),
    ("Yasmina", "El Idrissi"),
    ("Thomas", "Wouters"),
    ("Griet", "Bogaert"),
]

START = datetime.date(2024, 1, 1)


def _valid_kbo(seed: int) -> str:
    """An invented enterprise number with correct check digits (starts with 0, like most)."""
    first_eight = f"0{seed % 10_000_000:07d}"
    return first_eight + f"{97 - int(first_eight) % 97:02d}"


@transaction.atomic
def load() -> dict[str, int]:
    reference_data.ensure(Region, Sector)
    reference_data.ensure_criteria(Criterion)
    regions = {region.code: region for region in Region.objects.all()}
    sectors = {sector.code: sector for sector in Sector.objects.all()}

    organisations = {}
    for index, (name, sector_code, municipality, postcode, _region) in enumerate(ORGANISATIONS):
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "sector": sectors[sector_code],
                "municipality": municipality,
                "postcode": postcode,
                # Every third organisation has a (valid, invented) KBO number.
                "kbo_number": _valid_kbo(40_000_000 + index * 7_919) if index % 3 == 0 else "",
            },
        )
        organisations[name] = organisation

    networks = {}
    for name, kind, region_code, area, started_on, member_names, bodies in NETWORKS:
        network, _ = Network.objects.update_or_create(
            name=name,
            defaults={"kind": kind, "region": regions[region_code], "area": area, "started_on": started_on},
        )
        networks[name] = network
        for position, member_name in enumerate(member_names):
            NetworkMembership.objects.update_or_create(
                network=network,
                organisation=organisations[member_name],
                defaults={
                    "since": max(started_on, START),
                    "is_broad_entry": network.kind == Network.Kind.RTJ
                    and organisations[member_name].sector.code in reference_data.BROAD_ENTRY_SECTORS,
                    # A few organisations only follow by minutes, as in the research networks.
                    "kind": NetworkMembership.Kind.FOLLOWS_BY_MINUTES
                    if position == len(member_names) - 1 and len(member_names) > 5
                    else NetworkMembership.Kind.PARTICIPATING,
                },
            )
        for body_kind, body_name in bodies:
            Body.objects.update_or_create(network=network, name=body_name, defaults={"kind": body_kind})

    users = []
    for username, first, last, role, scope, organisation_name in DEMO_USERS:
        user = _user(username, first, last, login=True)
        users.append(user)
        if scope == "flanders":
            _membership(user, role)
        elif scope == "region:*":
            for region in regions.values():
                _membership(user, role, region=region)
        elif scope.startswith("region:"):
            _membership(user, role, region=regions[scope.removeprefix("region:")])
        else:
            organisation = organisations.get(organisation_name) if organisation_name else None
            _membership(user, role, network=networks[scope], organisation=organisation)
    # The coordinator also coordinates Antwerpen Stad: one person, several networks.
    _membership(
        _user("coordinator", "Els", "Vermeulen"),
        Membership.Role.COORDINATOR,
        network=networks["RTJ Antwerpen Stad"],
    )

    # Functional admins keep reference data in the Django admin.
    admin_user = User.objects.get(username="beheerder")
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    admin_user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="networks",
            content_type__model__in=[
                "region",
                "sector",
                "organisation",
                "network",
                "body",
                "networkmembership",
            ],
        )
        | Permission.objects.filter(content_type__app_label="ijh", codename="view_auditevent")
    )

    # Extra steering-group members: two per network, each representing a member organisation.
    extra = iter(EXTRA_PEOPLE * 2)
    for network in networks.values():
        members = list(
            NetworkMembership.objects.filter(network=network)
            .select_related("organisation")
            .order_by("pk")[:2]
        )
        for membership in members:
            first, last = next(extra)
            username = f"{first}.{last}".lower().replace(" ", "")
            person = _user(username, first, last, login=False)
            _membership(
                person,
                Membership.Role.STEERING_MEMBER,
                network=network,
                organisation=membership.organisation,
                mandate="Mag afspraken maken binnen het bestaande aanbod; nieuwe engagementen na akkoord directie.",
            )
    # Contact people confirm who of their organisation opens client files (DESIGN.md §5): the
    # demo's caseworkers speak for their organisation, and one new colleague waits for that.
    for username, _first, _last, role, _scope, organisation_name in DEMO_USERS:
        if role in Membership.CLIENT_DATA_ROLES and organisation_name:
            organisations[organisation_name].contact_people.add(User.objects.get(username=username))
    newcomer = _user("ruben.claeys", "Ruben", "Claeys", login=False)
    coordinator = User.objects.get(username="coordinator")
    Membership.objects.update_or_create(
        user=newcomer,
        role=Membership.Role.CASEWORKER,
        network=networks["RTJ Waas en Dender"],
        defaults={
            "organisation": organisations["CKG De Zonnewijzer"],
            "since": timezone.localdate(),
            "granted_by": coordinator,
            "granted_at": timezone.now(),
            "confirmation": Membership.Confirmation.PENDING,
        },
    )
    # Each prison network gets its PMD (chaired by the beleidsmedewerker), working groups per
    # domain, the standing consultations and the strategic plan's five objectives (issue 20 §1).
    officers = iter([("Hilde", "Vanhove"), ("Kristof", "Schepers")])
    for network in networks.values():
        if network.kind != Network.Kind.DETENTION:
            continue
        if not Membership.objects.filter(network=network, role=Membership.Role.POLICY_OFFICER).exists():
            first, last = next(officers)
            _membership(
                _user(f"{first}.{last}".lower(), first, last), Membership.Role.POLICY_OFFICER, network=network
            )
        detention.set_up(network, by=None)
    counts = {
        "organisations": len(organisations),
        "networks": len(networks),
        "users": len(users),
    }
    counts.update(demo_steering.load(networks))
    _open_second_factor_enrolment()
    return counts


def _open_second_factor_enrolment() -> None:
    """A password alone never sets up a TOTP device (ijh/totp.py); in production the invitation
    mail opens enrolment. The demo's staff, admin and agency logins have no invitation, so each
    demo load leaves them what an administrator's reset leaves: their next login may set up an
    authenticator app. Logins that already confirmed a device keep it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ijh.totp import reset_second_factor

    from .second_factor import requires_second_factor

    for username, *_rest in DEMO_USERS:
        user = User.objects.get(username=username)
        if requires_second_factor(user) and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            reset_second_factor(user, by=None)


def _user(username: str, first: str, last: str, *, login: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if login:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _membership(
    user: User, role: str, *, network=None, region=None, organisation=None, mandate: str = ""
) -> None:
    Membership.objects.update_or_create(
        user=user,
        role=role,
        network=network,
        region=region,
        defaults={"organisation": organisation, "since": START, "mandate": mandate},
    )
