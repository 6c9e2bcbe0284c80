"""The regions and sectors every installation starts with (seeded by migration 0002).

The demo loader calls ``ensure`` too: a transactional test's flush empties these tables, and
demo data must be loadable afterwards. Sectors stay editable data once seeded.
"""

REGIONS = [
    ("antwerpen", "Antwerpen"),
    ("limburg", "Limburg"),
    ("oost-vlaanderen", "Oost-Vlaanderen"),
    ("vlaams-brabant", "Vlaams-Brabant"),
    ("west-vlaanderen", "West-Vlaanderen"),
    ("brussel", "Brussel"),
]

SECTORS = [
    ("kg", "Kind en Gezin / Opgroeien", "K&G"),
    ("ckg", "Centrum voor Kinderzorg en Gezinsondersteuning", "CKG"),
    ("jwz", "Jongerenwelzijn / Bijzondere Jeugdbijstand", "JWZ/BJB"),
    ("vaph", "Personen met een handicap (VAPH)", "VAPH"),
    ("clb", "Centrum voor Leerlingenbegeleiding", "CLB"),
    ("cgg", "Centrum voor Geestelijke Gezondheidszorg", "CGG"),
    ("caw", "Centrum Algemeen Welzijnswerk", "CAW"),
    ("onderwijs", "Onderwijs", "Onderwijs"),
    ("ocmw", "OCMW / lokaal bestuur", "OCMW"),
    ("justitie", "Justitie", "Justitie"),
    ("politie", "Politie", "Politie"),
    ("kinderpsychiatrie", "Kinder- en jeugdpsychiatrie", "KJP"),
    ("gezondheid", "Gezondheidszorg", "Gezondheid"),
    ("werk", "Werk en beroepsopleiding", "Werk"),
    ("cultuur-sport", "Cultuur en sport", "Cultuur/sport"),
]


# The sectors of an RTJ network's broad entry (research 000: CAW, CKG, CLB, K&G); the demo flags
# their memberships, as migration 0006 did for existing ones.
BROAD_ENTRY_SECTORS = ("caw", "ckg", "clb", "kg")


def ensure(Region, Sector) -> None:
    """Create or refresh the seeded rows; takes the model classes so a migration can pass its own."""
    for code, name in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, abbreviation in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "abbreviation": abbreviation})


# The quality criteria for client-centred collaboration (research file 002, table iii; DESIGN.md §3),
# each scored 1–5 as agreement with the statement.
CRITERIA = [
    (
        "gezamenlijk-doel",
        "Gezamenlijk doel",
        "structural",
        "De partners delen een helder en gezamenlijk doel.",
    ),
    (
        "bestuur-leiderschap",
        "Bestuur en leiderschap",
        "structural",
        "Het is duidelijk wie de regie voert en hoe er beslist wordt.",
    ),
    (
        "geengageerde-partners",
        "Geëngageerde partners",
        "structural",
        "De partners engageren zich en komen hun afspraken na.",
    ),
    (
        "praktische-afspraken",
        "Praktische afspraken",
        "structural",
        "Er zijn duidelijke praktische afspraken over taken, overleg en opvolging.",
    ),
    (
        "juiste-partners",
        "Juiste en complementaire partners",
        "structural",
        "De juiste partners zitten mee aan tafel en vullen elkaar aan.",
    ),
    (
        "mandaat",
        "Mandaat",
        "structural",
        "Vertegenwoordigers hebben het mandaat om namens hun organisatie te beslissen.",
    ),
    ("vertrouwen", "Vertrouwen", "relational", "De partners vertrouwen elkaar."),
    (
        "gelijkwaardigheid",
        "Gelijkwaardigheid",
        "relational",
        "Elke partner heeft een gelijkwaardige stem, ongeacht grootte of sector.",
    ),
    ("communicatie", "Communicatie", "relational", "Informatie wordt tijdig en open gedeeld."),
    (
        "noden-client",
        "Aansluiten bij de noden van de cliënt",
        "relational",
        "De samenwerking vertrekt van wat kinderen, jongeren en gezinnen nodig hebben.",
    ),
    (
        "voorgeschiedenis",
        "Voorgeschiedenis",
        "contextual",
        "Eerdere samenwerking helpt ons eerder dan dat ze ons hindert.",
    ),
    ("politieke-context", "Politieke context", "contextual", "Het beleid ondersteunt deze samenwerking."),
    (
        "wetgevend-kader",
        "Wetgevend kader",
        "contextual",
        "Het wetgevend kader maakt de samenwerking mogelijk (bv. gegevensdeling, beroepsgeheim).",
    ),
    (
        "geografische-ligging",
        "Geografische ligging",
        "contextual",
        "Het werkingsgebied is werkbaar voor alle partners.",
    ),
]


def ensure_criteria(Criterion) -> None:
    for position, (code, name, dimension, description) in enumerate(CRITERIA, start=1):
        Criterion.objects.update_or_create(
            code=code,
            defaults={"name": name, "dimension": dimension, "description": description, "position": position},
        )
