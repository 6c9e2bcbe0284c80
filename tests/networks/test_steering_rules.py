"""Model rules that span rows: tree consistency, measurable goals, signatories on the signing day."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from networks.models import Agreement, AgreementSignatory, Goal, GoalProgress
from tests.factories import AgreementFactory, GoalFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db


def test_goal_kind_cannot_change_under_its_children(network):
    operational = GoalFactory(network=network, operational=True)
    GoalFactory(network=network, kind=Goal.Kind.ACTION, parent=operational)
    operational.kind = Goal.Kind.ACTION
    operational.parent = GoalFactory(network=network, operational=True)
    with pytest.raises(ValidationError) as excinfo:
        operational.full_clean()
    assert "kind" in excinfo.value.message_dict


def test_progress_needs_a_goal_with_an_indicator(network):
    end_goal = GoalFactory(network=network)
    with pytest.raises(ValidationError, match="geen indicator"):
        GoalProgress(goal=end_goal, measured_on=datetime.date(2026, 1, 1), value=3).full_clean()


def test_former_member_cannot_sign_after_leaving(network):
    organisation = NetworkMembershipFactory(network=network, ended=True).organisation  # left on 01/01/2021
    agreement = AgreementFactory(network=network)
    late = AgreementSignatory(
        agreement=agreement, organisation=organisation, signed_on=datetime.date(2024, 2, 1)
    )
    with pytest.raises(ValidationError, match="geen lid"):
        late.full_clean()
    AgreementSignatory(
        agreement=agreement, organisation=organisation, signed_on=datetime.date(2020, 6, 1)
    ).full_clean()


def test_same_agreement_version_twice_is_refused(network):
    AgreementFactory(network=network, title="Protocol", version="2.0")
    duplicate = Agreement(
        network=network,
        kind="protocol",
        title="Protocol",
        version="2.0",
        valid_from=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError, match="bestaat al"):
        duplicate.full_clean()


def test_duplicate_agreement_version_in_the_form_is_a_dutch_error(client, network, manager):
    AgreementFactory(network=network, title="Protocol", version="2.0")
    client.force_login(manager.user)
    response = client.post(
        f"/netwerken/{network.pk}/overeenkomsten/nieuw/",
        {
            "kind": "protocol",
            "title": "Protocol",
            "version": "2.0",
            "binding": "mandatory",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 422
    assert "bestaat al" in response.text
    assert Agreement.objects.count() == 1


def test_goal_create_ignores_a_unicode_digit_parent(client, network, manager):
    client.force_login(manager.user)
    assert client.get(f"/netwerken/{network.pk}/doelen/nieuw/?parent=%C2%B2").status_code == 200
