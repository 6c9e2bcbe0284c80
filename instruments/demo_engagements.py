"""Demo engagement catalogue (issue 19 §7) of Planmakers West-Vlaanderen. Idempotent (by title)."""

import datetime

from django.db import transaction
from django.utils import timezone

from ijh.models import User
from networks.models import Network, Organisation

from .models import Engagement, LifeDomain

NETWORK = "Planmakers West-Vlaanderen"
# (title, method, place, time, domains, ages, days valid from today (negative: past), days valid for)
ENGAGEMENTS = [
    ("Time-outplek binnen 48 uur", "Twee weken time-out met een vaste begeleider en terugkeer naar de leefgroep.",
     "Brugge", "binnen 48 uur", ["family", "safety"], (12, 18), -60, None),
    ("Intake CGG zonder wachtlijst voor trajecten", "Een intake binnen vier weken voor jongeren in een planmakerstraject.",
     "Roeselare", "binnen 4 weken", ["mental_health"], (6, 18), -120, 245),
    ("Schoolbrug na opname", "Een leerkracht-coach plant de terugkeer naar school in halve dagen.",
     "Kortrijk", "start binnen 10 schooldagen", ["school"], (6, 16), -30, None),
    ("Buddy voor vrije tijd", "Een vrijwillige buddy, één vaste activiteit per week.",
     "Oostende", "binnen 3 weken", ["leisure"], (10, 21), -200, None),
    ("Crisisopvang bij het gezin thuis (proefproject)", "Thuisbegeleiding tot vijf dagen per week.",
     "Ieper", "binnen een week", ["family"], (0, 12), -400, -30),
]  # fmt: skip


@transaction.atomic
def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    network = networks.get(NETWORK)
    author = (
        User.objects.filter(username="planmakercoordinator").first()
        or User.objects.filter(is_superuser=True).first()
    )
    organisations = list(Organisation.objects.filter(network_memberships__network=network).order_by("name"))
    if network is None or author is None or not organisations:
        return {"engagements": 0}
    domains = {domain.code: domain for domain in LifeDomain.objects.all()}
    created = 0
    for number, (title, method, place, time, codes, ages, start, length) in enumerate(ENGAGEMENTS):
        if Engagement.objects.filter(network=network, title=title).exists():
            continue
        valid_from = today + datetime.timedelta(days=start)
        engagement = Engagement.objects.create(
            network=network, organisation=organisations[number % len(organisations)], title=title, method=method,
            contact_person=["Sara Declercq", "Tom Vanneste", "Evi Maes"][number % 3],
            contact_details=f"planmakers.{number + 1}@example.org", place=place, time=time,
            age_from=ages[0], age_to=ages[1], valid_from=valid_from,
            valid_until=None if length is None else today + datetime.timedelta(days=length),
            created_by=author,
        )  # fmt: skip
        engagement.domains.set([domains[code] for code in codes if code in domains])
        created += 1
    return {"engagements": created}
