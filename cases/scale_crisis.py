"""Crisis calls and episodes at Flanders scale (issue 18 §9), beside cases/scale.py: per crisis
network of the benchmark a programme with providers from its members, ``calls_per_year`` calls
over the last year (evening peak), episodes and steps for the dispatched ones. Written with COPY
(ids assigned here, sequences reset after); deterministic from a seed."""

import datetime
import random
import uuid

from django.db import transaction

from instruments.models import CrisisProgramme, CrisisProvider, CrisisStepKind
from networks.models import Membership, Network, NetworkMembership

from .models import Client, CrisisCall, CrisisEpisode, CrisisStep
from .models.cases import PSEUDONYM_ALPHABET
from .scale import TZ, _copy, _next_id, _reset_sequences

HOUR_WEIGHTS = [2, 1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 5, 6, 7, 8, 9, 10, 10, 8, 6, 4]
CALLERS = CrisisCall.Caller.values


def _providers(network: Network, rng: random.Random) -> list[CrisisProvider]:
    programme = CrisisProgramme.objects.create(network=network)
    organisations = list(
        NetworkMembership.objects.filter(network=network)
        .order_by("pk")
        .values_list("organisation_id", flat=True)
    )
    rng.shuffle(organisations)
    plan = (
        [(CrisisStepKind.INTERVENTION, 0)] * 2
        + [(CrisisStepKind.GUIDANCE, 8)] * 3
        + [(CrisisStepKind.SHELTER, 4)] * 4
    )
    return CrisisProvider.objects.bulk_create(
        CrisisProvider(
            programme=programme,
            organisation_id=organisation_id,
            step=step,
            contact_line=f"0470 {index:02d} 00 00",
            places=places,
            reserved_places=places // 2,
        )
        for index, (organisation_id, (step, places)) in enumerate(zip(organisations, plan, strict=False))
    )


