import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from networks.models import Membership, Network
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


class TestVisibleTo:
    def test_member_sees_own_network_only(self, network, other_network, member):
        assert list(Network.objects.visible_to(member.user)) == [network]

    def test_expired_membership_sees_nothing(self, network, former_member):
        assert not Network.objects.visible_to(former_member.user).exists()

    def test_regional_staff_sees_every_network_of_the_region(self, network, other_network, regional_staff):
        second = NetworkFactory(region=network.region)
        assert set(Network.objects.visible_to(regional_staff.user)) == {network, second}

    def test_user_without_roles_sees_nothing(self, network):
        assert not Network.objects.visible_to(UserFactory()).exists()

    def test_superuser_is_no_back_door(self, network):
        assert not Network.objects.visible_to(UserFactory(is_superuser=True, is_staff=True)).exists()

    def test_manage_flag(self, network, member, manager, regional_staff):
        def flag(user):
            return Network.objects.with_manage_flag(user).get(pk=network.pk).user_can_manage

        assert flag(manager.user) is True
        assert flag(regional_staff.user) is True
        assert flag(member.user) is False


class TestMembershipRules:
    def test_until_before_since_is_refused(self, network):
        membership = MembershipFactory.build(
            network=network,
            user=UserFactory(),
            since=datetime.date(2026, 5, 1),
            until=datetime.date(2026, 4, 1),
        )
        with pytest.raises(ValidationError) as excinfo:
            membership.full_clean()
        assert "De einddatum ligt vóór de begindatum." in excinfo.value.message_dict["until"]

    def test_database_also_refuses_until_before_since(self, network):
        with pytest.raises(IntegrityError):
            MembershipFactory(
                network=network, since=datetime.date(2026, 5, 1), until=datetime.date(2026, 4, 1)
            )

    def test_role_for_organisation_outside_the_network_is_refused(self, network):
        membership = MembershipFactory.build(
            network=network, user=UserFactory(), organisation=OrganisationFactory()
        )
        with pytest.raises(ValidationError) as excinfo:
            membership.full_clean()
        assert "geen lid van het netwerk" in excinfo.value.message_dict["organisation"][0]

    def test_role_outside_the_organisations_membership_period_is_refused(self, network):
        organisation = NetworkMembershipFactory(
            network=network, since=datetime.date(2020, 1, 1), until=datetime.date(2020, 12, 31)
        ).organisation
        membership = MembershipFactory.build(
            network=network, user=UserFactory(), organisation=organisation, since=datetime.date(2022, 1, 1)
        )
        with pytest.raises(ValidationError):
            membership.full_clean()

    def test_staff_role_needs_a_region_not_a_network(self, network):
        membership = MembershipFactory.build(network=network, user=UserFactory(), role=Membership.Role.STAFF)
        with pytest.raises(ValidationError) as excinfo:
            membership.full_clean()
        assert "region" in excinfo.value.message_dict

    def test_network_xor_region_enforced_by_database(self, network):
        with pytest.raises(IntegrityError):
            MembershipFactory(network=network, region=RegionFactory(), role=Membership.Role.STAFF)


class TestNetworkMembershipRules:
    def test_overlapping_membership_of_the_same_organisation_is_refused(self, network):
        existing = NetworkMembershipFactory(network=network, since=datetime.date(2020, 1, 1))
        duplicate = NetworkMembershipFactory.build(
            network=network, organisation=existing.organisation, since=datetime.date(2023, 1, 1)
        )
        with pytest.raises(ValidationError, match="al lid"):
            duplicate.full_clean()

    def test_rejoining_after_an_ended_membership_is_fine(self, network):
        existing = NetworkMembershipFactory(network=network, ended=True)
        rejoin = NetworkMembershipFactory.build(
            network=network, organisation=existing.organisation, since=datetime.date(2023, 1, 1)
        )
        rejoin.full_clean()


class TestOrganisation:
    def test_kbo_is_stored_normalised(self):
        organisation = OrganisationFactory.build(
            sector=OrganisationFactory().sector, kbo_number="BE 0123.456.749"
        )
        organisation.full_clean()
        assert organisation.kbo_number == "0123456749"
        assert organisation.kbo_display == "0123.456.749"

    def test_duplicate_kbo_is_refused(self):
        first = OrganisationFactory(with_kbo=True)
        second = OrganisationFactory.build(sector=first.sector, kbo_number="0123.456.749")
        with pytest.raises(ValidationError, match="al een organisatie"):
            second.full_clean()

    def test_blank_name_is_refused(self):
        organisation = OrganisationFactory.build(sector=OrganisationFactory().sector, name="   ")
        with pytest.raises(ValidationError):
            organisation.full_clean()
