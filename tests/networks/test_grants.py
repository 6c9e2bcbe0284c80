"""Separation of duties (issue 22 §1; DESIGN.md §5): nobody opens client files to themselves.

Roles that open client data are given only by a coordinator or chair of the network, to a person
of a member organisation, take effect once a contact person of that organisation confirms it
(a second person), and never go to an account that also sees all of a region or of Flanders.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.access import visible_cases
from ijh.models import AuditEvent
from networks.models import Membership

from ..factories import (
    CaseFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UserFactory,
)

CLIENT_DATA_ROLES = list(Membership.CLIENT_DATA_ROLES)


@pytest.fixture
def organisation(network):
    return NetworkMembershipFactory(network=network, organisation__name="CKG De Kiem").organisation


@pytest.fixture
def contact_person(organisation, network):
    user = UserFactory(username="contact-kiem", first_name="Carla", last_name="Contact")
    MembershipFactory(user=user, network=network, organisation=organisation)
    organisation.contact_people.add(user)
    return user


@pytest.fixture
def newcomer(db):
    return UserFactory(username="nieuwe-hulpverlener", first_name="Nora", last_name="Nieuw")


@pytest.fixture
def admin_account(network):
    return MembershipFactory(role=Membership.Role.ADMIN, network=None, region=network.region).user


@pytest.fixture
def agency_account(db):
    user = UserFactory(username="agentschap")
    Membership.objects.create(user=user, role=Membership.Role.AGENCY, since=datetime.date(2020, 1, 1))
    return user


def grant(client, network, user, role, organisation, **extra):
    data = {
        "user": user.pk,
        "role": role,
        "organisation": organisation.pk if organisation else "",
        "since": "2026-01-01",
    }
    data.update(extra)
    return client.post(reverse("networks:role-add", args=[network.pk]), data)


class TestWhoMayGrant:
    @pytest.mark.parametrize("role", CLIENT_DATA_ROLES)
    def test_the_coordinator_grants_a_client_data_role_pending_confirmation(
        self, client, manager, network, newcomer, organisation, role
    ):
        client.force_login(manager.user)
        response = grant(client, network, newcomer, role, organisation)
        assert response.status_code == 302
        membership = Membership.objects.get(user=newcomer)
        assert membership.confirmation == Membership.Confirmation.PENDING
        assert membership.granted_by == manager.user and membership.granted_at is not None
        assert not Membership.objects.active().filter(user=newcomer).exists()

    @pytest.mark.parametrize("role", CLIENT_DATA_ROLES)
    def test_regional_staff_may_not_grant_client_data_roles(
        self, client, regional_staff, network, newcomer, organisation, role
    ):
        client.force_login(regional_staff.user)
        response = grant(client, network, newcomer, role, organisation)
        assert response.status_code == 422
        assert not Membership.objects.filter(user=newcomer).exists()

    @pytest.mark.parametrize("role", [*CLIENT_DATA_ROLES, "steering_member", "chair", "coordinator"])
    @pytest.mark.parametrize("persona", ["manager", "regional_staff"])
    def test_nobody_grants_themselves_anything(self, request, client, network, organisation, role, persona):
        granter = request.getfixturevalue(persona).user
        client.force_login(granter)
        before = Membership.objects.filter(user=granter).count()
        response = grant(client, network, granter, role, organisation)
        assert response.status_code == 422
        assert Membership.objects.filter(user=granter).count() == before
        offered = {value for value, _label in response.context["form"].fields["role"].choices}
        if role in offered:  # a role they may give to others: refused because it is for themselves
            assert "jezelf" in response.text

    def test_staff_self_grant_as_caseworker_is_refused_and_opens_nothing(
        self, client, regional_staff, network, organisation
    ):
        # The probe of issue 22: staff posting their own id with role caseworker.
        CaseFactory(network=network, lead_organisation=organisation)
        client.force_login(regional_staff.user)
        response = grant(client, network, regional_staff.user, "caseworker", organisation)
        assert response.status_code == 422
        assert not visible_cases(regional_staff.user).exists()
        assert client.get(reverse("cases:list")).status_code in (200, 403, 404)
        assert "Vermeersch" not in client.get(reverse("cases:list")).text

    @pytest.mark.parametrize("account", ["regional_staff", "admin_account", "agency_account"])
    @pytest.mark.parametrize("role", CLIENT_DATA_ROLES)
    def test_client_data_roles_never_go_to_oversight_accounts(
        self, request, client, manager, network, organisation, account, role
    ):
        person = request.getfixturevalue(account)
        person = getattr(person, "user", person)
        client.force_login(manager.user)
        response = grant(client, network, person, role, organisation)
        assert response.status_code == 422
        assert "aparte" in response.text
        assert not Membership.objects.filter(user=person, role=role).exists()

    def test_a_client_data_role_needs_an_organisation(self, client, manager, network, newcomer):
        client.force_login(manager.user)
        response = grant(client, network, newcomer, "caseworker", None)
        assert response.status_code == 422 and "organisatie" in response.text

    def test_an_organisation_outside_the_network_is_refused(self, client, manager, network, newcomer):
        client.force_login(manager.user)
        response = grant(client, network, newcomer, "caseworker", OrganisationFactory())
        assert response.status_code == 422
        assert not Membership.objects.filter(user=newcomer).exists()

    def test_a_forged_user_id_is_a_form_error(self, client, manager, network, organisation):
        client.force_login(manager.user)
        response = client.post(
            reverse("networks:role-add", args=[network.pk]),
            {"user": 987654321, "role": "caseworker", "organisation": organisation.pk, "since": "2026-01-01"},
        )
        assert response.status_code == 422

    def test_a_coordinator_of_another_network_gets_404(self, client, network, newcomer, organisation):
        elsewhere = MembershipFactory(network=NetworkFactory(), coordinator=True).user
        client.force_login(elsewhere)
        response = grant(client, network, newcomer, "caseworker", organisation)
        assert response.status_code == 404
        assert not Membership.objects.filter(user=newcomer).exists()

    def test_nobody_edits_or_extends_their_own_role(self, client, manager, network):
        own = Membership.objects.get(user=manager.user)
        client.force_login(manager.user)
        response = client.post(reverse("networks:role-edit", args=[own.pk]), {"until": "2030-12-31"})
        assert response.status_code == 403
        assert "eigen rol" in response.text
        own.refresh_from_db()
        assert own.until is None

    def test_an_unchanged_role_edit_writes_no_audit_event(self, client, manager, network, member):
        membership = Membership.objects.get(user=member.user)
        client.force_login(manager.user)
        client.post(
            reverse("networks:role-edit", args=[membership.pk]),
            {"mandate_status": membership.mandate_status, "mandate": membership.mandate, "until": ""},
        )
        assert not AuditEvent.objects.filter(action="network.role_updated").exists()


class TestConfirmation:
    @pytest.fixture
    def pending(self, client, manager, network, newcomer, organisation, contact_person):
        client.force_login(manager.user)
        assert grant(client, network, newcomer, "caseworker", organisation).status_code == 302
        client.logout()
        return Membership.objects.get(user=newcomer)

    def test_the_grant_opens_the_cases_only_once_confirmed(
        self, client, pending, contact_person, newcomer, network, organisation
    ):
        case = CaseFactory(network=network, lead_organisation=organisation)
        assert not visible_cases(newcomer).filter(pk=case.pk).exists()
        client.force_login(contact_person)
        assert pending.user.get_full_name() in client.get(reverse("networks:grant-inbox")).text
        response = client.post(reverse("networks:grant-confirm", args=[pending.pk]), {"decision": "confirm"})
        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.confirmation == Membership.Confirmation.CONFIRMED
        assert pending.confirmed_by == contact_person
        assert visible_cases(newcomer).filter(pk=case.pk).exists()
        assert AuditEvent.objects.filter(action="network.role_confirmed", actor=contact_person).count() == 1

    def test_a_refused_grant_never_opens_anything(
        self, client, pending, contact_person, newcomer, network, organisation
    ):
        case = CaseFactory(network=network, lead_organisation=organisation)
        client.force_login(contact_person)
        client.post(reverse("networks:grant-confirm", args=[pending.pk]), {"decision": "refuse"})
        assert not visible_cases(newcomer).filter(pk=case.pk).exists()

    def test_the_link_used_twice_says_so_and_changes_nothing(self, client, pending, contact_person):
        client.force_login(contact_person)
        client.post(reverse("networks:grant-confirm", args=[pending.pk]), {"decision": "confirm"})
        second = client.post(reverse("networks:grant-confirm", args=[pending.pk]), {"decision": "refuse"})
        assert second.status_code == 422 and "al bevestigd" in second.text
        pending.refresh_from_db()
        assert pending.confirmation == Membership.Confirmation.CONFIRMED
        assert (
            AuditEvent.objects.filter(action__startswith="network.role_")
            .exclude(action="network.role_granted")
            .count()
            == 1
        )

    def test_someone_of_another_organisation_gets_404(self, client, pending, network):
        other_contact = UserFactory()
        NetworkMembershipFactory(network=network).organisation.contact_people.add(other_contact)
        client.force_login(other_contact)
        assert client.get(reverse("networks:grant-confirm", args=[pending.pk])).status_code == 404
        assert (
            client.post(
                reverse("networks:grant-confirm", args=[pending.pk]), {"decision": "confirm"}
            ).status_code
            == 404
        )
        pending.refresh_from_db()
        assert pending.confirmation == Membership.Confirmation.PENDING

    def test_the_grantee_and_the_granter_cannot_confirm(
        self, client, pending, manager, newcomer, organisation
    ):
        organisation.contact_people.add(newcomer, manager.user)
        for person in (newcomer, manager.user):
            client.force_login(person)
            assert (
                client.post(
                    reverse("networks:grant-confirm", args=[pending.pk]), {"decision": "confirm"}
                ).status_code
                == 404
            )
        pending.refresh_from_db()
        assert pending.confirmation == Membership.Confirmation.PENDING

    def test_the_steering_group_sees_the_grants_of_the_last_90_days(
        self, client, pending, contact_person, member, network
    ):
        client.force_login(contact_person)
        client.post(reverse("networks:grant-confirm", args=[pending.pk]), {"decision": "confirm"})
        client.force_login(member.user)
        text = client.get(reverse("networks:detail", args=[network.pk])).text
        assert "Toegang tot cliëntdossiers" in text
        row = text[text.index("grants-title") :]
        assert "Nora Nieuw" in row and "Carla Contact" in row
        with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=91), tick=False):
            client.force_login(member.user)  # yesterday's session has expired
            later = client.get(reverse("networks:detail", args=[network.pk])).text
        assert "Nora Nieuw" not in later[later.index("grants-title") :]

    def test_the_contact_person_sees_the_grant_on_the_dashboard(self, client, pending, contact_person):
        client.force_login(contact_person)
        assert "Toegang te bevestigen" in client.get(reverse("home")).text


# For tests/test_post_views_fuzzed.py.
FUZZED_URL_NAMES = {"networks:grant-confirm"}
GET_ONLY_URL_NAMES = {"networks:grant-inbox"}


@pytest.mark.django_db
def test_confirmation_survives_any_post(client, manager, network, newcomer, organisation, contact_person):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client.force_login(manager.user)
    grant(client, network, newcomer, "caseworker", organisation)
    pending = Membership.objects.get(user=newcomer)
    client.force_login(contact_person)
    url = reverse("networks:grant-confirm", args=[pending.pk])

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.dictionaries(st.sampled_from(["decision", "x", "confirmation"]), st.text(max_size=30), max_size=3)
    )
    def run(body):
        response = client.post(url, body, headers={"HX-Request": "true"})
        assert response.status_code in (200, 302, 422)
        if response.status_code == 422:
            assert Membership.objects.get(pk=pending.pk).confirmation in (
                Membership.Confirmation.PENDING,
                Membership.Confirmation.CONFIRMED,
                Membership.Confirmation.REFUSED,
            )

    run()
