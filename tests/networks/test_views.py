import datetime

import pytest
from django.urls import reverse

from ijh.models import AuditEvent
from networks.models import Membership, Network, NetworkMembership, Organisation
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    RegionFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


def detail_url(network):
    return reverse("networks:detail", args=[network.pk])


class TestNetworkDetailAccess:
    def test_member_sees_the_network(self, as_user, network, member):
        response = as_user(member).get(detail_url(network))
        assert response.status_code == 200
        assert network.name in response.text
        assert "Rol toekennen" not in response.text  # read-only for a steering member

    def test_manager_sees_the_edit_actions(self, as_user, network, manager):
        response = as_user(manager).get(detail_url(network))
        assert "Rol toekennen" in response.text

    def test_regional_staff_sees_networks_of_their_region(self, as_user, network, regional_staff):
        assert as_user(regional_staff).get(detail_url(network)).status_code == 200

    def test_former_member_gets_404(self, as_user, network, former_member):
        assert as_user(former_member).get(detail_url(network)).status_code == 404

    def test_outsider_gets_404(self, as_user, network, outsider):
        assert as_user(outsider).get(detail_url(network)).status_code == 404

    def test_missing_network_is_the_same_404(self, as_user, outsider):
        assert as_user(outsider).get(reverse("networks:detail", args=[999999])).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, network):
        assert client.get(detail_url(network)).status_code == 302


def _populate(network, size):
    for index in range(size):
        organisation = NetworkMembershipFactory(
            network=network, organisation__sector=SectorFactory()
        ).organisation
        MembershipFactory(network=network, organisation=organisation)
        BodyFactory(network=network, name=f"Werkgroep {index}")


@pytest.mark.parametrize("size", [2, 25])
def test_network_detail_queries_do_not_grow(as_user, network, manager, size, django_assert_num_queries):
    _populate(network, size)
    client = as_user(manager)
    # session, user, network (visible + manage flag), member organisations with sector,
    # bodies, people with user and organisation, client-data grants of the last 90 days, then
    # the session save (savepoint, update, release)
    with django_assert_num_queries(10):
        response = client.get(detail_url(network))
    assert response.status_code == 200
    assert response.text.count('<ul class="members">') == size  # one heading per sector


def test_network_detail_groups_members_by_sector(as_user, network, member):
    sector = SectorFactory(code="caw-test", name="Welzijnswerk Test")
    NetworkMembershipFactory(network=network, organisation__name="CAW Testland", organisation__sector=sector)
    NetworkMembershipFactory(
        network=network, organisation__name="CAW Oud", organisation__sector=sector, ended=True
    )
    response = as_user(member).get(detail_url(network))
    assert "Welzijnswerk Test" in response.text
    assert "CAW Testland" in response.text
    assert "CAW Oud" not in response.text  # ended memberships are history, not members


class TestNetworkList:
    def test_lists_only_visible_networks(self, as_user, network, other_network, member):
        response = as_user(member).get(reverse("networks:list"))
        assert network.name in response.text
        assert other_network.name not in response.text

    @pytest.mark.parametrize("size", [3, 30])
    def test_queries_do_not_grow(self, as_user, regional_staff, network, size, django_assert_num_queries):
        for _ in range(size):
            NetworkMembershipFactory(network=NetworkFactory(region=network.region))
        client = as_user(regional_staff)
        # session, user, count, page of networks with region and member count, regions for the
        # filter select, session save (savepoint, update, release)
        with django_assert_num_queries(8):
            response = client.get(reverse("networks:list"))
        assert response.status_code == 200

    def test_filters_by_region_and_kind(self, as_user, regional_staff, network):
        crisis = NetworkFactory(name="Crisisnetwerk Test", region=network.region, crisis=True)
        client = as_user(regional_staff)
        response = client.get(
            reverse("networks:list"), {"kind": Network.Kind.CRISIS, "region": network.region_id}
        )
        assert crisis.name in response.text
        assert network.name not in response.text

    def test_htmx_request_gets_only_the_results_partial(self, as_user, member, network):
        response = as_user(member).get(reverse("networks:list"), headers={"HX-Request": "true"})
        assert response.text.lstrip().startswith('<div id="results">')
        assert "<html" not in response.text

    def test_paginates(self, as_user, regional_staff, network):
        NetworkFactory.create_batch(25, region=network.region)
        client = as_user(regional_staff)
        first = client.get(reverse("networks:list"))
        assert "Pagina 1 van 2" in first.text
        second = client.get(reverse("networks:list"), {"page": 2})
        assert "Pagina 2 van 2" in second.text

    @pytest.mark.parametrize(
        "params", [{"page": "abc"}, {"page": "99999"}, {"region": "x"}, {"kind": "<script>"}]
    )
    def test_garbage_parameters_do_not_break_the_page(self, as_user, member, params):
        assert as_user(member).get(reverse("networks:list"), params).status_code == 200


