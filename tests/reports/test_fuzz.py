"""Property: whatever is POSTed to the report views added in issue 17 (the Flanders scope, the
history import), never a 500, and a refused submission (4xx) changes nothing in any table. Each
view is posted to by the persona allowed to use it (the agency for Flanders, regional staff for
imports), so the fuzzing reaches the forms and the services. The network and region report views
are fuzzed in tests/test_fuzz_forms.py."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from networks.models import Membership
from reports.models import HalfYear
from tests.factories import MembershipFactory
from tests.test_fuzz_forms import FUZZ_SETTINGS, field, post, submissions, text

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
    return {"network": network, "personas": {"agency": agency, "staff": staff}}


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
    }


FUZZED = ["reports:flanders-narrative", "reports:flanders-run-create"]


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
GET_ONLY_URL_NAMES = {"reports:flanders"}
