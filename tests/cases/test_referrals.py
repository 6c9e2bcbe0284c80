"""Referrals on a case: access, consent, the data sheet, status steps, the inbox."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cases.access import get_case_for_user, visible_cases
from cases.models import Case, Consent, DataField, Referral, TimelineEvent
from cases.models.cases import CaseTeamMember
from cases.services.cases import withdraw_consent
from cases.services.referrals import referrals_for_case
from ijh.models import AuditEvent
from networks.models import Membership
from tests.factories import (
    CarePlanItemFactory,
    CaseFactory,
    ClientConferenceFactory,
    ConsentFactory,
    MembershipFactory,
    NetworkMembershipFactory,
    ReferralAgreementFactory,
    ReferralAreaFactory,
    ReferralFactory,
    UserFactory,
)

from ..conftest import Persona

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _still_today():
    # TODAY is computed at import: a run that crosses midnight (Brussels) met a new day halfway
    # and "today" became "in the future". The clock stays on TODAY, still ticking.
    noon = datetime.datetime.combine(TODAY, datetime.time(12, 0), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=True):
        yield


@pytest.fixture
def receiver(other_caseworker) -> Persona:
    """The caseworker of the receiving organisation (partner_organisation), not on the case team."""
    return other_caseworker


@pytest.fixture
def third_caseworker(network) -> Persona:
    """A caseworker in the same network for an organisation that neither refers nor receives."""
    organisation = NetworkMembershipFactory(network=network, organisation__name="CAW Oost").organisation
    user = UserFactory(username="derde-hulpverlener")
    MembershipFactory(user=user, network=network, role=Membership.Role.CASEWORKER, organisation=organisation)
    return Persona(user)


@pytest.fixture
def agreement(network, partner_organisation):
    agreement = ReferralAgreementFactory(
        network=network,
        title="Ambulante begeleiding CGG",
        receiving_organisation=partner_organisation,
        age_min=6,
        age_max=18,
    )
    ReferralAreaFactory(agreement=agreement, postcode_from=9100, postcode_to=9199)
    return agreement


@pytest.fixture
def referral(case, consent, caseworker, partner_organisation):
    return ReferralFactory(
        case=case,
        to_organisation=partner_organisation,
        consent=consent,
        sent_by=caseworker.user,
        shared_fields=list(consent.data_fields),
        sent_on=datetime.date(2026, 2, 2),
        question="Vraag naar ambulante begeleiding voor de jongere.",
    )


def form_data(to_organisation, agreement=None, **overrides):
    data = {
        "to_organisation": to_organisation.pk if to_organisation else "",
        "agreement": getattr(agreement, "pk", agreement or ""),
        "question": "Kan het CGG ambulante begeleiding opnemen?",
        "letter_note": "Het gezin is gemotiveerd.",
        "sent_on": TODAY.isoformat(),
    }
    return {**data, **overrides}


def create_url(case):
    return reverse("cases:referral-create", args=[case.pk])


def detail_url(referral):
    return reverse("cases:referral-detail", args=[referral.pk])


def status_url(referral):
    return reverse("cases:referral-status", args=[referral.pk])


def case_detail_status(client, user, case):
    """The case detail page is another area's; until it exists, ask the door it will use."""
    try:
        url = reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        try:
            get_case_for_user(user, case.pk)
        except Http404:
            return 404
        return 200
    return client.get(url).status_code


@pytest.fixture
def login(client):
    def login(persona: Persona):
        client.force_login(persona.user)
        return client

    return login


# --- access -------------------------------------------------------------------------------------


