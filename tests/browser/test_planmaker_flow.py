"""A planmaker trajectory end to end in Chromium, on the demo data (issue 19): a caseworker of a
member organisation refers a child from the case, the coordinator of Planmakers West-Vlaanderen
accepts and assigns the ``planmaker`` login, the planmaker records the start meeting the product
scheduled (held, with who attended: the young person, the family, the organisations), plans an ad
hoc meeting ahead and moves it (the reason on the timeline), records the mandate, builds a shared
plan with two agreements, moves to the shared-plan phase and signals a bottleneck, which then shows
on the bottleneck page; the coordinator's list shows the days since the last contact. Real clicks and form fills; axe on every page; screenshots in
var/screenshots/planmaker-*.png.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cases.demo_planmakers import HOME, NETWORK
from cases.models import Client, Consent, SharedPlanItem, TimelineEvent, Trajectory, TrajectoryMeeting
from cases.services.cases import open_case
from ijh.models import User
from networks import demo
from networks.models import Bottleneck, Network, Organisation

from .axe import check_accessibility, describe
from .conftest import login, screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Drie plaatsingen liepen mis. Hoe komen we tot één plan waar de jongere en mama achter staan?"
BOTTLENECK = "Geen crisisplek voor jongeren met een beperking"
AD_HOC_DAY = datetime.date.today() + datetime.timedelta(days=10)
MOVED_DAY = AD_HOC_DAY + datetime.timedelta(days=7)


@pytest.fixture
def flow_case():
    call_command("load_demo", stdout=io.StringIO())
    network = Network.objects.get(name=NETWORK)
    referrer = User.objects.get(username="hulpverlener.west")
    organisation = Organisation.objects.get(name="CAW Centraal-West-Vlaanderen")
    case = open_case(
        client=Client(first_name="Robin", last_name="Vanparys", birth_year=2012, postcode="8800"),
        network=network,
        lead_organisation=organisation,
        by=referrer,
    )
    consent = Consent.objects.create(
        case=case, given_by=Consent.GivenBy.PARENT, giver_name="Mama", covers_case_team=True,
        given_on=case.opened_on, evidence_note="Ondertekend formulier.",
    )  # fmt: skip
    consent.organisations.set([organisation, Organisation.objects.get(name=HOME)])
    return case


def field(scope, label: str):
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def as_user(browser, live_server, username, *, for_axe=False):
    # axe is injected as a script: only a context that bypasses the CSP lets it run.
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=for_axe)
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = watch_csp(page)
    login(page, live_server, username, demo.DEMO_PASSWORD)
    return context, page, violations


def assert_accessible(browser, live_server, username, path, name):
    context, page, _csp = as_user(browser, live_server, username, for_axe=True)
    page.goto(live_server.url + path)
    violations = check_accessibility(page, name)
    context.close()
    assert not violations, describe(violations)


def test_referral_accept_and_shared_plan(browser, live_server, flow_case):
    case = flow_case
    # 1. The caseworker refers the child from the case.
    context, page, csp = as_user(browser, live_server, "hulpverlener.west")
    page.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    page.get_by_role("link", name="Aanmelden bij de planmakers").click()
    field(page, "Concrete vraag aan de planmakers").fill(QUESTION)
    page.get_by_label("Het traject loopt van bij de start moeilijk").check()
    field(page, "Wie is betrokken (jongere, gezin, netwerk, hulpverleners)").fill(
        "Mama, leefgroep, CGG, school"
    )
    # First without the engagement: a Dutch message, nothing saved.
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.get_by_text("Een aanmelding kan alleen als je zelf deelneemt")).to_be_visible()
    assert not Trajectory.objects.filter(case=case).exists()
    page.get_by_label("Ik engageer me om deel te nemen aan de samenwerkingsoverleggen").check()
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.get_by_text("De aanmelding bij Planmakers West-Vlaanderen is verstuurd")).to_be_visible()
    screenshot(page, "planmaker-1-referred")
    trajectory = Trajectory.objects.get(case=case)
    context.close()
    assert not csp

    # 2. The coordinator accepts and assigns the planmaker.
    context, page, csp = as_user(browser, live_server, "planmakercoordinator")
    page.goto(live_server.url + reverse("cases:trajectory-list"))
    page.get_by_role("region", name="Aanmeldingen om over te beslissen").get_by_role(
        "link", name=case.client.pseudonym
    ).click()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    assert "Vanparys" not in page.content()
    page.get_by_role("radio", name="Aanvaarden", exact=True).check()
    page.get_by_label("Nele Desmet").check()
    screenshot(page, "planmaker-2-decide")
    page.get_by_role("button", name="Beslissing bewaren").click()
    expect(page.get_by_text("De aanmelding is aanvaard")).to_be_visible()
    context.close()
    assert not csp

    # 3. The planmaker records the mandate, two agreements, the shared plan and a bottleneck.
    context, page, csp = as_user(browser, live_server, "planmaker")
    page.goto(live_server.url + reverse("cases:trajectory-list"))
    page.get_by_role("region", name="Mijn trajecten").get_by_role("link", name=case.client.pseudonym).click()
    expect(page.get_by_text("Robin Vanparys")).to_be_visible()
    # The start meeting the product scheduled, recorded as held with who attended.
    meetings = page.locator("#meetings")
    expect(meetings.get_by_role("cell", name="startoverleg")).to_be_visible()
    meetings.get_by_text("Een gehouden overleg registreren").click()
    field(meetings, "Gepland overleg").select_option(index=1)
    meetings.get_by_label("de jongere was erbij").check()
    meetings.get_by_label("het gezin werd vooraf gehoord").check()
    meetings.locator("#meeting-attended").get_by_label(HOME).check()
    meetings.locator("#meeting-attended").get_by_label("CAW Centraal-West-Vlaanderen").check()
    field(meetings, "Afgesproken rollen en verwachtingen").fill(
        "Mama belt de school; de leefgroep houdt de plaats."
    )
    field(meetings, "Gedeelde bevindingen").fill("Robin wil dichter bij mama wonen.")
    meetings.get_by_role("button", name="Overleg registreren").click()
    expect(page.get_by_text("Startoverleg geregistreerd.")).to_be_visible()
    meetings = page.locator("#meetings")
    expect(meetings.get_by_role("table").get_by_text("het gezin werd vooraf gehoord")).to_be_visible()
    expect(meetings.get_by_role("cell", name="overleg na drie maanden")).to_be_visible()
    # An ad hoc meeting planned ahead, then moved.
    meetings.get_by_text("Een overleg plannen").click()
    plan_form = meetings.locator("form").filter(has=page.get_by_role("button", name="Overleg plannen"))
    field(plan_form, "Soort overleg").select_option(label="ad-hocoverleg")
    field(plan_form, "Datum").fill(AD_HOC_DAY.isoformat())
    plan_form.get_by_label("Het gezin uitnodigen").check()
    plan_form.get_by_role("button", name="Overleg plannen").click()
    expect(page.get_by_text(f"Ad-hocoverleg gepland op {AD_HOC_DAY:%d/%m/%Y}.")).to_be_visible()
    meetings = page.locator("#meetings")
    ad_hoc_row = meetings.get_by_role("row").filter(has_text="ad-hocoverleg")
    ad_hoc_row.locator("summary").click()
    field(ad_hoc_row, "Nieuwe datum").fill(MOVED_DAY.isoformat())
    field(ad_hoc_row, "Reden").fill("De school kan pas later")
    ad_hoc_row.get_by_role("button", name="Verplaatsen").click()
    expect(page.get_by_text(f"Ad-hocoverleg verplaatst naar {MOVED_DAY:%d/%m/%Y}.")).to_be_visible()
    screenshot(page, "planmaker-3a-meetings")
    page.get_by_role("button", name="Naar de fase „mandaat”").click()
    expect(page.get_by_text("Het traject is in de fase „mandaat”")).to_be_visible()
    for domain, text, owner in (
        ("Gezin en opvoeding", "Mama en Robin zien elkaar elke week in de leefgroep.", "Mama en leefgroep"),
        ("Onderwijs", "Terug naar school in halve dagen vanaf de herfstvakantie.", "CLB"),
    ):
        field(page, "Levensdomein").select_option(label=domain)
        field(page, "Soort").select_option(label="afspraak")
        field(page, "Doel of afspraak").fill(text)
        field(page, "Wie neemt het op").fill(owner)
        page.get_by_role("button", name="Toevoegen", exact=True).click()
        expect(page.get_by_text("Afspraak toegevoegd aan het gedeeld plan.")).to_be_visible()
    page.get_by_role("button", name="Naar de fase „gedeeld plan”").click()
    expect(page.get_by_text("Het traject is in de fase „gedeeld plan”")).to_be_visible()
    field(page, "Knelpunt (kort)").fill(BOTTLENECK)
    field(page, "Categorie").select_option("capacity")
    field(page, "Niveau").select_option("meso")
    field(page, "Omschrijving, zonder cliëntgegevens").fill(
        "In de regio is er geen crisisplek voor jongeren met een beperking."
    )
    page.get_by_role("button", name="Signaleren").click()
    expect(page.get_by_text(f"Knelpunt „{BOTTLENECK}” gesignaleerd.")).to_be_visible()
    screenshot(page, "planmaker-3-plan")
    page.goto(live_server.url + reverse("cases:bottleneck-list"))
    expect(page.get_by_role("link", name=BOTTLENECK)).to_be_visible()
    screenshot(page, "planmaker-4-bottlenecks")
    context.close()
    assert not csp

    # 4. The coordinator's list: the last contact was today's start meeting and plan changes.
    context, page, csp = as_user(browser, live_server, "planmakercoordinator")
    page.goto(live_server.url + reverse("cases:trajectory-list"))
    row = (
        page.get_by_role("region", name="Alle trajecten van het netwerk")
        .get_by_role("row")
        .filter(has_text=case.client.pseudonym)
    )
    expect(row.locator("[data-days-since-contact]")).to_have_text("0")
    screenshot(page, "planmaker-5-coordinator-list")
    context.close()
    assert not csp

    trajectory.refresh_from_db()
    assert trajectory.phase == Trajectory.Phase.PLAN
    start = TrajectoryMeeting.objects.get(trajectory=trajectory, kind="start")
    assert start.held_on is not None
    assert (start.client_presence, start.family_presence) == ("attended", "consulted")
    assert set(start.attended.values_list("name", flat=True)) == {HOME, "CAW Centraal-West-Vlaanderen"}
    ad_hoc = TrajectoryMeeting.objects.get(trajectory=trajectory, kind="ad_hoc")
    assert (ad_hoc.planned_on, ad_hoc.held_on, ad_hoc.invite_family) == (MOVED_DAY, None, True)
    assert TimelineEvent.objects.filter(
        case=case, kind="trajectory_meeting_replanned", detail__endswith="De school kan pas later"
    ).exists()
    assert SharedPlanItem.objects.filter(trajectory=trajectory).count() == 2
    assert Bottleneck.objects.get(title=BOTTLENECK).trajectories.get() == trajectory

    # axe on the pages of the flow, as the people who use them.
    detail = reverse("cases:trajectory-detail", args=[trajectory.pk])
    for username, path, name in (
        (
            "hulpverlener.west",
            reverse("cases:trajectory-create", args=[case.pk]),
            "a11y-planmaker-referral-form",
        ),
        ("planmakercoordinator", reverse("cases:trajectory-list"), "a11y-planmaker-list-coordinator"),
        ("planmaker", detail, "a11y-planmaker-trajectory"),
        ("planmaker", reverse("cases:bottleneck-list"), "a11y-planmaker-bottlenecks"),
    ):
        assert_accessible(browser, live_server, username, path, name)
