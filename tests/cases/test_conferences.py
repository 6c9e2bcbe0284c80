"""The cliëntoverleg workflow: who may do what, consent, bad input, names, query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    CarePlanItem,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    SessionInvitation,
    TimelineEvent,
)
from ijh.models import AuditEvent
from networks.models import Membership
from tests.factories import (
    CarePlanItemFactory,
    ClientConferenceFactory,
    ConferenceSessionFactory,
    ConsentFactory,
    MembershipFactory,
    NetworkMembershipFactory,
    SessionInvitationFactory,
    life_domain,
)

pytestmark = pytest.mark.django_db

CLIENT_NAMES = ("Lotte", "Vermeersch")


@pytest.fixture
def session(conference):
    return ConferenceSessionFactory(
        conference=conference, starts_at=timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    )


@pytest.fixture
def invitation(session, partner_organisation):
    return SessionInvitationFactory(session=session, name="Pieter CGG", organisation=partner_organisation)


@pytest.fixture
def plan_item(session, caseworker):
    return CarePlanItemFactory(
        made_in=session, owner=caseworker.user, owner_label="", due_on=datetime.date(2026, 12, 15)
    )


def timeline_kinds(case) -> list[str]:
    return list(case.timeline.values_list("kind", flat=True))


def assert_no_client_names(html: str) -> None:
    for name in CLIENT_NAMES:
        assert name not in html


# --- access matrix -------------------------------------------------------------------------------

PERSONAS = [
    "caseworker",
    "other_caseworker",
    "member",
    "regional_staff",
    "manager",
    "conference_chair",
    "outsider",
    "superuser",
]
OK = "ok"  # reached the form or the page: 200, or 302/422 for a POST


def _url(name, *, case, conference, session, invitation, plan_item):
    args = {
        "conference-request": [case.pk],
        "conference-inbox": [],
        "conference-detail": [conference.pk],
        "conference-decide": [conference.pk],
        "conference-chair": [conference.pk],
        "conference-withdraw": [conference.pk],
        "conference-session-add": [conference.pk],
        "conference-case-manager": [conference.pk],
        "conference-close": [conference.pk],
        "conference-evaluation-chair": [conference.pk, "chair"],
        "conference-evaluation-client": [conference.pk, "client"],
        "conference-session": [session.pk],
        "conference-invite": [session.pk],
        "conference-session-status": [session.pk],
        "conference-session-notes": [session.pk],
        "conference-plan-item-add": [session.pk],
        "conference-attendance": [invitation.pk],
        "conference-plan-item-follow-up": [plan_item.pk],
    }[name]
    url_name = "conference-evaluation" if name.startswith("conference-evaluation") else name
    return reverse(f"cases:{url_name}", args=args)


# Who reaches this running conference (a chair assigned): the case team and the chair. The cell
# decided and handed it over, so it gets 404 like everyone else (its own path ends at its decision;
# tests/cases/test_visibility.py). The chair never reaches the case itself.
HIDDEN = {
    "other_caseworker": 404,
    "member": 404,
    "regional_staff": 404,
    "outsider": 404,
    "superuser": 404,
    "manager": 404,
}
MATRIX = {
    # method, url name: {persona: expected}
    ("get", "conference-request"): {"caseworker": OK, "conference_chair": 404},
    ("get", "conference-detail"): {"caseworker": OK, "conference_chair": OK},
    ("get", "conference-session"): {"caseworker": OK, "conference_chair": OK},
    ("post", "conference-decide"): {"caseworker": 403, "conference_chair": 403},
    ("post", "conference-chair"): {"caseworker": 403, "conference_chair": 403},
    ("post", "conference-withdraw"): {"caseworker": OK, "conference_chair": 403},
    ("post", "conference-session-add"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-case-manager"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-close"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-evaluation-chair"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-evaluation-client"): {"caseworker": OK, "conference_chair": OK},
    ("post", "conference-invite"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-session-status"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-session-notes"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-plan-item-add"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-attendance"): {"caseworker": 403, "conference_chair": OK},
    ("post", "conference-plan-item-follow-up"): {"caseworker": OK, "conference_chair": OK},
}
CASES = [
    (method, name, persona, {**HIDDEN, **expected}[persona])
    for (method, name), expected in MATRIX.items()
    for persona in PERSONAS
]


@pytest.mark.parametrize(("method", "name", "persona", "expected"), CASES)
def test_access_matrix(
    request, client, method, name, persona, expected, case, conference, session, invitation, plan_item
):
    user = request.getfixturevalue(persona).user
    client.force_login(user)
    url = _url(
        name, case=case, conference=conference, session=session, invitation=invitation, plan_item=plan_item
    )
    response = getattr(client, method)(url)
    if expected == OK:
        assert response.status_code in ((200,) if method == "get" else (200, 302, 422)), response.status_code
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("caseworker", 403),
        ("other_caseworker", 403),
        ("member", 403),
        ("regional_staff", 403),
        ("manager", 200),
        ("conference_chair", 200),
        ("outsider", 403),
        ("superuser", 403),
    ],
)
def test_inbox_is_for_the_cell_and_the_chairs(request, client, persona, expected, conference):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(reverse("cases:conference-inbox")).status_code == expected


def test_anonymous_goes_to_login(client, conference):
    response = client.get(reverse("cases:conference-detail", args=[conference.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")


def test_chair_who_left_the_pool_loses_the_conference(client, conference, conference_chair):
    Membership.objects.filter(user=conference_chair.user).update(until=datetime.date(2026, 2, 1))
    client.force_login(conference_chair.user)
    assert client.get(reverse("cases:conference-detail", args=[conference.pk])).status_code == 404


# --- request -------------------------------------------------------------------------------------


def request_data(case_organisation, **overrides):
    return {
        "requesting_organisation": case_organisation.pk,
        "question": "Hoe krijgen we school en thuis op één lijn?",
        "complexity": "Drie diensten, geen gedeeld plan.",
        "involved": "Moeder, CLB, CGG",
        **overrides,
    }


class TestRequest:
    def test_team_files_a_request(self, as_user, caseworker, case, consent, case_organisation):
        response = as_user(caseworker).post(
            reverse("cases:conference-request", args=[case.pk]), request_data(case_organisation)
        )
        conference = ClientConference.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:conference-detail", args=[conference.pk])
        assert conference.status == ClientConference.Status.REQUESTED
        assert conference.consent == consent
        assert conference.requested_by == caseworker.user
        assert conference.network == case.network
        assert TimelineEvent.Kind.CONFERENCE_REQUESTED in timeline_kinds(case)
        assert AuditEvent.objects.filter(action="conference.requested", object_id=str(conference.pk)).exists()

    def test_form_offers_only_my_team_organisations(
        self, as_user, caseworker, case, consent, case_organisation, partner_organisation
    ):
        response = as_user(caseworker).get(reverse("cases:conference-request", args=[case.pk]))
        assert case_organisation.name in response.text
        assert partner_organisation.name not in response.text

    def test_no_request_without_conference_consent(self, as_user, caseworker, case, case_organisation):
        ConsentFactory(case=case, covers_conference=False, organisations=[case_organisation])
        data = request_data(case_organisation)
        response = as_user(caseworker).post(reverse("cases:conference-request", args=[case.pk]), data)
        assert response.status_code == 422
        assert "Er is geen geldige toestemming of wettelijke grond voor cliëntoverleg" in response.text
        assert data["question"] in response.text  # nothing lost
        assert not ClientConference.objects.exists()
        assert TimelineEvent.Kind.CONFERENCE_REQUESTED not in timeline_kinds(case)

    def test_withdrawn_consent_blocks_the_request(self, as_user, caseworker, case, case_organisation):
        ConsentFactory(case=case, withdrawn=True, organisations=[case_organisation])
        response = as_user(caseworker).post(
            reverse("cases:conference-request", args=[case.pk]), request_data(case_organisation)
        )
        assert response.status_code == 422
        assert "is ingetrokken" in response.text
        assert not ClientConference.objects.exists()

    def test_legal_ground_is_enough(self, as_user, caseworker, case, case_organisation):
        ConsentFactory(case=case, by_legal_ground=True)
        response = as_user(caseworker).post(
            reverse("cases:conference-request", args=[case.pk]), request_data(case_organisation)
        )
        assert response.status_code == 302

    @pytest.mark.parametrize("field", ["question", "complexity", "involved", "requesting_organisation"])
    def test_missing_fields_are_refused(self, as_user, caseworker, case, consent, case_organisation, field):
        data = request_data(case_organisation, **{field: ""})
        response = as_user(caseworker).post(reverse("cases:conference-request", args=[case.pk]), data)
        assert response.status_code == 422
        assert not ClientConference.objects.exists()

    def test_cannot_request_for_another_organisation(
        self, as_user, caseworker, case, consent, case_organisation, partner_organisation
    ):
        data = request_data(case_organisation, requesting_organisation=partner_organisation.pk)
        response = as_user(caseworker).post(reverse("cases:conference-request", args=[case.pk]), data)
        assert response.status_code == 422
        assert not ClientConference.objects.exists()

    def test_htmx_error_returns_the_form_only(self, as_user, caseworker, case, case_organisation):
        response = as_user(caseworker).post(
            reverse("cases:conference-request", args=[case.pk]),
            request_data(case_organisation),
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert response.text.lstrip().startswith("<form")


# --- decision and chair --------------------------------------------------------------------------


@pytest.fixture
def requested(case, consent, caseworker):
    return ClientConferenceFactory(case=case, consent=consent, requested_by=caseworker.user)


class TestDecision:
    def test_cell_declares_admissible(self, as_user, manager, requested):
        response = as_user(manager).post(
            reverse("cases:conference-decide", args=[requested.pk]), {"admissible": "1", "reason": ""}
        )
        assert response.status_code == 302
        requested.refresh_from_db()
        assert requested.status == ClientConference.Status.ADMISSIBLE
        assert requested.decided_by == manager.user and requested.decided_on == timezone.localdate()
        assert TimelineEvent.Kind.CONFERENCE_ADMISSIBLE in timeline_kinds(requested.case)

    def test_not_admissible_needs_a_reason(self, as_user, manager, requested):
        response = as_user(manager).post(
            reverse("cases:conference-decide", args=[requested.pk]), {"admissible": "0", "reason": "  "}
        )
        assert response.status_code == 422
        assert "Motiveer waarom de aanvraag niet ontvankelijk is." in response.text
        requested.refresh_from_db()
        assert requested.status == ClientConference.Status.REQUESTED
        assert requested.decided_on is None

    def test_not_admissible_with_reason(self, as_user, manager, requested):
        as_user(manager).post(
            reverse("cases:conference-decide", args=[requested.pk]),
            {"admissible": "0", "reason": "Geen sectoroverschrijdende vraag."},
        )
        requested.refresh_from_db()
        assert requested.status == ClientConference.Status.NOT_ADMISSIBLE
        assert TimelineEvent.Kind.CONFERENCE_NOT_ADMISSIBLE in timeline_kinds(requested.case)

    def test_cannot_decide_twice(self, as_user, manager, conference):
        # Admissible and still without a chair: the cell has it, to assign one.
        ClientConference.objects.filter(pk=conference.pk).update(chair=None)
        response = as_user(manager).post(
            reverse("cases:conference-decide", args=[conference.pk]), {"admissible": "0", "reason": "x"}
        )
        assert response.status_code == 422
        conference.refresh_from_db()
        assert conference.status == ClientConference.Status.ADMISSIBLE

    def test_chair_from_the_pool(self, as_user, manager, requested, conference_chair):
        requested.status = ClientConference.Status.ADMISSIBLE
        requested.decided_on = requested.requested_on
        requested.save()
        response = as_user(manager).post(
            reverse("cases:conference-chair", args=[requested.pk]), {"chair": conference_chair.user.pk}
        )
        assert response.status_code == 302
        requested.refresh_from_db()
        assert requested.chair == conference_chair.user
        assert TimelineEvent.Kind.CHAIR_ASSIGNED in timeline_kinds(requested.case)

    def test_nobody_outside_the_pool(self, as_user, manager, requested, other_caseworker, network):
        requested.status = ClientConference.Status.ADMISSIBLE
        requested.decided_on = requested.requested_on
        requested.save()
        # a chair of another network's pool does not count either
        elsewhere = MembershipFactory(role=Membership.Role.CHAIRPERSON_EXTERNAL).user
        for person in (other_caseworker.user, elsewhere):
            response = as_user(manager).post(
                reverse("cases:conference-chair", args=[requested.pk]), {"chair": person.pk}
            )
            assert response.status_code == 422
            assert "pool van onafhankelijke voorzitters" in response.text
        requested.refresh_from_db()
        assert requested.chair is None

    def test_team_withdraws(self, as_user, caseworker, requested):
        assert (
            as_user(caseworker).post(reverse("cases:conference-withdraw", args=[requested.pk])).status_code
            == 302
        )
        requested.refresh_from_db()
        assert requested.status == ClientConference.Status.WITHDRAWN
        assert AuditEvent.objects.filter(action="conference.withdrawn").exists()

    def test_running_conference_is_not_withdrawn(self, as_user, caseworker, conference):
        conference.status = ClientConference.Status.RUNNING
        conference.save()
        response = as_user(caseworker).post(reverse("cases:conference-withdraw", args=[conference.pk]))
        assert response.status_code == 422
        conference.refresh_from_db()
        assert conference.status == ClientConference.Status.RUNNING


# --- sessions ------------------------------------------------------------------------------------


class TestSessions:
    def test_chair_plans_a_session(self, as_user, conference_chair, conference):
        response = as_user(conference_chair).post(
            reverse("cases:conference-session-add", args=[conference.pk]),
            {"kind": "first", "starts_at": "2026-12-02T14:00", "location": "CLB Sint-Niklaas"},
        )
        session = ConferenceSession.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:conference-session", args=[session.pk])
        assert session.status == ConferenceSession.Status.PLANNED
        assert TimelineEvent.Kind.SESSION_PLANNED in timeline_kinds(conference.case)

    def test_session_before_the_request_is_refused(self, as_user, conference_chair, conference):
        response = as_user(conference_chair).post(
            reverse("cases:conference-session-add", args=[conference.pk]),
            {"kind": "first", "starts_at": "2026-01-09T14:00", "location": "CLB Sint-Niklaas"},
        )
        assert response.status_code == 422
        assert "Een overleg kan niet vóór de aanvraag plaatsvinden." in response.text
        assert "CLB Sint-Niklaas" in response.text
        assert not ConferenceSession.objects.exists()

    @pytest.mark.parametrize("starts_at", ["", "2026-02-30T10:00", "0001-01-01T00:00", "garbage"])
    def test_bad_dates_are_refused(self, as_user, conference_chair, conference, starts_at):
        response = as_user(conference_chair).post(
            reverse("cases:conference-session-add", args=[conference.pk]),
            {"kind": "first", "starts_at": starts_at, "location": "CLB"},
        )
        assert response.status_code == 422
        assert not ConferenceSession.objects.exists()

    def test_no_session_without_a_chair(self, conference, conference_chair):
        from django.core.exceptions import ValidationError

        from cases.services import conferences as services

        conference.chair = None
        with pytest.raises(ValidationError):
            services.plan_session(
                conference=conference,
                by=conference_chair.user,
                kind="first",
                starts_at=timezone.now(),
                location="x",
            )

    def test_first_held_session_starts_the_conference(self, as_user, conference_chair, conference, session):
        response = as_user(conference_chair).post(
            reverse("cases:conference-session-status", args=[session.pk]), {"status": "held"}
        )
        assert response.status_code == 302
        session.refresh_from_db()
        conference.refresh_from_db()
        assert session.status == ConferenceSession.Status.HELD
        assert conference.status == ClientConference.Status.RUNNING
        assert TimelineEvent.Kind.SESSION_HELD in timeline_kinds(conference.case)

    def test_future_session_cannot_be_held(self, as_user, conference_chair, conference):
        future = ConferenceSessionFactory(
            conference=conference, starts_at=timezone.now() + datetime.timedelta(days=3)
        )
        response = as_user(conference_chair).post(
            reverse("cases:conference-session-status", args=[future.pk]), {"status": "held"}
        )
        assert response.status_code == 422
        future.refresh_from_db()
        assert future.status == ConferenceSession.Status.PLANNED

    def test_cancel(self, as_user, conference_chair, conference, session):
        as_user(conference_chair).post(
            reverse("cases:conference-session-status", args=[session.pk]), {"status": "cancelled"}
        )
        session.refresh_from_db()
        assert session.status == ConferenceSession.Status.CANCELLED
        assert TimelineEvent.Kind.SESSION_CANCELLED in timeline_kinds(conference.case)

    def test_attendance_and_notes(self, as_user, conference_chair, invitation, session):
        client = as_user(conference_chair)
        client.post(reverse("cases:conference-attendance", args=[invitation.pk]), {"attended": "yes"})
        client.post(reverse("cases:conference-session-notes", args=[session.pk]), {"notes": "Goed gesprek."})
        invitation.refresh_from_db()
        session.refresh_from_db()
        assert invitation.attended is True
        assert session.notes == "Goed gesprek."
        notes_event = AuditEvent.objects.get(action="conference_session.notes")
        assert notes_event.changed_fields == ["notes"]


def invite(client, session, **data):
    return client.post(
        reverse("cases:conference-invite", args=[session.pk]),
        {"kind": "professional", "name": "Iemand", "bound_by_secrecy": "on", **data},
    )


class TestInvitationConsent:
    def test_professional_of_a_named_organisation(
        self, as_user, conference_chair, session, partner_organisation
    ):
        response = invite(
            as_user(conference_chair), session, organisation=partner_organisation.pk, name="Pieter CGG"
        )
        assert response.status_code == 302
        invitation = SessionInvitation.objects.get()
        assert invitation.bound_by_secrecy and invitation.organisation == partner_organisation

    def test_professional_of_an_organisation_the_consent_does_not_name(
        self, as_user, conference_chair, session, network
    ):
        school = NetworkMembershipFactory(
            network=network, organisation__name="Sint-Jozefcollege"
        ).organisation
        response = invite(as_user(conference_chair), session, organisation=school.pk, name="Leerkracht")
        assert response.status_code == 422
        assert "Sint-Jozefcollege" in response.text
        assert not SessionInvitation.objects.exists()

    def test_non_professional_not_named_is_refused(self, as_user, conference_chair, session):
        response = invite(as_user(conference_chair), session, kind="other", name="Tante Mia")
        assert response.status_code == 422
        assert "niet gebonden door het beroepsgeheim" in response.text
        assert not SessionInvitation.objects.exists()

    def test_non_professional_named_in_the_consent(self, as_user, conference_chair, session, consent):
        consent.named_people = "Tante  Mia\nCoach Jan"
        consent.save()
        response = invite(as_user(conference_chair), session, kind="other", name="tante mia")
        assert response.status_code == 302
        invitation = SessionInvitation.objects.get()
        assert not invitation.bound_by_secrecy

    def test_other_is_never_bound_by_secrecy(self, as_user, conference_chair, session):
        # ticking the box does not make the neighbour a professional
        response = invite(
            as_user(conference_chair), session, kind="other", name="Buurman", bound_by_secrecy="on"
        )
        assert response.status_code == 422

    def test_withdrawn_consent_blocks_the_next_invitation(self, as_user, conference_chair, session, consent):
        consent.named_people = "Tante Mia"
        consent.save()
        client = as_user(conference_chair)
        assert invite(client, session, kind="other", name="Tante Mia").status_code == 302
        consent.withdrawn_on = timezone.localdate()
        consent.save()
        response = invite(client, session, kind="other", name="Tante Mia")
        assert response.status_code == 422
        assert "ingetrokken" in response.text
        assert SessionInvitation.objects.count() == 1

    def test_family_needs_consent_in_force_but_no_naming(self, as_user, conference_chair, session, consent):
        client = as_user(conference_chair)
        assert invite(client, session, kind="parent", name="Moeder").status_code == 302
        consent.withdrawn_on = timezone.localdate()
        consent.save()
        assert invite(client, session, kind="client", name="Lotte").status_code == 422

    def test_professional_needs_an_organisation(self, as_user, conference_chair, session):
        response = invite(as_user(conference_chair), session, name="Iemand")
        assert response.status_code == 422
        assert "Kies de organisatie van de hulpverlener." in response.text


# --- werkplan ------------------------------------------------------------------------------------


def plan_item_data(**overrides):
    return {
        "domain": life_domain("school").pk,
        "description": "Dagelijks naar school, met een spijbelplan.",
        "owner": "",
        "owner_organisation": "",
        "owner_label": "",
        "due_on": "2026-12-20",
        **overrides,
    }


class TestWerkplan:
    def test_chair_adds_an_agreement_for_a_team_member(self, as_user, conference_chair, caseworker, session):
        response = as_user(conference_chair).post(
            reverse("cases:conference-plan-item-add", args=[session.pk]),
            plan_item_data(owner=caseworker.user.pk),
        )
        assert response.status_code == 302
        item = CarePlanItem.objects.get()
        assert item.owner == caseworker.user and item.made_in == session
        assert TimelineEvent.Kind.PLAN_ITEM_ADDED in timeline_kinds(session.conference.case)

    def test_agreement_for_a_family_member_by_label(self, as_user, conference_chair, session):
        response = as_user(conference_chair).post(
            reverse("cases:conference-plan-item-add", args=[session.pk]), plan_item_data(owner_label="Moeder")
        )
        assert response.status_code == 302

    def test_agreement_without_owner_is_refused(self, as_user, conference_chair, session):
        response = as_user(conference_chair).post(
            reverse("cases:conference-plan-item-add", args=[session.pk]), plan_item_data()
        )
        assert response.status_code == 422
        assert "Duid aan wie de afspraak opneemt." in response.text
        assert "Dagelijks naar school" in response.text
        assert not CarePlanItem.objects.exists()

    def test_owner_must_be_on_the_team(self, as_user, conference_chair, session, other_caseworker):
        response = as_user(conference_chair).post(
            reverse("cases:conference-plan-item-add", args=[session.pk]),
            plan_item_data(owner=other_caseworker.user.pk),
        )
        assert response.status_code == 422
        assert not CarePlanItem.objects.exists()

    def test_due_date_before_the_session_is_refused(self, as_user, conference_chair, session):
        response = as_user(conference_chair).post(
            reverse("cases:conference-plan-item-add", args=[session.pk]),
            plan_item_data(owner_label="Moeder", due_on="2026-01-01"),
        )
        assert response.status_code == 422
        assert not CarePlanItem.objects.exists()

    def test_not_done_needs_a_reason(self, as_user, caseworker, plan_item):
        response = as_user(caseworker).post(
            reverse("cases:conference-plan-item-follow-up", args=[plan_item.pk]), {"status": "not_done"}
        )
        assert response.status_code == 422
        assert "Geef aan waarom de afspraak niet gerealiseerd werd." in response.text
        plan_item.refresh_from_db()
        assert plan_item.status == CarePlanItem.Status.OPEN

    def test_owner_follows_up_with_a_reason(self, as_user, caseworker, plan_item):
        response = as_user(caseworker).post(
            reverse("cases:conference-plan-item-follow-up", args=[plan_item.pk]),
            {"status": "not_done", "not_done_reason": "waiting_list", "note": "Wachtlijst CGG"},
        )
        assert response.status_code == 302
        plan_item.refresh_from_db()
        assert plan_item.status == CarePlanItem.Status.NOT_DONE
        assert plan_item.not_done_reason == CarePlanItem.NotDoneReason.WAITING_LIST
        assert plan_item.reviewed_in is None
        event = AuditEvent.objects.get(action="care_plan_item.updated")
        assert event.changed_fields == ["not_done_reason", "status", "status_note"]

    def test_follow_up_in_a_follow_up_session_is_remembered(
        self, as_user, conference_chair, plan_item, conference
    ):
        follow_up = ConferenceSessionFactory(conference=conference, kind=ConferenceSession.Kind.FOLLOW_UP)
        response = as_user(conference_chair).post(
            reverse("cases:conference-plan-item-follow-up", args=[plan_item.pk]),
            {"status": "done", "session": follow_up.pk},
        )
        assert response.status_code == 302
        plan_item.refresh_from_db()
        assert plan_item.status == CarePlanItem.Status.DONE
        assert plan_item.reviewed_in == follow_up

    def test_session_page_of_a_follow_up_posts_the_session(
        self, as_user, conference_chair, plan_item, conference
    ):
        follow_up = ConferenceSessionFactory(conference=conference, kind=ConferenceSession.Kind.FOLLOW_UP)
        response = as_user(conference_chair).get(reverse("cases:conference-session", args=[follow_up.pk]))
        assert f'name="session" value="{follow_up.pk}"' in response.text

    def test_case_manager_from_the_team(
        self, as_user, conference_chair, caseworker, other_caseworker, conference
    ):
        client = as_user(conference_chair)
        url = reverse("cases:conference-case-manager", args=[conference.pk])
        assert client.post(url, {"case_manager": other_caseworker.user.pk}).status_code == 422
        assert client.post(url, {"case_manager": caseworker.user.pk}).status_code == 302
        conference.refresh_from_db()
        assert conference.case_manager == caseworker.user
        assert TimelineEvent.Kind.CASE_MANAGER_NAMED in timeline_kinds(conference.case)

    def test_overdue_is_highlighted(self, as_user, caseworker, plan_item):
        plan_item.due_on = timezone.localdate() - datetime.timedelta(days=1)
        plan_item.save()
        response = as_user(caseworker).get(reverse("cases:conference-detail", args=[plan_item.conference_id]))
        assert f'<tr id="plan-item-{plan_item.pk}" class="overdue">' in response.text


# --- closing -------------------------------------------------------------------------------------


def evaluation_data(prefix, **overrides):
    data = {"heard": "4", "clear_agreements": "5", "helped": "3", "would_recommend": "4", "comment": "Fijn."}
    return {f"{prefix}-{key}": value for key, value in {**data, **overrides}.items()}


class TestClosing:
    @pytest.fixture
    def running(self, conference):
        conference.status = ClientConference.Status.RUNNING
        conference.save()
        return conference

    def test_chair_closes_with_an_outcome(self, as_user, conference_chair, running):
        response = as_user(conference_chair).post(
            reverse("cases:conference-close", args=[running.pk]),
            {
                "outcome": "goals_reached",
                "note": "Alles loopt.",
                "closed_on": timezone.localdate().isoformat(),
            },
        )
        assert response.status_code == 302
        running.refresh_from_db()
        assert running.status == ClientConference.Status.CLOSED
        assert running.outcome == ClientConference.Outcome.GOALS_REACHED
        assert TimelineEvent.Kind.CONFERENCE_CLOSED in timeline_kinds(running.case)

    @pytest.mark.parametrize(
        ("outcome", "closed_on"),
        [("", "2026-11-01"), ("goals_reached", "2026-01-01"), ("goals_reached", "2099-01-01")],
    )
    def test_bad_closing_is_refused(self, as_user, conference_chair, running, outcome, closed_on):
        response = as_user(conference_chair).post(
            reverse("cases:conference-close", args=[running.pk]), {"outcome": outcome, "closed_on": closed_on}
        )
        assert response.status_code == 422
        running.refresh_from_db()
        assert running.status == ClientConference.Status.RUNNING

    def test_evaluations(self, as_user, conference_chair, caseworker, running):
        chair_url = reverse("cases:conference-evaluation", args=[running.pk, "chair"])
        client_url = reverse("cases:conference-evaluation", args=[running.pk, "client"])
        assert as_user(conference_chair).post(chair_url, evaluation_data("chair")).status_code == 302
        assert as_user(caseworker).post(client_url, evaluation_data("client", helped="5")).status_code == 302
        assert {e.respondent: e.helped for e in ConferenceEvaluation.objects.all()} == {
            "chair": 3,
            "client": 5,
        }
        assert timeline_kinds(running.case).count(TimelineEvent.Kind.EVALUATION) == 2
        # only once each
        response = as_user(caseworker).post(client_url, evaluation_data("client"))
        assert response.status_code == 422
        assert ConferenceEvaluation.objects.count() == 2

    @pytest.mark.parametrize("score", ["0", "6", "", "drie"])
    def test_scores_outside_the_scale(self, as_user, conference_chair, running, score):
        response = as_user(conference_chair).post(
            reverse("cases:conference-evaluation", args=[running.pk, "chair"]),
            evaluation_data("chair", heard=score),
        )
        assert response.status_code == 422
        assert not ConferenceEvaluation.objects.exists()

    def test_unknown_respondent(self, as_user, conference_chair, running):
        url = reverse("cases:conference-evaluation", args=[running.pk, "neighbour"])
        assert as_user(conference_chair).post(url, {}).status_code == 404


# --- names and pages -----------------------------------------------------------------------------


class TestNames:
    def test_cell_sees_the_pseudonym_only(self, as_user, manager, conference, session, invitation, plan_item):
        # The cell has the conference while it needs a (new) chair.
        ClientConference.objects.filter(pk=conference.pk).update(chair=None)
        client = as_user(manager)
        # The session pages (invitations, notes) are for the team and the chair only.
        assert client.get(reverse("cases:conference-session", args=[session.pk])).status_code == 404
        for url in (
            reverse("cases:conference-detail", args=[conference.pk]),
            reverse("cases:conference-inbox"),
        ):
            response = client.get(url)
            assert response.status_code == 200
            assert conference.case.client.pseudonym in response.text
            assert_no_client_names(response.text)
            assert invitation.name not in response.text
            assert plan_item.description not in response.text
            assert conference.involved not in response.text

    def test_cell_reads_the_request_to_judge_it_until_it_decided(self, as_user, manager, conference):
        url = reverse("cases:conference-detail", args=[conference.pk])
        ClientConference.objects.filter(pk=conference.pk).update(status=ClientConference.Status.REQUESTED)
        assert conference.question in as_user(manager).get(url).text
        ClientConference.objects.filter(pk=conference.pk).update(
            status=ClientConference.Status.ADMISSIBLE, chair=None
        )
        response = as_user(manager).get(url)
        assert response.status_code == 200 and conference.question not in response.text

    @pytest.mark.parametrize("status", ["closed", "withdrawn", "not_admissible"])
    def test_cell_loses_the_conference_once_it_is_over(self, as_user, manager, conference, status):
        ClientConference.objects.filter(pk=conference.pk).update(status=status)
        assert (
            as_user(manager).get(reverse("cases:conference-detail", args=[conference.pk])).status_code == 404
        )

    @pytest.mark.parametrize("persona", ["caseworker", "conference_chair"])
    def test_team_and_chair_see_names(
        self, request, client, conference, session, invitation, plan_item, persona
    ):
        client.force_login(request.getfixturevalue(persona).user)
        response = client.get(reverse("cases:conference-detail", args=[conference.pk]))
        assert "Lotte Vermeersch" in response.text
        assert invitation.name in response.text
        assert plan_item.description in response.text

    def test_detail_view_is_audited(self, as_user, manager, conference):
        ClientConference.objects.filter(pk=conference.pk).update(chair=None)
        as_user(manager).get(reverse("cases:conference-detail", args=[conference.pk]))
        assert AuditEvent.objects.filter(
            action="conference.viewed", actor=manager.user, object_id=str(conference.pk)
        ).exists()

    def test_inbox_lists_requests_and_running(self, as_user, manager, conference, requested, network):
        elsewhere = ClientConferenceFactory()  # another network: not in this cell's inbox
        response = as_user(manager).get(reverse("cases:conference-inbox"))
        assert requested.case.client.pseudonym in response.text
        assert elsewhere.case.client.pseudonym not in response.text


# --- query counts --------------------------------------------------------------------------------


def _fill(conference, size, owner):
    sessions = [
        ConferenceSessionFactory(conference=conference, starts_at=timezone.now() - datetime.timedelta(days=n))
        for n in range(size)
    ]
    for session in sessions:
        SessionInvitationFactory.create_batch(
            2, session=session, organisation=conference.case.lead_organisation
        )
        CarePlanItemFactory(made_in=session, owner=owner, due_on=datetime.date(2026, 12, 1))
        CarePlanItemFactory(made_in=session, domain=life_domain("health"), due_on=datetime.date(2026, 12, 1))
    return sessions


class TestQueryCounts:
    @pytest.mark.parametrize("size", [1, 8])
    def test_detail_for_the_chair(
        self, as_user, conference_chair, caseworker, conference, size, django_assert_num_queries
    ):
        _fill(conference, size, caseworker.user)
        client = as_user(conference_chair)
        # session, user; conference (visible, with related and the access flags); audit insert;
        # sessions with counts + their invitations; plan items; evaluations;
        # form choices: case manager (team people); the document panel's documents;
        # then the session save (savepoint, update, release)
        with django_assert_num_queries(13):
            response = client.get(reverse("cases:conference-detail", args=[conference.pk]))
        assert response.status_code == 200

    @pytest.mark.parametrize("size", [1, 8])
    def test_detail_for_the_cell(
        self, as_user, manager, caseworker, conference, size, django_assert_num_queries
    ):
        _fill(conference, size, caseworker.user)
        ClientConference.objects.filter(pk=conference.pk).update(chair=None)  # the cell's to assign
        client = as_user(manager)
        # session, user; conference with its flags; audit insert; sessions with counts (no
        # invitees); plan items; evaluations; chair form choices (pool); no document panel for
        # the cell; session save (3)
        with django_assert_num_queries(11):
            response = client.get(reverse("cases:conference-detail", args=[conference.pk]))
        assert response.status_code == 200

    @pytest.mark.parametrize("size", [1, 8])
    def test_session_page_for_the_chair(
        self, as_user, conference_chair, caseworker, conference, size, django_assert_num_queries
    ):
        session = _fill(conference, size, caseworker.user)[0]
        client = as_user(conference_chair)
        # session, user; session id (visible), conference + flags, the session; invitations; attendance
        # counts; plan items; forms: invitable organisations, life domains, team people, owner
        # organisations; the document panel's documents; session save (3)
        with django_assert_num_queries(17):
            response = client.get(reverse("cases:conference-session", args=[session.pk]))
        assert response.status_code == 200

    @pytest.mark.parametrize("size", [1, 8])
    def test_inbox_for_the_cell(self, as_user, manager, network, size, django_assert_num_queries):
        chair = MembershipFactory(network=network, role=Membership.Role.CHAIRPERSON_EXTERNAL).user
        for _ in range(size):
            ClientConferenceFactory(case__network=network)
            ClientConferenceFactory(case__network=network, admissible=True, chair=chair)
        client = as_user(manager)
        # session, user; my roles; to decide; running count + page; the read logged; session save (3)
        with django_assert_num_queries(10):
            response = client.get(reverse("cases:conference-inbox"))
        assert response.status_code == 200
