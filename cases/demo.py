"""Demo cases for the RTJ demo networks: clients, teams, consent, conferences in every state,
referrals in every status. Invented people only. Deterministic (a fixed seed) and idempotent:
a case is found by its client's pseudonym; an existing case is left as it is.

Logins (password as in networks.demo): ``hulpverlener`` (CKG, lead on many cases and owner of
werkplan agreements), ``onthaal`` (CAW Waasland: receives referrals), ``clb`` (Vrij CLB),
``coordinator`` (the organising cell), ``extvoorzitter`` (external chair of the conferences).
"""

import datetime
import random
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ijh.models import AuditEvent, User
from instruments.models import LifeDomain, ReferralAgreement
from networks import demo as network_demo
from networks.models import Membership, Network, NetworkMembership, Organisation

from .models import (
    CarePlanItem,
    Case,
    CaseTeamMember,
    Client,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    Consent,
    DataField,
    Referral,
    SessionInvitation,
    TimelineEvent,
)
from .models.cases import PSEUDONYM_ALPHABET

SEED = 20261123
FIRST_NAMES = [
    "Lotte",
    "Noah",
    "Emma",
    "Lucas",
    "Yasmine",
    "Arthur",
    "Nora",
    "Milan",
    "Fien",
    "Adam",
    "Lina",
    "Jules",
    "Elif",
    "Finn",
    "Amira",
    "Wout",
    "Ella",
    "Rayan",
    "Mila",
    "Seppe",
    "Zoë",
    "Ayoub",
]
LAST_NAMES = [
    "Vermeersch",
    "De Backer",
    "Janssens",
    "El Amrani",
    "Van den Broeck",
    "Martens",
    "Dierickx",
    "Yilmaz",
    "Claeys",
    "Verstraete",
    "Pauwels",
    "Bulut",
    "Van Hecke",
    "Nys",
    "Geerts",
    "Mahieu",
]
SUMMARIES = [
    "Spijbelt sinds de herfstvakantie; thuis veel conflicten; moeder vraagt hulp bij opvoeding.",
    "Angstklachten en slaapproblemen na verhuis; school meldt terugtrekgedrag.",
    "Gezin met schulden en huisvestingsprobleem; jongere zorgt voor jongere broers en zussen.",
    "Agressie-incidenten op school; vermoeden van ontwikkelingsstoornis, wachtlijst diagnostiek.",
    "Jongere wil niet meer thuis wonen; spanningen met nieuwe partner van vader.",
    "Ouders gescheiden, conflict over verblijfsregeling; kind toont signalen van stress.",
]
# Demo caseworkers beyond networks.demo: (username, first, last, network, organisation)
CASEWORKERS = [
    ("onthaal", "Lies", "Verbeke", "RTJ Waas en Dender", "CAW Waasland"),
    ("clb", "Ruben", "Claes", "RTJ Waas en Dender", "Vrij CLB Waas en Dender"),
    ("jac.antwerpen", "Sam", "Peeters", "RTJ Antwerpen Stad", "CAW Antwerpen"),
    ("clb.antwerpen", "Fatima", "Ouali", "RTJ Antwerpen Stad", "Stedelijk CLB Antwerpen"),
]
LOGINS = ("onthaal", "clb")
CASES_PER_NETWORK = {"RTJ Waas en Dender": 22, "RTJ Antwerpen Stad": 10}
POSTCODES = {
    "RTJ Waas en Dender": ["9100", "9111", "9140", "9160", "9200", "9220", "9300"],
    "RTJ Antwerpen Stad": ["2000", "2018", "2060", "2140", "2170"],
}
# The conference story of the first cases in each network, so every state shows.
CONFERENCE_PLAN = [
    "requested",
    "requested",
    "admissible",
    "planned",
    "not_admissible",
    "running",
    "running",
    "running",
    "closed",
    "closed",
    "withdrawn",
    "planned",
]
REFERRAL_PLAN = ["sent", "received", "accepted", "declined", "started", "outside", "started", "declined"]
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


