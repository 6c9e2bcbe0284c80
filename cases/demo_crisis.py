"""Demo data of the crisis network Antwerpen (issue 18 §9): the programme with its rota (one gap
in the coming days), providers with crisis places, half a year of calls and episodes in every
state, and a real night shift for the ``meldpunt`` login: calls of last night, running steps, two
shelters over their limit, one extended. The provider login ``crisisopvang`` (Crisisopvang Den Uil)
sees its side; one praktijkoverleg is open, for the kerngroep (login ``kerngroep``) to decide. Everything is invented. Loading twice adds nothing (the programme's calls are the
marker).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ijh.models import User
from instruments.crisis_services import set_up_programme
from instruments.models import CrisisProgramme, CrisisProvider, CrisisStepKind, OnCallShift
from networks import demo as network_demo
from networks.models import Body, Membership, Network, Organisation

from .models import Client, CrisisCall, CrisisConflict, CrisisEpisode, CrisisStep

NETWORK = "Crisisnetwerk Antwerpen"
# (organisation, step, contact line, places, reserved)
PROVIDERS = [
    ("Mobiel Crisisteam De Brug", CrisisStepKind.INTERVENTION, "0470 11 22 33", 0, 0),
    ("Kinder- en Jeugdpsychiatrie Scheldezicht", CrisisStepKind.INTERVENTION, "03 220 00 00", 0, 0),
    ("Begeleidingscentrum Zonnebloem (VAPH)", CrisisStepKind.GUIDANCE, "03 440 12 12", 6, 4),
    ("CAW Antwerpen", CrisisStepKind.GUIDANCE, "03 201 01 01", 4, 2),
    ("Crisisopvang Den Uil", CrisisStepKind.SHELTER, "03 658 00 11", 4, 4),
    ("CKG Het Nest", CrisisStepKind.SHELTER, "03 231 55 66", 2, 2),
    ("Begeleidingscentrum Zonnebloem (VAPH)", CrisisStepKind.SHELTER, "03 440 12 13", 3, 3),
]
PROVIDER_LOGIN = ("crisisopvang", "Lotte", "Janssens", "Crisisopvang Den Uil")
# The kerngroep decides the praktijkoverleg (issue 18 §5): a demo login sits in it.
CORE_GROUP = "Kerngroep crisis Antwerpen"
CORE_GROUP_LOGIN = ("kerngroep", "Pieter", "Wouters", "Kinder- en Jeugdpsychiatrie Scheldezicht")
QUESTIONS = [
    "Jongere dreigt weg te lopen na ruzie thuis.",
    "Ouder belt: escalatie, zoon slaat met deuren en dreigt.",
    "School: leerling uit zich suïcidaal, ouders onbereikbaar.",
    "Politie: jongere aangetroffen op straat, wil niet naar huis.",
    "CLB: meisje vertelt over geweld thuis, vandaag.",
    "Moeder uitgeput, kan de zorg vannacht niet meer aan.",
    "Jongere belt zelf: conflict met stiefvader.",
]
CALLERS = ["parent"] * 5 + ["young_person"] * 2 + ["school"] * 2 + ["police"] * 2 + ["clb", "other"]
# Calls peak in the evening (issue 18 §8): weights per hour of the day.
HOUR_WEIGHTS = [2, 1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 5, 6, 7, 8, 9, 10, 10, 8, 6, 4]
HALF_YEAR_DAYS = 182


def _provider_login(network: Network, organisation: Organisation) -> User:
    username, first, last, _org = PROVIDER_LOGIN
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    user.set_password(network_demo.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user,
        role=Membership.Role.CASEWORKER,
        network=network,
        defaults={"organisation": organisation, "since": network_demo.START},
    )
    return user


def _core_group_login(network: Network, organisation: Organisation) -> User:
    """A steering member of the crisis network seated in its kerngroep, which decides the open
    praktijkoverleg. Idempotent: the body, the role and the seat are found on a second load."""
    body, _created = Body.objects.get_or_create(
        network=network, name=CORE_GROUP, defaults={"kind": Body.Kind.CORE_GROUP}
    )
    username, first, last, _org = CORE_GROUP_LOGIN
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    user.set_password(network_demo.DEMO_PASSWORD)
    user.save(update_fields=["password"])
    membership, _created = Membership.objects.get_or_create(
        user=user,
        role=Membership.Role.STEERING_MEMBER,
        network=network,
        defaults={
            "organisation": organisation,
            "since": network_demo.START,
            "mandate": "Beslist in de kerngroep over praktijkoverleg tussen crisisaanbieders.",
        },
    )
    membership.bodies.add(body)
    return user


def _rota(programme: CrisisProgramme, now: datetime.datetime) -> None:
    """Twelve-hour shifts from a week ago to three weeks ahead, with one gap: the evening of the
    third day from now, 20:00–23:00 (the coordinator's warning)."""
    if programme.shifts.exists():
        return
    names = [
        ("Hanne Maes", "0470 90 00 01"),
        ("Joris Peeters", "0470 90 00 02"),
        ("Amira Said", "0470 90 00 03"),
    ]
    day = timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=7
    )
    gap_start = day + datetime.timedelta(days=10, hours=12)  # day 3 from now, 20:00
    shifts = []
    for n in range(2 * 28):
        start = day + datetime.timedelta(hours=12 * n)
        end = start + datetime.timedelta(hours=12)
        name, phone = names[n % len(names)]
        if start == gap_start:
            start = gap_start + datetime.timedelta(hours=3)
        shifts.append(OnCallShift(programme=programme, name=name, phone=phone, starts_at=start, ends_at=end))
    OnCallShift.objects.bulk_create(shifts)


