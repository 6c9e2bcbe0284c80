# ruff: noqa: F811 (pm and the learning fixtures are imported)
"""Property: whatever is POSTed to the learning-network views, never a 500, and a refused
submission (4xx) changes nothing (no theme, expert, note, bottleneck status or forum link)."""

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networks import services_learning as services
from networks.models import Bottleneck, LearningTheme, SignalNote, ThemeExpert

from .planmakers import TODAY, pm  # noqa: F401
from .test_learning import _clock, discussed, ln, theme  # noqa: F401

pytestmark = pytest.mark.django_db

FUZZED_URL_NAMES = {
    "cases:learning-theme-create",
    "cases:learning-theme-update",
    "cases:learning-theme-expert",
    "cases:learning-theme-discuss",
    "cases:learning-theme-note",
    "cases:learning-note-select",
    "cases:learning-note-present",
}
GET_ONLY_URL_NAMES = {
    "cases:learning-network",
    "cases:learning-theme",
    "cases:learning-forum",
    "cases:learning-note-status",
    "cases:learning-note-download",
}

FUZZ = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["", " ", "0", "-1", "1", "999999999999999999999", "NaN", "\x00", "😀" * 50, "on"]),
    st.sampled_from(["client_rep", "expert", "2026-02-30", "9999-12-31", TODAY.isoformat()]),
)
FIELDS = [
    "title", "question", "bottlenecks", "findings", "advice", "kind", "name", "organisation",
    "organisation_name", "expertise", "meeting", "addressed_to",
]  # fmt: skip
BODY = st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, GARBAGE))


def snapshot():
    return (
        list(LearningTheme.objects.order_by("pk").values_list("pk", "title", "status", "findings", "advice")),
        ThemeExpert.objects.count(),
        list(SignalNote.objects.order_by("pk").values_list("pk", "status", "presented_at")),
        list(Bottleneck.objects.order_by("pk").values_list("pk", "status")),
    )


def post(client, url, data):
    before = snapshot()
    with transaction.atomic():
        response = client.post(url, data)
        changed = snapshot() != before
        transaction.set_rollback(True)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert not changed


@FUZZ
@given(data=BODY)
def test_learning_posts_survive_anything(client, ln, discussed, fake_broker, data):
    note = services.request_signal_note(
        network=ln.pm.network,
        by=ln.pm.coordinator,
        theme=discussed,
        addressed_to="A",
        blocked={},
        blocked_total=0,
    )
    for user in (ln.pm.coordinator, ln.pm.planmaker, ln.pm.steering):
        client.force_login(user)
        for name, arg in (
            ("cases:learning-theme-create", ln.pm.network.pk),
            ("cases:learning-note-select", ln.pm.network.pk),
            ("cases:learning-theme-update", discussed.pk),
            ("cases:learning-theme-expert", discussed.pk),
            ("cases:learning-theme-discuss", discussed.pk),
            ("cases:learning-theme-note", discussed.pk),
            ("cases:learning-note-present", note.pk),
        ):
            post(client, reverse(name, args=[arg]), data)
