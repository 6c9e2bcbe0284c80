"""Every main page, scanned with axe-core (WCAG 2.1 A and AA) in Chromium, on the demo data.

Each demo login sees the pages of its role: the coordinator the network pages, regional staff the
reports, the chair the self-assessment. A page passes with no serious or critical violation; the
full axe result and a screenshot of every page land in var/screenshots/ for review.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from networks import demo
from networks.models import Agreement, Goal, Meeting, Network, SelfAssessmentRound
from tests.factories import SelfAssessmentRoundFactory

from .axe import axe_script, check_accessibility, describe
from .conftest import login

# The live server thread only sees committed rows, hence transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NETWORK = "RTJ Waas en Dender"


@dataclass(frozen=True)
class Demo:
    network: Network
    meeting: Meeting
    goal: Goal
    agreement: Agreement
    closed_round: SelfAssessmentRound


@pytest.fixture
def demo_data() -> Demo:
    demo.load()
    network = Network.objects.get(name=NETWORK)
    return Demo(
        network=network,
        # The latest meeting that took place: agenda, attendance, decisions, actions and minutes.
        meeting=Meeting.objects.filter(network=network, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first(),
        # An operational goal with measurements: the page draws the progress chart.
        goal=Goal.objects.filter(network=network, kind=Goal.Kind.OPERATIONAL, progress_updates__isnull=False)
        .distinct()
        .order_by("pk")
        .first(),
        agreement=Agreement.objects.filter(network=network, signatures__isnull=False)
        .distinct()
        .order_by("pk")
        .first(),
        closed_round=SelfAssessmentRound.objects.filter(network=network, closed_at__isnull=False)
        .order_by("-opened_on")
        .first(),
    )


@pytest.fixture
def a11y_page(browser):
    """A page in a context that ignores the app's CSP, so axe can be injected."""
    axe_script()  # fail early, with the `npm ci` hint, before any data is loaded
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


Page = tuple[str, Callable[[Demo], str]]

COORDINATOR_PAGES: list[Page] = [
    ("dashboard", lambda d: reverse("home")),
    ("network-list", lambda d: reverse("networks:list")),
    ("network-detail", lambda d: reverse("networks:detail", args=[d.network.pk])),
    ("meeting-list", lambda d: reverse("networks:meeting-list", args=[d.network.pk])),
    ("meeting-detail", lambda d: reverse("networks:meeting-detail", args=[d.meeting.pk])),
    ("action-list", lambda d: reverse("networks:action-list", args=[d.network.pk])),
    ("goal-list", lambda d: reverse("networks:goal-list", args=[d.network.pk])),
    ("goal-detail", lambda d: reverse("networks:goal-detail", args=[d.goal.pk])),
    ("agreement-list", lambda d: reverse("networks:agreement-list", args=[d.network.pk])),
    ("agreement-detail", lambda d: reverse("networks:agreement-detail", args=[d.agreement.pk])),
    ("partner-load", lambda d: reverse("networks:partner-load", args=[d.network.pk])),
    ("invitation-list", lambda d: reverse("networks:invitation-list", args=[d.network.pk])),
    ("invitation-form", lambda d: reverse("networks:invitation-create", args=[d.network.pk])),
    ("profile", lambda d: reverse("account:profile")),
    ("password-change", lambda d: reverse("account:password-change")),
    ("role-form", lambda d: reverse("networks:role-add", args=[d.network.pk])),
]
CHAIR_PAGES: list[Page] = [
    ("assessment-list", lambda d: reverse("networks:assessment-list", args=[d.network.pk])),
    ("assessment-closed-round", lambda d: reverse("networks:assessment-detail", args=[d.closed_round.pk])),
]
STAFF_PAGES: list[Page] = [
    ("reports-index", lambda d: reverse("reports:index")),
    ("reports-scope", lambda d: reverse("reports:network", args=[d.network.pk])),
    # A period that does not exist: the errors must be tied to their fields.
    (
        "reports-scope-period-errors",
        lambda d: reverse("reports:network", args=[d.network.pk]) + "?jaar=twee&semester=3",
    ),
]


def scan(page, live_server, demo_data: Demo, pages: list[Page]) -> dict[str, list[dict]]:
    found = {}
    for name, url in pages:
        response = page.goto(live_server.url + url(demo_data))
        assert response is not None and response.status == 200, (name, response and response.status)
        # Forms folded away in <details> (decision, action, attachment…) are scanned too.
        page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
        found[name] = check_accessibility(page, f"a11y-{name}")
    return found


def assert_no_violations(found: dict[str, list[dict]]) -> None:
    failing = {name: violations for name, violations in found.items() if violations}
    if failing:
        pytest.fail(
            "Serious or critical accessibility violations (details in var/screenshots/axe-a11y-*.json):\n"
            + "\n".join(f"{name}:\n{describe(violations)}" for name, violations in failing.items()),
            pytrace=False,
        )


