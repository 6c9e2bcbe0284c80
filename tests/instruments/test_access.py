"""Who may see and change the instruments of a network: members read, managers (coordinator,
regional staff) write, people of other networks get 404 — for every page of the app."""

import pytest
from django.urls import reverse

from instruments.models import PlaybookStep
from tests.factories import ImprovementActionFactory, TaskCheckFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(network, instrument, agreement, flemish_playbook, draft_playbook, adoption):
    step = draft_playbook.steps.get(kind=PlaybookStep.Kind.RECEPTION)
    task = step.tasks.first()
    completed = adoption
    for flemish_task in flemish_playbook.steps.first().tasks.all():
        TaskCheckFactory(adoption=completed, task=flemish_task, rating="partly")
    action = ImprovementActionFactory(adoption=completed, description="Onthaaluren uitbreiden")
    return {
        "network": network,
        "instrument": instrument,
        "agreement": agreement,
        "flemish": flemish_playbook,
        "draft": draft_playbook,
        "step": step,
        "task": task,
        "adoption": adoption,
        "action": action,
    }


def read_urls(w):
    n = w["network"].pk
    return [
        reverse("instruments:list", args=[n]),
        reverse("instruments:referral-list", args=[n]),
        reverse("instruments:referral-detail", args=[w["agreement"].pk]),
        reverse("instruments:playbook-list", args=[n]),
        reverse("instruments:playbook-detail", args=[n, w["flemish"].pk]),
        reverse("instruments:playbook-detail", args=[n, w["draft"].pk]),
        reverse("instruments:selfcheck-list", args=[n]),
        reverse("instruments:selfcheck-detail", args=[w["adoption"].pk]),
        reverse("instruments:adoption", args=[n]),
    ]


def manager_get_urls(w):
    n, d = w["network"].pk, w["draft"].pk
    return [
        reverse("instruments:create", args=[n]),
        reverse("instruments:edit", args=[w["instrument"].pk]),
        reverse("instruments:referral-create", args=[n]),
        reverse("instruments:referral-edit", args=[w["agreement"].pk]),
        reverse("instruments:step-edit", args=[n, d, w["step"].pk]),
        reverse("instruments:task-create", args=[n, d, w["step"].pk]),
        reverse("instruments:task-edit", args=[n, d, w["task"].pk]),
    ]


def write_posts(w):
    n, d = w["network"].pk, w["draft"].pk
    return [
        reverse("instruments:create", args=[n]),
        reverse("instruments:edit", args=[w["instrument"].pk]),
        reverse("instruments:referral-create", args=[n]),
        reverse("instruments:referral-edit", args=[w["agreement"].pk]),
        reverse("instruments:referral-signatory", args=[w["agreement"].pk]),
        reverse("instruments:playbook-new-version", args=[n, w["flemish"].pk]),
        reverse("instruments:playbook-publish", args=[n, d]),
        reverse("instruments:playbook-retire", args=[n, d]),
        reverse("instruments:step-edit", args=[n, d, w["step"].pk]),
        reverse("instruments:task-create", args=[n, d, w["step"].pk]),
        reverse("instruments:task-edit", args=[n, d, w["task"].pk]),
        reverse("instruments:task-delete", args=[n, d, w["task"].pk]),
    ]


def selfcheck_posts(w):
    return [
        reverse("instruments:selfcheck-rate", args=[w["adoption"].pk]),
        reverse("instruments:improvement-create", args=[w["adoption"].pk]),
        reverse("instruments:improvement-status", args=[w["action"].pk]),
    ]


@pytest.mark.parametrize("persona", ["member", "manager", "regional_staff"])
def test_network_people_read_every_page(request, as_user, world, persona):
    client = as_user(request.getfixturevalue(persona))
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["manager", "regional_staff"])
def test_managers_open_every_form(request, as_user, world, persona):
    client = as_user(request.getfixturevalue(persona))
    for url in manager_get_urls(world):
        assert client.get(url).status_code == 200, url


def test_member_may_not_write(as_user, world, member):
    client = as_user(member)
    for url in manager_get_urls(world):
        assert client.get(url).status_code == 403, url
    for url in write_posts(world):
        assert client.post(url, {}).status_code == 403, url


def test_member_of_another_organisation_may_not_fill_in_the_self_check(as_user, world, network):
    from tests.conftest import Persona
    from tests.factories import MembershipFactory

    colleague = Persona(MembershipFactory(network=network).user)  # no organisation represented
    client = as_user(colleague)
    for url in selfcheck_posts(world):
        assert client.post(url, {}).status_code == 403, url
    assert client.get(reverse("instruments:selfcheck-start", args=[network.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["outsider", "former_member"])
def test_others_get_404_everywhere(request, as_user, world, persona):
    client = as_user(request.getfixturevalue(persona))
    for url in read_urls(world) + manager_get_urls(world):
        assert client.get(url).status_code == 404, url
    for url in write_posts(world) + selfcheck_posts(world):
        assert client.post(url, {}).status_code == 404, url


def test_flemish_playbook_is_read_only_even_for_managers(as_user, world, manager):
    client = as_user(manager)
    n, flemish = world["network"].pk, world["flemish"]
    step = flemish.steps.first()
    assert client.get(reverse("instruments:step-edit", args=[n, flemish.pk, step.pk])).status_code == 403
    assert client.post(reverse("instruments:playbook-retire", args=[n, flemish.pk])).status_code == 403


def test_another_networks_playbook_is_not_found(as_user, world, manager, other_network):
    from tests.factories import PlaybookFactory

    foreign = PlaybookFactory(network=other_network)
    client = as_user(manager)
    url = reverse("instruments:playbook-detail", args=[world["network"].pk, foreign.pk])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    for url in [*read_urls(world), reverse("instruments:directory")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
