"""The prisons of a benchmark data set (issue 20 §8): per detention network an offer of activities
across the six domains with their sessions, participant and waiting lists by code, a lockdown,
and guided detainees with plans. Bulk inserts; deterministic from the seed. Called by
``generate_scale`` after the case data."""

import datetime
import random

from django.utils import timezone

from instruments.models import Activity, ActivitySession, Enrolment, LifeDomain, SecurityEvent
from instruments.services_offer import session_times
from networks.detention import DOMAINS
from networks.models import Membership, Network, NetworkMembership

from .models import Case, CaseTeamMember, Client, Guidance, PlanGoal, TimelineEvent
from .models.cases import new_pseudonym


def generate(
    *, seed: int = 7, activities_per_prison: int = 40, detainees_per_prison: int = 600, today=None
) -> dict[str, int]:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    domains = list(LifeDomain.objects.values_list("pk", flat=True))
    counts = {"activities": 0, "sessions": 0, "enrolments": 0, "guidances": 0}
    for network in Network.objects.filter(kind=Network.Kind.DETENTION).order_by("pk"):
        if Activity.objects.filter(network=network).exists():
            continue
        organisations = list(
            NetworkMembership.objects.filter(network=network).values_list("organisation_id", flat=True)
        )
        if not organisations:
            continue
        # two trajectbegeleiders of the first member organisation (the JWW service)
        people = list(
            Membership.objects.filter(network=network, role=Membership.Role.STEERING_MEMBER)
            .order_by("pk")
            .values_list("user_id", flat=True)[:2]
        )
        jww = organisations[0]
        guides = [
            Membership(
                user_id=user_id,
                network=network,
                role=Membership.Role.TRAJECTORY_GUIDE,
                organisation_id=jww,
                since=datetime.date(2016, 1, 1),
            )
            for user_id in people
        ]
        Membership.objects.bulk_create(guides)
        activities = Activity.objects.bulk_create(
            Activity(
                network=network,
                domain=DOMAINS[i % len(DOMAINS)][0],
                title=f"Activiteit {i + 1}",
                provider_id=rng.choice(organisations),
                target_group="Alle gedetineerden",
                weekday=i % 5,
                start_time=datetime.time(9 + i % 6, 0),
                end_time=datetime.time(11 + i % 6, 0),
                starts_on=today - datetime.timedelta(days=180),
                ends_on=today + datetime.timedelta(days=180),
                places=rng.choice([6, 8, 10, 12, 16]),
            )
            for i in range(activities_per_prison)
        )
        sessions = [
            ActivitySession(activity=activity, starts_at=start, ends_at=end)
            for activity in activities
            for start, end in session_times(activity)
        ]
        lockdown = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=40), datetime.time(6))
        )
        event = SecurityEvent.objects.create(
            network=network,
            kind=SecurityEvent.Kind.LOCKDOWN,
            starts_at=lockdown,
            ends_at=lockdown + datetime.timedelta(days=2),
        )
        for session in sessions:
            if session.starts_at < event.ends_at and session.ends_at > event.starts_at:
                session.status = ActivitySession.Status.CANCELLED
                session.cancel_reason = ActivitySession.CancelReason.SECURITY
                session.security_event = event
        ActivitySession.objects.bulk_create(sessions, batch_size=5000)
        now = timezone.now()
        enrolments = []
        for activity in activities:
            for n in range(activity.places + rng.randint(0, 6)):
                full = n >= activity.places
                enrolments.append(
                    Enrolment(
                        activity=activity,
                        detainee_code=f"GD-{network.pk}-{rng.randint(1, detainees_per_prison):05d}-{n}",
                        status=Enrolment.Status.WAITING if full else Enrolment.Status.ENROLLED,
                        requested_at=now,
                        enrolled_at=None if full else now,
                    )
                )
        Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        # guided detainees: clients, cases, team rows, guidance, two plan goals, a timeline line
        clients = Client.objects.bulk_create(
            Client(pseudonym=new_pseudonym(), first_name="Gedetineerde", last_name=str(i), gender="m")
            for i in range(detainees_per_prison)
        )
        starts = [today - datetime.timedelta(days=rng.randint(0, 700)) for _client in clients]
        cases = Case.objects.bulk_create(
            Case(network=network, client=client, lead_organisation_id=jww, opened_on=start)
            for client, start in zip(clients, starts, strict=True)
        )
        guide_ids = [guide.user_id for guide in guides] or [None]
        CaseTeamMember.objects.bulk_create(
            CaseTeamMember(
                case=case,
                organisation_id=jww,
                user_id=guide_ids[i % len(guide_ids)],
                role=CaseTeamMember.Role.TRAJECTORY_GUIDE,
                since=case.opened_on,
            )
            for i, case in enumerate(cases)
        )
        guidances = Guidance.objects.bulk_create(
            Guidance(
                case=case,
                network=network,
                guide_id=guide_ids[i % len(guide_ids)],
                started_on=case.opened_on,
                planned_release_on=today + datetime.timedelta(days=rng.randint(10, 900)),
            )
            for i, case in enumerate(cases)
            if guide_ids[0] is not None
        )
        PlanGoal.objects.bulk_create(
            PlanGoal(guidance=guidance, domain_id=rng.choice(domains), text="Doel", after_release=bool(k))
            for guidance in guidances
            for k in range(2)
        )
        TimelineEvent.objects.bulk_create(
            TimelineEvent(
                case_id=guidance.case_id,
                kind=TimelineEvent.Kind.GUIDANCE_STARTED,
                object_type="cases.guidance",
                object_id=str(guidance.pk),
            )
            for guidance in guidances
        )
        counts["activities"] += len(activities)
        counts["sessions"] += len(sessions)
        counts["enrolments"] += len(enrolments)
        counts["guidances"] += len(guidances)
    return counts
