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


def ensure(Region, Sector) -> None:
    """Create or refresh the seeded rows; takes the model classes so a migration can pass its own."""
    for code, name in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, abbreviation in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "abbreviation": abbreviation})