@transaction.atomic
def load(networks: dict[str, Network], now: datetime.datetime | None = None) -> dict[str, int]:
    network = networks.get(NETWORK)
    if network is None:
        return {"crisis_calls": 0}
    now = now or timezone.now()
    meldpunt = User.objects.get(username="meldpunt")
    programme, _created = set_up_programme(network=network, by=meldpunt)
    organisations = {
        o.name: o
        for o in Organisation.objects.filter(
            name__in=[p[0] for p in PROVIDERS] + ["Crisismeldpunt Minderjarigen Antwerpen"]
        )
    }
    programme.meldpunt_organisation = organisations.get("Crisismeldpunt Minderjarigen Antwerpen")
    programme.meldpunt_phone = "03 216 00 00"
    programme.save()
    providers = {}
    for name, step, line, places, reserved in PROVIDERS:
        provider, _ = CrisisProvider.objects.get_or_create(
            programme=programme,
            organisation=organisations[name],
            step=step,
            defaults={"contact_line": line, "places": places, "reserved_places": reserved},
        )
        providers[(name, step)] = provider
    shelter_org = organisations[PROVIDER_LOGIN[3]]
    CrisisProvider.objects.filter(programme=programme, organisation=shelter_org).update(
        email="opvang.denuil@example.org"
    )
    _provider_login(network, shelter_org)
    _core_group_login(network, organisations[CORE_GROUP_LOGIN[3]])
    _rota(programme, now)
    if programme.calls.exists():
        return {"crisis_calls": 0}
    return {"crisis_calls": _calls(network, programme, providers, meldpunt, now)}


