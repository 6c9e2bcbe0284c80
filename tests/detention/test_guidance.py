"""Issue 20 §4, §5: trajectory guidance of detainees and transfers between prisons — access per
path with a frozen clock, consent, audit, the release warning, bad input in Dutch."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.access import get_guidance_for_user
from cases.models import Client, Guidance, TimelineEvent, Transfer
from cases.services import detention as services
from ijh.models import AuditEvent
from instruments.models import Enrolment, LifeDomain
from instruments.reference_data import ensure as ensure_domains
from tests.factories import ConsentFactory
from tests.factories_detention import ActivityFactory

pytestmark = pytest.mark.django_db

READ_LOGGED_URL_NAMES = {"cases:caseload", "cases:guidance", "cases:transfer-decide"}
# The empty form to register a detainee: nothing of a client yet.
NOT_A_READ_URL_NAMES = {"cases:guidance-register"}
GET_ONLY_URL_NAMES = {"cases:caseload", "cases:guidance"}

DAY = datetime.date(2026, 10, 5)


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture(autouse=True)
def frozen():
    ensure_domains(LifeDomain)
    with at(DAY):
        yield


@pytest.fixture
def guidance(prison, jww, guide):
    return services.register_detainee(
        client=Client(first_name="Karim", last_name="Vanlommel", birth_year=1990),
        network=prison,
        organisation=jww,
        by=guide.user,
        question="Zoekt werk en een woning na de vrijlating.",
        planned_release_on=datetime.date(2027, 6, 1),
    )


def url(name, *args):
    return reverse(f"cases:{name}", args=args)


def test_guide_registers_a_detainee_through_the_page(client, prison, jww, guide):
    client.force_login(guide.user)
    data = {
        "first_name": "Karim",
        "last_name": "Vanlommel",
        "birth_year": "1990",
        "gender": "m",
        "question": "Werk",
        "information": "",
        "planned_release_on": "2020-01-01",
    }
    response = client.post(url("guidance-register"), data)
    assert response.status_code == 422
    assert "De geplande vrijlating ligt in het verleden." in response.content.decode()
    response = client.post(url("guidance-register"), {**data, "planned_release_on": "2027-06-01"})
    guidance = Guidance.objects.get()
    assert response.status_code == 302 and response["Location"] == url("guidance", guidance.pk)
    assert guidance.case.network == prison and guidance.guide == guide.user
    page = client.get(url("guidance", guidance.pk)).content.decode()
    assert "Karim Vanlommel" in page and "Zoekt" not in page and "Werk" in page
    assert AuditEvent.objects.filter(
        action="guidance.viewed", case_id=guidance.case_id, detail="guidance"
    ).exists()


def test_prison_staff_and_others_see_no_guidance(
    client,
    guidance,
    policy_officer,
    management,
    offer_coordinator,
    provider_rep,
    other_guide,
    prison_outsider,
    prison,
    jww,
):
    from tests.factories import MembershipFactory

    colleague = MembershipFactory(network=prison, role="trajectory_guide", organisation=jww).user
    for user in (
        policy_officer.user,
        management.user,
        offer_coordinator.user,
        provider_rep.user,
        other_guide.user,
        prison_outsider.user,
        colleague,
    ):
        client.force_login(user)
        assert client.get(url("guidance", guidance.pk)).status_code == 404
        assert "Vanlommel" not in client.get(url("caseload")).content.decode()
        assert (
            client.post(
                url("guidance-goal", guidance.pk), {"domain": LifeDomain.objects.first().pk, "text": "x"}
            ).status_code
            == 404
        )


def test_plan_referral_and_enrolment_by_pseudonym(client, guidance, guide, provider_rep, prison, provider):
    activity = ActivityFactory(
        network=prison,
        provider=provider,
        places=1,
        title="Keukenopleiding",
        ends_on=datetime.date(2027, 3, 1),
    )
    client.force_login(guide.user)
    domain = LifeDomain.objects.get(code="work_income")
    assert (
        client.post(
            url("guidance-goal", guidance.pk),
            {"domain": domain.pk, "text": "Opleiding keuken afronden", "after_release": "on"},
        ).status_code
        == 302
    )
    assert client.post(url("guidance-activity", guidance.pk), {"activity": activity.pk}).status_code == 302
    assert (
        client.post(
            url("guidance-outside", guidance.pk), {"service": "OCMW Gent", "note": "Leefloon"}
        ).status_code
        == 302
    )
    enrolment = Enrolment.objects.get()
    assert enrolment.detainee_code == guidance.case.client.pseudonym
    # twice the same activity: a Dutch message, nothing lost
    response = client.post(url("guidance-activity", guidance.pk), {"activity": activity.pk})
    assert response.status_code == 422 and "staat al op de lijst" in response.content.decode()
    # the provider sees the code on the participant list, never the name
    client.force_login(provider_rep.user)
    page = client.get(reverse("instruments:activity", args=[activity.pk])).content.decode()
    assert guidance.case.client.pseudonym in page and "Vanlommel" not in page and "Karim" not in page
    kinds = set(TimelineEvent.objects.filter(case=guidance.case).values_list("kind", flat=True))
    assert {"guidance_started", "plan_goal_added", "activity_referral", "outside_referral"} <= kinds


def test_release_date_in_the_past_is_refused(client, guidance, guide):
    client.force_login(guide.user)
    response = client.post(url("guidance-release", guidance.pk), {"planned_release_on": "2026-10-04"})
    assert response.status_code == 422
    assert "De geplande vrijlating ligt in het verleden." in response.content.decode()
    events = AuditEvent.objects.count()
    # the same date again changes nothing
    assert (
        client.post(url("guidance-release", guidance.pk), {"planned_release_on": "2027-06-01"}).status_code
        == 302
    )
    assert AuditEvent.objects.count() == events


def test_release_warning_fires_three_months_before(guidance):
    # planned 1 June 2027: nothing in October 2026 nor on 1 March 2027 (92 days before)
    assert services.warn_upcoming_releases() == 0
    with at(datetime.date(2027, 3, 1)):
        assert services.warn_upcoming_releases() == 0
    with at(datetime.date(2027, 3, 2)):
        assert services.warn_upcoming_releases() == 1
        assert services.warn_upcoming_releases() == 0  # once
    assert TimelineEvent.objects.filter(case=guidance.case, kind="release_warning").count() == 1
    # and one mail to the trajectbegeleider, with the pseudonym, never the name
    from ijh.models import OutgoingMail

    mail = OutgoingMail.objects.get(key__startswith="release-warning:")
    assert mail.to == guidance.guide.email
    assert guidance.case.client.pseudonym in mail.subject and "Vanlommel" not in mail.body_text


def test_release_warning_on_the_caseload(client, guidance, guide):
    with at(datetime.date(2027, 3, 10)):
        client.force_login(guide.user)
        page = client.get(url("caseload")).content.decode()
        assert "voorbereiding starten" in page


def test_ended_guidance_access_ends_the_day_after(client, guidance, guide):
    client.force_login(guide.user)
    assert client.post(url("guidance-end", guidance.pk), {"reason": "released"}).status_code == 302
    # today: read only
    assert client.get(url("guidance", guidance.pk)).status_code == 200
    assert (
        client.post(
            url("guidance-goal", guidance.pk), {"domain": LifeDomain.objects.first().pk, "text": "x"}
        ).status_code
        == 403
    )
    with at(DAY + datetime.timedelta(days=1)):
        client.force_login(guide.user)  # the idle timeout logged the session out overnight
        assert client.get(url("guidance", guidance.pk)).status_code == 404


def test_transfer_moves_access(client, guidance, guide, other_guide, other_prison, other_jww, prison, jww):
    client.force_login(guide.user)
    propose = url("guidance-transfer", guidance.pk)
    data = {"to_network": other_prison.pk, "transfer_on": "2026-10-06", "reason": "Plaatsgebrek"}
    # the same prison: a Dutch message
    response = client.post(propose, {**data, "to_network": prison.pk})
    assert response.status_code == 422 and "naar een andere gevangenis" in response.content.decode()
    # no consent yet: a Dutch message, nothing proposed
    response = client.post(propose, data)
    assert response.status_code == 422 and "toestemming" in response.content.decode()
    assert not Transfer.objects.exists()
    ConsentFactory(case=guidance.case, organisations=[jww, other_jww])
    assert client.post(propose, data).status_code == 302
    transfer = Transfer.objects.get()
    # the receiving trajectbegeleider sees the proposal by pseudonym only
    client.force_login(other_guide.user)
    caseload = client.get(url("caseload")).content.decode()
    assert guidance.case.client.pseudonym in caseload and "Vanlommel" not in caseload
    page = client.get(url("transfer-decide", transfer.pk)).content.decode()
    assert "Vanlommel" not in page
    # refusing needs a reason
    response = client.post(url("transfer-decide", transfer.pk), {"decision": "refuse"})
    assert response.status_code == 422 and "Geef de reden van de weigering." in response.content.decode()
    response = client.post(url("transfer-decide", transfer.pk), {"decision": "accept"})
    new = Guidance.objects.get(transferred_from=guidance)
    assert response.status_code == 302 and response["Location"] == url("guidance", new.pk)
    # the receiving team gains write access and sees the history
    page = client.get(url("guidance", new.pk)).content.decode()
    assert "Vanlommel" in page and "Voorgeschiedenis in Gevangenis Testgem" in page
    assert (
        client.post(
            url("guidance-goal", new.pk), {"domain": LifeDomain.objects.first().pk, "text": "Woning zoeken"}
        ).status_code
        == 302
    )
    # a second acceptance: a Dutch message, nothing changes
    response = client.post(url("transfer-decide", transfer.pk), {"decision": "accept"})
    assert response.status_code == 422 and "al beslist" in response.content.decode()
    assert Guidance.objects.count() == 2
    # the sender loses write access at once and keeps reading what it wrote (no time window)
    client.force_login(guide.user)
    assert (
        client.post(
            url("guidance-goal", guidance.pk), {"domain": LifeDomain.objects.first().pk, "text": "x"}
        ).status_code
        == 403
    )
    assert client.get(url("guidance", new.pk)).status_code == 404
    with at(DAY + datetime.timedelta(days=400)):
        client.force_login(guide.user)
        assert client.get(url("guidance", guidance.pk)).status_code == 200
        assert client.get(url("guidance", new.pk)).status_code == 404
    # the audit log shows both sides
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "transfer.proposed",
        "transfer.accepted",
        "guidance.transferred_in",
        "case.team_ended",
        "case.team_added",
    } <= actions
    kinds = set(TimelineEvent.objects.values_list("kind", flat=True))
    assert {"transfer_proposed", "transfer_accepted", "transferred_in"} <= kinds


def test_receiving_team_needs_consent_naming_it(client, guidance, guide, other_guide, other_prison, jww):
    ConsentFactory(case=guidance.case, organisations=[jww])  # does not name the receiving JWW
    transfer = services.propose_transfer(
        guidance=guidance, to_network=other_prison, transfer_on=DAY, reason="", by=guide.user
    )
    client.force_login(other_guide.user)
    response = client.post(url("transfer-decide", transfer.pk), {"decision": "accept"})
    assert response.status_code == 422 and "toestemming" in response.content.decode()
    assert Transfer.objects.get().status == Transfer.Status.PROPOSED


def test_caseload_and_guidance_queries_do_not_grow(client, prison, jww, guide, django_assert_num_queries):
    def make(n):
        for i in range(n):
            services.register_detainee(
                client=Client(first_name=f"P{i}", last_name="X"),
                network=prison,
                organisation=jww,
                by=guide.user,
            )

    make(3)
    client.force_login(guide.user)
    client.get(url("caseload"))
    # session, user, guidances, incoming transfers, can-register, read log, base template
    with django_assert_num_queries(9):
        client.get(url("caseload"))
    make(5)
    with django_assert_num_queries(9):
        client.get(url("caseload"))
    guidance = Guidance.objects.first()
    client.get(url("guidance", guidance.pk))
    # session, user, guidance with its team flag (access), goals, referrals, timeline, transfers,
    # consent in force, the forms' choices (activities, domains, prisons), base template
    with django_assert_num_queries(15):
        client.get(url("guidance", guidance.pk))


def test_get_guidance_for_user_write_needs_a_running_guidance(guidance, guide):
    assert get_guidance_for_user(guide.user, guidance.pk, write=True).user_can_write
