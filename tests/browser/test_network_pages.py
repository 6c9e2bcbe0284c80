"""Network pages in a real browser: htmx filtering, detail page, role form errors, access rules."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from networks import demo
from networks.models import Membership, Network

from .conftest import login, screenshot

# The live server thread only sees committed rows, hence transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data():
    demo.load()
    return {
        "waas_en_dender": Network.objects.get(name="RTJ Waas en Dender"),
        "gevangenis_hasselt": Network.objects.get(name="Gevangenis Hasselt"),
    }


def mark_document(page) -> None:
    """Tag the current document; the tag survives htmx swaps but not a full page load."""
    page.evaluate("window.__sameDocument = true")


def assert_same_document(page) -> None:
    assert page.evaluate("window.__sameDocument === true"), (
        "the page did a full reload instead of an htmx swap"
    )


def test_region_filter_swaps_results_and_pushes_url(page, live_server, demo_data):
    login(page, live_server, "coordinator", demo.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("networks:list"))
    results = page.locator("#results")
    # The coordinator coordinates networks in two regions.
    expect(results.get_by_role("link", name="RTJ Waas en Dender")).to_be_visible()
    expect(results.get_by_role("link", name="RTJ Antwerpen Stad")).to_be_visible()
    mark_document(page)

    with page.expect_response(lambda r: "region=" in r.url) as response_info:
        page.get_by_label("Regio").select_option(label="Oost-Vlaanderen")
    response = response_info.value
    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true"

    expect(results.get_by_role("link", name="RTJ Waas en Dender")).to_be_visible()
    expect(results.get_by_role("link", name="RTJ Antwerpen Stad")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]region=\d+"))
    assert_same_document(page)


def test_network_detail_shows_sectors_bodies_and_people(page, live_server, demo_data):
    network = demo_data["waas_en_dender"]
    login(page, live_server, "coordinator", demo.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("networks:list"))
    page.locator("#results").get_by_role("link", name="RTJ Waas en Dender").click()
    expect(page).to_have_url(live_server.url + reverse("networks:detail", args=[network.pk]))

    expect(page.get_by_role("heading", level=1, name="RTJ Waas en Dender")).to_be_visible()
    members = page.locator("section", has=page.get_by_role("heading", name="Lidorganisaties per sector"))
    expect(
        members.get_by_role("heading", level=3, name=re.compile("^Centrum Algemeen Welzijnswerk"))
    ).to_be_visible()
    expect(
        members.get_by_role("heading", level=3, name=re.compile("^Centrum voor Leerlingenbegeleiding"))
    ).to_be_visible()
    expect(members.get_by_text("CAW Waasland")).to_be_visible()

    bodies = page.locator("section", has=page.get_by_role("heading", name="Organen"))
    expect(bodies.get_by_text("Netwerkstuurgroep Waas en Dender")).to_be_visible()

    people = page.locator("section", has=page.get_by_role("heading", name="Personen en hun rol"))
    chair_row = people.get_by_role("row").filter(has_text="Koen De Smet")
    expect(chair_row).to_be_visible()
    expect(chair_row.get_by_role("cell").nth(1)).to_have_text("voorzitter")
    expect(chair_row.get_by_role("cell").nth(2)).to_have_text("CAW Waasland")
    coordinator_row = people.get_by_role("row").filter(has_text="Els Vermeulen")
    expect(coordinator_row.get_by_role("cell").nth(1)).to_have_text("coördinator")

    screenshot(page, "network_detail")


def test_role_form_shows_date_error_in_place_and_saves_nothing(page, live_server, demo_data):
    network = demo_data["waas_en_dender"]
    login(page, live_server, "coordinator", demo.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("networks:detail", args=[network.pk]))
    page.get_by_role("link", name="Rol toekennen").click()
    form_url = live_server.url + reverse("networks:role-add", args=[network.pk])
    expect(page).to_have_url(form_url)
    mark_document(page)
    memberships_before = Membership.objects.count()

    form = page.locator("#edit-form")
    # The person is found by searching (issue 21 §1), never picked from a list of everyone.
    form.get_by_label("Persoon").fill("lien mer")
    form.get_by_role("radio", name=re.compile("Lien Mertens")).check()
    form.get_by_label("Rol").select_option(label="voorzitter")
    expect(form.get_by_label("Vertegenwoordigt organisatie")).to_have_value("")
    form.get_by_label("Vanaf").fill("2025-06-01")
    form.get_by_label("Tot en met").fill("2025-05-01")
    with page.expect_response(lambda r: r.request.method == "POST") as response_info:
        form.get_by_role("button", name="Opslaan").click()
    response = response_info.value
    assert response.status == 422
    assert response.request.headers.get("hx-request") == "true"

    form = page.locator("#edit-form")
    expect(form.get_by_role("alert")).to_contain_text("Het formulier is niet bewaard.")
    expect(form.locator("#id_until_error")).to_have_text("De einddatum ligt vóór de begindatum.")
    # The other fields keep what was typed.
    expect(form.get_by_label("Vanaf")).to_have_value("2025-06-01")
    expect(form.get_by_label("Tot en met")).to_have_value("2025-05-01")
    expect(page).to_have_url(form_url)
    assert_same_document(page)
    assert Membership.objects.count() == memberships_before

    screenshot(page, "role_form_errors")


def test_steering_member_cannot_manage_and_other_networks_are_hidden(page, live_server, demo_data):
    login(page, live_server, "stuurgroeplid", demo.DEMO_PASSWORD)
    page.goto(live_server.url + reverse("networks:detail", args=[demo_data["waas_en_dender"].pk]))
    expect(page.get_by_role("heading", level=1, name="RTJ Waas en Dender")).to_be_visible()
    expect(page.get_by_role("link", name="Rol toekennen")).to_have_count(0)
    expect(page.get_by_role("link", name="Organisatie toevoegen")).to_have_count(0)

    response = page.goto(f"{live_server.url}/netwerken/{demo_data['gevangenis_hasselt'].pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze pagina bestaat niet")
    expect(page.get_by_text("Gevangenis Hasselt")).to_have_count(0)
