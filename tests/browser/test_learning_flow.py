"""The planmakers' learning network in Chromium, on the demo data (issue 19 §6): the coordinator
opens the learning network, a theme that was discussed with an advice, makes its signal note
(the worker's task runs here; the page polls until the PDF link shows), and sees the forum of the
year. A steering member reads the theme without forms. Axe on every page; screenshots in
var/screenshots/learning-*.png.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cases.demo_planmakers import NETWORK
from networks.models import Bottleneck, LearningTheme, Membership, Network, SignalNote
from networks.tasks import render_signal_note

from ..factories import MembershipFactory, UserFactory
from .axe import check_accessibility, describe
from .conftest import screenshot
from .test_planmaker_flow import as_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEME = "Continuïteit bij 18 jaar en tijdens een opname"


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return Network.objects.get(name=NETWORK)


def test_coordinator_makes_a_signal_note_and_sees_the_forum(browser, live_server, demo, fake_broker):
    theme = LearningTheme.objects.get(network=demo, title=THEME)
    context, page, csp = as_user(browser, live_server, "planmakercoordinator", for_axe=True)
    page.goto(live_server.url + reverse("cases:learning-network", args=[demo.pk]))
    expect(page.get_by_role("heading", name="Thema's")).to_be_visible()
    violations = check_accessibility(page, "learning-1-network")
    assert not violations, describe(violations)

    page.get_by_role("link", name=THEME).click()
    expect(
        page.get_by_role("paragraph").filter(has_text="Laat begeleiding doorlopen")
    ).to_be_visible()  # the advice
    violations = check_accessibility(page, "learning-2-theme")
    assert not violations, describe(violations)
    page.get_by_role("button", name="Signaalnota maken (PDF)").click()
    expect(page.get_by_text("De signaalnota wordt gemaakt.")).to_be_visible()
    note = SignalNote.objects.get(theme=theme)
    assert fake_broker.ids("networks.tasks.render_signal_note") == [note.pk]
    render_signal_note.apply(args=[note.pk])  # the worker
    expect(page.get_by_role("link", name="Signaalnota downloaden (PDF)")).to_be_visible(timeout=15_000)
    screenshot(page, "learning-3-note")
    assert set(theme.bottlenecks.values_list("status", flat=True)) <= {
        Bottleneck.Status.PASSED_ON, Bottleneck.Status.ANSWERED,
    }  # fmt: skip

    page.goto(live_server.url + reverse("cases:learning-forum", args=[demo.pk]))
    expect(page.get_by_text(theme.title).first).to_be_visible()
    violations = check_accessibility(page, "learning-4-forum")
    assert not violations, describe(violations)
    context.close()
    assert not csp


def test_steering_member_reads_the_theme_without_forms(browser, live_server, demo):
    from networks import demo as network_demo

    user = UserFactory(username="stuur.west")
    user.set_password(network_demo.DEMO_PASSWORD)
    user.save()
    MembershipFactory(user=user, network=demo, role=Membership.Role.STEERING_MEMBER)
    theme = LearningTheme.objects.get(network=demo, title=THEME)
    context, page, _csp = as_user(browser, live_server, "stuur.west", for_axe=True)
    page.goto(live_server.url + reverse("cases:learning-theme", args=[theme.pk]))
    expect(page.get_by_role("heading", name=THEME)).to_be_visible()
    assert page.get_by_role("button", name="Signaalnota maken (PDF)").count() == 0
    violations = check_accessibility(page, "learning-5-theme-steering")
    assert not violations, describe(violations)
    context.close()
