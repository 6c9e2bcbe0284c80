"""No new sharing once consent is gone: backdated team additions, a new chair, planning and holding
a session. And no client text in str() (it reaches admin delete pages and logs)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import CaseTeamMember, ConferenceEvaluation
from cases.services import cases as case_services
from cases.services import conferences as conference_services

from ..factories import (
    CarePlanItemFactory,
    CaseTeamMemberFactory,
    ConferenceEvaluationFactory,
    ConferenceSessionFactory,
    SessionInvitationFactory,
)

pytestmark = pytest.mark.django_db


def withdraw(consent, days_ago=1):
    consent.withdrawn_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    consent.save()


def test_backdated_team_addition_after_withdrawal_is_refused(case, consent, caseworker, partner_organisation):
    withdraw(consent)
    with pytest.raises(ValidationError, match="ingetrokken"):
        case_services.add_team_member(
            case=case, organisation=partner_organisation, by=caseworker.user, since=consent.given_on
        )
    assert not case.team.filter(organisation=partner_organisation).exists()


def test_an_ended_organisation_cannot_come_back_through_a_backdated_start(
    case, caseworker, partner_organisation
):
    CaseTeamMemberFactory(
        case=case,
        organisation=partner_organisation,
        since=datetime.date(2026, 1, 10),
        until=datetime.date(2026, 2, 10),
    )
    with pytest.raises(ValidationError):
        case_services.add_team_member(
            case=case, organisation=partner_organisation, by=caseworker.user, since=datetime.date(2026, 2, 1)
        )
    assert CaseTeamMember.objects.filter(case=case, organisation=partner_organisation).count() == 1


def test_no_new_chair_after_withdrawal(conference, conference_chair, manager):
    withdraw(conference.consent)
    with pytest.raises(ValidationError, match="ingetrokken"):
        conference_services.assign_chair(conference=conference, by=manager.user, chair=conference_chair.user)


def test_no_session_planned_or_held_after_withdrawal(conference, conference_chair):
    session = ConferenceSessionFactory(
        conference=conference, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    withdraw(conference.consent)
    with pytest.raises(ValidationError, match="ingetrokken"):
        conference_services.plan_session(
            conference=conference,
            by=conference_chair.user,
            kind="follow_up",
            starts_at=timezone.now() + datetime.timedelta(days=7),
            location="Zaal 2",
        )
    with pytest.raises(ValidationError, match="ingetrokken"):
        conference_services.mark_session(session=session, by=conference_chair.user, status="held")
    # Cancelling shares nothing and stays possible.
    conference_services.mark_session(session=session, by=conference_chair.user, status="cancelled")


def test_a_second_evaluation_is_a_message_not_a_crash(conference, conference_chair):
    conference.status = "closed"
    conference.save()
    ConferenceEvaluationFactory(conference=conference, respondent="chair")
    again = ConferenceEvaluation(
        conference=conference, respondent="chair", heard=3, clear_agreements=3, helped=3, would_recommend=3
    )
    with pytest.raises(ValidationError, match="al ingevuld"):
        conference_services.record_evaluation(evaluation=again, by=conference_chair.user)


def test_str_of_case_objects_carries_no_client_text(conference):
    session = ConferenceSessionFactory(conference=conference)
    item = CarePlanItemFactory(made_in=session, conference=conference, description="Geheim: zelfverwonding")
    invitation = SessionInvitationFactory(
        session=session, name="Oma Jeanne Vermeersch", bound_by_secrecy=False
    )
    for obj in (
        item,
        invitation,
        session,
        conference,
        conference.case,
        conference.case.client,
        conference.consent,
    ):
        text = str(obj)
        assert "Geheim" not in text and "Jeanne" not in text and "Vermeersch" not in text, text
