"""Draaiboek brede instap: the Flemish seed, versions (a new version copies steps and tasks),
drafts that managers edit, publishing that freezes a version."""

import pytest
from django.urls import reverse

from ijh.models import AuditEvent
from instruments.demo import STEPS, ensure_flemish_playbook
from instruments.models import Playbook, PlaybookStep, PlaybookTask
from tests.factories import PlaybookFactory, PlaybookStepFactory, PlaybookTaskFactory

from .conftest import HTMX

pytestmark = pytest.mark.django_db


def detail(network, playbook):
    return reverse("instruments:playbook-detail", args=[network.pk, playbook.pk])


def test_flemish_seed_has_six_steps_with_tasks_and_is_idempotent(db):
    first = ensure_flemish_playbook()
    again = ensure_flemish_playbook()
    assert first == again
    assert first.network is None and first.status == Playbook.Status.PUBLISHED
    assert [step.kind for step in first.steps.order_by("order")] == list(PlaybookStep.Kind.values)
    for step in first.steps.all():
        assert 2 <= step.tasks.count() <= 3
    assert PlaybookTask.objects.filter(step__playbook=first).count() == sum(len(tasks) for *_, tasks in STEPS)
    assert Playbook.objects.count() == 1


def test_network_sees_its_own_and_the_flemish_versions(
    as_user, network, member, flemish_playbook, draft_playbook, other_network
):
    PlaybookFactory(network=other_network, version="9")
    response = as_user(member).get(reverse("instruments:playbook-list", args=[network.pk]))
    assert {playbook.pk for playbook in response.context["playbooks"]} == {
        flemish_playbook.pk,
        draft_playbook.pk,
    }
    html = response.content.decode()
    assert "Vlaams" in html and "eigen netwerk" in html


def test_detail_shows_steps_and_tasks(as_user, network, member, flemish_playbook):
    html = as_user(member).get(detail(network, flemish_playbook)).content.decode()
    for kind in (
        "Toegangsdeur",
        "Onthaal",
        "Vraagverheldering",
        "Aanbodsverheldering",
        "Hulpverleningsvoorstel",
        "Dispatching",
    ):
        assert kind in html
    assert "Warme overdracht" in html or "warme overdracht" in html
    assert "Kwaliteitstoets" in html and "Ondersteunende instrumenten" in html


def test_new_version_copies_steps_and_tasks_as_a_draft_of_the_network(
    as_user, network, manager, flemish_playbook
):
    response = as_user(manager).post(
        reverse("instruments:playbook-new-version", args=[network.pk, flemish_playbook.pk]),
        {"version": "2.0"},
    )
    assert response.status_code == 302
    copy = Playbook.objects.get(network=network)
    assert (copy.title, copy.version, copy.status, copy.previous) == (
        flemish_playbook.title,
        "2.0",
        Playbook.Status.DRAFT,
        flemish_playbook,
    )
    original = list(
        PlaybookTask.objects.filter(step__playbook=flemish_playbook)
        .order_by("step__order", "order")
        .values_list(
            "step__kind", "order", "title", "expected_result", "quality_check", "supporting_instruments"
        )
    )
    copied = list(
        PlaybookTask.objects.filter(step__playbook=copy)
        .order_by("step__order", "order")
        .values_list(
            "step__kind", "order", "title", "expected_result", "quality_check", "supporting_instruments"
        )
    )
    assert copied == original
    # the source is untouched
    assert flemish_playbook.steps.count() == 6
    assert AuditEvent.objects.filter(action="playbook.version_created", object_id=str(copy.pk)).exists()


def test_duplicate_version_number_is_refused(as_user, network, manager, draft_playbook):
    response = as_user(manager).post(
        reverse("instruments:playbook-new-version", args=[network.pk, draft_playbook.pk]), {"version": "2"}
    )
    assert response.status_code == 422
    assert "Deze versie van het draaiboek bestaat al" in response.content.decode()
    assert Playbook.objects.count() == 1


