"""The instruments' pages in Chromium on the demo data: axe (WCAG 2.1 A/AA, no serious or critical
violation), no CSP violation, and a self-check rated and completed through the real form."""

import pytest
from django.urls import reverse

from instruments import demo_data as instrument_demo
from instruments.models import Playbook, PlaybookAdoption, ReferralAgreement
from networks import demo
from networks.models import Network
from tests.browser.axe import axe_script, check_accessibility, describe
from tests.browser.conftest import login, screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NETWORK = "RTJ Waas en Dender"


@pytest.fixture
def network():
    demo.load()
    networks = {network.name: network for network in Network.objects.all()}
    instrument_demo.load(networks)
    return networks[NETWORK]


@pytest.fixture
def a11y_page(browser):
    axe_script()
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_instrument_pages_pass_axe(a11y_page, live_server, network):
    login(a11y_page, live_server, "coordinator", demo.DEMO_PASSWORD)
    agreement = ReferralAgreement.objects.filter(network=network).order_by("pk").first()
    playbook = Playbook.objects.get(network__isnull=True)
    adoption = PlaybookAdoption.objects.filter(network=network).order_by("pk").first()
    pages = {
        "registry": reverse("instruments:list", args=[network.pk]),
        "registry-form": reverse("instruments:create", args=[network.pk]),
        "referral-list": reverse("instruments:referral-list", args=[network.pk]),
        "referral-detail": reverse("instruments:referral-detail", args=[agreement.pk]),
        "referral-form": reverse("instruments:referral-edit", args=[agreement.pk]),
        "directory": reverse("instruments:directory") + "?postcode=9100&age=8",
        "directory-errors": reverse("instruments:directory") + "?postcode=12&age=abc",
        "playbook-list": reverse("instruments:playbook-list", args=[network.pk]),
        "playbook-detail": reverse("instruments:playbook-detail", args=[network.pk, playbook.pk]),
        "selfcheck-list": reverse("instruments:selfcheck-list", args=[network.pk]),
        "selfcheck-detail": reverse("instruments:selfcheck-detail", args=[adoption.pk]),
        "adoption": reverse("instruments:adoption", args=[network.pk]),
    }
    failing = {}
    for name, url in pages.items():
        response = a11y_page.goto(live_server.url + url)
        assert response is not None and response.status in (200, 422), (name, response and response.status)
        violations = check_accessibility(a11y_page, f"a11y-instruments-{name}")
        if violations:
            failing[name] = violations
    assert not failing, "\n".join(f"{name}:\n{describe(v)}" for name, v in failing.items())


def test_start_rate_and_complete_a_self_check(browser, live_server, network):
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = watch_csp(page)
    login(page, live_server, "coordinator", demo.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("instruments:selfcheck-start", args=[network.pk]))
    # Self-checks belong to the broad entry (CAW, CKG, CLB, K&G).
    page.get_by_label("Organisatie").select_option(label="CAW Waasland (Sint-Niklaas)")
    page.get_by_label("Draaiboek").select_option(index=1)
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**/zelftoetsen/*/")
    # Completing with nothing rated: refused, in Dutch.
    page.get_by_role("button", name="Zelftoets afronden").click()
    page.locator(".form-errors").wait_for()
    assert "beoordeel eerst alle taken" in page.locator(".form-errors").inner_text()
    for group in page.locator("fieldset").all():
        group.get_by_label("voldaan", exact=True).check()
    page.get_by_role("button", name="Zelftoets afronden").click()
    page.get_by_text("De zelftoets is afgerond").wait_for()
    screenshot(page, "instruments-selfcheck-completed")
    context.close()
    assert not violations
