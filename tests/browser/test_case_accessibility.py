"""The case pages, scanned with axe-core (WCAG 2.1 A and AA) in Chromium, on the demo data.

Each role looks at its own pages in one logged-in browser context: the caseworker the case list,
the case (team view), the create form with errors, the timeline, who viewed the case, the referral
form and the referral directory; the receiving caseworker the referral inbox and the referral it
received; the organising cell its inbox and a request to decide (pseudonyms only: checked in the
HTML); the external chair a conference and a session; regional staff the TOTP second step. No
serious or critical violation; the full axe result and a screenshot of every page land in
var/screenshots/ (``axe-a11y-case-*.json``, ``a11y-case-*.png``).
"""

import datetime
import io
from collections.abc import Iterable

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cases.models import Case, Client, ClientConference, ConferenceSession, Consent, Referral
from networks import demo
from networks.models import Network, Organisation

from .axe import axe_script, check_accessibility, describe
from .conftest import login

# The live server thread only sees committed rows, hence transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NETWORK = "RTJ Waas en Dender"


@pytest.fixture
def demo_data() -> Network:
    call_command("load_demo", stdout=io.StringIO())
    return Network.objects.get(name=NETWORK)


@pytest.fixture
def a11y_context(browser):
    """A context that ignores the app's CSP so axe can be injected; one per role, logged in once."""
    axe_script()  # fail early, with the `npm ci` hint, before any data is loaded
    contexts = []

    def open_as(live_server=None, username: str | None = None, password: str = demo.DEMO_PASSWORD):
        context = browser.new_context(
            locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if username is not None:
            login(page, live_server, username, password)
        return page

    yield open_as
    for context in contexts:
        context.close()


def scan(page, live_server, pages: Iterable[tuple[str, str]]) -> dict[str, list]:
    """Open each page, unfold its <details> forms and run axe; returns violations per page."""
    found = {}
    for name, url in pages:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, (name, response and response.status)
        found[name] = scan_current(page, name)
    return found


def scan_current(page, name: str) -> list:
    page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    return check_accessibility(page, f"a11y-case-{name}")


def assert_no_violations(found: dict[str, list]) -> None:
    failing = {name: violations for name, violations in found.items() if violations}
    if failing:
        pytest.fail(
            "Serious or critical accessibility violations (details in var/screenshots/axe-a11y-case-*.json):\n"
            + "\n".join(f"{name}:\n{describe(violations)}" for name, violations in failing.items()),
            pytrace=False,
        )


def client_names(network: Network) -> list[str]:
    return [
        client.full_name
        for client in Client.objects.filter(cases__network=network).distinct()
        if client.full_name
    ]


def assert_no_client_names(page, names: list[str], where: str) -> None:
    html = page.content()
    shown = [name for name in names if name in html]
    assert not shown, f"{where}: the organising cell sees client names {shown}"


def test_caseworker_and_receiver_pages(a11y_context, live_server, demo_data):
    network = demo_data
    # A case of the CKG caseworker with a running conference, CAW Waasland not on its team.
    case = (
        Case.objects.filter(
            network=network,
            lead_organisation__name="CKG De Zonnewijzer",
            closed_on__isnull=True,
            conferences__status=ClientConference.Status.RUNNING,
        )
        .exclude(team__organisation__name="CAW Waasland")
        .order_by("pk")
        .first()
    )
    assert case is not None
    # The demo sends no referral to CAW Waasland (``onthaal``): the consent names it, so the
    # caseworker can send one below through the form.
    consent = case.consents.covering(Consent.Purpose.REFERRAL, on=timezone.localdate()).get()
    consent.organisations.add(Organisation.objects.get(name="CAW Waasland"))
    page = a11y_context(live_server, "hulpverlener")
    found = scan(
        page,
        live_server,
        [
            ("list", reverse("cases:list")),
            ("detail-team", reverse("cases:detail", args=[case.pk])),
            ("timeline", reverse("cases:timeline", args=[case.pk])),
            ("viewers", reverse("cases:viewers", args=[case.pk])),
        ],
    )
    # The case list keeps the caseworker's names; the team sees the client's name on the case.
    page.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    assert case.client.full_name in page.content()

    # A new case with mistakes: the messages must be tied to their fields and announced.
    page.goto(live_server.url + reverse("cases:create"))
    form = page.locator("#case-form")
    form.get_by_label("Postcode").fill("12")
    form.get_by_label("Geopend op").fill((timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 422):
        form.get_by_role("button", name="Dossier openen").click()
    page.locator("#case-form .form-errors").wait_for()
    assert "Onbekende postcode" in form.inner_text()
    found["create-errors"] = scan_current(page, "create-errors")

    # Instruments a caseworker uses from a case: the referral directory (and the registry).
    try:
        directory = reverse("instruments:directory")
        registry = reverse("instruments:list", args=[network.pk])
    except NoReverseMatch:  # the instruments pages are not there yet
        pass
    else:
        found |= scan(page, live_server, [("instruments-directory", directory + "?postcode=9100&age=12")])
        coordinator = a11y_context(live_server, "coordinator")
        found |= scan(coordinator, live_server, [("instruments-registry", registry)])

    # A referral to CAW Waasland: the form (scanned), then sent; the sender's view of it.
    found |= scan(page, live_server, [("referral-form", reverse("cases:referral-create", args=[case.pk]))])
    form = page.locator("form", has=page.get_by_role("button", name="Verwijzing versturen"))
    receiver_choice = form.get_by_label("Naar organisatie")
    receiver_choice.select_option(
        receiver_choice.locator("option", has_text="CAW Waasland").first.get_attribute("value")
    )
    form.get_by_label("Verwijsvraag").fill("Vraag naar onthaal en begeleiding voor moeder.")
    form.get_by_role("button", name="Verwijzing versturen").click()
    page.wait_for_url("**/verwijzingen/*/")
    found["referral-detail-sender"] = scan_current(page, "referral-detail-sender")
    referral = Referral.objects.get(case=case, to_organisation__name="CAW Waasland")

    # The receiving organisation: its inbox and the referral it received.
    receiver = a11y_context(live_server, "onthaal")
    found |= scan(
        receiver,
        live_server,
        [
            ("referral-inbox", reverse("cases:referral-inbox")),
            ("referral-detail-receiver", reverse("cases:referral-detail", args=[referral.pk])),
        ],
    )
    assert_no_violations(found)


def test_organising_cell_and_chair_pages(a11y_context, live_server, demo_data):
    network = demo_data
    names = client_names(network) + client_names(Network.objects.get(name="RTJ Antwerpen Stad"))
    assert len(names) > 20
    requested = (
        ClientConference.objects.filter(network=network, status=ClientConference.Status.REQUESTED)
        .order_by("pk")
        .first()
    )
    running = (
        ClientConference.objects.filter(
            network=network, status=ClientConference.Status.RUNNING, plan_items__isnull=False
        )
        .order_by("pk")
        .first()
    )
    first_session = running.sessions.get(kind=ConferenceSession.Kind.FIRST)

    # The organising cell: the inbox, a request to decide, the case behind it; pseudonyms only.
    cell = a11y_context(live_server, "coordinator")
    found = {}
    for name, url in (
        ("cell-home", reverse("home")),
        ("conference-inbox", reverse("cases:conference-inbox")),
        ("conference-detail-cell", reverse("cases:conference-detail", args=[requested.pk])),
        # The cell reaches a request until its decision, never the case (404); the list shows
        # pseudonyms; a running conference (decided, chair assigned) is no longer the cell's.
        ("list-cell", reverse("cases:list")),
    ):
        found |= scan(cell, live_server, [(name, url)])
        assert_no_client_names(cell, names, name)
    response = cell.goto(live_server.url + reverse("cases:detail", args=[requested.case_id]))
    assert response is not None and response.status == 404
    response = cell.goto(live_server.url + reverse("cases:conference-detail", args=[running.pk]))
    assert response is not None and response.status == 404
    # Deciding "not admissible" without a reason: the error must be announced with its field.
    cell.goto(live_server.url + reverse("cases:conference-detail", args=[requested.pk]))
    decision = cell.locator("#decision")
    decision.get_by_label("niet ontvankelijk", exact=True).check()
    decision.get_by_role("button", name="Beslissing bewaren").click()
    cell.locator("#decision .form-errors").wait_for()
    found["conference-decision-errors"] = scan_current(cell, "conference-decision-errors")
    assert_no_client_names(cell, names, "conference-decision-errors")

    # The external chair: the conference and its first session, forms unfolded.
    chair = a11y_context(live_server, "extvoorzitter")
    found |= scan(
        chair,
        live_server,
        [
            ("conference-inbox-chair", reverse("cases:conference-inbox")),
            ("conference-detail-chair", reverse("cases:conference-detail", args=[running.pk])),
            ("session-chair", reverse("cases:conference-session", args=[first_session.pk])),
        ],
    )
    assert running.case.client.full_name in chair.content()
    assert_no_violations(found)


def test_second_factor_page(a11y_context, live_server, regional_staff, settings):
    from ijh import totp

    settings.OTP_REQUIRED = True
    # A password alone never sets up a device (issue 22 §5): an administrator reset it first.
    totp.reset_second_factor(regional_staff.user, by=None)
    page = a11y_context()  # logged in below: the second step follows the login form
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Gebruikersnaam").fill(regional_staff.user.username)
    page.get_by_label("Wachtwoord").fill(regional_staff.password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(lambda url: reverse("second-factor") + "?next=" in url)
    page.get_by_role("heading", name="Tweede stap").wait_for()
    found = {"second-factor-setup": scan_current(page, "second-factor-setup")}
    # A code of the wrong length: refused, tied to its field.
    page.get_by_label("Code uit je authenticator-app").fill("123")
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 422):
        page.get_by_role("button", name="Bevestigen").click()
    found["second-factor-errors"] = scan_current(page, "second-factor-errors")
    assert "6 cijfers" in page.content()
    assert_no_violations(found)
