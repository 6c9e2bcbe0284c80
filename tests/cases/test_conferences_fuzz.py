"""Property: whatever is POSTed to the cliëntoverleg and document views, never a 500, and a refused
submission (4xx) changes nothing in any table. Each view is posted to by the persona allowed to use
it, so the fuzzing reaches the forms and the services behind them. Also: every POST view of the
cases and instruments apps is fuzzed somewhere (the completeness check at the end)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cases.models import (
    CarePlanItem,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    SessionInvitation,
)
from tests.factories import (
    CarePlanItemFactory,
    ClientConferenceFactory,
    ConferenceSessionFactory,
    SessionInvitationFactory,
    life_domain,
)
from tests.test_fuzz_forms import (
    FUZZ_SETTINGS,
    choice_field,
    date_field,
    field,
    pk_field,
    post,
    submissions,
    text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(case, consent, conference, caseworker, conference_chair, manager, case_organisation):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    session = ConferenceSessionFactory(conference=conference, starts_at=yesterday)
    invitation = SessionInvitationFactory(session=session, organisation=case_organisation)
    item = CarePlanItemFactory(made_in=session, conference=conference, owner=caseworker.user)
    requested = ClientConferenceFactory(case=case, consent=consent, requested_by=caseworker.user)
    # Admissible, no chair yet: the cell's to assign one.
    needs_chair = ClientConferenceFactory(
        case=case, consent=consent, requested_by=caseworker.user, admissible=True
    )
    closed = ClientConferenceFactory(
        case=case,
        consent=consent,
        requested_by=caseworker.user,
        admissible=True,
        chair=conference.chair,
        status=ClientConference.Status.CLOSED,
        closed_on=timezone.localdate(),
        outcome=ClientConference.Outcome.GOALS_REACHED,
    )
    return {
        "case": case,
        "conference": conference,
        "requested": requested,
        "needs_chair": needs_chair,
        "closed": closed,
        "session": session,
        "invitation": invitation,
        "item": item,
        "personas": {"team": caseworker, "chair": conference_chair, "cell": manager},
        "organisation": case_organisation,
    }


def views(w) -> dict:
    """url name → (persona, url, field strategies, a valid submission)."""
    conference, session, item = w["conference"], w["session"], w["item"]
    chair, caseworker = w["personas"]["chair"].user, w["personas"]["team"].user
    today = timezone.localdate().isoformat()
    starts = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    return {
        "cases:conference-request": (
            "team",
            reverse("cases:conference-request", args=[w["case"].pk]),
            {
                "requesting_organisation": pk_field(w["organisation"]),
                "question": text("Hoe verder?"),
                "complexity": text("Veel diensten"),
                "involved": text("Moeder, school"),
            },
            {
                "requesting_organisation": w["organisation"].pk,
                "question": "Hoe verder?",
                "complexity": "Veel",
                "involved": "Moeder",
            },
        ),
        "cases:conference-decide": (
            "cell",
            reverse("cases:conference-decide", args=[w["requested"].pk]),
            {
                "admissible": field(st.sampled_from(["1", "0", "yes", "true"])),
                "reason": text("Complex"),
            },
            {"admissible": "1", "reason": "Complex"},
        ),
        "cases:conference-chair": (
            "cell",
            reverse("cases:conference-chair", args=[w["needs_chair"].pk]),
            {"chair": pk_field(chair)},
            {"chair": chair.pk},
        ),
        "cases:conference-withdraw": (
            "team",
            reverse("cases:conference-withdraw", args=[w["requested"].pk]),
            {},
            {},
        ),
        "cases:conference-session-add": (
            "chair",
            reverse("cases:conference-session-add", args=[conference.pk]),
            {
                "kind": choice_field(ConferenceSession, "kind"),
                "starts_at": field(st.sampled_from([starts, "2020-01-01T10:00"])),
                "location": text("Zaal 1"),
            },
            {"kind": "follow_up", "starts_at": starts, "location": "Zaal 1"},
        ),
        "cases:conference-case-manager": (
            "chair",
            reverse("cases:conference-case-manager", args=[conference.pk]),
            {"case_manager": pk_field(caseworker)},
            {"case_manager": caseworker.pk},
        ),
        "cases:conference-close": (
            "chair",
            reverse("cases:conference-close", args=[conference.pk]),
            {
                "outcome": choice_field(ClientConference, "outcome"),
                "note": text("Goed"),
                "closed_on": date_field(),
            },
            {"outcome": "goals_reached", "note": "Goed", "closed_on": today},
        ),
        "cases:conference-evaluation": (
            "chair",
            reverse("cases:conference-evaluation", args=[w["closed"].pk, "chair"]),
            {
                f"chair-{name}": field(st.sampled_from(["1", "5", "0", "6"]))
                for name in ("heard", "clear_agreements", "helped", "would_recommend")
            }
            | {"chair-comment": text("")},
            {f"chair-{name}": "4" for name in ("heard", "clear_agreements", "helped", "would_recommend")},
        ),
        "cases:conference-invite": (
            "chair",
            reverse("cases:conference-invite", args=[session.pk]),
            {
                "kind": choice_field(SessionInvitation, "kind"),
                "name": text("Grootmoeder", "Moeder"),
                "organisation": pk_field(w["organisation"]),
                "bound_by_secrecy": field(st.sampled_from(["on", ""])),
            },
            {"kind": "parent", "name": "Moeder"},
        ),
        "cases:conference-attendance": (
            "chair",
            reverse("cases:conference-attendance", args=[w["invitation"].pk]),
            {"attended": field(st.sampled_from(["yes", "no", "", "true"]))},
            {"attended": "yes"},
        ),
        "cases:conference-session-status": (
            "chair",
            reverse("cases:conference-session-status", args=[session.pk]),
            {"status": choice_field(ConferenceSession, "status")},
            {"status": "held"},
        ),
        "cases:conference-session-notes": (
            "chair",
            reverse("cases:conference-session-notes", args=[session.pk]),
            {"notes": text("Verslag")},
            {"notes": "Verslag"},
        ),
        "cases:conference-plan-item-add": (
            "chair",
            reverse("cases:conference-plan-item-add", args=[session.pk]),
            {
                "domain": pk_field(life_domain("school")),
                "description": text("Huiswerkbegeleiding"),
                "owner": pk_field(caseworker),
                "owner_label": text("Moeder"),
                "due_on": date_field(timezone.localdate() + datetime.timedelta(days=30)),
            },
            {
                "domain": life_domain("school").pk,
                "description": "Huiswerkbegeleiding",
                "owner": caseworker.pk,
                "due_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            },
        ),
        "cases:conference-plan-item-follow-up": (
            "team",
            reverse("cases:conference-plan-item-follow-up", args=[item.pk]),
            {
                "status": choice_field(CarePlanItem, "status"),
                "not_done_reason": choice_field(CarePlanItem, "not_done_reason"),
                "note": text("Wachtlijst"),
                "session": pk_field(session),
            },
            {"status": "done"},
        ),
        "cases:document-create": (
            "team",
            reverse("cases:document-create"),
            {
                "kind": field(st.sampled_from(["care_plan", "invitations", "referral_letter", "x"])),
                "source": field(
                    st.sampled_from(
                        [f"conference:{conference.pk}", f"session:{session.pk}", "conference:x", "x:1"]
                    )
                ),
                "next": field(st.sampled_from(["/", "https://evil.example/", ""])),
            },
            {"kind": "care_plan", "source": f"conference:{conference.pk}"},
        ),
    }


FUZZED = [
    "cases:conference-request",
    "cases:conference-decide",
    "cases:conference-chair",
    "cases:conference-withdraw",
    "cases:conference-session-add",
    "cases:conference-case-manager",
    "cases:conference-close",
    "cases:conference-evaluation",
    "cases:conference-invite",
    "cases:conference-attendance",
    "cases:conference-session-status",
    "cases:conference-session-notes",
    "cases:conference-plan-item-add",
    "cases:conference-plan-item-follow-up",
    "cases:document-create",
]


@pytest.fixture
def _no_broker(monkeypatch):
    # A valid document request queues a task on commit; the savepoint is rolled back anyway.
    monkeypatch.setattr("cases.services.documents._enqueue", lambda document_id: None, raising=False)


@pytest.mark.parametrize("view_name", FUZZED)
def test_fuzzed_posts_never_500_and_refusals_save_nothing(client, world, view_name, _no_broker):
    persona, url, fields, valid = views(world)[view_name]
    client.force_login(world["personas"][persona].user)

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
    client.force_login(world["personas"][persona].user)
    response = client.post(url, valid)
    errors = re.findall(r'class="(?:error|form-errors)"[^>]*>(.*?)</', response.content.decode(), re.S)
    assert response.status_code in (200, 302), (view_name, response.status_code, errors)


# For the completeness check in tests/test_post_views_fuzzed.py.
FUZZED_URL_NAMES = set(FUZZED)
GET_ONLY_URL_NAMES = {
    "cases:list",
    "cases:detail",
    "cases:timeline",
    "cases:viewers",
    "cases:consent-evidence",
    "cases:conference-inbox",
    "cases:conference-detail",
    "cases:conference-session",
    "cases:referral-inbox",
    "cases:referral-detail",
    "cases:document-status",
    "cases:document-download",
    "instruments:list",
    "instruments:referral-list",
    "instruments:referral-detail",
    "instruments:directory",
    "instruments:playbook-list",
    "instruments:playbook-detail",
    "instruments:selfcheck-list",
    "instruments:selfcheck-detail",
    "instruments:adoption",
}


def test_evaluation_scale_is_enforced(client, world):
    client.force_login(world["personas"]["chair"].user)
    url = reverse("cases:conference-evaluation", args=[world["closed"].pk, "chair"])
    response = client.post(
        url, {f"chair-{n}": "9" for n in ("heard", "clear_agreements", "helped", "would_recommend")}
    )
    assert response.status_code == 422
    assert not ConferenceEvaluation.objects.exists()