class TestAccessMatrix:
    def test_team_caseworker_reaches_every_referral_page(self, login, case, referral, caseworker):
        client = login(caseworker)
        assert client.get(create_url(case)).status_code == 200
        assert client.get(detail_url(referral)).status_code == 200
        assert client.get(reverse("cases:referral-inbox")).status_code == 200

    def test_receiver_sees_the_referral_but_not_the_case(self, login, case, referral, receiver):
        client = login(receiver)
        assert client.get(detail_url(referral)).status_code == 200
        assert client.get(reverse("cases:referral-inbox")).status_code == 200
        assert client.get(create_url(case)).status_code == 404
        assert client.post(create_url(case), form_data(referral.to_organisation)).status_code == 404
        assert case_detail_status(client, receiver.user, case) == 404

    def test_other_caseworker_not_receiving_gets_404(self, login, case, referral, third_caseworker):
        client = login(third_caseworker)
        assert client.get(detail_url(referral)).status_code == 404
        assert client.get(create_url(case)).status_code == 404
        response = client.post(status_url(referral), {"status": "received", "on": TODAY.isoformat()})
        assert response.status_code == 404
        # their own inbox exists, without this referral
        response = client.get(reverse("cases:referral-inbox"))
        assert response.status_code == 200
        assert referral.case.client.pseudonym not in response.text

    @pytest.mark.parametrize("persona", ["member", "regional_staff", "manager", "outsider", "superuser"])
    def test_people_without_case_access_get_404_everywhere(self, request, login, case, referral, persona):
        client = login(request.getfixturevalue(persona))
        assert client.get(create_url(case)).status_code == 404
        assert client.post(create_url(case), form_data(referral.to_organisation)).status_code == 404
        assert client.get(detail_url(referral)).status_code == 404
        assert client.get(reverse("cases:referral-inbox")).status_code == 404
        for status in ("received", "withdrawn", "bogus"):
            response = client.post(status_url(referral), {"status": status, "on": TODAY.isoformat()})
            assert response.status_code == 404, status
        referral.refresh_from_db()
        assert referral.status == Referral.Status.SENT
        assert Referral.objects.count() == 1

    def test_organising_cell_sees_the_pseudonym_only(self, login, case, referral, manager, conference):
        # A conference request on the case gives the coordinator the request, not the case:
        # the referrals stay out of sight.
        client = login(manager)
        assert client.get(detail_url(referral)).status_code == 404
        assert client.get(create_url(case)).status_code == 404
        response = client.post(status_url(referral), {"status": "received", "on": TODAY.isoformat()})
        assert response.status_code == 404

    def test_the_conference_chair_does_not_reach_referrals(
        self, login, referral, conference, conference_chair
    ):
        # A chair needs the conference, not the case's referrals (issue 16 §1).
        response = login(conference_chair).get(detail_url(referral))
        assert response.status_code == 404
        assert "Vermeersch" not in response.text

    def test_status_steps_belong_to_their_side(self, login, referral, caseworker, receiver):
        on = {"on": TODAY.isoformat()}
        # the team does not answer for the receiver; the receiver does not withdraw
        assert login(caseworker).post(status_url(referral), {"status": "received", **on}).status_code == 403
        assert login(receiver).post(status_url(referral), {"status": "withdrawn", **on}).status_code == 403
        referral.refresh_from_db()
        assert referral.status == Referral.Status.SENT

    def test_anonymous_is_sent_to_login(self, client, case, referral):
        for url in (create_url(case), detail_url(referral), reverse("cases:referral-inbox")):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))
        assert client.post(status_url(referral), {"status": "received"}).status_code == 302


# --- sending ------------------------------------------------------------------------------------