def _calls(network, programme, providers, meldpunt, now) -> int:
    rng = random.Random(18)
    interventions = [p for (_n, step), p in providers.items() if step == CrisisStepKind.INTERVENTION]
    guidance = [p for (_n, step), p in providers.items() if step == CrisisStepKind.GUIDANCE]
    shelters = [p for (_n, step), p in providers.items() if step == CrisisStepKind.SHELTER]
    running_places: dict[int, int] = {}
    calls, episodes, steps = [], [], []
    start_day = timezone.localtime(now).date() - datetime.timedelta(days=HALF_YEAR_DAYS)
    moments = []
    for offset in range(HALF_YEAR_DAYS):
        day = start_day + datetime.timedelta(days=offset)
        for _n in range(rng.choice((1, 1, 2, 2, 2, 3))):
            hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            moments.append(
                timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60))))
            )
    # Last night: the meldpunt's shift from 20:00 yesterday.
    evening = timezone.localtime(now).replace(hour=20, minute=0, second=0, microsecond=0)
    if evening > now:
        evening -= datetime.timedelta(days=1)
    night = [evening + datetime.timedelta(minutes=m) for m in (12, 47, 95, 160, 290, 410)]
    moments = sorted(m for m in moments if m < evening - datetime.timedelta(hours=1)) + [
        m for m in night if m < now
    ]

    def place(provider) -> int | None:
        used = running_places.get(provider.pk, 0)
        if used >= provider.places:
            return None
        running_places[provider.pk] = used + 1
        return used + 1

    for received in moments:
        recent = received > now - datetime.timedelta(days=10)
        admissible = rng.random() < 0.78
        roll = rng.random()
        if admissible and roll < 0.68:
            outcome = CrisisCall.Outcome.DISPATCHED
        elif roll < 0.9:
            outcome = CrisisCall.Outcome.MELDPUNT
        else:
            outcome = CrisisCall.Outcome.REFERRED
        call = CrisisCall(
            network=network,
            programme=programme,
            received_at=received,
            caller=rng.choice(CALLERS),
            urgency=rng.choice(["now", "now", "today", "later"]),
            question=rng.choice(QUESTIONS),
            admissible=admissible,
            outcome=outcome,
            referred_to="Huisarts van wacht" if outcome == CrisisCall.Outcome.REFERRED else "",
            closed_on=None if outcome == CrisisCall.Outcome.DISPATCHED else timezone.localdate(received),
            registered_by=meldpunt,
        )
        calls.append(call)
        if outcome != CrisisCall.Outcome.DISPATCHED:
            continue
        episode = CrisisEpisode(network=network, opened_at=received, call=call)
        episodes.append(episode)
        # A call of the last hour may not have its intervention yet: never a step that starts after
        # now (it would end before it started whatever the time of day the demo is loaded).
        intervention_at = min(
            received + datetime.timedelta(minutes=rng.choice((15, 25, 35, 45, 55, 70, 110))), now
        )
        stay_open = recent and rng.random() < 0.7
        chain = [
            CrisisStep(
                kind=CrisisStepKind.INTERVENTION,
                provider=rng.choice(interventions),
                started_at=intervention_at,
            )
        ]
        chain[0].ended_at = min(intervention_at + datetime.timedelta(hours=rng.choice((2, 4, 20))), now)
        next_start = chain[0].ended_at
        roll = rng.random()
        if roll < 0.3:
            provider = rng.choice(shelters)
            length = datetime.timedelta(days=rng.choice((3, 5, 6, 9)))
            chain.append(
                CrisisStep(
                    kind=CrisisStepKind.SHELTER,
                    provider=provider,
                    started_at=next_start,
                    limit_days=programme.shelter_limit_days,
                )
            )
            if rng.random() < 0.2:
                chain[-1].extension_days = programme.shelter_extension_days
                chain[-1].extension_reason = "Terugkeer naar huis nog niet veilig."
            chain[-1].ended_at = next_start + length
        elif roll < 0.65:
            provider = rng.choice(guidance)
            chain.append(
                CrisisStep(
                    kind=CrisisStepKind.GUIDANCE,
                    provider=provider,
                    started_at=next_start,
                    limit_days=programme.guidance_limit_days,
                )
            )
            chain[-1].ended_at = next_start + datetime.timedelta(days=rng.choice((10, 18, 26, 31)))
        for step in chain:
            step.due_at = step.compute_due()
            if step.ended_at and (step.ended_at > now or (stay_open and step is chain[-1])):
                step.ended_at = None
            if step.ended_at is None and step.kind != CrisisStepKind.INTERVENTION:
                step.place_number = place(step.provider)
                if step.place_number is None:
                    step.ended_at = min(step.started_at + datetime.timedelta(days=2), now)
            if step.ended_at:
                step.ended_on = timezone.localdate(step.ended_at)
            if step.due_at and step.due_at < (step.ended_at or now):
                step.overdue_marked_at = step.due_at + datetime.timedelta(minutes=10)
            step.started_by = meldpunt
            step.episode = episode
        if all(step.ended_at for step in chain):
            episode.closed_at = max(step.ended_at for step in chain)
            episode.closed_on = timezone.localdate(episode.closed_at)
            episode.outcome = rng.choice(
                ["home", "home", "regular_care", "regular_care", "other_network", "non_direct"]
            )
            call.closed_on = episode.closed_on
        steps.extend(chain)
    # Two shelters of last week, over their limit tonight; one of them extended already.
    CrisisCall.objects.bulk_create(calls)
    clients = Client.objects.bulk_create([Client() for _episode in episodes])
    for episode, client in zip(episodes, clients, strict=True):
        episode.call_id = episode.call.pk
        episode.client = client
    CrisisEpisode.objects.bulk_create(episodes)
    for step in steps:
        step.episode_id = step.episode.pk
    CrisisStep.objects.bulk_create(steps)
    _overdue_tonight(network, programme, providers, meldpunt, now)
    _open_conflict(network, providers, meldpunt)
    return len(calls)


