"""Issue 20 §5 after the hand-over: the sending team reads only what it wrote up to the transfer,
nothing added after it, writes nothing, and loses even that when consent is withdrawn; the
sender withdraws a proposal before it is decided; a transfer is decided once (a conditional
update in the database). Issue 20 §4: plan goals reached or dropped, dated, on the timeline and
in the audit log."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Client, Guidance, PlanGoal, TimelineEvent, Transfer
from cases.services import detention as services
from cases.services.cases import withdraw_consent
from ijh.models import AuditEvent
from instruments.models import LifeDomain
from instruments.reference_data import ensure as ensure_domains
from networks.models import Membership
from tests.factories import ConsentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


DAY = datetime.date(2026, 10, 5)
HTMX = {"HX-Request": "true"}


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=datetime.UTC), tick=False
    )


def url(name, *args):
    return reverse(f"cases:{name}", args=args)


@pytest.fixture(autouse=True)
def domains():
    ensure_domains(LifeDomain)


@pytest.fixture
def guidance(prison, jww, guide, other_jww):
    with at(DAY):
        guidance = services.register_detainee(
            client=Client(first_name="Karim", last_name="Vanlommel", birth_year=1990),
            network=prison,
            organisation=jww,
            by=guide.user,
            planned_release_on=datetime.date(2027, 9, 1),
        )
        ConsentFactory(case=guidance.case, organisations=[jww, other_jww], given_on=DAY)
        services.add_plan_goal(
            guidance=guidance,
            domain=LifeDomain.objects.first(),
            text="Eigen doel vóór de overplaatsing",
            after_release=False,
            by=guide.user,
        )
        services.refer_outside(guidance=guidance, service="Eigen dienst CAW", note="", by=guide.user)
    return guidance


@pytest.fixture
def handed_over(guidance, guide, other_guide, other_prison):
    """Proposed the day after, accepted the day after that; the receiving team writes on."""
    with at(DAY + datetime.timedelta(days=1)):
        transfer = services.propose_transfer(
            guidance=guidance,
            to_network=other_prison,
            transfer_on=DAY + datetime.timedelta(days=2),
            reason="Plaatsgebrek",
            by=guide.user,
        )
    with at(DAY + datetime.timedelta(days=2)):
        new = services.decide_transfer(transfer=transfer, by=other_guide.user, accept=True)
    with at(DAY + datetime.timedelta(days=3)):
        services.add_plan_goal(
            guidance=new,
            domain=LifeDomain.objects.first(),
            text="Later doel in de nieuwe gevangenis",
            after_release=True,
            by=other_guide.user,
        )
        services.refer_outside(guidance=new, service="Later dienst OCMW", note="", by=other_guide.user)
        # Even a line that would land on the old file after the hand-over (nothing in the
        # product writes one; a repair by hand could) stays out of the sender's sight.
        PlanGoal.objects.create(
            guidance=guidance, domain=LifeDomain.objects.first(), text="Nagekomen doel", created_by=guide.user
        )
        TimelineEvent.objects.create(
            case=guidance.case, kind=TimelineEvent.Kind.UPDATED, detail="Nagekomen lijn", actor=guide.user
        )
    return transfer, new


LATER = ("Later doel", "Later dienst", "Nagekomen doel", "Nagekomen lijn")


def test_sender_reads_only_what_it_wrote_before_the_handover(client, guidance, handed_over, guide):
    _transfer, new = handed_over
    with at(DAY + datetime.timedelta(days=3), hour=11):
        client.force_login(guide.user)
        for headers in ({}, HTMX):
            response = client.get(url("guidance", guidance.pk), headers=headers)
            assert response.status_code == 200
            page = response.content.decode()
            assert "Eigen doel vóór de overplaatsing" in page and "Eigen dienst CAW" in page
            assert "alleen wat jullie team schreef" in page
            for later in LATER:
                assert later not in page, later
        # the receiving prison's guidance and the old file's case pages are not the sender's
        assert client.get(url("guidance", new.pk)).status_code == 404
        # the team rows ended with the hand-over day: the case pages are gone
        assert client.get(url("detail", guidance.case_id)).status_code == 404
        # the caseload lists running guidances only: neither the old nor the new one
        caseload = client.get(url("caseload")).content.decode()
        assert guidance.case.client.pseudonym not in caseload
        # long after, still the same: no time window, the consent is what holds it open
    with at(DAY + datetime.timedelta(days=200)):
        client.force_login(guide.user)
        page = client.get(url("guidance", guidance.pk)).content.decode()
        assert "Eigen doel vóór de overplaatsing" in page and "Later doel" not in page


def test_sender_on_the_handover_day_reads_the_case_pages_not(client, guidance, handed_over, guide):
    """On the day itself the old team rows still hold (through the end day): the case pages of
    the handed-over file answer 403 all the same, for reading and writing."""
    with at(DAY + datetime.timedelta(days=2), hour=12):
        client.force_login(guide.user)
        assert client.get(url("detail", guidance.case_id)).status_code == 403
        assert client.post(url("consent-add", guidance.case_id), {}).status_code == 403
        assert client.get(url("guidance", guidance.pk)).status_code == 200


def test_sender_cannot_write_after_the_handover(client, guidance, handed_over, guide):
    own_goal = guidance.goals.get(text="Eigen doel vóór de overplaatsing")
    domain = LifeDomain.objects.first().pk
    posts = [
        (url("guidance-goal", guidance.pk), {"domain": domain, "text": "x"}),
        (url("guidance-outside", guidance.pk), {"service": "x"}),
        (url("guidance-release", guidance.pk), {"planned_release_on": "2027-10-01"}),
        (url("guidance-end", guidance.pk), {"reason": "released"}),
        (url("guidance-transfer-withdraw", guidance.pk), {}),
        (url("guidance-goal-outcome", own_goal.pk), {"status": "reached", "on": "2026-10-08"}),
    ]
    with at(DAY + datetime.timedelta(days=3)):
        client.force_login(guide.user)
        for target, data in posts:
            assert client.post(target, data).status_code == 403, target
    assert PlanGoal.objects.get(pk=own_goal.pk).status == PlanGoal.Status.OPEN


def test_sender_reading_ends_when_consent_is_withdrawn(client, guidance, handed_over, guide, other_guide):
    _transfer, new = handed_over
    with at(DAY + datetime.timedelta(days=10)):
        withdraw_consent(
            consent=new.case.consents.get(),
            by=other_guide.user,
            withdrawn_on=DAY + datetime.timedelta(days=10),
        )
        client.force_login(guide.user)
        assert client.get(url("guidance", guidance.pk)).status_code == 404


def test_sender_reading_ends_with_the_role(client, guidance, handed_over, guide, prison):
    Membership.objects.filter(user=guide.user, network=prison).update(until=DAY + datetime.timedelta(days=5))
    with at(DAY + datetime.timedelta(days=5)):
        client.force_login(guide.user)
        assert client.get(url("guidance", guidance.pk)).status_code == 200
    with at(DAY + datetime.timedelta(days=6)):
        client.force_login(guide.user)
        assert client.get(url("guidance", guidance.pk)).status_code == 404


def test_audit_shows_both_sides_of_the_transfer(
    guidance, handed_over, guide, other_guide, prison, other_prison
):
    transfer, new = handed_over
    sending = AuditEvent.objects.filter(network_id=prison.pk)
    receiving = AuditEvent.objects.filter(network_id=other_prison.pk)
    ref = {"object_type": "cases.transfer", "object_id": str(transfer.pk)}
    assert sending.filter(action="transfer.proposed", actor=guide.user, **ref).exists()
    assert sending.filter(action="transfer.accepted", actor=other_guide.user, **ref).exists()
    assert sending.filter(action="case.team_ended", case_id=guidance.case_id).exists()
    assert receiving.filter(action="guidance.transferred_in", object_id=str(new.pk)).exists()
    assert receiving.filter(action="case.team_added", actor=other_guide.user, case_id=new.case_id).exists()


# --- withdrawing a proposal; deciding once -------------------------------------------------------------


@pytest.fixture
def proposed(guidance, guide, other_prison):
    with at(DAY + datetime.timedelta(days=1)):
        return services.propose_transfer(
            guidance=guidance, to_network=other_prison, transfer_on=DAY, reason="", by=guide.user
        )


def test_sender_withdraws_a_proposed_transfer(client, guidance, proposed, guide, other_guide):
    with at(DAY + datetime.timedelta(days=1)):
        client.force_login(guide.user)
        page = client.get(url("guidance", guidance.pk)).content.decode()
        assert "Overplaatsing intrekken" in page
        response = client.post(url("guidance-transfer-withdraw", guidance.pk))
        assert response.status_code == 302
        proposed.refresh_from_db()
        assert proposed.status == Transfer.Status.WITHDRAWN and proposed.decided_by == guide.user
        assert TimelineEvent.objects.filter(case=guidance.case, kind="transfer_withdrawn").exists()
        assert AuditEvent.objects.filter(
            action="transfer.withdrawn",
            object_type="cases.transfer",
            object_id=str(proposed.pk),
            actor=guide.user,
        ).exists()
        # a second withdrawal: a Dutch message, nothing changes
        response = client.post(url("guidance-transfer-withdraw", guidance.pk), follow=True)
        assert "ingetrokken" in response.content.decode()
        # the receiving prison no longer has it to decide, and accepting says why
        client.force_login(other_guide.user)
        assert guidance.case.client.pseudonym not in client.get(url("caseload")).content.decode()
        response = client.post(url("transfer-decide", proposed.pk), {"decision": "accept"})
        assert response.status_code == 422
        assert "heeft deze overplaatsing ingetrokken" in response.content.decode()
        assert Guidance.objects.count() == 1
        # and the sender may propose again
        client.force_login(guide.user)
        assert "transfer-form" in client.get(url("guidance", guidance.pk)).content.decode()


def test_withdraw_after_acceptance_changes_nothing(client, guidance, proposed, other_guide, guide):
    with at(DAY + datetime.timedelta(days=1)):
        services.decide_transfer(transfer=proposed, by=other_guide.user, accept=True)
        with pytest.raises(ValidationError, match="al beslist"):
            services.withdraw_transfer(transfer=proposed, by=guide.user)
        assert Transfer.objects.get().status == Transfer.Status.ACCEPTED


def test_two_teams_accepting_the_same_transfer(
    client, guidance, proposed, other_guide, other_prison, other_jww
):
    colleague = MembershipFactory(
        network=other_prison, role=Membership.Role.TRAJECTORY_GUIDE, organisation=other_jww
    ).user
    stale = Transfer.objects.get(pk=proposed.pk)  # loaded by the second team before the first decides
    with at(DAY + datetime.timedelta(days=1)):
        services.decide_transfer(transfer=proposed, by=other_guide.user, accept=True)
        client.force_login(colleague)
        response = client.post(url("transfer-decide", proposed.pk), {"decision": "accept"})
        assert response.status_code == 422 and "al beslist" in response.content.decode()
        # the database is the guarantee: the conditional update lets no stale copy through
        with pytest.raises(ValidationError, match="al beslist"):
            services._claim(stale, Transfer.Status.ACCEPTED, colleague)
    assert Guidance.objects.count() == 2
    assert Transfer.objects.get().decided_by == other_guide.user


# --- plan goals reached or dropped --------------------------------------------------------------------


def test_goal_reached_and_dropped_on_the_timeline_and_audited(client, guidance, guide):
    first = guidance.goals.get()
    with at(DAY):
        second = services.add_plan_goal(
            guidance=guidance,
            domain=LifeDomain.objects.last(),
            text="Rijbewijs halen",
            after_release=False,
            by=guide.user,
        )
    with at(DAY + datetime.timedelta(days=20)):
        client.force_login(guide.user)
        page = client.get(url("guidance", guidance.pk)).content.decode()
        assert f'id="outcome-form-{first.pk}"' in page
        target = url("guidance-goal-outcome", first.pk)
        # bad input: a Dutch message, nothing changes
        for data, message in [
            ({"status": "dropped", "on": "2026-10-20"}, "Geef de reden"),
            ({"status": "reached", "on": "2027-01-01"}, "in de toekomst"),
            ({"status": "bogus", "on": "2026-10-20"}, "Kies bereikt of stopgezet"),
            ({"status": "reached", "on": "20/20/2026"}, "geldige datum"),
        ]:
            response = client.post(target, data)
            assert response.status_code == 422 and message in response.content.decode(), data
        assert PlanGoal.objects.get(pk=first.pk).status == PlanGoal.Status.OPEN
        assert client.post(target, {"status": "reached", "on": "2026-10-20"}).status_code == 302
        response = client.post(
            url("guidance-goal-outcome", second.pk),
            {"status": "dropped", "on": "2026-10-21", "reason": "Geen examen mogelijk in detentie"},
        )
        assert response.status_code == 302
        # once: a second outcome gets a message
        response = client.post(target, {"status": "dropped", "on": "2026-10-20", "reason": "x"})
        assert response.status_code == 422 and "al bereikt of stopgezet" in response.content.decode()
        page = client.get(url("guidance", guidance.pk)).content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.status_on) == (PlanGoal.Status.REACHED, datetime.date(2026, 10, 20))
    assert (second.status, second.drop_reason) == (
        PlanGoal.Status.DROPPED,
        "Geen examen mogelijk in detentie",
    )
    assert "20/10/2026" in page and "Geen examen mogelijk in detentie" in page
    kinds = list(TimelineEvent.objects.filter(case=guidance.case).values_list("kind", flat=True))
    assert "plan_goal_reached" in kinds and "plan_goal_dropped" in kinds
    audited = AuditEvent.objects.filter(object_type="cases.plangoal")
    assert audited.filter(action="plan_goal.reached").count() == 1
    dropped = audited.get(action="plan_goal.dropped")
    assert "drop_reason" in dropped.changed_fields and "Geen examen" not in str(dropped.detail)


def test_goal_outcome_access(client, guidance, other_guide, management):
    goal = guidance.goals.get()
    target = url("guidance-goal-outcome", goal.pk)
    for persona in (other_guide, management):
        client.force_login(persona.user)
        assert client.post(target, {"status": "reached", "on": "2026-10-05"}).status_code == 404
    client.force_login(other_guide.user)
    assert client.post(url("guidance-goal-outcome", 999999), {}).status_code == 404
