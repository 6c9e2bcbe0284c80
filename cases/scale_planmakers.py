"""Planmaker trajectories at Flanders scale, for benchmarks (issue 19): one planmaker network per
region with five planmakers and a coordinator, trajectories on about 1.5 % of the region's cases in
every phase, shared-plan items, bottlenecks linked to them, samenwerkingsoverleggen (the start and
three-month ones due or held, ad hoc ones held or planned ahead, the end meeting of closed ones), the
engagement catalogue the member organisations publish, and the ``bench-planmaker`` and
``bench-planmaker-coordinator`` logins on the busiest planmaker network. Deterministic from a seed;
bulk inserts (a few thousand rows).
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ijh.models import User
from instruments.models import Engagement, LifeDomain
from networks.models import (
    Body,
    Bottleneck,
    LearningTheme,
    Meeting,
    Membership,
    Network,
    NetworkMembership,
    Region,
    ThemeExpert,
)

from .models import Case, CaseTeamMember, Consent, SharedPlanItem, Trajectory, TrajectoryMeeting
from .models.trajectory_meetings import FOLLOW_UP_MEETING_DAYS, START_MEETING_DAYS

ENGAGEMENTS_PER_NETWORK = 60

SHARE = 0.015
PHASES = ["referred", "connecting", "mandate", "plan", "plan", "follow_up", "follow_up", "closed", "closed",
          "closed", "declined"]  # fmt: skip
CATEGORIES = Bottleneck.Category.values
LEVELS = Bottleneck.Level.values


@transaction.atomic
def generate(*, seed: int = 7, today: datetime.date | None = None, password: str = "") -> dict[str, int]:
    rng = random.Random(seed)
    today = today or datetime.date.today()
    domains = list(LifeDomain.objects.values_list("pk", flat=True))
    totals = {
        "planmaker_networks": 0,
        "trajectories": 0,
        "plan_items": 0,
        "bottlenecks": 0,
        "meetings": 0,
        "engagements": 0,
        "learning_themes": 0,
    }
    busiest: tuple[int, Network | None, User | None, User | None] = (0, None, None, None)
    for region in Region.objects.filter(networks__name__startswith="Bench").distinct().order_by("code"):
        source = list(Network.objects.filter(region=region, name__startswith="Bench").order_by("pk"))
        network, _ = Network.objects.get_or_create(
            name=f"Bench planmakers {region.code}",
            defaults={
                "kind": Network.Kind.PLANMAKER,
                "region": region,
                "area": "Benchmark",
                "started_on": "2016-01-01",
            },
        )
        totals["planmaker_networks"] += 1
        member_orgs = list(
            NetworkMembership.objects.filter(network__in=source).values_list("organisation_id", flat=True)[
                :40
            ]
        )
        home = member_orgs[0]
        NetworkMembership.objects.bulk_create(
            [
                NetworkMembership(network=network, organisation_id=org, since="2016-01-01")
                for org in set(member_orgs)
            ],
            ignore_conflicts=True,
        )
        planmakers = []
        for number in range(5):
            user, _ = User.objects.get_or_create(
                username=f"bench-pm-{region.code}-{number}",
                defaults={"first_name": "Planmaker", "last_name": str(number)},
            )
            Membership.objects.get_or_create(
                user=user,
                network=network,
                role=Membership.Role.PLANMAKER,
                defaults={"organisation_id": home, "since": "2016-01-01"},
            )
            planmakers.append(user)
        coordinator, _ = User.objects.get_or_create(
            username=f"bench-pm-{region.code}-coordinator",
            defaults={"first_name": "Coördinator", "last_name": "PM"},
        )
        Membership.objects.get_or_create(
            user=coordinator,
            network=network,
            role=Membership.Role.COORDINATOR,
            defaults={"since": "2016-01-01"},
        )
        bottlenecks = Bottleneck.objects.bulk_create(
            [
                Bottleneck(
                    network=network,
                    title=f"Knelpunt {number}",
                    category=rng.choice(CATEGORIES),
                    level=rng.choice(LEVELS),
                    description="Benchmark",
                    signalled_on=today - datetime.timedelta(days=rng.randint(0, 900)),
                )
                for number in range(30)
            ]
        )
        totals["bottlenecks"] += len(bottlenecks)
        cases = list(
            Case.objects.filter(network__in=source)
            .order_by("pk")
            .values_list("pk", "lead_organisation_id", "opened_on", "created_by_id")
        )
        chosen = [row for row in cases if rng.random() < SHARE]
        consents = dict(
            Consent.objects.filter(case_id__in=[row[0] for row in chosen])
            .order_by("case_id", "pk")
            .values_list("case_id", "pk")
        )
        trajectories, team, per_planmaker = [], [], {}
        for case_id, lead, opened, creator in chosen:
            if case_id not in consents or creator is None:
                continue
            phase = rng.choice(PHASES)
            referred = min(today, opened + datetime.timedelta(days=rng.randint(10, 300)))
            steps = ["referred", "connecting", "mandate", "plan", "follow_up", "closed"]
            reached = steps.index(phase) if phase in steps else 0
            dates, day = {}, referred
            for step in steps[1 : reached + 1]:
                day = min(today, day + datetime.timedelta(days=rng.randint(3, 60)))
                dates[step] = day
            trajectories.append(
                Trajectory(
                    case_id=case_id,
                    network=network,
                    referring_organisation_id=lead,
                    referred_by_id=creator,
                    question="Benchmark",
                    involved="Benchmark",
                    referrer_engaged=True,
                    difficult_from_start=True,
                    consent_id=consents[case_id],
                    phase=phase,
                    referred_on=referred,
                    decided_on=dates.get("connecting") or (referred if phase == "declined" else None),
                    decline_reason="Benchmark" if phase == "declined" else "",
                    connecting_on=dates.get("connecting"),
                    mandate_on=dates.get("mandate"),
                    plan_on=dates.get("plan"),
                    follow_up_on=dates.get("follow_up"),
                    closed_on=dates.get("closed"),
                    outcome=rng.choice(Trajectory.Outcome.values) if phase == "closed" else "",
                )
            )
            if "connecting" in dates:
                planmaker = planmakers[rng.randrange(len(planmakers))]
                per_planmaker[planmaker.pk] = per_planmaker.get(planmaker.pk, 0) + 1
                closed = dates.get("closed")
                team.append(
                    CaseTeamMember(
                        case_id=case_id,
                        organisation_id=home,
                        user=planmaker,
                        role=CaseTeamMember.Role.PLANMAKER,
                        since=dates["connecting"],
                        until=closed + datetime.timedelta(days=30) if closed else None,
                    )
                )
        trajectories = Trajectory.objects.bulk_create(trajectories)
        CaseTeamMember.objects.bulk_create(team)
        items, links = [], []
        for trajectory in trajectories:
            if trajectory.mandate_on:
                for _ in range(rng.randint(2, 5)):
                    items.append(
                        SharedPlanItem(
                            trajectory=trajectory,
                            domain_id=rng.choice(domains),
                            text="Benchmark",
                            owner="Jongere",
                            due_on=trajectory.mandate_on + datetime.timedelta(days=rng.randint(10, 120)),
                            status=rng.choice(SharedPlanItem.Status.values),
                        )
                    )
            if trajectory.connecting_on:
                for bottleneck in rng.sample(bottlenecks, k=rng.randint(0, 2)):
                    links.append(
                        Trajectory.bottlenecks.through(
                            trajectory_id=trajectory.pk, bottleneck_id=bottleneck.pk
                        )
                    )
        SharedPlanItem.objects.bulk_create(items)
        Trajectory.bottlenecks.through.objects.bulk_create(links)
        totals["meetings"] += _meetings(rng, trajectories, home=home, today=today)
        totals["engagements"] += _engagements(
            rng, network, sorted(set(member_orgs)), domains, by=coordinator, today=today
        )
        totals["learning_themes"] += _learning_network(rng, network, bottlenecks, by=coordinator, today=today)
        totals["trajectories"] += len(trajectories)
        totals["plan_items"] += len(items)
        if len(trajectories) > busiest[0] and per_planmaker:
            top = max(per_planmaker, key=per_planmaker.get)
            busiest = (len(trajectories), network, User.objects.get(pk=top), coordinator)
    _, network, planmaker, coordinator = busiest
    if network is not None:
        hashed = make_password(password) if password else None
        for username, user in (("bench-planmaker", planmaker), ("bench-planmaker-coordinator", coordinator)):
            # The busiest planmaker and coordinator become the known logins (a second run keeps
            # the ones of the first).
            if User.objects.filter(username=username).exclude(pk=user.pk).exists():
                continue
            user.username = username
            if hashed:
                user.password = hashed
            user.save(update_fields=["username", "password"])
    return totals


def _meetings(rng: random.Random, trajectories: list[Trajectory], *, home: int, today: datetime.date) -> int:
    """The samenwerkingsoverleggen of accepted trajectories, in two bulk inserts (meetings, then
    who was invited and attended): the start meeting due 14 days after the acceptance and mostly
    held, the three-month one after it, a few ad hoc ones (one planned ahead on running
    trajectories), and the end meeting on the closing day."""
    meetings: list[TrajectoryMeeting] = []

    def held(kind, due, on, **extra):
        meetings.append(
            TrajectoryMeeting(
                trajectory=trajectory, kind=kind, due_on=due, held_on=on,
                client_presence=rng.choice(TrajectoryMeeting.ClientPresence.values),
                family_presence=rng.choice(TrajectoryMeeting.FamilyPresence.values),
                invite_client=True, invite_family=True, roles_agreed="Benchmark", findings="Benchmark", **extra,
            )
        )  # fmt: skip

    for trajectory in trajectories:
        if trajectory.connecting_on is None:
            continue
        last = trajectory.closed_on or today
        due = trajectory.connecting_on + datetime.timedelta(days=START_MEETING_DAYS)
        start_on = trajectory.connecting_on + datetime.timedelta(days=rng.randint(3, 30))
        if start_on > last or rng.random() < 0.15:
            # Not held (yet): due, sometimes planned for a day to come.
            planned = today + datetime.timedelta(days=rng.randint(1, 20)) if rng.random() < 0.5 else None
            if trajectory.closed_on is None:
                meetings.append(
                    TrajectoryMeeting(trajectory=trajectory, kind="start", due_on=due, planned_on=planned)
                )
            continue
        held("start", due, start_on)
        three_due = start_on + datetime.timedelta(days=FOLLOW_UP_MEETING_DAYS)
        three_on = three_due + datetime.timedelta(days=rng.randint(-10, 25))
        if three_on <= last and rng.random() < 0.8:
            held("three_months", three_due, three_on)
        elif trajectory.closed_on is None or three_due <= trajectory.closed_on:
            meetings.append(TrajectoryMeeting(trajectory=trajectory, kind="three_months", due_on=three_due))
        span = (last - start_on).days
        for _ in range(rng.randint(0, 3) if span > 10 else 0):
            held("ad_hoc", None, start_on + datetime.timedelta(days=rng.randint(1, span)))
        if trajectory.closed_on is not None:
            held("end", None, trajectory.closed_on)
        elif rng.random() < 0.3:
            meetings.append(
                TrajectoryMeeting(
                    trajectory=trajectory, kind="ad_hoc", planned_on=today + datetime.timedelta(days=rng.randint(1, 30)),
                    invite_client=True,
                )
            )  # fmt: skip
    meetings = TrajectoryMeeting.objects.bulk_create(meetings, batch_size=2000)
    invited = TrajectoryMeeting.invited.through
    attended = TrajectoryMeeting.attended.through
    invited.objects.bulk_create(
        [invited(trajectorymeeting_id=m.pk, organisation_id=home) for m in meetings], batch_size=5000
    )
    attended.objects.bulk_create(
        [attended(trajectorymeeting_id=m.pk, organisation_id=home) for m in meetings if m.held_on],
        batch_size=5000,
    )
    return len(meetings)


def _engagements(
    rng: random.Random, network: Network, organisations: list[int], domains: list[int], *, by: User, today
) -> int:
    """The catalogue: engagements the member organisations publish, some expired, each for one to
    three life domains and an age range. Two bulk inserts; a second run adds nothing."""
    if not organisations or Engagement.objects.filter(network=network).exists():
        return 0
    rows = []
    for number in range(ENGAGEMENTS_PER_NETWORK):
        age_from = rng.randint(0, 16)
        expired = rng.random() < 0.2
        valid_until = today - datetime.timedelta(days=rng.randint(1, 60)) if expired else None
        valid_from = (valid_until or today) - datetime.timedelta(days=rng.randint(0, 700))
        rows.append(
            Engagement(
                network=network, organisation_id=rng.choice(organisations), title=f"Engagement {number}",
                method="Benchmark", contact_person="Contactpersoon", contact_details="050 00 00 00",
                place="Benchmark", time="binnen 5 werkdagen", age_from=age_from,
                age_to=min(25, age_from + rng.randint(2, 9)), valid_from=valid_from,
                valid_until=valid_until,
                created_by=by,
            )
        )  # fmt: skip
    rows = Engagement.objects.bulk_create(rows)
    through = Engagement.domains.through
    through.objects.bulk_create(
        [
            through(engagement_id=row.pk, lifedomain_id=domain)
            for row in rows
            for domain in rng.sample(domains, k=min(len(domains), rng.randint(1, 3)))
        ]
    )
    return len(rows)


def _learning_network(
    rng: random.Random, network: Network, bottlenecks: list[Bottleneck], *, by: User, today: datetime.date
) -> int:
    """The learning network of a planmaker network (issue 19 §6): its body, four meetings a year
    for three years, a forum a year, and eight themes that group five bottlenecks each and invite
    expertise (one client representative each), the first half discussed in a meeting."""
    if Body.objects.filter(network=network, kind=Body.Kind.LEARNING_NETWORK).exists():
        return 0  # a second run keeps the first one's learning network
    learning = Body.objects.create(network=network, kind=Body.Kind.LEARNING_NETWORK, name="Lerend netwerk")
    forum = Body.objects.create(network=network, kind=Body.Kind.FORUM, name="Forum")
    noon = datetime.time(13, 0, tzinfo=datetime.UTC)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=network,
            body=learning,
            starts_at=datetime.datetime.combine(today - datetime.timedelta(days=91 * n + 7), noon),
            created_by=by,
        )
        for n in range(12)
    )
    Meeting.objects.bulk_create(
        Meeting(
            network=network,
            body=forum,
            starts_at=datetime.datetime.combine(today - datetime.timedelta(days=365 * n + 30), noon),
            created_by=by,
        )
        for n in range(3)
    )
    themes = LearningTheme.objects.bulk_create(
        LearningTheme(
            network=network,
            title=f"Thema {number}",
            question="Benchmark",
            findings="Benchmark" if number < 4 else "",
            advice="Benchmark" if number < 4 else "",
            status=LearningTheme.Status.DISCUSSED if number < 4 else LearningTheme.Status.PROPOSED,
            proposed_on=today - datetime.timedelta(days=rng.randint(30, 700)),
            proposed_by=by,
        )
        for number in range(8)
    )
    LearningTheme.bottlenecks.through.objects.bulk_create(
        LearningTheme.bottlenecks.through(learningtheme_id=theme.pk, bottleneck_id=bottleneck.pk)
        for theme in themes
        for bottleneck in rng.sample(bottlenecks, k=min(5, len(bottlenecks)))
    )
    LearningTheme.discussed_in.through.objects.bulk_create(
        LearningTheme.discussed_in.through(learningtheme_id=theme.pk, meeting_id=rng.choice(meetings).pk)
        for theme in themes
        if theme.status == LearningTheme.Status.DISCUSSED
    )
    ThemeExpert.objects.bulk_create(
        ThemeExpert(
            theme=theme, kind=kind, name=f"Expert {theme.pk}-{kind}", expertise="Benchmark", invited_by=by
        )
        for theme in themes
        for kind in (ThemeExpert.Kind.CLIENT_REPRESENTATIVE, ThemeExpert.Kind.EXPERT)
    )
    return len(themes)