@transaction.atomic
def generate_crisis(
    *, calls_per_year: int = 3000, seed: int = 18, now: datetime.datetime | None = None
) -> dict:
    rng = random.Random(seed)
    now = now or datetime.datetime.now(tz=TZ)
    networks = list(Network.objects.filter(kind=Network.Kind.CRISIS, name__startswith="Bench").order_by("pk"))
    if not networks:
        return {"crisis_calls": 0}
    registrar = dict(
        Membership.objects.filter(network__in=networks, role=Membership.Role.CASEWORKER)
        .order_by("network_id", "pk")
        .values_list("network_id", "user_id")
    )
    client_id, call_id = _next_id(Client), _next_id(CrisisCall)
    episode_id, step_id = _next_id(CrisisEpisode), _next_id(CrisisStep)
    used = set()
    clients, calls, episodes, steps = [], [], [], []
    for network in networks:
        providers = _providers(network, rng)
        by_step = {kind: [p for p in providers if p.step == kind] for kind in CrisisStepKind.values}
        if not by_step[CrisisStepKind.INTERVENTION] or network.pk not in registrar:
            continue
        programme_id = providers[0].programme_id
        user_id = registrar[network.pk]
        running: dict[int, int] = {}
        for _n in range(calls_per_year):
            day = now.date() - datetime.timedelta(days=rng.randrange(365))
            hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
            received = datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60)), tzinfo=TZ)
            if received > now:
                received -= datetime.timedelta(days=1)
            admissible = rng.random() < 0.78
            dispatched = admissible and rng.random() < 0.68
            outcome = "dispatched" if dispatched else rng.choice(["meldpunt", "meldpunt", "referred"])
            recent = received > now - datetime.timedelta(days=5)
            closed_on = None if dispatched else received.date()
            episode_closed = None
            if dispatched:
                # Never a step that starts after now: a call of the last hour or two (the set is
                # made at any time of day) gets its intervention now at the latest.
                start = min(received + datetime.timedelta(minutes=rng.choice((15, 30, 45, 60, 90))), now)
                chain = [
                    (
                        CrisisStepKind.INTERVENTION,
                        rng.choice(by_step["intervention"]),
                        start,
                        start + datetime.timedelta(hours=3),
                        None,
                    )
                ]
                roll = rng.random()
                if roll < 0.6:
                    kind = CrisisStepKind.SHELTER if roll < 0.3 else CrisisStepKind.GUIDANCE
                    provider = rng.choice(by_step[kind])
                    limit = 7 if kind == CrisisStepKind.SHELTER else 28
                    follow = min(start + datetime.timedelta(hours=3), now)
                    end = follow + datetime.timedelta(days=rng.randint(2, limit + 3))
                    place = None
                    if recent and running.get(provider.pk, 0) < provider.places:
                        running[provider.pk] = running.get(provider.pk, 0) + 1
                        place, end = running[provider.pk], None
                    chain.append((kind, provider, follow, end, (limit, place)))
                ends = [row[3] for row in chain]
                if all(ends) and max(ends) < now:
                    episode_closed = max(ends)
                    closed_on = episode_closed.date()
                body = "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(8))
                while body in used:
                    body = "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(8))
                used.add(body)
                clients.append((client_id, f"CR-{body[:4]}-{body[4:]}", "", "", None, None, "u", "", None))
                episodes.append(
                    (
                        episode_id,
                        call_id,
                        network.pk,
                        client_id,
                        None,
                        received,
                        episode_closed,
                        episode_closed.date() if episode_closed else None,
                        rng.choice(["home", "regular_care"]) if episode_closed else "",
                    )
                )
                for kind, provider, started, ended, extra in chain:
                    limit, place = extra if extra else (None, None)
                    due = started + datetime.timedelta(days=limit) if limit else None
                    if ended is not None and ended > now:
                        ended = now
                    steps.append(
                        (
                            step_id,
                            episode_id,
                            kind,
                            provider.pk,
                            started,
                            ended,
                            ended.date() if ended else None,
                            limit,
                            0,
                            "",
                            due,
                            place,
                            None,
                            user_id,
                        )
                    )
                    step_id += 1
                client_id += 1
                episode_id += 1
            calls.append(
                (
                    call_id,
                    network.pk,
                    programme_id,
                    received,
                    rng.choice(CALLERS),
                    "now",
                    "Vraag (benchmark).",
                    admissible,
                    outcome,
                    "",
                    closed_on,
                    uuid.UUID(int=rng.getrandbits(128)),
                    user_id,
                    received,
                )
            )
            call_id += 1
    _copy(
        Client,
        [
            "id",
            "pseudonym",
            "first_name",
            "last_name",
            "birth_date",
            "birth_year",
            "gender",
            "postcode",
            "anonymised_at",
        ],
        clients,
    )
    _copy(
        CrisisCall,
        [
            "id",
            "network_id",
            "programme_id",
            "received_at",
            "caller",
            "urgency",
            "question",
            "admissible",
            "outcome",
            "referred_to",
            "closed_on",
            "token",
            "registered_by_id",
            "registered_at",
        ],
        calls,
    )
    _copy(
        CrisisEpisode,
        [
            "id",
            "call_id",
            "network_id",
            "client_id",
            "case_id",
            "opened_at",
            "closed_at",
            "closed_on",
            "outcome",
        ],
        episodes,
    )
    _copy(
        CrisisStep,
        [
            "id",
            "episode_id",
            "kind",
            "provider_id",
            "started_at",
            "ended_at",
            "ended_on",
            "limit_days",
            "extension_days",
            "extension_reason",
            "due_at",
            "place_number",
            "overdue_marked_at",
            "started_by_id",
        ],
        steps,
    )
    _reset_sequences(Client, CrisisCall, CrisisEpisode, CrisisStep)
    return {"crisis_calls": len(calls), "crisis_episodes": len(episodes), "crisis_steps": len(steps)}
