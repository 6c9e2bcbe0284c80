"""Trajectory guidance in Chromium (issue 20): a trajectbegeleider registers a detainee, makes a
plan, enrols him in an activity (full: the waiting list), proposes a transfer; the receiving
prison's trajectbegeleider accepts and sees the history. The detainee's consent is recorded
through the file's consent form, as a trajectbegeleider does it. axe on the guidance pages and the
consent form; screenshots in var/screenshots/detention-*.png."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from cases.models import Guidance, Transfer
from instruments import services_offer
from instruments.models import LifeDomain
from instruments.reference_data import ensure as ensure_domains
from networks import reference_data
from networks.models import Membership, Region, Sector
from tests.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    UserFactory,
)
from tests.factories_detention import ActivityFactory

from .axe import check_accessibility, describe
from .conftest import login, screenshot, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def prisons(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data.ensure(Region, Sector)
    ensure_domains(LifeDomain)
    region = Region.objects.get(code="oost-vlaanderen")
    gent = NetworkFactory(name="Gevangenis Gent", kind="detention", region=region)
    ieper = NetworkFactory(
        name="Gevangenis Ieper", kind="detention", region=Region.objects.get(code="west-vlaanderen")
    )
    jww = NetworkMembershipFactory(network=gent, organisation__name="CAW Oost-Vlaanderen").organisation
    sport = NetworkMembershipFactory(network=gent, organisation__name="Sportdienst Gent").organisation
    jww_ieper = NetworkMembershipFactory(network=ieper, organisation__name="CAW Westhoek").organisation
    guide = UserFactory(username="tb-gent", first_name="Fatima", last_name="Bennani", password=PASSWORD)
    MembershipFactory(user=guide, network=gent, role=Membership.Role.TRAJECTORY_GUIDE, organisation=jww)
    receiver = UserFactory(
        username="tb-ieper", first_name="Yannick", last_name="Deconinck", password=PASSWORD
    )
    MembershipFactory(
        user=receiver, network=ieper, role=Membership.Role.TRAJECTORY_GUIDE, organisation=jww_ieper
    )
    today = datetime.date.today()
    activity = ActivityFactory(
        network=gent,
        provider=sport,
        title="Voetbal",
        places=1,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=90),
    )
    services_offer.enrol(activity=activity, detainee_code="GD-0001", by=None)  # the one place is taken
    return {"guide": guide, "receiver": receiver, "ieper": ieper, "jww": jww, "jww_ieper": jww_ieper}


def test_register_plan_enrol_transfer_accept(browser, live_server, prisons):
    problems = []
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp = watch_csp(page)

    login(page, live_server, "tb-gent", PASSWORD)
    page.goto(live_server.url + "/dossiers/gedetineerden/")
    page.get_by_role("link", name="Gedetineerde registreren").click()
    page.get_by_label(re.compile("^Voornaam")).fill("Karim")
    page.get_by_label(re.compile("^Familienaam")).fill("Vanlommel")
    page.get_by_label(re.compile("^Vraagverheldering")).fill("Wil werk en een woning na de vrijlating.")
    release = datetime.date.today() + datetime.timedelta(days=60)
    page.get_by_label(re.compile("^Geplande vrijlating")).fill(release.isoformat())
    page.get_by_role("button", name="Registreren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Karim Vanlommel")
    expect(page.get_by_text("minder dan drie maanden")).to_be_visible()  # the release warning
    guidance = Guidance.objects.get()

    # the plan
    plan = page.locator("#goal-form")
    plan.get_by_label(re.compile("^Levensdomein")).select_option(label="Wonen")
    plan.get_by_label(re.compile("^Doel")).fill("Woonst zoeken voor na de vrijlating")
    plan.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_role("cell", name="Woonst zoeken voor na de vrijlating")).to_be_visible()

    # the activity is full: the waiting list
    enrol = page.locator("#activity-form")
    enrol.get_by_label(re.compile("^Activiteit")).select_option(label="Voetbal")
    enrol.get_by_role("button", name="Inschrijven").click()
    expect(page.get_by_text("Voetbal – op de wachtlijst")).to_be_visible()
    problems += [("guidance", v) for v in check_accessibility(page, "detention-1-guidance")]

    # the consent, through the file's consent form: it names both JWW teams
    page.get_by_role("link", name="Toestemming registreren").click()
    page.get_by_text("Toestemming of wettelijke grond registreren").click()
    consent = page.get_by_role("form", name="Toestemming registreren")
    consent.get_by_label(re.compile("^Gegeven door")).select_option(value="young_person")
    consent.get_by_label(re.compile("^Naam van wie toestemt")).fill("Karim Vanlommel")
    consent.get_by_label(re.compile("^Geldt voor het dossierteam")).check()
    consent.get_by_label("CAW Oost-Vlaanderen").check()
    consent.get_by_label("CAW Westhoek").check()
    consent.get_by_label(re.compile("^Notitie als bewijs")).fill("Ondertekend in het onthaalgesprek.")
    problems += [("consent", v) for v in check_accessibility(page, "detention-1b-consent")]
    with page.expect_response(lambda r: "/toestemmingen/" in r.url and r.request.method == "POST") as sent:
        consent.get_by_role("button", name="Registreren").click()
    assert sent.value.status == 200  # htmx: a client-side redirect to this same page
    page.reload()  # the redirect lands on the same address (#consents): the browser only scrolls
    expect(page.get_by_text("De toestemming is geregistreerd.")).to_be_visible()
    recorded = guidance.case.consents.get()
    assert recorded.covers_case_team and {o.name for o in recorded.organisations.all()} == {
        "CAW Oost-Vlaanderen",
        "CAW Westhoek",
    }
    page.goto(live_server.url + f"/dossiers/begeleidingen/{guidance.pk}/")
    transfer = page.locator("#transfer-form")
    transfer.get_by_label(re.compile("^Naar gevangenis")).select_option(label="Gevangenis Gent")
    transfer.get_by_role("button", name="Overplaatsing voorstellen").click()
    expect(page.get_by_text("Een overplaatsing gaat naar een andere gevangenis.")).to_be_visible()
    transfer = page.locator("#transfer-form")
    transfer.get_by_label(re.compile("^Naar gevangenis")).select_option(label="Gevangenis Ieper")
    transfer.get_by_label(re.compile("^Reden")).fill("Dichter bij de familie")
    transfer.get_by_role("button", name="Overplaatsing voorstellen").click()
    expect(page.get_by_text("voorgesteld aan de ontvangende gevangenis")).to_be_visible()
    screenshot(page, "detention-2-proposed")
    assert Transfer.objects.get().status == Transfer.Status.PROPOSED

    # the receiving trajectbegeleider
    other = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    other.set_default_timeout(15_000)
    receiving = other.new_page()
    csp += watch_csp(receiving)
    login(receiving, live_server, "tb-ieper", PASSWORD)
    receiving.goto(live_server.url + "/dossiers/gedetineerden/")
    expect(receiving.get_by_text("Vanlommel")).to_have_count(0)  # pseudonym only before accepting
    receiving.get_by_role("link", name=guidance.case.client.pseudonym).click()
    receiving.get_by_label("Aanvaarden en begeleiding overnemen").check()
    receiving.get_by_role("button", name="Beslissen").click()
    expect(receiving.get_by_text("Je hebt de begeleiding overgenomen.")).to_be_visible()
    expect(receiving.get_by_role("heading", name="Voorgeschiedenis in Gevangenis Gent")).to_be_visible()
    expect(receiving.get_by_text("Woonst zoeken voor na de vrijlating").first).to_be_visible()
    problems += [("accepted", v) for v in check_accessibility(receiving, "detention-3-accepted")]

    # the sender now reads only what its team wrote up to the hand-over
    page.reload()
    expect(page.get_by_text("alleen wat jullie team schreef tot de overdracht")).to_be_visible()
    expect(page.get_by_text("Woonst zoeken voor na de vrijlating")).to_be_visible()
    expect(page.locator("#goal-form")).to_have_count(0)
    screenshot(page, "detention-4-sender-read-only")
    context.close()
    other.close()
    assert not csp, csp
    assert not problems, describe([v for _step, v in problems])
