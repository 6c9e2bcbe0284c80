"""A steering group's meeting, end to end in Chromium: plan it, record attendance, a decision and an
action, approve the minutes, and the action owner finds it on their dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from networks.models import ActionItem, Decision, Membership, Minutes
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    UserFactory,
)

from .conftest import login, screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def steering_group():
    network = NetworkFactory(name="RTJ Browserland")
    body = BodyFactory(network=network, name="Netwerkstuurgroep Browserland")
    caw = NetworkMembershipFactory(network=network, organisation__name="CAW Browserland").organisation
    coordinator = MembershipFactory(
        network=network,
        coordinator=True,
        user=UserFactory(username="els", first_name="Els", last_name="Coördinator"),
    )
    coordinator.bodies.add(body)
    sofie = MembershipFactory(
        network=network,
        organisation=caw,
        mandate_status=Membership.MandateStatus.MANDATED,
        user=UserFactory(username="sofie", first_name="Sofie", last_name="Stuurgroep"),
    )
    sofie.bodies.add(body)
    return {"network": network, "body": body, "sofie": sofie.user}


def test_meeting_from_plan_to_dashboard(browser, live_server, steering_group):
    network = steering_group["network"]
    meeting_day = timezone.localdate() + datetime.timedelta(days=7)
    due = meeting_day + datetime.timedelta(days=30)

    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = watch_csp(page)
    login(page, live_server, "els", PASSWORD)

    # Plan the meeting.
    page.goto(live_server.url + reverse("networks:meeting-list", args=[network.pk]))
    page.get_by_role("link", name="Vergadering plannen").click()
    page.get_by_label("Orgaan").select_option(label="Netwerkstuurgroep Browserland")
    page.get_by_label("Datum en uur").fill(f"{meeting_day.isoformat()}T14:00")
    page.get_by_label("Plaats").fill("Stadhuis, zaal 2")
    page.get_by_label("Agenda").fill("Opvolging wachtlijsten\nVerwijsafspraken")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Netwerkstuurgroep Browserland")
    expect(page.get_by_text("2 personen zijn uitgenodigd")).to_be_visible()

    # Attendance: Sofie is present (htmx swaps the row in place).
    def sofie_row():
        # Every row's "represented by" list names Sofie too: match the person cell exactly.
        return page.locator("#attendance tr").filter(
            has=page.get_by_role("cell", name="Sofie Stuurgroep", exact=True)
        )

    with page.expect_response(lambda r: "/aanwezigheden/" in r.url and r.status == 200):
        sofie_row().locator("select[name=status]").select_option("present")
    expect(sofie_row().locator("select[name=status]")).to_have_value("present")

    # A decision on the first agenda item.
    page.get_by_text("Besluit noteren").click()
    page.locator("#id_decision-agenda_item").select_option(label="1. Opvolging wachtlijsten")
    page.locator("#id_decision-text").fill("De werkgroep brengt in maart een voorstel.")
    page.get_by_role("button", name="Besluit bewaren").click()
    expect(page.locator(".decision")).to_contain_text("De werkgroep brengt in maart een voorstel.")

    # An action for Sofie.
    page.get_by_text("Actiepunt toevoegen").click()
    page.locator("#id_action-title").fill("Cijfers wachtlijst verzamelen")
    page.locator("#id_action-owner").select_option(label="Sofie Stuurgroep")
    page.locator("#id_action-due_on").fill(due.isoformat())
    page.get_by_role("button", name="Actie toevoegen").click()
    expect(page.locator("#actions")).to_contain_text("Cijfers wachtlijst verzamelen")

    # Minutes: write, circulate, approve.
    page.locator("#id_text").fill("Aanwezig: Els, Sofie.\nBesproken: wachtlijsten en verwijsafspraken.")
    page.get_by_role("button", name="Verslag bewaren").click()
    page.get_by_role("button", name="Rondsturen").click()
    page.get_by_role("button", name="Goedkeuren en vergrendelen").click()
    expect(page.locator("#minutes .badge").first).to_have_text("goedgekeurd")
    expect(page.get_by_role("button", name="Verbeterde versie maken")).to_be_visible()
    screenshot(page, "meeting_detail")
    context.close()

    assert Decision.objects.get().text == "De werkgroep brengt in maart een voorstel."
    assert Minutes.objects.get().status == Minutes.Status.APPROVED

    # Sofie logs in and finds her action on the dashboard; she starts it inline.
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, live_server, "sofie", PASSWORD)
    panel = page.locator("section", has=page.get_by_role("heading", name="Mijn actiepunten"))
    expect(panel).to_contain_text("Cijfers wachtlijst verzamelen")
    expect(panel).to_contain_text(due.strftime("%d/%m/%Y"))
    with page.expect_response(lambda r: "/status/" in r.url and r.status == 200):
        panel.locator("select[name=status]").select_option("in_progress")
    screenshot(page, "dashboard_actions")
    context.close()
    assert not violations, violations
    assert ActionItem.objects.get().status == ActionItem.Status.IN_PROGRESS