class TestAddOrganisationToNetwork:
    def url(self, network):
        return reverse("networks:organisation-add", args=[network.pk])

    def test_manager_adds_an_organisation(self, as_user, network, manager):
        organisation = NetworkMembershipFactory(network=NetworkFactory()).organisation
        response = as_user(manager).post(
            self.url(network), {"organisation": organisation.pk, "kind": "substitute", "since": "2026-01-01"}
        )
        assert response.status_code == 302
        membership = NetworkMembership.objects.get(network=network, organisation=organisation)
        assert membership.kind == NetworkMembership.Kind.SUBSTITUTE
        event = AuditEvent.objects.get(action="network.organisation_added")
        assert (event.actor_id, event.network_id, event.object_id) == (
            manager.user.pk,
            network.pk,
            str(membership.pk),
        )

    def test_until_before_since_is_refused_and_nothing_saved(self, as_user, network, manager):
        organisation = NetworkMembershipFactory(network=NetworkFactory()).organisation
        before = NetworkMembership.objects.count()
        response = as_user(manager).post(
            self.url(network),
            {
                "organisation": organisation.pk,
                "kind": "participating",
                "since": "2026-05-01",
                "until": "2026-04-01",
            },
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 422
        assert "De einddatum ligt vóór de begindatum." in response.text
        assert '<form id="edit-form"' in response.text and "<html" not in response.text  # the form partial
        assert NetworkMembership.objects.count() == before
        assert not AuditEvent.objects.exists()

    def test_steering_member_gets_403(self, as_user, network, member):
        assert as_user(member).get(self.url(network)).status_code == 403
        assert as_user(member).post(self.url(network), {}).status_code == 403

    def test_outsider_gets_404(self, as_user, network, outsider):
        assert as_user(outsider).post(self.url(network), {}).status_code == 404


class TestGrantRole:
    def url(self, network):
        return reverse("networks:role-add", args=[network.pk])

    def test_manager_grants_a_role_with_mandate(self, as_user, network, manager, member_organisation):
        person = MembershipFactory(network=NetworkFactory()).user
        response = as_user(manager).post(
            self.url(network),
            {
                "user": person.pk,
                "role": "steering_member",
                "organisation": member_organisation.pk,
                "mandate": "Mag engagementen aangaan tot 10 uur per maand.",
                "since": "2026-01-01",
            },
        )
        assert response.status_code == 302
        granted = Membership.objects.get(user=person, network=network)
        assert granted.mandate.startswith("Mag engagementen")
        assert AuditEvent.objects.filter(action="network.role_granted", object_id=str(granted.pk)).exists()

    def test_organisation_that_is_no_member_is_refused(self, as_user, network, manager):
        stranger = NetworkMembershipFactory(network=NetworkFactory()).organisation
        person = MembershipFactory(network=NetworkFactory()).user
        response = as_user(manager).post(
            self.url(network),
            {"user": person.pk, "role": "chair", "organisation": stranger.pk, "since": "2026-01-01"},
        )
        assert response.status_code == 422
        assert "geen lid van het netwerk" in response.text
        assert not Membership.objects.filter(user=person, network=network).exists()

    def test_region_roles_cannot_be_granted_on_a_network(self, as_user, network, manager):
        person = MembershipFactory(network=NetworkFactory()).user
        response = as_user(manager).post(
            self.url(network), {"user": person.pk, "role": "staff", "since": "2026-01-01"}
        )
        assert response.status_code == 422
        assert not Membership.objects.filter(user=person, network=network).exists()

    def test_dates_out_of_order_are_refused(self, as_user, network, manager):
        person = MembershipFactory(network=NetworkFactory()).user
        response = as_user(manager).post(
            self.url(network),
            {"user": person.pk, "role": "chair", "since": "2026-05-01", "until": "2026-01-01"},
        )
        assert response.status_code == 422
        assert "De einddatum ligt vóór de begindatum." in response.text

    def test_steering_member_gets_403_and_outsider_404(self, as_user, network, member, outsider):
        assert as_user(member).post(self.url(network), {}).status_code == 403
        assert as_user(outsider).post(self.url(network), {}).status_code == 404


class TestCreateOrganisation:
    @pytest.fixture
    def admin_persona(self, db):
        return MembershipFactory(role=Membership.Role.ADMIN, network=None, region=RegionFactory()).user

    def test_admin_creates_organisation_with_valid_kbo(self, client, admin_persona):
        client.force_login(admin_persona)
        sector = SectorFactory()
        response = client.post(
            reverse("networks:organisation-create"),
            {
                "name": "CKG De Linde",
                "sector": sector.pk,
                "municipality": "Lokeren",
                "kbo_number": "BE0123.456.749",
            },
        )
        assert response.status_code == 302
        organisation = Organisation.objects.get(name="CKG De Linde")
        assert organisation.kbo_number == "0123456749"
        assert AuditEvent.objects.filter(action="organisation.created").exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"name": "X", "kbo_number": "0123456748"}, "controlecijfers kloppen niet"),
            ({"name": "", "kbo_number": ""}, "Geef de naam van de organisatie."),
            ({"name": "   ", "kbo_number": ""}, "Geef de naam van de organisatie."),
            ({"name": "X", "kbo_number": "12"}, "10 cijfers"),
            ({"name": "X", "postcode": "123"}, "4 cijfers"),
        ],
    )
    def test_bad_input_gets_dutch_errors_and_nothing_saved(self, client, admin_persona, data, message):
        client.force_login(admin_persona)
        sector = SectorFactory()
        response = client.post(
            reverse("networks:organisation-create"), {"sector": sector.pk, "municipality": "Gent", **data}
        )
        assert response.status_code == 422
        assert message in response.text
        assert not Organisation.objects.exists()

    def test_steering_member_gets_403(self, as_user, member):
        assert as_user(member).get(reverse("networks:organisation-create")).status_code == 403