class TestSend:
    def test_sends_under_an_agreement_with_consent(
        self, login, case, consent, caseworker, partner_organisation, case_organisation, agreement
    ):
        response = login(caseworker).post(create_url(case), form_data(partner_organisation, agreement))
        assert response.status_code == 302
        referral = Referral.objects.get()
        assert response.url == detail_url(referral)
        assert referral.to_organisation == partner_organisation
        assert referral.from_organisation == case_organisation
        assert referral.network == case.network
        assert referral.consent == consent
        assert referral.shared_fields == consent.data_fields
        assert referral.outside_agreement is False
        assert referral.status == Referral.Status.SENT
        assert referral.sent_on == TODAY
        assert referral.sent_by == caseworker.user
        event = TimelineEvent.objects.get(case=case, kind=TimelineEvent.Kind.REFERRAL_SENT)
        assert event.object_id == str(referral.pk)
        assert event.detail == str(partner_organisation)
        audit = AuditEvent.objects.get(action="referral.sent")
        assert audit.object_id == str(referral.pk) and audit.network_id == case.network_id

    def test_shared_fields_are_a_snapshot_of_the_consent(self, login, case, caseworker, partner_organisation):
        ConsentFactory(case=case, organisations=[partner_organisation], data_fields=[DataField.POSTCODE])
        login(caseworker).post(create_url(case), form_data(partner_organisation))
        assert Referral.objects.get().shared_fields == [DataField.POSTCODE]

    def test_choosing_an_agreement_fills_in_its_receiver(
        self, login, case, consent, caseworker, partner_organisation, agreement
    ):
        response = login(caseworker).post(create_url(case), form_data(None, agreement))
        assert response.status_code == 302
        assert Referral.objects.get().to_organisation == partner_organisation

    def test_nothing_chosen_is_a_dutch_error(self, login, case, consent, caseworker):
        response = login(caseworker).post(create_url(case), form_data(None))
        assert response.status_code == 422
        assert "Kies de organisatie waarnaar je verwijst." in response.text
        assert not Referral.objects.exists()

    def test_kies_fills_in_the_agreement_and_receiver(self, login, case, consent, caseworker, agreement):
        response = login(caseworker).get(create_url(case) + f"?agreement={agreement.pk}")
        assert response.status_code == 200
        form = response.context["form"]
        assert form["agreement"].value() == agreement.pk
        assert form["to_organisation"].value() == agreement.receiving_organisation_id

    def test_suggests_agreements_that_fit_the_client(self, login, network, case, caseworker, agreement):
        # Lotte is 15 and lives in 9100: too old for the first, outside the area of the second,
        # the third has ended.
        too_young = ReferralAgreementFactory(network=network, title="Kleuterwerking", age_max=6)
        elsewhere = ReferralAgreementFactory(network=network, title="Limburgs aanbod")
        ReferralAreaFactory(agreement=elsewhere, postcode_from=3500, postcode_to=3599)
        ended = ReferralAgreementFactory(
            network=network, title="Afgelopen project", valid_until=datetime.date(2025, 12, 31)
        )
        response = login(caseworker).get(create_url(case))
        suggested = response.context["suggestions"]
        assert suggested == [agreement]
        assert "Ambulante begeleiding CGG" in response.text
        assert f"?agreement={agreement.pk}" in response.text
        for other in (too_young, elsewhere, ended):
            assert f"?agreement={other.pk}" not in response.text

    @pytest.mark.parametrize(
        "why",
        ["no_agreement", "other_receiver", "expired"],
    )
    def test_outside_agreement_is_allowed_but_flagged(
        self, login, network, case, consent, caseworker, partner_organisation, case_organisation, why
    ):
        agreement = {
            "no_agreement": None,
            "other_receiver": ReferralAgreementFactory(
                network=network, receiving_organisation=case_organisation
            ),
            "expired": ReferralAgreementFactory(
                network=network,
                receiving_organisation=partner_organisation,
                valid_until=TODAY - datetime.timedelta(days=1),
            ),
        }[why]
        client = login(caseworker)
        response = client.post(create_url(case), form_data(partner_organisation, agreement), follow=True)
        assert response.status_code == 200
        referral = Referral.objects.get()
        assert referral.outside_agreement is True
        assert referral.agreement == agreement
        assert "Buiten verwijsafspraak" in response.text
        expected = {
            "no_agreement": "Er is geen verwijsafspraak gekozen.",
            "other_receiver": "geldt voor een andere ontvangende organisatie",
            "expired": "was niet geldig op de verzenddatum",
        }[why]
        assert expected in response.text
        # and on the case
        case = get_case_for_user(caseworker.user, case.pk)
        section = render_to_string(
            "cases/referrals/_case_section.html", {"case": case, "referrals": referrals_for_case(case)}
        )
        assert "Buiten verwijsafspraak" in section

    def test_agreement_valid_on_an_earlier_send_date_is_inside(
        self, login, network, case, consent, caseworker, partner_organisation
    ):
        agreement = ReferralAgreementFactory(
            network=network,
            receiving_organisation=partner_organisation,
            valid_until=datetime.date(2026, 3, 31),
        )
        data = form_data(partner_organisation, agreement, sent_on="2026-03-15")
        assert login(caseworker).post(create_url(case), data).status_code == 302
        assert Referral.objects.get().outside_agreement is False


