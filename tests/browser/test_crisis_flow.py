"""The meldpunt's night shift in Chromium (issue 18): register a call with the keyboard, it becomes
an episode, find a free shelter place on the board, hand over; the provider sees it on its
dashboard; axe finds nothing serious; the board at a phone's width."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import CrisisEpisode

from ..crisis.conftest import build_crisis_world
from .axe import check_accessibility, describe
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def test_call_to_episode_to_shelter_to_provider(browser, live_server):
    world = build_crisis_world()
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, live_server, world.meldpunt.username, PASSWORD)

    # The call, keyboard only: the time field has focus and says now; Tab to the question.
    page.goto(live_server.url + reverse("cases:crisis-meldpunt", args=[world.network.pk]))
    expect(page.locator("#id_received_at")).to_be_focused()
    assert not (violations := check_accessibility(page, "crisis-meldpunt")), describe(violations)
    page.get_by_label("Korte vraag").fill("Moeder belt: zoon (15) bedreigt broer, politie onderweg.")
    page.get_by_label("Korte vraag").press("Tab")
    page.get_by_role("button", name="Oproep registreren").press("Enter")
    page.wait_for_url("**/crisis/episodes/**")
    episode = CrisisEpisode.objects.get()
    expect(page.get_by_role("heading", name=f"Crisisepisode {episode.client.pseudonym}")).to_be_visible()

    # The board: one free shelter place at CKG De Wieg.
    page.goto(live_server.url + reverse("cases:crisis-board", args=[world.network.pk]))
    expect(page.locator("#board-shelter").locator("xpath=..")).to_contain_text("CKG De Wieg")
    assert not (violations := check_accessibility(page, "crisis-board")), describe(violations)
    phone = browser.new_context(locale="nl-BE", viewport={"width": 390, "height": 844})
    phone_page = phone.new_page()
    login(phone_page, live_server, world.meldpunt.username, PASSWORD)
    phone_page.goto(live_server.url + reverse("cases:crisis-board", args=[world.network.pk]))
    screenshot(phone_page, "crisis-board-phone")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the board scrolls sideways on a phone by {overflow}px"
    phone.close()

    # Hand over to the shelter.
    page.goto(live_server.url + reverse("cases:crisis-episode", args=[episode.pk]))
    page.locator("#id_kind").select_option("shelter")
    page.locator("#id_provider").select_option(str(world.shelter.pk))
    page.get_by_role("button", name="Overdragen", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Overgedragen aan CKG De Wieg")
    assert not (violations := check_accessibility(page, "crisis-episode")), describe(violations)
    context.close()

    # The provider sees it on its dashboard.
    provider = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    provider_page = provider.new_page()
    login(provider_page, live_server, world.provider_worker.username, PASSWORD)
    provider_page.goto(live_server.url + reverse("home"))
    expect(
        provider_page.get_by_role("link", name=f"crisisopvang – {episode.client.pseudonym}")
    ).to_be_visible()
    screenshot(provider_page, "crisis-provider-home")
    provider.close()
