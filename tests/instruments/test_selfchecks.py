"""Self-checks against a published playbook: started by the organisation's people or managers,
completed only when every task is rated; gaps become improvement actions followed up by status;
the steering group sees adoption as counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from ijh.models import AuditEvent
from instruments.models import ImprovementAction, Playbook, PlaybookAdoption, PlaybookTask, TaskCheck
from tests.factories import (
    ImprovementActionFactory,
    NetworkMembershipFactory,
    PlaybookAdoptionFactory,
    TaskCheckFactory,
)

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def tasks_of(playbook):
    return list(PlaybookTask.objects.filter(step__playbook=playbook).order_by("step__order", "order"))


def ratings(tasks, rating="met", **per_task):
    data = {}
    for task in tasks:
        data[f"rating_{task.pk}"] = per_task.get(str(task.pk), rating)
        data[f"note_{task.pk}"] = ""
    return data


# --- starting --------------------------------------------------------------------------------------


def test_member_starts_a_self_check_for_the_organisation_they_represent(
    as_user, network, member, member_organisation, flemish_playbook
):
    client = as_user(member)
    url = reverse("instruments:selfcheck-start", args=[network.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["organisation"].queryset) == [member_organisation]
    response = client.post(url, {"organisation": member_organisation.pk, "playbook": flemish_playbook.pk})
    assert response.status_code == 302
    adoption = PlaybookAdoption.objects.get()
    assert (adoption.organisation, adoption.playbook, adoption.performed_by) == (
        member_organisation,
        flemish_playbook,
        member.user,
    )
    assert adoption.status == PlaybookAdoption.Status.IN_PROGRESS
    assert AuditEvent.objects.filter(action="self_check.started").exists()


def test_member_cannot_start_for_another_organisation(
    as_user, network, member, receiving_organisation, flemish_playbook
):
    response = as_user(member).post(
        reverse("instruments:selfcheck-start", args=[network.pk]),
        {"organisation": receiving_organisation.pk, "playbook": flemish_playbook.pk},
    )
    assert response.status_code == 422
    assert "Je kan geen zelftoets starten voor deze organisatie." in response.content.decode()
    assert not PlaybookAdoption.objects.exists()


def test_only_published_versions_and_no_second_running_check(
    as_user, network, manager, member_organisation, flemish_playbook, draft_playbook, adoption
):
    client = as_user(manager)
    url = reverse("instruments:selfcheck-start", args=[network.pk])
    response = client.post(url, {"organisation": member_organisation.pk, "playbook": draft_playbook.pk})
    assert response.status_code == 422
    assert "Kies een gepubliceerde versie" in response.content.decode()
    response = client.post(url, {"organisation": member_organisation.pk, "playbook": flemish_playbook.pk})
    assert response.status_code == 422
    assert "al een lopende zelftoets" in response.content.decode()
    assert PlaybookAdoption.objects.count() == 1


# --- rating and completing ---------------------------------------------------------------------------


def test_partial_save_keeps_the_check_in_progress(as_user, member, adoption, flemish_playbook):
    tasks = tasks_of(flemish_playbook)
    data = {f"rating_{tasks[0].pk}": "partly", f"note_{tasks[0].pk}": "Enkel tijdens de kantooruren."}
    response = as_user(member).post(reverse("instruments:selfcheck-rate", args=[adoption.pk]), data)
    assert response.status_code == 302
    check = TaskCheck.objects.get(adoption=adoption)
    assert (check.task, check.rating, check.note) == (tasks[0], "partly", "Enkel tijdens de kantooruren.")
    adoption.refresh_from_db()
    assert adoption.status == PlaybookAdoption.Status.IN_PROGRESS


def test_completion_requires_every_task_rated(as_user, member, adoption, flemish_playbook):
    tasks = tasks_of(flemish_playbook)
    data = ratings(tasks[:-2])
    data[f"note_{tasks[-1].pk}"] = "Nog te bespreken."
    response = as_user(member).post(
        reverse("instruments:selfcheck-rate", args=[adoption.pk]), {**data, "complete": "1"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "beoordeel eerst alle taken (nog 2 taken open)" in html
    assert "Nog te bespreken." in html  # the note typed is kept
    adoption.refresh_from_db()
    assert adoption.status == PlaybookAdoption.Status.IN_PROGRESS
    assert not TaskCheck.objects.exists()  # nothing saved


def test_complete_with_all_rated_then_ratings_are_frozen(as_user, member, adoption, flemish_playbook):
    tasks = tasks_of(flemish_playbook)
    client = as_user(member)
    url = reverse("instruments:selfcheck-rate", args=[adoption.pk])
    data = ratings(tasks, **{str(tasks[0].pk): "not_met", str(tasks[1].pk): "partly"})
    response = client.post(url, {**data, "complete": "1"})
    assert response.status_code == 302
    adoption.refresh_from_db()
    assert adoption.status == PlaybookAdoption.Status.COMPLETED and adoption.completed_on
    assert TaskCheck.objects.filter(adoption=adoption).count() == len(tasks)
    assert AuditEvent.objects.filter(action="self_check.completed").exists()
    response = client.post(url, ratings(tasks, "not_met"))
    assert response.status_code == 422
    assert "liggen vast" in response.content.decode()
    assert TaskCheck.objects.filter(adoption=adoption, rating="met").count() == len(tasks) - 2


def test_note_without_rating_and_bad_rating_are_refused(as_user, member, adoption, flemish_playbook):
    tasks = tasks_of(flemish_playbook)
    data = {f"note_{tasks[0].pk}": "Zonder oordeel", f"rating_{tasks[1].pk}": "excellent"}
    response = as_user(member).post(reverse("instruments:selfcheck-rate", args=[adoption.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Kies een beoordeling bij deze toelichting." in html
    assert "Kies voldaan, deels voldaan of niet voldaan." in html
    assert not TaskCheck.objects.exists()


# --- improvement actions -------------------------------------------------------------------------------


@pytest.fixture
def completed(adoption, flemish_playbook):
    tasks = tasks_of(flemish_playbook)
    for index, task in enumerate(tasks):
        TaskCheckFactory(adoption=adoption, task=task, rating="not_met" if index == 0 else "met")
    adoption.status = PlaybookAdoption.Status.COMPLETED
    adoption.completed_on = datetime.date(2026, 2, 1)
    adoption.save()
    return adoption


def test_gap_becomes_an_improvement_action(as_user, member, manager, completed, flemish_playbook):
    gap = tasks_of(flemish_playbook)[0]
    client = as_user(member)
    page = client.get(reverse("instruments:selfcheck-detail", args=[completed.pk]))
    assert list(page.context["action_form"].fields["task"].queryset) == [gap]
    assert gap.title in page.context["gaps_without_action"][0].title
    response = client.post(
        reverse("instruments:improvement-create", args=[completed.pk]),
        {
            "task": gap.pk,
            "level": ImprovementAction.Level.NETWORK,
            "description": "Gezamenlijke folder brede instap voor scholen",
            "owner": manager.user.pk,
            "due_on": "2026-06-30",
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert (action.task, action.level, action.owner, action.status) == (gap, "network", manager.user, "open")
    assert AuditEvent.objects.filter(
        action="self_check.improvement_added", network_id=completed.network_id
    ).exists()


def test_improvement_action_needs_a_gap_task_and_a_level(as_user, member, completed, flemish_playbook):
    met_task = tasks_of(flemish_playbook)[1]
    response = as_user(member).post(
        reverse("instruments:improvement-create", args=[completed.pk]),
        {"task": met_task.pk, "level": "", "description": "Iets"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "deels of niet voldaan" in html and "Kies het niveau dat kan handelen." in html
    assert not ImprovementAction.objects.exists()


def test_no_improvement_actions_before_completion(as_user, member, adoption):
    response = as_user(member).post(
        reverse("instruments:improvement-create", args=[adoption.pk]),
        {"level": "organisation", "description": "Te vroeg"},
    )
    assert response.status_code == 422
    assert not ImprovementAction.objects.exists()


def test_status_follow_up_and_dropping_needs_a_reason(as_user, member, completed):
    action = ImprovementActionFactory(adoption=completed)
    client = as_user(member)
    url = reverse("instruments:improvement-status", args=[action.pk])
    prefix = f"action-{action.pk}"
    response = client.post(url, {f"{prefix}-status": "dropped", f"{prefix}-status_note": ""}, headers=HTMX)
    assert response.status_code == 422
    assert "Geef aan waarom de verbeteractie geschrapt wordt." in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"
    response = client.post(
        url, {f"{prefix}-status": "in_progress", f"{prefix}-status_note": "Folder in ontwerp."}, headers=HTMX
    )
    assert response.status_code == 200
    assert 'id="action-' in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.status_note) == ("in_progress", "Folder in ontwerp.")
    event = AuditEvent.objects.get(action="self_check.improvement_updated")
    assert set(event.changed_fields) == {"status", "status_note"}


def test_owner_of_an_action_may_move_it_along(as_user, network, completed):
    from tests.conftest import Persona
    from tests.factories import MembershipFactory

    owner = Persona(MembershipFactory(network=network).user)
    action = ImprovementActionFactory(adoption=completed, owner=owner.user)
    prefix = f"action-{action.pk}"
    response = as_user(owner).post(
        reverse("instruments:improvement-status", args=[action.pk]),
        {f"{prefix}-status": "done", f"{prefix}-status_note": ""},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


@pytest.mark.parametrize("rows", [1, 5])
def test_selfcheck_pages_queries_do_not_grow(
    as_user, network, member, completed, rows, django_assert_num_queries
):
    for _ in range(rows):
        ImprovementActionFactory(adoption=completed, owner=member.user)
        other = PlaybookAdoptionFactory(
            network=network,
            playbook=completed.playbook,
            organisation=NetworkMembershipFactory(network=network).organisation,
        )
        TaskCheckFactory(adoption=other, task=tasks_of(completed.playbook)[0])
    client = as_user(member)
    # session, user, network, self-checks with organisation, playbook and counts, can-start check,
    # session save (3)
    with django_assert_num_queries(8):
        assert client.get(reverse("instruments:selfcheck-list", args=[network.pk])).status_code == 200
    # session, user, self-check with manage flag, steps, tasks, checks, actions with owner and task,
    # gap tasks and network people for the action form, session save (3)
    with django_assert_num_queries(12):
        assert client.get(reverse("instruments:selfcheck-detail", args=[completed.pk])).status_code == 200


# --- adoption overview --------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_adoption_overview_counts(as_user, network, member, member_organisation, flemish_playbook):
    tasks = tasks_of(flemish_playbook)
    older = PlaybookAdoptionFactory(
        network=network,
        organisation=member_organisation,
        playbook=flemish_playbook,
        started_on=datetime.date(2025, 3, 1),
        completed_on=datetime.date(2025, 3, 20),
        status=PlaybookAdoption.Status.COMPLETED,
    )
    for task in tasks:
        TaskCheckFactory(adoption=older, task=task, rating="not_met")
    newer = PlaybookAdoptionFactory(
        network=network,
        organisation=member_organisation,
        playbook=flemish_playbook,
        started_on=datetime.date(2026, 9, 1),
        completed_on=datetime.date(2026, 9, 15),
        status=PlaybookAdoption.Status.COMPLETED,
    )
    for index, task in enumerate(tasks):
        TaskCheckFactory(adoption=newer, task=task, rating="met" if index % 2 == 0 else "partly")
    ImprovementActionFactory(adoption=older, level="network", status="done")
    ImprovementActionFactory(adoption=newer, level="flemish", status="open")
    ImprovementActionFactory(adoption=newer, level="flemish", status="open")

    response = as_user(member).get(reverse("instruments:adoption", args=[network.pk]))
    assert response.status_code == 200
    latest = response.context["latest"]
    assert [adoption.pk for adoption in latest] == [newer.pk]
    assert latest[0].met + latest[0].partly == len(tasks) and latest[0].not_met == 0
    assert latest[0].shares["not_met"] == 0
    timeline = {period["label"]: period for period in response.context["timeline"]}
    assert set(timeline) == {"2025-H1", "2026-H2"}
    assert timeline["2025-H1"]["not_met_share"] == 100
    table = {row["level"]: row for row in response.context["action_table"]}
    assert table[ImprovementAction.Level.FLEMISH.label]["total"] == 2
    assert table[ImprovementAction.Level.NETWORK.label]["cells"][2] == 1  # done
    assert response.context["action_total"] == 3


@pytest.mark.parametrize("rows", [1, 6])
def test_adoption_overview_queries_do_not_grow(
    as_user, network, member, flemish_playbook, rows, django_assert_num_queries
):
    tasks = tasks_of(flemish_playbook)
    for index in range(rows):
        organisation = NetworkMembershipFactory(network=network).organisation
        adoption = PlaybookAdoptionFactory(
            network=network,
            organisation=organisation,
            playbook=flemish_playbook,
            status=PlaybookAdoption.Status.COMPLETED,
            completed_on=datetime.date(2025, 1 + index, 1),
        )
        TaskCheckFactory(adoption=adoption, task=tasks[0], rating="met")
        ImprovementActionFactory(adoption=adoption)
    client = as_user(member)
    # session, user, network, self-checks with counts, improvement actions per level and status,
    # session save (3)
    with django_assert_num_queries(8):
        assert client.get(reverse("instruments:adoption", args=[network.pk])).status_code == 200


def test_adoption_overview_shows_no_people(as_user, network, member, completed):
    from tests.factories import UserFactory

    owner = UserFactory(first_name="Trekker", last_name="Zichtbaarniet")
    ImprovementActionFactory(adoption=completed, description="Verbeteractie X", owner=owner)
    html = as_user(member).get(reverse("instruments:adoption", args=[network.pk])).content.decode()
    assert "Zichtbaarniet" not in html
    assert "Verbeteractie X" not in html
    assert Playbook.objects.exists()


def test_only_the_broad_entry_fills_in_self_checks(as_user, network, manager, flemish_playbook):
    # given one organisation of the broad entry and one that is only a member
    entry = NetworkMembershipFactory(network=network, organisation__name="CAW Waasland").organisation
    other = NetworkMembershipFactory(
        network=network, organisation__name="Politiezone Waasland", is_broad_entry=False
    ).organisation
    client = as_user(manager)
    url = reverse("instruments:selfcheck-start", args=[network.pk])
    offered = set(client.get(url).context["form"].fields["organisation"].queryset)
    # then only the broad entry is offered, and the other is refused
    assert entry in offered and other not in offered
    response = client.post(url, {"organisation": other.pk, "playbook": flemish_playbook.pk})
    assert response.status_code == 422
    assert not PlaybookAdoption.objects.filter(organisation=other).exists()


def test_only_the_broad_entry_refers_under_an_agreement(as_user, network, manager):
    entry = NetworkMembershipFactory(network=network, organisation__name="CLB Waasland").organisation
    other = NetworkMembershipFactory(
        network=network, organisation__name="Stedelijke school", is_broad_entry=False
    ).organisation
    form = as_user(manager).get(reverse("instruments:referral-create", args=[network.pk])).context["form"]
    referring = set(form.fields["referring_organisations"].queryset)
    assert entry in referring and other not in referring
    assert other in set(form.fields["receiving_organisation"].queryset)
