"""Property: whatever is POSTed to the instruments' form views (by a manager who represents the
organisation, so every form is reached), never a 500, and a refused submission (4xx) changes
nothing in the instruments tables."""

import datetime
import os

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instruments.models import (
    ImprovementAction,
    Instrument,
    Playbook,
    PlaybookAdoption,
    PlaybookStep,
    PlaybookTask,
    ReferralAgreement,
    ReferralAgreementSignatory,
    ReferralArea,
    TaskCheck,
)
from networks.models import Membership
from tests.conftest import Persona
from tests.factories import ImprovementActionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["", " ", "0", "-1", "1", "999999999999999999999", "NaN", "\x00", "a\x00b", "😀" * 50, "[]", "²", "٣"]
    ),
    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "10000-01-01", "31/12/2026", "2026-1-1"]),
    st.sampled_from(["9100, 9150-9190", "9190-9150", "12", "0999", "9100-", "9100 tot 9200", "-,-;"]),
    st.dates().map(datetime.date.isoformat),
)
TABLES = [
    Instrument,
    ReferralAgreement,
    ReferralArea,
    ReferralAgreementSignatory,
    Playbook,
    PlaybookStep,
    PlaybookTask,
    PlaybookAdoption,
    TaskCheck,
    ImprovementAction,
]


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in TABLES]


@pytest.fixture
def boss(network, member_organisation):
    """Coordinator who also represents the member organisation: every form is open to them."""
    user = UserFactory(username="coordinator-fuzz")
    MembershipFactory(
        user=user, network=network, role=Membership.Role.COORDINATOR, organisation=member_organisation
    )
    return Persona(user)


@pytest.fixture
def targets(network, instrument, agreement, flemish_playbook, draft_playbook, adoption):
    step = draft_playbook.steps.first()
    task = step.tasks.first()
    completed = type(adoption).objects.create(
        network=network,
        organisation=adoption.organisation,
        playbook=flemish_playbook,
        status=PlaybookAdoption.Status.COMPLETED,
        completed_on=datetime.date(2026, 1, 1),
    )
    action = ImprovementActionFactory(adoption=completed)
    flemish_tasks = PlaybookTask.objects.filter(step__playbook=flemish_playbook)
    n, d = network.pk, draft_playbook.pk
    return [
        (
            reverse("instruments:create", args=[n]),
            ["kind", "name", "binding", "origin", "version", "in_use_since", "contact_person"],
        ),
        (reverse("instruments:edit", args=[instrument.pk]), ["kind", "name", "binding", "contact_person"]),
        (
            reverse("instruments:referral-create", args=[n]),
            [
                "title",
                "receiving_organisation",
                "offer",
                "target_group",
                "domains",
                "age_min",
                "age_max",
                "areas",
                "referring_organisations",
                "contact_point",
                "contact_email",
                "valid_from",
                "valid_until",
            ],
        ),
        (
            reverse("instruments:referral-edit", args=[agreement.pk]),
            ["title", "areas", "age_min", "valid_until"],
        ),
        (reverse("instruments:referral-signatory", args=[agreement.pk]), ["organisation", "signed_on"]),
        (reverse("instruments:playbook-new-version", args=[n, flemish_playbook.pk]), ["version"]),
        (reverse("instruments:step-edit", args=[n, d, step.pk]), ["description"]),
        (
            reverse("instruments:task-create", args=[n, d, step.pk]),
            ["title", "expected_result", "quality_check", "order"],
        ),
        (
            reverse("instruments:task-edit", args=[n, d, task.pk]),
            ["title", "expected_result", "quality_check", "order"],
        ),
        (reverse("instruments:selfcheck-start", args=[n]), ["organisation", "playbook"]),
        (
            reverse("instruments:selfcheck-rate", args=[adoption.pk]),
            ["complete"]
            + [f"rating_{t.pk}" for t in flemish_tasks[:3]]
            + [f"note_{t.pk}" for t in flemish_tasks[:2]],
        ),
        (
            reverse("instruments:improvement-create", args=[completed.pk]),
            ["task", "level", "description", "owner", "due_on"],
        ),
        (
            reverse("instruments:improvement-status", args=[action.pk]),
            [f"action-{action.pk}-status", f"action-{action.pk}-status_note"],
        ),
    ]


@FUZZ
@given(data=st.data(), htmx=st.booleans())
def test_form_views_survive_any_post(client, boss, targets, data, htmx):
    client.force_login(boss.user)
    url, names = data.draw(st.sampled_from(targets))
    body = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, GARBAGE)))
    before = snapshot()
    with transaction.atomic():
        response = client.post(url, body, headers={"HX-Request": "true"} if htmx else {})
        after = snapshot()
        transaction.set_rollback(True)
    assert response.status_code < 500, (url, body)
    if 400 <= response.status_code < 500:
        assert after == before, (url, body)


# For the completeness check in tests/test_post_views_fuzzed.py (with BUTTON_URL_NAMES below).
_FORM_URL_NAMES = {
    "instruments:create",
    "instruments:edit",
    "instruments:referral-create",
    "instruments:referral-edit",
    "instruments:referral-signatory",
    "instruments:playbook-new-version",
    "instruments:step-edit",
    "instruments:task-create",
    "instruments:task-edit",
    "instruments:selfcheck-start",
    "instruments:selfcheck-rate",
    "instruments:improvement-create",
    "instruments:improvement-status",
}
# Buttons without fields: garbage bodies are posted to them in test_buttons_survive_garbage.
BUTTON_URL_NAMES = {"instruments:playbook-publish", "instruments:playbook-retire", "instruments:task-delete"}
FUZZED_URL_NAMES = _FORM_URL_NAMES | BUTTON_URL_NAMES


@pytest.mark.parametrize("name", sorted(BUTTON_URL_NAMES))
@pytest.mark.parametrize("body", [{}, {"x": "\x00"}, {"version": "😀" * 300}, {"confirm": ["a", "b"]}])
def test_buttons_survive_garbage(client, manager, network, draft_playbook, name, body):
    task = PlaybookTask.objects.filter(step__playbook=draft_playbook).first()
    args = [network.pk, draft_playbook.pk] + ([task.pk] if name == "instruments:task-delete" else [])
    client.force_login(manager.user)
    response = client.post(reverse(name, args=args), body)
    assert response.status_code < 500
