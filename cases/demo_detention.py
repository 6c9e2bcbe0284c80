"""Demo trajectory guidance (issue 20 §8): thirty guided detainees in Gent and Ieper with consent,
plans, referrals to the offer and release dates (some within three months), one transfer Gent →
Ieper accepted and one waiting for Ieper's decision. Invented; idempotent (skips when Gent has
guidance already)."""

import datetime
import random

from django.utils import timezone

from ijh.models import User
from instruments.models import Activity, LifeDomain
from networks.models import Membership, Network

from .models import Case, CaseTeamMember, Client, Consent, Guidance
from .services import detention as services

FIRST = [
    "Karim",
    "Jonas",
    "Dries",
    "Mohamed",
    "Kevin",
    "Youssef",
    "Pieter",
    "Bram",
    "Ahmed",
    "Tom",
    "Wout",
    "Samir",
    "Glenn",
    "Rachid",
    "Jens",
    "Niels",
    "Omar",
    "Steven",
    "Ilias",
    "Kenny",
]
LAST = [
    "Vanlommel",
    "De Wilde",
    "Claes",
    "El Amrani",
    "Peeters",
    "Bouzid",
    "Maes",
    "Verstraete",
    "Janssens",
    "Aerts",
    "Mertens",
    "Benali",
    "Wouters",
    "Goossens",
    "Jacobs",
    "Hermans",
    "Lemmens",
    "Ouali",
]
QUESTIONS = [
    "Wil na de vrijlating een woning en werk vinden.",
    "Vraagt hulp bij schulden en administratie.",
    "Wil contact met zijn kinderen herstellen.",
    "Wil een opleiding volgen tijdens de detentie.",
    "Zoekt hulp voor middelengebruik.",
]
GOALS = [
    ("housing", "Woonst zoeken voor na de vrijlating", True),
    ("work_income", "Opleiding afronden en werk zoeken", True),
    ("work_income", "Schuldbemiddeling opstarten", False),
    ("family", "Bezoek van de kinderen regelen", False),
    ("substance_use", "Begeleiding middelengebruik volgen", False),
]
OUTSIDE = ["OCMW Gent", "CAW Oost-Vlaanderen – onthaal", "VDAB Gent", "CGG Eclips"]


def _guide(username: str) -> tuple[User, Membership] | None:
    role = (
        Membership.objects.filter(user__username=username, role=Membership.Role.TRAJECTORY_GUIDE)
        .select_related("user", "network", "organisation")
        .first()
    )
    return (role.user, role) if role else None


def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    gent, ieper = _guide("trajectbegeleider"), _guide("trajectbegeleider.ieper")
    if gent is None or ieper is None or Guidance.objects.filter(network=gent[1].network).exists():
        return {"guided_detainees": 0, "transfers": 0}
    domains = {domain.code: domain for domain in LifeDomain.objects.all()}
    rng = random.Random("ijh-detention-demo")
    made: list[Guidance] = []
    for number in range(30):
        user, role = gent if number < 22 else ieper
        started = today - datetime.timedelta(days=rng.randint(10, 300))
        release = today + datetime.timedelta(days=rng.choice([20, 45, 80, 120, 200, 400, 700]))
        guidance = services.register_detainee(
            client=Client(
                first_name=FIRST[number % len(FIRST)],
                last_name=LAST[(number * 7) % len(LAST)],
                birth_year=1975 + rng.randint(0, 30),
                gender=Client.Gender.MALE,
            ),
            network=role.network,
            organisation=role.organisation,
            by=user,
            question=QUESTIONS[number % len(QUESTIONS)],
            planned_release_on=release,
        )
        case = guidance.case
        Case.objects.filter(pk=case.pk).update(opened_on=started)
        CaseTeamMember.objects.filter(case=case).update(since=started)
        Guidance.objects.filter(pk=guidance.pk).update(started_on=started)
        guidance.refresh_from_db()
        consent = Consent.objects.create(
            case=case,
            basis=Consent.Basis.CONSENT,
            given_by=Consent.GivenBy.YOUNG_PERSON,
            giver_name="de gedetineerde zelf",
            covers_case_team=True,
            covers_referrals=True,
            given_on=started,
            evidence_note="Ondertekend bij het onthaalgesprek.",
            recorded_by=user,
        )
        consent.organisations.set([gent[1].organisation, ieper[1].organisation])
        for code, text, after in rng.sample(GOALS, 2):
            services.add_plan_goal(
                guidance=guidance, domain=domains[code], text=text, after_release=after, by=user
            )
        activities = list(Activity.objects.filter(network=role.network, ends_on__gte=today).order_by("pk"))
        if activities:
            services.refer_to_activity(guidance=guidance, activity=rng.choice(activities), by=user)
        if number % 4 == 0:
            services.refer_outside(
                guidance=guidance, service=rng.choice(OUTSIDE), note="Na de vrijlating", by=user
            )
        made.append(guidance)
    services.warn_upcoming_releases()
    # Two transfers Gent → Ieper: one accepted (Ieper took over and sees the history), one waiting.
    first, second = made[0], made[1]
    transfer = services.propose_transfer(
        guidance=first,
        to_network=ieper[1].network,
        transfer_on=today,
        reason="Plaatsgebrek in Gent",
        by=gent[0],
    )
    services.decide_transfer(transfer=transfer, by=ieper[0], accept=True)
    services.propose_transfer(
        guidance=second,
        to_network=ieper[1].network,
        transfer_on=today + datetime.timedelta(days=7),
        reason="Dichter bij de familie",
        by=gent[0],
    )
    return {"guided_detainees": len(made), "transfers": 2}