def test_admin_site_validates_kbo(admin_client):
    sector = SectorFactory()
    response = admin_client.post(
        reverse("admin:networks_organisation_add"),
        {
            "name": "Test",
            "sector": sector.pk,
            "municipality": "Gent",
            "kbo_number": "0123456748",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "controlecijfers" in response.text
    assert not Organisation.objects.exists()


def test_dates_are_shown_belgian_style(as_user, network, member):
    MembershipFactory(network=network, since=datetime.date(2026, 11, 22))
    response = as_user(member).get(detail_url(network))
    assert "22/11/2026" in response.text


def test_the_coordinator_hands_out_roles_with_client_access_pending_confirmation(
    as_user, network, manager, member_organisation
):
    # Issue 22: client-data roles come from the network's coordinator (tests/networks/test_grants.py).
    person = MembershipFactory(network=NetworkFactory()).user
    response = as_user(manager).post(
        reverse("networks:role-add", args=[network.pk]),
        {
            "user": person.pk,
            "role": "caseworker",
            "organisation": member_organisation.pk,
            "since": "2026-01-01",
        },
    )
    assert response.status_code == 302
    granted = Membership.objects.get(user=person, network=network)
    assert granted.confirmation == Membership.Confirmation.PENDING


def test_regional_staff_cannot_hand_out_caseworker_roles(
    as_user, network, regional_staff, member_organisation
):
    person = MembershipFactory(network=NetworkFactory()).user
    response = as_user(regional_staff).post(
        reverse("networks:role-add", args=[network.pk]),
        {
            "user": person.pk,
            "role": "caseworker",
            "organisation": member_organisation.pk,
            "since": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert not Membership.objects.filter(user=person, network=network, role="caseworker").exists()


class TestEditRole:
    def test_manager_changes_mandate_and_seats(self, as_user, network, manager, member):
        from networks.models import Membership as M

        membership = M.objects.get(user=member.user, network=network)
        body = BodyFactory(network=network, name="Kerngroep")
        response = as_user(manager).post(
            reverse("networks:role-edit", args=[membership.pk]),
            {"mandate_status": "mandated", "mandate": "Tot 5.000 euro", "bodies": [body.pk], "until": ""},
        )
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.holds_mandate and list(membership.bodies.all()) == [body]
        event = AuditEvent.objects.get(action="network.role_updated")
        assert "mandate_status" in event.changed_fields and "Tot 5.000" not in str(event.changed_fields)

    def test_end_before_start_is_refused(self, as_user, network, manager, member):
        from networks.models import Membership as M

        membership = M.objects.get(user=member.user, network=network)
        response = as_user(manager).post(
            reverse("networks:role-edit", args=[membership.pk]),
            {"mandate_status": "observer", "until": "2019-01-01"},
        )
        assert response.status_code == 422
        assert "De einddatum ligt vóór de begindatum." in response.text

    def test_member_403_outsider_404(self, as_user, network, member, outsider):
        from networks.models import Membership as M

        url = reverse("networks:role-edit", args=[M.objects.get(user=member.user, network=network).pk])
        assert as_user(member).get(url).status_code == 403
        assert as_user(outsider).get(url).status_code == 404