def test_login_page(a11y_page, live_server):
    a11y_page.goto(live_server.url + reverse("login"))
    assert_no_violations({"login": check_accessibility(a11y_page, "a11y-login")})


def test_network_pages_as_coordinator(a11y_page, live_server, demo_data):
    login(a11y_page, live_server, "coordinator", demo.DEMO_PASSWORD)
    found = scan(a11y_page, live_server, demo_data, COORDINATOR_PAGES)

    # The role form again, after a submission with errors: the messages must be announced.
    form = a11y_page.locator("#edit-form")
    form.get_by_label("Vanaf").fill("2025-06-01")
    form.get_by_label("Tot en met").fill("2025-05-01")
    with a11y_page.expect_response(lambda r: r.request.method == "POST"):
        form.get_by_role("button", name="Opslaan").click()
    a11y_page.locator("#edit-form .form-errors").wait_for()
    found["role-form-errors"] = check_accessibility(a11y_page, "a11y-role-form-errors")
    # The person search's answers (radio buttons) on the role form (issue 21 §1).
    a11y_page.locator("#edit-form").get_by_label("Persoon").fill("mertens")
    a11y_page.get_by_role("radio", name=re.compile("Mertens")).wait_for()
    found["role-form-person-search"] = check_accessibility(a11y_page, "a11y-role-form-person-search")
    assert_no_violations(found)


def test_account_pages_without_login(a11y_page, live_server, demo_data):
    """Issue 21: "wachtwoord vergeten", its answer, and an invitation link."""
    from networks import invitations
    from networks.models import Membership

    coordinator = Membership.objects.filter(
        network=demo_data.network, role=Membership.Role.COORDINATOR
    ).first()
    invitation = invitations.invite(
        by=coordinator.user,
        membership=Membership(network=demo_data.network, role=Membership.Role.STEERING_MEMBER),
        first_name="Nele",
        last_name="Nieuw",
        email="nele.nieuw@example.org",
    )
    token = invitation.renew()
    invitation.save()
    found = {}
    for name, url in (
        ("password-reset", reverse("account:password-reset")),
        ("password-reset-sent", reverse("account:password-reset-sent")),
        ("invitation-link", reverse("account:invitation", args=[token])),
    ):
        a11y_page.goto(live_server.url + url)
        found[name] = check_accessibility(a11y_page, f"a11y-{name}")
    # The link's form after a refused password: the errors are tied to their fields.
    a11y_page.get_by_label("Nieuw wachtwoord:", exact=True).fill("kort")
    a11y_page.get_by_label("Nieuw wachtwoord bevestigen").fill("kort")
    a11y_page.get_by_role("button", name="Wachtwoord instellen").click()
    a11y_page.locator(".form-errors").wait_for()
    found["invitation-link-errors"] = check_accessibility(a11y_page, "a11y-invitation-link-errors")
    assert_no_violations(found)


def test_self_assessment_as_chair(a11y_page, live_server, demo_data):
    login(a11y_page, live_server, "voorzitter", demo.DEMO_PASSWORD)
    found = scan(a11y_page, live_server, demo_data, CHAIR_PAGES)

    # An open round: the score form, then the same form with errors (no scores, a comment too long).
    open_round = SelfAssessmentRoundFactory(network=demo_data.network, title="Zelfevaluatie toegankelijkheid")
    found |= scan(
        a11y_page,
        live_server,
        demo_data,
        [("assessment-score-form", lambda d: reverse("networks:assessment-detail", args=[open_round.pk]))],
    )
    form = a11y_page.locator("#score-form")
    # Past the input's maxlength, as a script or an old browser would send it.
    form.locator("input[name^=comment-]").first.evaluate("(input) => { input.value = 'x'.repeat(501); }")
    with a11y_page.expect_response(lambda r: r.request.method == "POST"):
        form.get_by_role("button", name="Scores indienen").click()
    a11y_page.locator("#score-form .form-errors").wait_for()
    found["assessment-score-form-errors"] = check_accessibility(
        a11y_page, "a11y-assessment-score-form-errors"
    )
    assert_no_violations(found)


def test_reports_as_staff(a11y_page, live_server, demo_data):
    login(a11y_page, live_server, "staf", demo.DEMO_PASSWORD)
    found = scan(a11y_page, live_server, demo_data, STAFF_PAGES)

    # Regional staff keep the organisations. An empty form: the name gets two messages, which must
    # still be one element with one id (the field's aria-describedby points at it).
    a11y_page.goto(live_server.url + reverse("networks:organisation-create"))
    form = a11y_page.locator("#edit-form")
    with a11y_page.expect_response(lambda r: r.request.method == "POST"):
        form.get_by_role("button", name="Opslaan").click()
    a11y_page.locator("#edit-form .form-errors").wait_for()
    found["organisation-form-errors"] = check_accessibility(a11y_page, "a11y-organisation-form-errors")
    assert_no_violations(found)
