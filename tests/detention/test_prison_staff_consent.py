"""Issue 20 §4: the prison's psychosocial service and management are not on the guidance team and
see nothing client-level, unless the detainee's consent names them. The consent is recorded
through the consent pages of the file (purpose "prison staff", the service as recipient); access
follows it both ways: named → read only; not named, another purpose, withdrawn → 404."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.access import get_guidance_for_user
from cases.models import Client, Consent
from cases.services import detention as services
from ijh.models import AuditEvent
from instruments.models import LifeDomain
from instruments.reference_data import ensure as ensure_domains
from networks.models import Membership
from tests.conftest import Persona
from tests.factories import CaseFactory, MembershipFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def frozen():
    ensure_domains(LifeDomain)
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def psd(prison):
    return NetworkMembershipFactory(network=prison, organisation__name="PSD Gevangenis Testgem").organisation


@pytest.fixture
def directie(prison):
    return NetworkMembershipFactory(
        network=prison, organisation__name="Directie Gevangenis Testgem"
    ).organisation


@pytest.fixture
def psd_member(prison, psd) -> Persona:
    return Persona(
        MembershipFactory(
            network=prison, role=Membership.Role.STEERING_MEMBER, organisation=psd, user__username="psd"
        ).user
    )


@pytest.fixture
def director(prison, directie) -> Persona:
    return Persona(
        MembershipFactory(
            network=prison, role=Membership.Role.CHAIR, organisation=directie, user__username="directeur"
        ).user
    )


@pytest.fixture
def guidance(prison, jww, guide):
    return services.register_detainee(
        client=Client(first_name="Karim", last_name="Vanlommel", birth_year=1990),
        network=prison,
        organisation=jww,
        by=guide.user,
        question="Wil zijn schulden regelen.",
    )


def consent_data(*organisations, **overrides):
    data = {
        "consent-basis": Consent.Basis.CONSENT,
        "consent-given_by": Consent.GivenBy.YOUNG_PERSON,
        "consent-giver_name": "Karim Vanlommel",
        "consent-covers_case_team": "on",
        "consent-covers_prison_staff": "on",
        "consent-organisations": [org.pk for org in organisations],
        "consent-given_on": "2026-10-05",
        "consent-evidence_note": "Ondertekend in het onthaalgesprek.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def page(client, persona, guidance):
    client.force_login(persona.user)
    return client.get(reverse("cases:guidance", args=[guidance.pk]))


def test_prison_staff_see_nothing_without_consent(client, guidance, psd_member, director):
    for persona in (psd_member, director):
        assert page(client, persona, guidance).status_code == 404


def test_consent_naming_the_psd_lets_it_read_and_nobody_else(
    client, guidance, guide, jww, psd, psd_member, director
):
    client.force_login(guide.user)
    form = client.get(reverse("cases:detail", args=[guidance.case_id])).content.decode()
    assert "consent-covers_prison_staff" in form and "PSD Gevangenis Testgem" in form
    response = client.post(reverse("cases:consent-add", args=[guidance.case_id]), consent_data(jww, psd))
    assert response.status_code == 302
    consent = Consent.objects.get(case=guidance.case)
    assert consent.covers_prison_staff and set(consent.organisations.all()) == {jww, psd}
    # the named service reads the guidance (names and all), its read logged; read only
    before = AuditEvent.objects.filter(actor=psd_member.user, action__endswith=".viewed").count()
    response = page(client, psd_member, guidance)
    text = response.content.decode()
    assert response.status_code == 200 and "Vanlommel" in text and "Wil zijn schulden regelen." in text
    assert "toestemming gaf aan jouw dienst" in text
    assert AuditEvent.objects.filter(actor=psd_member.user, action__endswith=".viewed").count() == before + 1
    assert 'id="goal-form"' not in text and "Dossier en toestemming" not in text
    goal = reverse("cases:guidance-goal", args=[guidance.pk])
    assert client.post(goal, {"domain": LifeDomain.objects.first().pk, "text": "x"}).status_code == 403
    assert client.get(reverse("cases:detail", args=[guidance.case_id])).status_code == 404
    assert "Vanlommel" not in client.get(reverse("cases:caseload")).content.decode()
    assert not get_guidance_for_user(psd_member.user, guidance.pk).user_can_write
    # management, not named, still sees nothing
    assert page(client, director, guidance).status_code == 404


def test_only_the_prison_staff_purpose_opens_it(client, guidance, guide, jww, psd, psd_member):
    client.force_login(guide.user)
    data = consent_data(jww, psd, **{"consent-covers_prison_staff": None})
    assert client.post(reverse("cases:consent-add", args=[guidance.case_id]), data).status_code == 302
    assert page(client, psd_member, guidance).status_code == 404


def test_withdrawal_ends_it_the_same_day(client, guidance, guide, jww, directie, director):
    client.force_login(guide.user)
    client.post(reverse("cases:consent-add", args=[guidance.case_id]), consent_data(jww, directie))
    assert page(client, director, guidance).status_code == 200
    consent = Consent.objects.get(case=guidance.case)
    client.force_login(guide.user)
    response = client.post(
        reverse("cases:consent-withdraw", args=[guidance.case_id, consent.pk]),
        {f"withdraw-{consent.pk}-withdrawn_on": "2026-10-05", f"withdraw-{consent.pk}-note": "Mondeling"},
    )
    assert response.status_code == 302
    assert page(client, director, guidance).status_code == 404


def test_staff_access_ends_with_the_guidance(client, guidance, guide, jww, psd, psd_member):
    client.force_login(guide.user)
    client.post(reverse("cases:consent-add", args=[guidance.case_id]), consent_data(jww, psd))
    services.end_guidance(guidance=guidance, reason="released", by=guide.user)
    assert page(client, psd_member, guidance).status_code == 404


def test_the_purpose_is_offered_only_in_prison_files(client, db):
    seat = NetworkMembershipFactory()
    organisation = seat.organisation
    member = MembershipFactory(
        role=Membership.Role.CASEWORKER, network=seat.network, organisation=organisation
    )
    case = CaseFactory(network=member.network, lead_organisation=organisation, team=[member.user])
    client.force_login(member.user)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert "consent-covers_prison_staff" not in response.content.decode()
