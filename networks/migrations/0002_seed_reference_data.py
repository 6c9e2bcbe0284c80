"""The regions and sectors every installation starts with. Sectors stay editable data."""

from django.db import migrations

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


def seed(apps, schema_editor):
    Region = apps.get_model("networks", "Region")
    Sector = apps.get_model("networks", "Sector")
    for code, name in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, abbreviation in SECTORS:
        Sector.objects.update_or_create(code=code, defaults={"name": name, "abbreviation": abbreviation})


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