class TestConsent:
    def test_without_consent_nothing_is_sent(self, login, case, caseworker, partner_organisation):
        response = login(caseworker).post(create_url(case), form_data(partner_organisation))
        assert response.status_code == 422
        assert "Er is geen geldige toestemming of wettelijke grond" in response.text
        # nothing lost: what was typed is still there
        assert "Kan het CGG ambulante begeleiding opnemen?" in response.text
        assert not Referral.objects.exists()
        assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.REFERRAL_SENT).exists()

    def test_consent_must_name_the_receiver(
        self, login, case, caseworker, case_organisation, partner_organisation
    ):
        ConsentFactory(case=case, organisations=[case_organisation])
        response = login(caseworker).post(create_url(case), form_data(partner_organisation))
        assert response.status_code == 422
        assert "CGG Waas en Dender" in response.text
        assert not Referral.objects.exists()

    def test_consent_must_cover_referrals(self, login, case, caseworker, partner_organisation):
        ConsentFactory(case=case, organisations=[partner_organisation], covers_referrals=False)
        response = login(caseworker).post(create_url(case), form_data(partner_organisation))
        assert response.status_code == 422
        assert not Referral.objects.exists()

    def test_a_legal_ground_naming_nobody_covers_every_organisation(
        self, login, case, caseworker, partner_organisation
    ):
        ConsentFactory(case=case, by_legal_ground=True)
        assert login(caseworker).post(create_url(case), form_data(partner_organisation)).status_code == 302

    def test_withdrawal_blocks_the_next_referral(
        self, login, case, consent, caseworker, partner_organisation
    ):
        client = login(caseworker)
        assert client.post(create_url(case), form_data(partner_organisation)).status_code == 302
        withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=TODAY)
        response = client.post(create_url(case), form_data(partner_organisation))
        assert response.status_code == 422
        assert "is ingetrokken" in response.text
        assert Referral.objects.count() == 1

    def test_registering_afterwards_needs_consent_then_and_now(
        self, login, case, consent, caseworker, partner_organisation
    ):
        withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=datetime.date(2026, 6, 1))
        # in force on the send date, withdrawn since: the data would be shared now
        response = login(caseworker).post(
            create_url(case), form_data(partner_organisation, sent_on="2026-05-01")
        )
        assert response.status_code == 422
        assert not Referral.objects.exists()