def _open_conflict(network, providers, meldpunt) -> None:
    """One open praktijkoverleg: who guides after the shelter of a running episode."""
    episode = (
        CrisisEpisode.objects.filter(network=network, closed_at__isnull=True).order_by("-opened_at").first()
    )
    if episode is None:
        return
    CrisisConflict.objects.create(
        episode=episode,
        network=network,
        kind=CrisisStepKind.GUIDANCE,
        first_organisation=providers[
            ("Begeleidingscentrum Zonnebloem (VAPH)", CrisisStepKind.GUIDANCE)
        ].organisation,
        second_organisation=providers[("CAW Antwerpen", CrisisStepKind.GUIDANCE)].organisation,
        question="Beide diensten zien de begeleiding na de opvang bij de andere.",
        raised_by=meldpunt,
    )


def _overdue_tonight(network, programme, providers, meldpunt, now) -> None:
    """Two running shelters past their limit (one extended) and a guidance due tomorrow."""
    rows = [
        (providers[("Crisisopvang Den Uil", CrisisStepKind.SHELTER)], 8, 0),
        (providers[("CKG Het Nest", CrisisStepKind.SHELTER)], 15, programme.shelter_extension_days),
        (providers[("CAW Antwerpen", CrisisStepKind.GUIDANCE)], 27, 0),
    ]
    for provider, days_ago, extension in rows:
        received = now - datetime.timedelta(days=days_ago, hours=3)
        taken = set(
            CrisisStep.objects.running()
            .filter(provider=provider, place_number__isnull=False)
            .values_list("place_number", flat=True)
        )
        free = next((n for n in range(1, provider.places + 1) if n not in taken), None)
        if free is None:
            # The half year's stays can fill a small provider tonight (it depends on the hour the
            # demo loads): its longest-running stay ended two hours ago, so the overdue one fits.
            oldest = (
                CrisisStep.objects.running()
                .filter(provider=provider, place_number__isnull=False)
                .order_by("started_at", "pk")
                .first()
            )
            ended = max(oldest.started_at, now - datetime.timedelta(hours=2))
            CrisisStep.objects.filter(pk=oldest.pk).update(ended_at=ended, ended_on=timezone.localdate(ended))
            free = oldest.place_number
        call = CrisisCall.objects.create(
            network=network,
            programme=programme,
            received_at=received,
            caller="police",
            question="Jongere aangetroffen op straat, kan niet naar huis.",
            admissible=True,
            outcome="dispatched",
            registered_by=meldpunt,
        )
        episode = CrisisEpisode.objects.create(
            call=call, network=network, client=Client.objects.create(), opened_at=received
        )
        CrisisStep.objects.create(
            episode=episode,
            kind=CrisisStepKind.INTERVENTION,
            provider=providers[("Mobiel Crisisteam De Brug", CrisisStepKind.INTERVENTION)],
            started_at=received + datetime.timedelta(minutes=40),
            ended_at=received + datetime.timedelta(hours=3),
            ended_on=timezone.localdate(received + datetime.timedelta(hours=3)),
            started_by=meldpunt,
        )
        step = CrisisStep(
            episode=episode,
            kind=provider.step,
            provider=provider,
            started_at=received + datetime.timedelta(hours=3),
            limit_days=programme.limit_days(provider.step),
            extension_days=extension,
            extension_reason="Geen veilige terugkeer; overleg met de consulent loopt." if extension else "",
            place_number=free,
            started_by=meldpunt,
        )
        step.due_at = step.compute_due()
        step.save()
