"""Reference data the instruments app seeds: the life domains (levensdomeinen).

Used by a data migration and by the demo loader; ``ensure`` is idempotent.
"""

# code, Dutch name. The names are data (shown as stored), like sectors.
LIFE_DOMAINS = [
    ("family", "Gezin en opvoeding"),
    ("health", "Lichamelijke gezondheid"),
    ("mental_health", "Psychisch welzijn"),
    ("school", "Onderwijs"),
    ("work_income", "Werk en inkomen"),
    ("housing", "Wonen"),
    ("leisure", "Vrije tijd en sociaal netwerk"),
    ("safety", "Veiligheid"),
    ("justice", "Justitie"),
    ("substance_use", "Middelengebruik"),
]


def ensure(LifeDomain) -> None:
    for order, (code, name) in enumerate(LIFE_DOMAINS, start=1):
        LifeDomain.objects.update_or_create(code=code, defaults={"name": name, "order": order})