class TestBadInput:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"question": ""}, "Omschrijf de verwijsvraag."),
            ({"sent_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "op de dag zelf of achteraf"),
            ({"sent_on": "2025-12-31"}, "vóór de opening van het dossier"),
            ({"sent_on": "31/02/2026"}, "Geef een geldige datum."),
            ({"agreement": "999999"}, "hoort niet bij dit netwerk"),
        ],
    )
    def test_dutch_errors_and_nothing_saved(
        self, login, case, consent, caseworker, partner_organisation, overrides, message
    ):
        response = login(caseworker).post(create_url(case), form_data(partner_organisation, **overrides))
        assert response.status_code == 422
        assert message in response.text
        assert not Referral.objects.exists()

    def test_organisation_outside_the_network_is_refused(
        self, login, case, consent, caseworker, other_network
    ):
        stranger = NetworkMembershipFactory(network=other_network).organisation
        response = login(caseworker).post(create_url(case), form_data(stranger))
        assert response.status_code == 422
        assert "geen lid van het netwerk" in response.text

    def test_htmx_error_is_the_form_alone(self, login, case, caseworker, partner_organisation):
        response = login(caseworker).post(create_url(case), form_data(partner_organisation), headers=HTMX)
        assert response.status_code == 422
        assert "<html" not in response.text
        assert 'id="referral-form"' in response.text

    def test_closed_case_takes_no_referrals(self, login, case, consent, caseworker, partner_organisation):
        Case.objects.filter(pk=case.pk).update(closed_on=TODAY)
        client = login(caseworker)
        assert client.get(create_url(case)).status_code == 403
        assert client.post(create_url(case), form_data(partner_organisation)).status_code == 403


# --- reading: the data sheet --------------------------------------------------------------------


class TestDataSheet:
    @pytest.mark.parametrize(
        ("shared", "shown", "hidden"),
        [
            ([], [], ["Lotte", "Vermeersch", "09/04/2011", "loopt vast op school"]),
            ([DataField.NAME], ["Lotte Vermeersch"], ["09/04/2011", "loopt vast op school"]),
            ([DataField.BIRTH_DATE], ["09/04/2011"], ["Lotte", "Vermeersch", "loopt vast op school"]),
            ([DataField.QUESTION], ["loopt vast op school"], ["Vermeersch", "09/04/2011"]),
            (
                [DataField.NAME, DataField.BIRTH_DATE, DataField.QUESTION],
                ["Lotte Vermeersch", "09/04/2011", "loopt vast op school"],
                [],
            ),
        ],
    )
    def test_receiver_sees_only_the_consented_fields(self, login, referral, receiver, shared, shown, hidden):
        Referral.objects.filter(pk=referral.pk).update(shared_fields=shared)
        response = login(receiver).get(detail_url(referral))
        assert response.status_code == 200
        assert referral.case.client.pseudonym in response.text
        # the letter itself is for the receiver
        assert "Vraag naar ambulante begeleiding voor de jongere." in response.text
        for text in shown:
            assert text in response.text, text
        for text in hidden:
            assert text not in response.text, text

    def test_receiver_loses_the_data_sheet_when_consent_is_withdrawn(
        self, login, referral, consent, caseworker, receiver
    ):
        withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=TODAY)
        response = login(receiver).get(detail_url(referral))
        assert response.status_code == 200
        assert "Vermeersch" not in response.text
        assert "niet meer van kracht" in response.text

    def test_receiver_sees_care_plan_and_team_only_when_shared(self, login, referral, conference, receiver):
        CarePlanItemFactory(
            made_in__conference=conference, description="Wekelijks gesprek met de leerlingbegeleider"
        )
        client = login(receiver)
        response = client.get(detail_url(referral))
        assert "Wekelijks gesprek" not in response.text
        Referral.objects.filter(pk=referral.pk).update(shared_fields=[DataField.CARE_PLAN, DataField.TEAM])
        response = client.get(detail_url(referral))
        assert "Wekelijks gesprek met de leerlingbegeleider" in response.text
        assert "CLB Waasland" in response.text

    def test_team_sees_everything_and_what_was_shared(self, login, referral, caseworker):
        Referral.objects.filter(pk=referral.pk).update(shared_fields=[DataField.NAME])
        response = login(caseworker).get(detail_url(referral))
        assert response.status_code == 200
        for text in ("Lotte Vermeersch", "09/04/2011", "loopt vast op school", "Gedeeld met ontvanger"):
            assert text in response.text
        assert response.context["shared"] == {DataField.NAME}

    def test_document_panel_for_team_and_receiver_not_the_cell(
        self, login, referral, conference, caseworker, receiver, manager
    ):
        panel = f'id="documents-referral-{referral.pk}"'
        assert panel in login(caseworker).get(detail_url(referral)).text
        assert panel in login(receiver).get(detail_url(referral)).text
        assert panel not in login(manager).get(detail_url(referral)).text

    def test_status_history_with_dates(self, login, referral, caseworker):
        Referral.objects.filter(pk=referral.pk).update(
            status=Referral.Status.ACCEPTED,
            received_on=datetime.date(2026, 2, 4),
            accepted_on=datetime.date(2026, 2, 12),
        )
        response = login(caseworker).get(detail_url(referral))
        text = response.text
        assert "02/02/2026" in text and "04/02/2026" in text and "12/02/2026" in text
        assert "Aanvaard na 10 dagen." in text

    @pytest.mark.parametrize("persona", ["receiver", "caseworker"])
    @pytest.mark.parametrize("rows", [1, 6])
    def test_detail_queries_do_not_grow(
        self, request, login, network, case, referral, conference, django_assert_num_queries, rows, persona
    ):
        for number in range(rows):
            organisation = NetworkMembershipFactory(network=network).organisation
            CaseTeamMember.objects.create(case=case, organisation=organisation, since=case.opened_on)
            CarePlanItemFactory(made_in__conference=conference, description=f"Afspraak {number}")
            ReferralFactory(case=case, consent=referral.consent)
        Referral.objects.filter(pk=referral.pk).update(shared_fields=list(DataField.values))
        viewer = request.getfixturevalue(persona)
        client = login(viewer)
        # session, user, referral (access: visible case or receiver, with its relations and the
        # viewer's flags), open care plan items, active team with organisations, documents of the
        # panel, the audit event for the read, session save (savepoint, update, release)
        with django_assert_num_queries(10):
            response = client.get(detail_url(referral))
        assert response.status_code == 200
        assert "Afspraak 0" in response.text
        assert AuditEvent.objects.filter(action="referral.viewed", actor=viewer.user).count() == 1


