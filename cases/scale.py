"""Case data at Flanders scale, for benchmarks (DESIGN.md §6): 200,000 clients and cases over ten
years, their teams, consent, conferences and referrals, and about 2 million timeline and audit
events. Deterministic from a seed.

Speed: on PostgreSQL the rows go in with COPY and ids assigned here (sequences reset after), which
is ~10× faster than ``bulk_create`` at this size; on SQLite it falls back to ``bulk_create``.
Distributions: cases concentrate in a few big-city networks (a Zipf-like weight), the number of
cases opened grows over the decade, most cases older than a year are closed (the long tail), and
events in crisis networks peak in the evening.
"""

import datetime
import random
import zoneinfo
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connection, models, transaction

from ijh.models import AuditEvent
from instruments.models import LifeDomain
from networks.models import Membership, Network, NetworkMembership

from .models import (
    CarePlanItem,
    Case,
    CaseTeamMember,
    Client,
    ClientConference,
    ConferenceSession,
    Consent,
    Referral,
    TimelineEvent,
)
from .models.cases import PSEUDONYM_ALPHABET

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
YEARS = 10
TIMELINE_KINDS = [kind for kind in TimelineEvent.Kind.values if kind not in ("opened", "closed")]
AUDIT_READ = "case.viewed"


def _copy(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Write rows with COPY (PostgreSQL) or bulk_create (elsewhere). ``fields`` are attnames."""
    table = model._meta.db_table
    count = 0
    if connection.vendor == "postgresql":
        # Columns added to the model later (a flag with a plain default) get their default, as
        # bulk_create would give them: Django sets defaults in Python, not in the table, so COPY
        # without them would write NULL and fail.
        defaults = [
            field
            for field in model._meta.concrete_fields
            if field.attname not in fields
            and not field.primary_key
            and field.has_default()
            and not callable(field.default)
        ]
        extra = tuple(field.get_db_prep_save(field.default, connection) for field in defaults)
        columns = ", ".join(
            connection.ops.quote_name(field) for field in [*fields, *(f.column for f in defaults)]
        )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*row, *extra))
                count += 1
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _reset_sequences(*model_classes) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in model_classes:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def _moment(rng: random.Random, day: datetime.date, *, evening: bool) -> datetime.datetime:
    # Crisis work peaks between 17 and 23 h; other work is office hours.
    hour = rng.choice([17, 18, 19, 20, 21, 22, 23, 2, 14]) if evening else rng.randint(8, 17)
    return datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60)), tzinfo=TZ)


@transaction.atomic
def generate(
    *, cases: int, seed: int = 7, today: datetime.date | None = None, events_per_case: int = 7
) -> dict[str, int]:
    """Spread ``cases`` over the networks that have caseworkers (see ``ensure_case_roles``)."""
    rng = random.Random(seed)
    today = today or datetime.date.today()
    networks = list(Network.objects.order_by("pk"))
    caseworkers: dict[int, list[tuple[int, int]]] = {}
    for user_id, network_id, organisation_id in (
        Membership.objects.filter(role=Membership.Role.CASEWORKER, organisation__isnull=False)
        .order_by("pk")
        .values_list("user_id", "network_id", "organisation_id")
    ):
        caseworkers.setdefault(network_id, []).append((user_id, organisation_id))
    chairs: dict[int, list[int]] = {}
    for user_id, network_id in Membership.objects.filter(
        role=Membership.Role.CHAIRPERSON_EXTERNAL
    ).values_list("user_id", "network_id"):
        chairs.setdefault(network_id, []).append(user_id)
    members: dict[int, list[int]] = {}
    for network_id, organisation_id in NetworkMembership.objects.values_list("network_id", "organisation_id"):
        members.setdefault(network_id, []).append(organisation_id)
    networks = [network for network in networks if caseworkers.get(network.pk)]
    if not networks:
        raise ValueError("No network has caseworkers: run ensure_case_roles first.")
    # Zipf-like: the first networks (the big cities) get most cases.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(networks))]
    domains = list(LifeDomain.objects.values_list("pk", flat=True))

    client_id, case_id = _next_id(Client), _next_id(Case)
    team_id, consent_id = _next_id(CaseTeamMember), _next_id(Consent)
    conference_id, session_id, item_id = (
        _next_id(ClientConference),
        _next_id(ConferenceSession),
        _next_id(CarePlanItem),
    )
    referral_id = _next_id(Referral)
    clients, case_rows, team_rows, consent_rows, consent_orgs = [], [], [], [], []
    conferences, sessions, items, referrals, timeline, audit = [], [], [], [], [], []
    used_pseudonyms = set(Client.objects.values_list("pseudonym", flat=True))
    days_span = 365 * YEARS
    now = datetime.datetime.now(tz=TZ)

    for index in range(cases):
        network = rng.choices(networks, weights)[0]
        evening = network.kind == Network.Kind.CRISIS
        worker_id, organisation_id = rng.choice(caseworkers[network.pk])
        # More cases recently: the square root skews the opening day towards today.
        opened = today - datetime.timedelta(days=int(days_span * (1 - rng.random() ** 0.5)))
        age_days = (today - opened).days
        closed = (
            opened + datetime.timedelta(days=rng.randint(30, 365))
            if age_days > 365 and rng.random() < 0.92
            else None
        )
        if closed and closed > today:
            closed = None
        while True:
            pseudonym = "CL-" + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(8))
            pseudonym = f"{pseudonym[:7]}-{pseudonym[7:]}"
            if pseudonym not in used_pseudonyms:
                used_pseudonyms.add(pseudonym)
                break
        birth_year = opened.year - rng.randint(0, 17)
        clients.append(
            (
                client_id,
                pseudonym,
                f"Voornaam{index}",
                f"Naam{index % 5000}",
                None,
                birth_year,
                rng.choice("fmxu"),
                f"{rng.randint(1000, 9999)}",
                None,
            )
        )
        case_rows.append(
            (
                case_id,
                network.pk,
                client_id,
                organisation_id,
                opened,
                closed,
                "Hulpvraag (benchmark).",
                worker_id,
                _moment(rng, opened, evening=evening),
            )
        )
        team_rows.append(
            (
                team_id,
                case_id,
                organisation_id,
                worker_id,
                CaseTeamMember.Role.LEAD,
                opened,
                closed,
                None,
                worker_id,
            )
        )
        team_id += 1
        partner = rng.choice(members.get(network.pk) or [organisation_id])
        consent_rows.append(
            (
                consent_id,
                case_id,
                Consent.Basis.CONSENT,
                Consent.GivenBy.PARENT,
                "",
                "",
                True,
                True,
                True,
                '["name", "question"]',
                "",
                opened,
                None,
                "",
                "Mondeling",
                None,
                "",
                worker_id,
                _moment(rng, opened, evening=evening),
            )
        )
        consent_orgs.extend(
            [(consent_id, organisation_id), (consent_id, partner)]
            if partner != organisation_id
            else [(consent_id, organisation_id)]
        )
        if partner != organisation_id:
            team_rows.append(
                (
                    team_id,
                    case_id,
                    partner,
                    None,
                    CaseTeamMember.Role.CASEWORKER,
                    opened,
                    closed,
                    consent_id,
                    worker_id,
                )
            )
            team_id += 1
        events = [(opened, TimelineEvent.Kind.OPENED)]
        if network.kind == Network.Kind.RTJ and rng.random() < 0.06 and chairs.get(network.pk):
            requested = opened + datetime.timedelta(days=rng.randint(5, 60))
            if requested <= today:
                chair_id = rng.choice(chairs[network.pk])
                status = rng.choice(
                    [
                        "requested",
                        "admissible",
                        "not_admissible",
                        "running",
                        "running",
                        "closed",
                        "closed",
                        "closed",
                    ]
                )
                decided = (
                    requested + datetime.timedelta(days=rng.randint(1, 14)) if status != "requested" else None
                )
                if decided and decided > today:
                    decided = today
                done = (
                    requested + datetime.timedelta(days=rng.randint(60, 300)) if status == "closed" else None
                )
                if done and done > today:
                    done = today
                conferences.append(
                    (
                        conference_id,
                        case_id,
                        network.pk,
                        status,
                        worker_id,
                        organisation_id,
                        requested,
                        "Vraag",
                        "Complex",
                        "Betrokkenen",
                        consent_id,
                        decided,
                        None,
                        "",
                        chair_id if status in ("running", "closed") else None,
                        decided,
                        None,
                        done,
                        "goals_reached" if done else "",
                        "",
                    )
                )
                if status in ("running", "closed"):
                    first_day = min(today, decided + datetime.timedelta(days=rng.randint(7, 30)))
                    sessions.append(
                        (
                            session_id,
                            conference_id,
                            "first",
                            _moment(rng, first_day, evening=False),
                            "Overlegzaal",
                            "held",
                            "",
                        )
                    )
                    for _ in range(3):
                        item_status = rng.choice(["open", "done", "done", "not_done"])
                        items.append(
                            (
                                item_id,
                                conference_id,
                                session_id,
                                rng.choice(domains),
                                "Afspraak",
                                worker_id,
                                None,
                                "",
                                first_day + datetime.timedelta(days=rng.randint(14, 120)),
                                item_status,
                                "waiting_list" if item_status == "not_done" else "",
                                "",
                                None,
                                now,
                            )
                        )
                        item_id += 1
                    session_id += 1
                    events.append((first_day, TimelineEvent.Kind.SESSION_HELD))
                events.append((requested, TimelineEvent.Kind.CONFERENCE_REQUESTED))
                conference_id += 1
        if rng.random() < 0.15 and members.get(network.pk):
            sent = opened + datetime.timedelta(days=rng.randint(3, 90))
            if sent <= today:
                receiver = rng.choice(members[network.pk])
                status = rng.choice(["sent", "received", "accepted", "accepted", "declined", "started"])
                accepted = (
                    sent + datetime.timedelta(days=rng.randint(1, 40))
                    if status in ("accepted", "started")
                    else None
                )
                declined = (
                    sent + datetime.timedelta(days=rng.randint(1, 20)) if status == "declined" else None
                )
                referrals.append(
                    (
                        referral_id,
                        case_id,
                        network.pk,
                        organisation_id,
                        receiver,
                        None,
                        True,
                        consent_id,
                        "Verwijsvraag",
                        "",
                        '["name"]',
                        status,
                        sent,
                        None,
                        accepted,
                        declined,
                        "full" if declined else "",
                        "",
                        accepted if status == "started" else None,
                        None,
                        worker_id,
                    )
                )
                referral_id += 1
                events.append((sent, TimelineEvent.Kind.REFERRAL_SENT))
        end = closed or today
        span = max(1, (end - opened).days)
        for _ in range(events_per_case - len(events) - (1 if closed else 0)):
            events.append((opened + datetime.timedelta(days=rng.randrange(span)), rng.choice(TIMELINE_KINDS)))
        if closed:
            events.append((closed, TimelineEvent.Kind.CLOSED))
        for day, kind in events:
            moment = _moment(rng, day, evening=evening)
            timeline.append((case_id, moment, kind, "", worker_id, "cases.case", str(case_id)))
        # Audit: who opened it, and a few reads; the rest of the audit trail mirrors the timeline
        # in production but is thinned here to keep the total near 2 million rows.
        audit.append(
            (
                _moment(rng, opened, evening=evening),
                worker_id,
                f"bench{worker_id}",
                "case.opened",
                "cases.case",
                str(case_id),
                network.pk,
                "[]",
                case_id,
                "",
            )
        )
        for _ in range(rng.randint(0, 6)):
            day = opened + datetime.timedelta(days=rng.randrange(max(1, (today - opened).days)))
            audit.append(
                (
                    _moment(rng, day, evening=evening),
                    worker_id,
                    f"bench{worker_id}",
                    AUDIT_READ,
                    "cases.case",
                    str(case_id),
                    network.pk,
                    "[]",
                    case_id,
                    "case",
                )
            )
        client_id += 1
        case_id += 1
        consent_id += 1

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
        Case,
        [
            "id",
            "network_id",
            "client_id",
            "lead_organisation_id",
            "opened_on",
            "closed_on",
            "summary",
            "created_by_id",
            "created_at",
        ],
        case_rows,
    )
    _copy(
        Consent,
        [
            "id",
            "case_id",
            "basis",
            "given_by",
            "giver_name",
            "legal_ground",
            "covers_case_team",
            "covers_referrals",
            "covers_conference",
            "data_fields",
            "named_people",
            "given_on",
            "valid_until",
            "evidence",
            "evidence_note",
            "withdrawn_on",
            "withdrawal_note",
            "recorded_by_id",
            "recorded_at",
        ],
        consent_rows,
    )
    _copy(Consent.organisations.through, ["consent_id", "organisation_id"], consent_orgs)
    _copy(
        CaseTeamMember,
        [
            "id",
            "case_id",
            "organisation_id",
            "user_id",
            "role",
            "since",
            "until",
            "consent_id",
            "added_by_id",
        ],
        team_rows,
    )
    _copy(
        ClientConference,
        [
            "id",
            "case_id",
            "network_id",
            "status",
            "requested_by_id",
            "requesting_organisation_id",
            "requested_on",
            "question",
            "complexity",
            "involved",
            "consent_id",
            "decided_on",
            "decided_by_id",
            "admissibility_reason",
            "chair_id",
            "chair_assigned_on",
            "case_manager_id",
            "closed_on",
            "outcome",
            "outcome_note",
        ],
        conferences,
    )
    _copy(
        ConferenceSession,
        ["id", "conference_id", "kind", "starts_at", "location", "status", "notes"],
        sessions,
    )
    _copy(
        CarePlanItem,
        [
            "id",
            "conference_id",
            "made_in_id",
            "domain_id",
            "description",
            "owner_id",
            "owner_organisation_id",
            "owner_label",
            "due_on",
            "status",
            "not_done_reason",
            "status_note",
            "reviewed_in_id",
            "updated_at",
        ],
        items,
    )
    _copy(
        Referral,
        [
            "id",
            "case_id",
            "network_id",
            "from_organisation_id",
            "to_organisation_id",
            "agreement_id",
            "outside_agreement",
            "consent_id",
            "question",
            "letter_note",
            "shared_fields",
            "status",
            "sent_on",
            "received_on",
            "accepted_on",
            "declined_on",
            "decline_reason",
            "decline_note",
            "started_on",
            "withdrawn_on",
            "sent_by_id",
        ],
        referrals,
    )
    _copy(
        TimelineEvent, ["case_id", "at", "kind", "detail", "actor_id", "object_type", "object_id"], timeline
    )
    _copy(
        AuditEvent,
        [
            "at",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "network_id",
            "changed_fields",
            # COPY fills no Django defaults: the case the event concerns and, for reads, the page.
            "case_id",
            "detail",
        ],
        audit,
    )
    _reset_sequences(
        Client, Case, Consent, CaseTeamMember, ClientConference, ConferenceSession, CarePlanItem, Referral
    )
    return {
        "clients": len(clients),
        "cases": len(case_rows),
        "team_rows": len(team_rows),
        "conferences": len(conferences),
        "referrals": len(referrals),
        "timeline_events": len(timeline),
        "audit_events": len(audit),
    }


def ensure_case_roles(*, per_network: int = 30, seed: int = 7) -> int:
    """Give steering people of the benchmark networks case roles: caseworkers for their
    organisation, two external chairs and a coordinator per network. Returns rows added."""
    rng = random.Random(seed)
    added = []
    for network in Network.objects.filter(name__startswith="Bench").order_by("pk"):
        if Membership.objects.filter(network=network, role=Membership.Role.CASEWORKER).exists():
            continue
        people = list(
            Membership.objects.filter(network=network, role=Membership.Role.STEERING_MEMBER)
            .order_by("pk")
            .values_list("user_id", "organisation_id")[: per_network + 3]
        )
        rng.shuffle(people)
        for position, (user_id, organisation_id) in enumerate(people):
            if position < per_network:
                role = Membership.Role.CASEWORKER
            elif position < per_network + 2:
                role, organisation_id = Membership.Role.CHAIRPERSON_EXTERNAL, None
            else:
                role, organisation_id = Membership.Role.COORDINATOR, None
            added.append(
                Membership(
                    user_id=user_id,
                    network=network,
                    role=role,
                    organisation_id=organisation_id,
                    since=datetime.date(2016, 1, 1),
                )
            )
    Membership.objects.bulk_create(added, batch_size=5000)
    return len(added)


def analyse() -> None:
    """Fresh planner statistics after a bulk load (autovacuum may be off, or not yet run)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
