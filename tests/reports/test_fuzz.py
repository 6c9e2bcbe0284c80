"""Property: whatever is POSTed to the report views added in issue 17 (the Flanders scope, the
history import), never a 500, and a refused submission (4xx) changes nothing in any table. Each
view is posted to by the persona allowed to use it (the agency for Flanders, regional staff for
imports), so the fuzzing reaches the forms and the services. The network and region report views
are fuzzed in tests/test_fuzz_forms.py."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from networks.models import Membership
from reports import history_services
from reports.models import HalfYear
from tests.factories import GoalFactory, MembershipFactory
from tests.test_fuzz_forms import FUZZ_SETTINGS, NASTY, field, post, submissions, text, upload_field

from .test_history_import import CLEAN_CONFERENCES

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(network, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    agency = MembershipFactory(role=Membership.Role.AGENCY, network=None, region=None).user
    staff = MembershipFactory(regional_staff=True, region=network.region).user
    batch, _checked = history_services.dry_run(
        network=network, kind="conferences", content=CLEAN_CONFERENCES.encode(), filename="h.csv", by=staff
    )
    goal = GoalFactory(network=network, operational=True)
    return {"network": network, "batch": batch, "goal": goal, "personas": {"agency": agency, "staff": staff}}


def history_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("historiek.csv", CLEAN_CONFERENCES.replace("CO-", "NEW-").encode())


def _period() -> HalfYear:
    return HalfYear.containing(timezone.localdate()).previous()


def period_fields() -> dict:
    period = _period()
    return {
        "jaar": field(st.sampled_from([str(period.year), "2004", "2100", "0"])),
        "semester": field(st.sampled_from([str(period.half), "0", "1", "2", "3"])),
    }


def valid_period() -> dict:
    period = _period()
    return {"jaar": str(period.year), "semester": str(period.half)}


def views(w) -> dict:
    """url name → (persona, url, field strategies, a valid submission)."""
    return {
        "reports:flanders-narrative": (
            "agency",
            reverse("reports:flanders-narrative"),
            {
                **period_fields(),
                "bottlenecks": text("Wachtlijsten in heel Vlaanderen."),
                "good_practices": text(),
                "conclusions": text(),
            },
            {**valid_period(), "bottlenecks": "Wachtlijsten.", "conclusions": "Ok."},
        ),
        "reports:flanders-run-create": (
            "agency",
            reverse("reports:flanders-run-create"),
            period_fields(),
            valid_period(),
        ),
        "reports:history-check": (
            "staff",
            reverse("reports:history-check", args=[w["network"].pk]),
            {
                "kind": field(st.sampled_from(["conferences", "referrals", "cases"])),
                "file": st.one_of(upload_field(), st.builds(history_file), NASTY),
            },
            {"kind": "conferences", "file": history_file()},
        ),
        "reports:indicator-save": (
            "staff",
            reverse("reports:indicator-save", args=[w["goal"].pk]),
            {
                f"goal-{w['goal'].pk}-figure": field(
                    st.sampled_from(["", "client_conference.requests", "referrals.sent", "nope"])
                ),
                f"goal-{w['goal'].pk}-counts_people": field(st.sampled_from(["on", "", "true"])),
            },
            {f"goal-{w['goal'].pk}-figure": "client_conference.requests"},
        ),
        "reports:history-import": (
            "staff",
            reverse("reports:history-import", args=[w["batch"].pk]),
            {},
            {},
        ),
    }


FUZZED = [
    "reports:flanders-narrative",
    "reports:flanders-run-create",
    "reports:history-check",
    "reports:history-import",
    "reports:indicator-save",
]


@pytest.fixture
def _no_broker(monkeypatch):
    monkeypatch.setattr("ijh.queue.publish", lambda name, *args: None)


@pytest.mark.parametrize("view_name", FUZZED)
def test_fuzzed_posts_never_500_and_refusals_save_nothing(client, world, view_name, _no_broker):
    persona, url, fields, valid = views(world)[view_name]
    client.force_login(world["personas"][persona])

    @FUZZ_SETTINGS
    @given(submission=submissions(fields, valid))
    def run(submission):
        body, content_type, headers, _sent = submission
        for value in body.values() if isinstance(body, dict) else ():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, SimpleUploadedFile):
                    item.seek(0)  # the same upload object is drawn again by later examples
        response, changed, page = post(client, url, body, content_type, headers)
        assert response.status_code < 500, response.status_code
        if 400 <= response.status_code < 500:
            assert changed == [], changed
        if page is not None:
            assert page.status_code == 200

    run()


@pytest.mark.parametrize("view_name", FUZZED)
def test_valid_baseline_is_accepted(client, world, view_name, _no_broker):
    persona, url, _fields, valid = views(world)[view_name]
    client.force_login(world["personas"][persona])
    response = client.post(url, valid)
    errors = re.findall(r'class="(?:error|form-errors)"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert response.status_code in (200, 302), (view_name, response.status_code, errors)


# For the completeness check in tests/test_post_views_fuzzed.py.
FUZZED_URL_NAMES = set(FUZZED)
GET_ONLY_URL_NAMES = {
    "reports:flanders",
    "reports:history",
    "reports:history-detail",
    "reports:history-template",
    "reports:indicators",
}