# --- status -------------------------------------------------------------------------------------


def move(client, referral, status, on=None, **extra):
    on = on or TODAY
    data = {"status": status, "on": on if isinstance(on, str) else on.isoformat(), **extra}
    return client.post(status_url(referral), data)


class TestStatus:
    def test_receiver_walks_it_to_started(self, login, referral, receiver):
        client = login(receiver)
        steps = [
            ("received", datetime.date(2026, 2, 3)),
            ("accepted", datetime.date(2026, 2, 10)),
            ("started", datetime.date(2026, 3, 2)),
        ]
        for status, day in steps:
            response = move(client, referral, status, day)
            assert response.status_code == 302, response.content
        referral.refresh_from_db()
        assert referral.status == Referral.Status.STARTED
        assert referral.received_on == datetime.date(2026, 2, 3)
        assert referral.accepted_on == datetime.date(2026, 2, 10)
        assert referral.started_on == datetime.date(2026, 3, 2)
        events = TimelineEvent.objects.filter(
            kind=TimelineEvent.Kind.REFERRAL_UPDATED, object_id=str(referral.pk)
        )
        assert events.count() == 3
        audit = AuditEvent.objects.get(action="referral.accepted")
        assert audit.changed_fields == ["accepted_on", "status"]
        assert audit.actor == receiver.user

    def test_accepting_with_team_consent_adds_the_receiver_to_the_team(
        self, login, referral, receiver, partner_organisation
    ):
        response = move(login(receiver), referral, "accepted")
        assert response.status_code == 302
        case = referral.case
        assert case.team.active().filter(organisation=partner_organisation).exists()
        assert visible_cases(receiver.user).filter(pk=case.pk).exists()
        assert TimelineEvent.objects.filter(case=case, kind=TimelineEvent.Kind.TEAM_ADDED).exists()

    def test_accepting_without_team_consent_keeps_the_receiver_outside(
        self, login, case, referral, receiver, partner_organisation
    ):
        Consent.objects.filter(pk=referral.consent_id).update(covers_case_team=False)
        assert move(login(receiver), referral, "accepted").status_code == 302
        assert not case.team.filter(organisation=partner_organisation).exists()
        assert not visible_cases(receiver.user).filter(pk=case.pk).exists()
        assert login(receiver).get(detail_url(referral)).status_code == 200

    def test_decline_with_reason(self, login, referral, receiver):
        response = move(
            login(receiver), referral, "declined", decline_reason="full", decline_note="Wachtlijst."
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == Referral.Status.DECLINED
        assert referral.declined_on == TODAY
        assert referral.decline_reason == Referral.DeclineReason.FULL
        assert AuditEvent.objects.get(action="referral.declined").changed_fields == [
            "decline_note",
            "decline_reason",
            "declined_on",
            "status",
        ]

    def test_team_withdraws(self, login, referral, caseworker):
        assert move(login(caseworker), referral, "withdrawn").status_code == 302
        referral.refresh_from_db()
        assert referral.status == Referral.Status.WITHDRAWN
        assert referral.withdrawn_on == TODAY

    @pytest.mark.parametrize(
        ("status", "on", "extra", "message"),
        [
            ("declined", None, {}, "Geef de reden van de weigering."),
            ("declined", None, {"decline_reason": "bored"}, "Kies een reden uit de lijst."),
            ("accepted", datetime.date(2026, 2, 1), {}, "vóór de verzending van de verwijzing (02/02/2026)"),
            ("received", datetime.date(2026, 1, 30), {}, "vóór de verzending"),
            ("accepted", TODAY + datetime.timedelta(days=1), {}, "in de toekomst"),
            ("started", None, {}, "kan niet naar „hulp gestart”"),
            ("sent", None, {}, "Onbekende status."),
            ("bogus", None, {}, "Onbekende status."),
            ("accepted", "not-a-date", {}, "Geef een geldige datum."),
        ],
    )
    def test_bad_steps_are_refused_in_dutch(self, login, referral, receiver, status, on, extra, message):
        response = move(login(receiver), referral, status, on, **extra)
        assert response.status_code == 422
        assert message in response.text
        referral.refresh_from_db()
        assert referral.status == Referral.Status.SENT
        assert referral.accepted_on is None and referral.declined_on is None
        assert not TimelineEvent.objects.filter(kind=TimelineEvent.Kind.REFERRAL_UPDATED).exists()

    def test_a_step_cannot_precede_the_previous_one(self, login, referral, receiver):
        client = login(receiver)
        assert move(client, referral, "received", datetime.date(2026, 2, 10)).status_code == 302
        response = move(client, referral, "accepted", datetime.date(2026, 2, 5))
        assert response.status_code == 422
        assert "vóór de vorige stap" in response.text

    def test_final_states_stay_final(self, login, referral, receiver):
        client = login(receiver)
        assert move(client, referral, "declined", decline_reason="other").status_code == 302
        response = move(client, referral, "accepted")
        assert response.status_code == 422
        assert "kan niet naar" in response.text

    def test_htmx_error_is_the_status_section(self, login, referral, receiver):
        response = login(receiver).post(
            status_url(referral), {"status": "declined", "on": TODAY.isoformat()}, headers=HTMX
        )
        assert response.status_code == 422
        assert "<html" not in response.text
        assert 'id="status"' in response.text
        assert "Geef de reden van de weigering." in response.text

    def test_receiver_sees_their_steps_and_the_team_only_withdrawal(
        self, login, referral, caseworker, receiver
    ):
        receiver_page = login(receiver).get(detail_url(referral)).text
        for label in ("Ontvangst bevestigen", "Aanvaarden", "Weigeren"):
            assert label in receiver_page
        assert "Verwijzing intrekken" not in receiver_page
        team_page = login(caseworker).get(detail_url(referral)).text
        assert "Verwijzing intrekken" in team_page
        assert "Aanvaarden" not in team_page


# --- inbox --------------------------------------------------------------------------------------


class TestInbox:
    def test_incoming_to_handle_come_first(
        self, login, network, case, consent, receiver, partner_organisation
    ):
        def make(status, sent_on, **dates):
            return ReferralFactory(
                case=case,
                consent=consent,
                to_organisation=partner_organisation,
                status=status,
                sent_on=sent_on,
                **dates,
            )

        done = make("accepted", datetime.date(2026, 3, 1), accepted_on=datetime.date(2026, 3, 5))
        waiting = make("sent", datetime.date(2026, 2, 1))
        received = make("received", datetime.date(2026, 1, 20), received_on=datetime.date(2026, 1, 21))
        response = login(receiver).get(reverse("cases:referral-inbox"))
        assert response.status_code == 200
        assert list(response.context["incoming"]) == [waiting, received, done]

    def test_receiver_sees_the_name_only_when_consented(self, login, referral, receiver):
        client = login(receiver)
        response = client.get(reverse("cases:referral-inbox"))
        assert referral.case.client.pseudonym in response.text
        assert "Lotte Vermeersch" in response.text
        Referral.objects.filter(pk=referral.pk).update(shared_fields=[DataField.POSTCODE])
        response = client.get(reverse("cases:referral-inbox"))
        assert referral.case.client.pseudonym in response.text
        assert "Vermeersch" not in response.text
        assert "09/04/2011" not in response.text

    def test_team_sees_what_it_sent(self, login, referral, caseworker):
        response = login(caseworker).get(reverse("cases:referral-inbox"))
        assert list(response.context["sent"]) == [referral]
        assert list(response.context["incoming"]) == []

    def test_pages(self, login, case, consent, receiver, partner_organisation):
        ReferralFactory.create_batch(27, case=case, consent=consent, to_organisation=partner_organisation)
        client = login(receiver)
        assert len(client.get(reverse("cases:referral-inbox")).context["incoming"]) == 25
        assert len(client.get(reverse("cases:referral-inbox") + "?page=2").context["incoming"]) == 2

    @pytest.mark.parametrize("rows", [1, 12])
    def test_inbox_queries_do_not_grow(
        self, login, network, case, consent, caseworker, partner_organisation, django_assert_num_queries, rows
    ):
        # The caseworker both receives (their organisation is the receiver of other cases' referrals)
        # and sends (from their own case).
        for _ in range(rows):
            other_case = CaseFactory(network=network, lead_organisation=partner_organisation)
            other_consent = ConsentFactory(case=other_case, organisations=[consent.case.lead_organisation])
            ReferralFactory(
                case=other_case,
                consent=other_consent,
                to_organisation=case.lead_organisation,
                shared_fields=[DataField.NAME],
            )
            ReferralFactory(case=case, consent=consent, to_organisation=partner_organisation)
        client = login(caseworker)
        # session, user, caseworker role check, incoming count, incoming page (with case, client,
        # organisations, network, consent), sent count, sent page (with case, client, organisations,
        # agreement), the read logged, session save (savepoint, update, release)
        with django_assert_num_queries(11):
            response = client.get(reverse("cases:referral-inbox"))
        assert len(response.context["incoming"]) == rows
        assert len(response.context["sent"]) == rows


# --- the conference chair's and the cell's view of the case section ------------------------------


def test_case_section_lists_referrals_with_a_create_button_for_the_team(case, referral, caseworker, manager):
    ClientConferenceFactory(case=case, consent=referral.consent, requested_by=caseworker.user)
    team_case = get_case_for_user(caseworker.user, case.pk)
    html = render_to_string(
        "cases/referrals/_case_section.html", {"case": team_case, "referrals": referrals_for_case(team_case)}
    )
    assert "CGG Waas en Dender" in html
    assert reverse("cases:referral-create", args=[case.pk]) in html
    # Only the team reaches the case page at all; the cell gets 404.
    with pytest.raises(Http404):
        get_case_for_user(manager.user, case.pk)