@transaction.atomic
def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    people = {}
    for username, first, last, network_name, organisation_name in CASEWORKERS:
        people[username] = _caseworker(
            username, first, last, networks[network_name], organisations[organisation_name]
        )
    people["hulpverlener"] = User.objects.get(username="hulpverlener")
    chair = User.objects.get(username="extvoorzitter")
    # The external chair also sits in the Waas en Dender chairs pool.
    Membership.objects.get_or_create(
        user=chair,
        role=Membership.Role.CHAIRPERSON_EXTERNAL,
        network=networks["RTJ Waas en Dender"],
        defaults={"since": network_demo.START},
    )
    cell = User.objects.get(username="coordinator")
    domains = list(LifeDomain.objects.all())
    created = 0
    leads = {
        "RTJ Waas en Dender": [
            ("hulpverlener", "CKG De Zonnewijzer"),
            ("onthaal", "CAW Waasland"),
            ("clb", "Vrij CLB Waas en Dender"),
        ],
        "RTJ Antwerpen Stad": [
            ("jac.antwerpen", "CAW Antwerpen"),
            ("clb.antwerpen", "Stedelijk CLB Antwerpen"),
        ],
    }
    for network_name, count in CASES_PER_NETWORK.items():
        network = networks[network_name]
        partners = list(
            NetworkMembership.objects.filter(network=network)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        for number in range(count):
            username, lead_name = leads[network_name][number % len(leads[network_name])]
            story = _Story(
                # One generator per case: skipping an existing case must not shift the next ones.
                rng=random.Random(f"{SEED}-{network_name}-{number}"),
                network=network,
                number=number,
                lead=organisations[lead_name],
                worker=people[username],
                partners=[row.organisation for row in partners if row.organisation.name != lead_name],
                chair=chair,
                cell=cell,
                domains=domains,
                today=today,
            )
            if story.build():
                created += 1
    from . import demo_detention

    return {"cases": created, **demo_detention.load(networks, today)}


def _caseworker(username, first, last, network, organisation) -> User:
    user, was_created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if username in LOGINS:
        user.set_password(network_demo.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    elif was_created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user,
        role=Membership.Role.CASEWORKER,
        network=network,
        defaults={"organisation": organisation, "since": network_demo.START},
    )
    return user


class _Story:
    """One case's history, dated in the past, with its timeline and audit trail."""

    def __init__(self, *, rng, network, number, lead, worker, partners, chair, cell, domains, today):
        self.rng, self.network, self.number, self.lead, self.worker = rng, network, number, lead, worker
        self.partners, self.chair, self.cell, self.domains, self.today = partners, chair, cell, domains, today

    def build(self) -> bool:
        rng = self.rng
        pseudonym = (
            "CL-"
            + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(4))
            + "-"
            + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(4))
        )
        # Draw everything before deciding to skip, so the sequence (and the next cases) stay the same.
        age = rng.randint(4, 17)
        birth = self.today - datetime.timedelta(days=365 * age + rng.randint(0, 360))
        opened_days_ago = rng.randint(40, 600)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        gender = rng.choice([Client.Gender.FEMALE, Client.Gender.MALE, Client.Gender.FEMALE, Client.Gender.X])
        postcode = rng.choice(POSTCODES[self.network.name])
        summary = rng.choice(SUMMARIES)
        partner_pick = rng.sample(self.partners, k=min(3, len(self.partners)))
        if Client.objects.filter(pseudonym=pseudonym).exists():
            return False
        client = Client.objects.create(
            pseudonym=pseudonym,
            first_name=first,
            last_name=last,
            birth_date=birth,
            birth_year=birth.year,
            gender=gender,
            postcode=postcode,
        )
        self.opened = self.today - datetime.timedelta(days=opened_days_ago)
        closed_on = (
            self.opened + datetime.timedelta(days=300)
            if opened_days_ago > 450 and self.number % 3 == 0
            else None
        )
        self.case = Case.objects.create(
            network=self.network,
            client=client,
            lead_organisation=self.lead,
            opened_on=self.opened,
            closed_on=closed_on,
            summary=summary,
            created_by=self.worker,
        )
        self.event(
            TimelineEvent.Kind.OPENED, self.opened, self.worker, detail=str(self.lead), action="case.opened"
        )
        CaseTeamMember.objects.create(
            case=self.case,
            organisation=self.lead,
            user=self.worker,
            role=CaseTeamMember.Role.LEAD,
            since=self.opened,
        )
        consent_day = self.opened + datetime.timedelta(days=3)
        young_person = age >= 14
        self.consent = Consent.objects.create(
            case=self.case,
            given_by=Consent.GivenBy.YOUNG_PERSON if young_person else Consent.GivenBy.PARENT,
            giver_name=first if young_person else f"Moeder van {first}",
            covers_case_team=True,
            covers_referrals=True,
            covers_conference=True,
            data_fields=[DataField.NAME, DataField.BIRTH_DATE, DataField.QUESTION, DataField.POSTCODE],
            named_people="Grootmoeder\nVoetbaltrainer" if self.number % 4 == 0 else "",
            given_on=consent_day,
            evidence_note="Toestemmingsformulier ondertekend in het onthaalgesprek; origineel in het papieren dossier.",
            recorded_by=self.worker,
        )
        self.consent.organisations.set([self.lead, *partner_pick])
        self.event(
            TimelineEvent.Kind.CONSENT_RECORDED,
            consent_day,
            self.worker,
            obj=self.consent,
            action="consent.recorded",
        )
        for offset, partner in enumerate(partner_pick[:2]):
            since = consent_day + datetime.timedelta(days=7 + offset * 10)
            member = CaseTeamMember.objects.create(
                case=self.case,
                organisation=partner,
                role=CaseTeamMember.Role.CASEWORKER,
                since=since,
                consent=self.consent,
                added_by=self.worker,
            )
            self.event(
                TimelineEvent.Kind.TEAM_ADDED,
                since,
                self.worker,
                obj=member,
                detail=str(partner),
                action="case_team.added",
            )
        if self.number < len(CONFERENCE_PLAN):
            self.conference(CONFERENCE_PLAN[self.number], partner_pick)
        if self.number % 2 == 1 and self.number // 2 < len(REFERRAL_PLAN):
            self.referral(REFERRAL_PLAN[self.number // 2])
        if self.number in (13, 17):
            withdrawn = self.today - datetime.timedelta(days=10)
            self.consent.withdrawn_on = withdrawn
            self.consent.withdrawal_note = "De jongere wil niet langer dat gegevens gedeeld worden."
            self.consent.save(update_fields=["withdrawn_on", "withdrawal_note"])
            self.event(
                TimelineEvent.Kind.CONSENT_WITHDRAWN,
                withdrawn,
                self.worker,
                obj=self.consent,
                action="consent.withdrawn",
            )
        if closed_on:
            self.event(TimelineEvent.Kind.CLOSED, closed_on, self.worker, action="case.closed")
        # A few reads, so "wie heeft ingekeken" has something to show.
        for reader, days in ((self.worker, 2), (self.worker, 1)):
            AuditEvent.objects.create(
                at=_at(self.today - datetime.timedelta(days=days), 9 + days),
                actor=reader,
                actor_label=reader.username,
                action="case.viewed",
                object_type="cases.case",
                object_id=str(self.case.pk),
                network_id=self.network.pk,
                case_id=self.case.pk,
                detail="case",
            )
        return True

    def event(self, kind, day, actor, *, obj=None, detail="", action=""):
        target = obj if obj is not None else self.case
        moment = _at(min(day, self.today), 10 + len(kind) % 6)
        TimelineEvent.objects.create(
            case=self.case,
            at=moment,
            kind=kind,
            detail=detail[:250],
            actor=actor,
            object_type=target._meta.label_lower,
            object_id=str(target.pk),
        )
        AuditEvent.objects.create(
            at=moment,
            actor=actor,
            actor_label=actor.username,
            action=action or f"{target._meta.model_name}.{kind}",
            object_type=target._meta.label_lower,
            object_id=str(target.pk),
            network_id=self.network.pk,
        )

    def conference(self, state: str, partners) -> None:
        requested = self.opened + datetime.timedelta(days=20)
        if state in ("requested", "admissible", "planned"):
            requested = self.today - datetime.timedelta(days=12 + self.number)
        conference = ClientConference.objects.create(
            case=self.case,
            network=self.network,
            requested_by=self.worker,
            requesting_organisation=self.lead,
            requested_on=requested,
            question="Hoe brengen we school, thuis en de hulpverlening rond één gedeeld plan?",
            complexity="Meerdere diensten uit verschillende sectoren, geen gedeeld plan, het gezin haakt af.",
            involved="Jongere, moeder, vader, " + ", ".join(str(partner) for partner in partners),
            consent=self.consent,
        )
        self.event(
            TimelineEvent.Kind.CONFERENCE_REQUESTED,
            requested,
            self.worker,
            obj=conference,
            action="clientconference.requested",
        )
        if state == "requested":
            return
        if state == "withdrawn":
            conference.status = ClientConference.Status.WITHDRAWN
            conference.closed_on = requested + datetime.timedelta(days=5)
            conference.outcome_note = "Het gezin vond intussen zelf passende hulp."
            conference.save()
            return
        decided = requested + datetime.timedelta(days=4)
        conference.decided_on, conference.decided_by = decided, self.cell
        if state == "not_admissible":
            conference.status = ClientConference.Status.NOT_ADMISSIBLE
            conference.admissibility_reason = (
                "De vraag kan binnen de lopende begeleiding opgenomen worden; eerst bemiddeling door het CLB."
            )
            conference.save()
            self.event(
                TimelineEvent.Kind.CONFERENCE_NOT_ADMISSIBLE,
                decided,
                self.cell,
                obj=conference,
                action="clientconference.not_admissible",
            )
            return
        conference.status = ClientConference.Status.ADMISSIBLE
        conference.admissibility_reason = (
            "Complexe situatie met meerdere sectoren; het gezin vraagt zelf een overleg."
        )
        self.event(
            TimelineEvent.Kind.CONFERENCE_ADMISSIBLE,
            decided,
            self.cell,
            obj=conference,
            action="clientconference.admissible",
        )
        if state == "admissible":
            conference.save()
            return
        conference.chair, conference.chair_assigned_on = self.chair, decided
        conference.save()
        self.event(
            TimelineEvent.Kind.CHAIR_ASSIGNED,
            decided,
            self.cell,
            obj=conference,
            detail=self.chair.get_full_name(),
            action="clientconference.chair_assigned",
        )
        first_day = decided + datetime.timedelta(days=16)
        if state == "planned":
            first_day = self.today + datetime.timedelta(days=5 + self.number % 7)
        first = self.session(
            conference, ConferenceSession.Kind.FIRST, first_day, held=state != "planned", partners=partners
        )
        if state == "planned":
            return
        conference.status = ClientConference.Status.RUNNING
        conference.case_manager = self.worker
        conference.save()
        self.event(
            TimelineEvent.Kind.CASE_MANAGER_NAMED,
            first_day,
            self.chair,
            obj=conference,
            detail=self.worker.get_full_name(),
            action="clientconference.case_manager_named",
        )
        items = self.plan(conference, first, first_day)
        follow_day = first_day + datetime.timedelta(days=90)
        closing = state == "closed"
        if follow_day < self.today or closing:
            if follow_day >= self.today:
                follow_day = self.today - datetime.timedelta(days=3)
            follow = self.session(
                conference,
                ConferenceSession.Kind.FOLLOW_UP if not closing else ConferenceSession.Kind.CLOSING,
                follow_day,
                held=True,
                partners=partners,
            )
            self.review(items, follow, closing)
        else:
            self.session(
                conference, ConferenceSession.Kind.FOLLOW_UP, follow_day, held=False, partners=partners
            )
        if closing:
            conference.status = ClientConference.Status.CLOSED
            conference.closed_on = follow_day
            conference.outcome = (
                ClientConference.Outcome.PARTLY_REACHED
                if self.number % 2
                else ClientConference.Outcome.GOALS_REACHED
            )
            conference.outcome_note = (
                "Schoolgang hersteld; begeleiding thuis loopt verder via de contextbegeleiding."
            )
            conference.save()
            self.event(
                TimelineEvent.Kind.CONFERENCE_CLOSED,
                follow_day,
                self.chair,
                obj=conference,
                action="clientconference.closed",
            )
            for respondent, scores in (
                (ConferenceEvaluation.Respondent.CHAIR, (4, 4, 4, 5)),
                (ConferenceEvaluation.Respondent.CLIENT, (5, 3, 4, 4)),
            ):
                ConferenceEvaluation.objects.create(
                    conference=conference,
                    respondent=respondent,
                    heard=scores[0],
                    clear_agreements=scores[1],
                    helped=scores[2],
                    would_recommend=scores[3],
                    comment="Fijn dat iedereen rond de tafel zat." if respondent == "client" else "",
                )

    def session(self, conference, kind, day, *, held, partners) -> ConferenceSession:
        session = ConferenceSession.objects.create(
            conference=conference,
            kind=kind,
            starts_at=_at(day, 14),
            location="Huis van het Kind, vergaderzaal 1",
            status=ConferenceSession.Status.HELD if held else ConferenceSession.Status.PLANNED,
            notes="Iedereen kwam aan het woord; de jongere bracht zelf haar wensen in." if held else "",
        )
        client = self.case.client
        invitees = [
            (SessionInvitation.Kind.CLIENT, client.first_name, None, False),
            (SessionInvitation.Kind.PARENT, f"Moeder van {client.first_name}", None, False),
            (SessionInvitation.Kind.PROFESSIONAL, self.worker.get_full_name(), self.lead, True),
            *[
                (SessionInvitation.Kind.PROFESSIONAL, f"Hulpverlener {partner}", partner, True)
                for partner in partners[:2]
            ],
        ]
        for index, (invite_kind, name, organisation, secrecy) in enumerate(invitees):
            SessionInvitation.objects.create(
                session=session,
                kind=invite_kind,
                name=name,
                user=self.worker if organisation == self.lead else None,
                organisation=organisation,
                bound_by_secrecy=secrecy,
                attended=(index != 1 or self.number % 2 == 0) if held else None,
            )
        self.event(
            TimelineEvent.Kind.SESSION_PLANNED,
            day - datetime.timedelta(days=14),
            self.chair,
            obj=session,
            action="conferencesession.planned",
        )
        if held:
            self.event(
                TimelineEvent.Kind.SESSION_HELD, day, self.chair, obj=session, action="conferencesession.held"
            )
        return session

    def plan(self, conference, session, day) -> list[CarePlanItem]:
        items = []
        picks = self.rng.sample(self.domains, k=3)
        texts = [
            "Wekelijks gesprek met de leerlingbegeleider over de schoolgang.",
            "Aanmelding bij het kinder- en jeugdteam voor diagnostiek.",
            "Moeder en jongere maken samen een weekplanning voor thuis.",
        ]
        for index, (domain, text) in enumerate(zip(picks, texts, strict=True)):
            item = CarePlanItem.objects.create(
                conference=conference,
                made_in=session,
                domain=domain,
                description=text,
                owner=self.worker if index == 0 else None,
                owner_organisation=None if index != 1 else self.lead,
                owner_label="Moeder en jongere" if index == 2 else "",
                due_on=day + datetime.timedelta(days=30 + 30 * index),
            )
            items.append(item)
            self.event(
                TimelineEvent.Kind.PLAN_ITEM_ADDED,
                day,
                self.chair,
                obj=item,
                detail=domain.name,
                action="careplanitem.added",
            )
        return items

    def review(self, items, session, closing) -> None:
        outcomes = [
            (CarePlanItem.Status.DONE, ""),
            (
                CarePlanItem.Status.NOT_DONE,
                self.rng.choice(
                    [
                        CarePlanItem.NotDoneReason.WAITING_LIST,
                        CarePlanItem.NotDoneReason.NO_SUITABLE_OFFER,
                        CarePlanItem.NotDoneReason.REGULATION,
                    ]
                ),
            ),
            (CarePlanItem.Status.DONE if closing else CarePlanItem.Status.OPEN, ""),
        ]
        day = session.starts_at.date()
        for item, (status, reason) in zip(items, outcomes, strict=True):
            item.status, item.not_done_reason, item.reviewed_in = status, reason, session
            item.status_note = "Wachtlijst van 5 maanden bij het kinder- en jeugdteam." if reason else ""
            item.save()
            self.event(
                TimelineEvent.Kind.PLAN_ITEM_UPDATED, day, self.chair, obj=item, action="careplanitem.updated"
            )

    def referral(self, state: str) -> None:
        agreements = list(
            ReferralAgreement.objects.filter(network=self.network)
            .exclude(receiving_organisation=self.lead)
            .order_by("pk")
        )
        if not agreements:
            return
        agreement = agreements[self.number % len(agreements)]
        receiver = agreement.receiving_organisation
        if not self.consent.organisations.filter(pk=receiver.pk).exists():
            self.consent.organisations.add(receiver)
        sent = self.opened + datetime.timedelta(days=25)
        referral = Referral(
            case=self.case,
            network=self.network,
            from_organisation=self.lead,
            to_organisation=receiver,
            agreement=None if state == "outside" else agreement,
            outside_agreement=state == "outside",
            consent=self.consent,
            question="Vraag naar " + agreement.offer.lower() + " voor de jongere en het gezin.",
            letter_note="Het gezin is gemotiveerd; graag contact via de moeder.",
            shared_fields=list(self.consent.data_fields),
            sent_on=sent,
            sent_by=self.worker,
        )
        steps = {
            "sent": [],
            "received": [("received", 2)],
            "accepted": [("received", 2), ("accepted", 9)],
            "declined": [("received", 1), ("declined", 6)],
            "started": [("received", 1), ("accepted", 7), ("started", 30)],
            "outside": [("received", 3), ("accepted", 12)],
        }[state]
        for status, days in steps:
            setattr(referral, f"{status}_on", sent + datetime.timedelta(days=days))
            referral.status = status
        if referral.status == Referral.Status.DECLINED:
            referral.decline_reason = (
                Referral.DeclineReason.FULL
                if self.number % 4 == 1
                else Referral.DeclineReason.NOT_TARGET_GROUP
            )
            referral.decline_note = (
                "Wachtlijst van meer dan drie maanden." if referral.decline_reason == "full" else ""
            )
        referral.save()
        self.event(
            TimelineEvent.Kind.REFERRAL_SENT,
            sent,
            self.worker,
            obj=referral,
            detail=str(receiver),
            action="referral.sent",
        )
        for status, days in steps:
            self.event(
                TimelineEvent.Kind.REFERRAL_UPDATED,
                sent + datetime.timedelta(days=days),
                self.worker,
                obj=referral,
                detail=Referral.Status(status).label,
                action=f"referral.{status}",
            )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=TZ)