def test_manager_edits_a_draft(as_user, network, manager, draft_playbook):
    client = as_user(manager)
    step = draft_playbook.steps.get(kind=PlaybookStep.Kind.RECEPTION)
    response = client.post(
        reverse("instruments:task-create", args=[network.pk, draft_playbook.pk, step.pk]),
        {
            "title": "Onthaal ook na de schooluren",
            "expected_result": "Jongeren kunnen na 16 uur langskomen.",
            "quality_check": "Is er minstens één avondmoment per week?",
            "supporting_instruments": "Overzicht onthaalmomenten",
            "order": "",
        },
    )
    assert response.status_code == 302
    task = step.tasks.get(title="Onthaal ook na de schooluren")
    assert task.order == 2  # appended after the existing task
    response = client.post(
        reverse("instruments:step-edit", args=[network.pk, draft_playbook.pk, step.pk]),
        {"description": "Iedereen wordt binnen vijf werkdagen ontvangen."},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.description == "Iedereen wordt binnen vijf werkdagen ontvangen."
    response = client.post(reverse("instruments:task-delete", args=[network.pk, draft_playbook.pk, task.pk]))
    assert response.status_code == 302
    assert not PlaybookTask.objects.filter(pk=task.pk).exists()


def test_task_form_bad_input_is_kept(as_user, network, manager, draft_playbook):
    step = draft_playbook.steps.first()
    response = as_user(manager).post(
        reverse("instruments:task-create", args=[network.pk, draft_playbook.pk, step.pk]),
        {"title": "Iets nieuws", "expected_result": "", "quality_check": "", "order": "abc"},
        headers=HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Beschrijf het verwachte resultaat." in html and "Geef een volgnummer" in html
    assert "Iets nieuws" in html
    assert not step.tasks.filter(title="Iets nieuws").exists()


def test_publish_locks_the_playbook(as_user, network, manager, draft_playbook):
    client = as_user(manager)
    response = client.post(reverse("instruments:playbook-publish", args=[network.pk, draft_playbook.pk]))
    assert response.status_code == 302
    draft_playbook.refresh_from_db()
    assert draft_playbook.status == Playbook.Status.PUBLISHED and draft_playbook.published_on
    step = draft_playbook.steps.first()
    task = step.tasks.first()
    task_data = {"title": "Gewijzigd", "expected_result": "x", "quality_check": "y", "order": "1"}
    attempts = [
        (reverse("instruments:task-edit", args=[network.pk, draft_playbook.pk, task.pk]), task_data),
        (reverse("instruments:task-create", args=[network.pk, draft_playbook.pk, step.pk]), task_data),
        (reverse("instruments:task-delete", args=[network.pk, draft_playbook.pk, task.pk]), {}),
        (
            reverse("instruments:step-edit", args=[network.pk, draft_playbook.pk, step.pk]),
            {"description": "x"},
        ),
        (reverse("instruments:playbook-publish", args=[network.pk, draft_playbook.pk]), {}),
    ]
    for url, data in attempts:
        response = client.post(url, data)
        assert response.status_code == 422, url
        assert "gepubliceerd en kan niet meer gewijzigd worden" in response.content.decode()
    assert client.get(attempts[0][0]).status_code == 422
    task.refresh_from_db()
    assert task.title != "Gewijzigd"
    assert step.tasks.count() == 1


def test_empty_draft_cannot_be_published(as_user, network, manager):
    empty = PlaybookFactory(network=network, status=Playbook.Status.DRAFT, published_on=None)
    PlaybookStepFactory(playbook=empty)
    response = as_user(manager).post(reverse("instruments:playbook-publish", args=[network.pk, empty.pk]))
    assert response.status_code == 422
    assert "zonder taken" in response.content.decode()
    empty.refresh_from_db()
    assert empty.status == Playbook.Status.DRAFT


def test_retire_a_published_version(as_user, network, manager):
    published = PlaybookFactory(network=network)
    PlaybookTaskFactory(step=PlaybookStepFactory(playbook=published))
    client = as_user(manager)
    assert (
        client.post(reverse("instruments:playbook-retire", args=[network.pk, published.pk])).status_code
        == 302
    )
    published.refresh_from_db()
    assert published.status == Playbook.Status.RETIRED
    # retired is locked too, and cannot be retired twice
    response = client.post(reverse("instruments:playbook-retire", args=[network.pk, published.pk]))
    assert response.status_code == 422


@pytest.mark.parametrize("rows", [1, 5])
def test_playbook_pages_queries_do_not_grow(as_user, network, member, rows, django_assert_num_queries):
    playbook = PlaybookFactory(network=network)
    for order, kind in enumerate(PlaybookStep.Kind.values[:rows], start=1):
        step = PlaybookStepFactory(playbook=playbook, kind=kind, order=order)
        PlaybookTaskFactory.create_batch(rows, step=step)
    for _ in range(rows - 1):
        PlaybookFactory(network=network)
    client = as_user(member)
    # session, user, network, playbooks with previous and task counts, session save (3)
    with django_assert_num_queries(7):
        assert client.get(reverse("instruments:playbook-list", args=[network.pk])).status_code == 200
    # session, user, network, playbook, steps, their tasks, session save (3)
    with django_assert_num_queries(9):
        assert client.get(detail(network, playbook)).status_code == 200
