"""A withdrawal reviews what was shared (issue 16 §3): the case lists the team additions and
referrals made under the consent and asks the team to end or keep each, recording the decision;
invitations to sessions still to come are cancelled at once, with a message to the chair."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.access import visible_cases
from cases.models import CaseTeamMember, Referral, SessionInvitation, SharingReview, TimelineEvent
from cases.services import cases as case_services
from ijh.models import AuditEvent, OutgoingMail
from networks.models import Membership

from ..factories import (
    CaseTeamMemberFactory,
    ConferenceSessionFactory,
    MembershipFactory,
    ReferralFactory,
    SessionInvitationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(case, consent, conference, caseworker, partner_organisation, conference_chair):
    """Under ``consent``: the partner organisation on the team, a referral to it, and a session
    tomorrow and one last week of the conference that relies on it."""
    conference_chair.user.email = "voorzitter@example.org"
    conference_chair.user.save()
    member = CaseTeamMemberFactory(case=case, organisation=partner_organisation, consent=consent)
    referral = ReferralFactory(
        case=case, consent=consent, to_organisation=partner_organisation, sent_by=caseworker.user
    )
    coming = ConferenceSessionFactory(
        conference=conference, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    past = ConferenceSessionFactory(
        conference=conference, starts_at=timezone.now() - datetime.timedelta(days=7)
    )
    return {
        "member": member,
        "referral": referral,
        "coming": SessionInvitationFactory(session=coming, organisation=partner_organisation),
        "past": SessionInvitationFactory(session=past, organisation=partner_organisation),
    }


def withdraw(client, case, consent):
    return client.post(
        reverse("cases:consent-withdraw", args=[case.pk, consent.pk]),
        {
            f"withdraw-{consent.pk}-withdrawn_on": timezone.localdate().isoformat(),
            f"withdraw-{consent.pk}-note": "De moeder trekt in.",
        },
    )


def test_a_withdrawal_lists_the_shares_and_cancels_future_invitations(
    client, caseworker, case, consent, shared, fake_broker, django_capture_on_commit_callbacks
):
    client.force_login(caseworker.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert withdraw(client, case, consent).status_code == 302
    reviews = SharingReview.objects.filter(consent=consent)
    assert {(r.team_member_id, r.referral_id, r.invitation_id, r.decision) for r in reviews} == {
        (shared["member"].pk, None, None, SharingReview.Decision.OPEN),
        (None, shared["referral"].pk, None, SharingReview.Decision.OPEN),
        (None, None, shared["coming"].pk, SharingReview.Decision.CANCELLED),
    }
    # the coming session's invitation is cancelled, the past one stays as it was
    coming = SessionInvitation.objects.get(pk=shared["coming"].pk)
    assert coming.cancelled_on == timezone.localdate() and "toestemming ingetrokken" in coming.cancel_reason
    assert SessionInvitation.objects.get(pk=shared["past"].pk).cancelled_on is None
    assert AuditEvent.objects.filter(action="session_invitation.cancelled").count() == 1
    assert TimelineEvent.objects.filter(case=case, kind=TimelineEvent.Kind.INVITATIONS_CANCELLED).count() == 1
    # the chair is told once, by mail, with the pseudonym and not the name
    mail = OutgoingMail.objects.get(
        key=f"consent-withdrawn:{consent.pk}:conference:{shared['coming'].session.conference_id}"
    )
    assert mail.to == "voorzitter@example.org"
    assert case.client.pseudonym in mail.subject
    assert case.client.last_name not in mail.body_text
    # the case page asks the team to decide
    text = client.get(reverse("cases:detail", args=[case.pk])).text
    assert "Wat werd gedeeld onder deze toestemming?" in text
    assert text.count('name="decision" value="ended"') == 2


def test_ending_a_team_addition_ends_its_access_the_day_after(
    client, caseworker, case, consent, shared, network, partner_organisation
):
    worker = MembershipFactory(
        network=network, role=Membership.Role.CASEWORKER, organisation=partner_organisation
    )
    case_services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())
    review = SharingReview.objects.get(team_member=shared["member"])
    client.force_login(caseworker.user)
    response = client.post(reverse("cases:sharing-decide", args=[case.pk, review.pk]), {"decision": "ended"})
    assert response.status_code == 302
    member = CaseTeamMember.objects.get(pk=shared["member"].pk)
    assert member.until == timezone.localdate()
    review.refresh_from_db()
    assert review.decision == SharingReview.Decision.ENDED and review.decided_by == caseworker.user
    # the referral under the same consent still gives the partner the case today? No: the partner
    # was on the team only through that row.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert not visible_cases(worker.user, on=tomorrow).filter(pk=case.pk).exists()
    assert TimelineEvent.objects.filter(case=case, kind=TimelineEvent.Kind.SHARING_REVIEWED).count() == 1


def test_ending_a_referral_withdraws_it(client, caseworker, case, consent, shared):
    case_services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())
    review = SharingReview.objects.get(referral=shared["referral"])
    client.force_login(caseworker.user)
    client.post(reverse("cases:sharing-decide", args=[case.pk, review.pk]), {"decision": "ended"})
    assert Referral.objects.get(pk=shared["referral"].pk).status == Referral.Status.WITHDRAWN


def test_keeping_needs_a_reason_and_a_decision_is_made_once(client, caseworker, case, consent, shared):
    case_services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())
    review = SharingReview.objects.get(team_member=shared["member"])
    url = reverse("cases:sharing-decide", args=[case.pk, review.pk])
    client.force_login(caseworker.user)
    refused = client.post(url, {"decision": "kept"}, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "wettelijke grond" in refused.text
    assert SharingReview.objects.get(pk=review.pk).decision == SharingReview.Decision.OPEN
    assert client.post(url, {"decision": "kept", "note": "Beschikking jeugdrechter"}).status_code == 302
    again = client.post(url, {"decision": "ended"}, headers={"HX-Request": "true"})
    assert again.status_code == 422 and "al beslist" in again.text
    assert CaseTeamMember.objects.get(pk=shared["member"].pk).until is None
    assert AuditEvent.objects.filter(action="sharing_review.decided").count() == 1


def test_a_cancelled_invitation_takes_no_attendance(
    client, caseworker, conference_chair, case, consent, shared
):
    case_services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())
    client.force_login(conference_chair.user)
    response = client.post(
        reverse("cases:conference-attendance", args=[shared["coming"].pk]), {"attended": "yes"}
    )
    assert response.status_code == 422 and "geannuleerd" in response.text
    assert SessionInvitation.objects.get(pk=shared["coming"].pk).attended is None


@pytest.mark.parametrize("persona", ["conference_chair", "manager", "member", "outsider"])
def test_only_the_team_decides(request, client, caseworker, case, consent, shared, persona):
    case_services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())
    review = SharingReview.objects.get(team_member=shared["member"])
    client.force_login(request.getfixturevalue(persona).user)
    response = client.post(reverse("cases:sharing-decide", args=[case.pk, review.pk]), {"decision": "ended"})
    assert response.status_code == 404
    assert SharingReview.objects.get(pk=review.pk).decision == SharingReview.Decision.OPEN


def test_a_review_of_another_case_is_404(
    client, caseworker, case, consent, shared, network, case_organisation
):
    from ..factories import CaseFactory

    other = CaseFactory(network=network, lead_organisation=case_organisation, team=[caseworker.user])
    case_services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())
    review = SharingReview.objects.get(team_member=shared["member"])
    client.force_login(caseworker.user)
    response = client.post(reverse("cases:sharing-decide", args=[other.pk, review.pk]), {"decision": "ended"})
    assert response.status_code == 404


# For tests/test_post_views_fuzzed.py and the read-log walk.
FUZZED_URL_NAMES = {"cases:sharing-decide"}


def test_sharing_decide_survives_any_post(client, caseworker, case, consent, shared):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    case_services.withdraw_consent(consent=consent, by=caseworker.user, withdrawn_on=timezone.localdate())
    review = SharingReview.objects.get(team_member=shared["member"])
    url = reverse("cases:sharing-decide", args=[case.pk, review.pk])
    client.force_login(caseworker.user)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        st.dictionaries(
            st.sampled_from(["decision", "note", "x"]),
            st.one_of(st.sampled_from(["ended", "kept", "open", "cancelled"]), st.text(max_size=600)),
            max_size=3,
        )
    )
    def run(body):
        from django.db import transaction

        with transaction.atomic():
            response = client.post(url, body, headers={"HX-Request": "true"})
            assert response.status_code in (200, 302, 422)
            if response.status_code == 422:
                assert SharingReview.objects.get(pk=review.pk).decision == SharingReview.Decision.OPEN
            transaction.set_rollback(True)

    run()
