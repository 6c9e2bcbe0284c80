"""A cliëntoverleg end to end in Chromium, on the demo data, by the people who do it:

the caseworker requests it from the case, the organising cell finds it in its inbox, declares it
admissible and assigns the external chair; the chair plans the first session (today, so it can be
marked held), invites the young person, a parent and a professional, records who came, marks it
held and writes two werkplan agreements; the caseworker finds their agreement on the dashboard and
follows it up. Real clicks and form fills only; a screenshot at every step in var/screenshots/.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import (
    CarePlanItem,
    Case,
    ClientConference,
    ConferenceSession,
    Consent,
    SessionInvitation,
    TimelineEvent,
)
from networks import demo

from .conftest import login, screenshot, watch_csp

# The live server thread only sees committed rows, hence transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NETWORK = "RTJ Waas en Dender"
QUESTION = "Hoe krijgen school, thuis en de hulpverlening één gedeeld plan?"
REASON = "Meerdere sectoren betrokken en geen gedeeld plan: past bij het cliëntoverleg."
FIRST_AGREEMENT = "Jonas belt de leerlingbegeleider over een aangepast lesrooster."
SECOND_AGREEMENT = "Moeder en jongere maken samen een weekplanning."


@pytest.fixture
def flow_case() -> Case:
    """An open demo case of ``hulpverlener`` (CKG De Zonnewijzer) with no cliëntoverleg yet and a
    consent that covers the conference today."""
    call_command("load_demo", stdout=io.StringIO())
    today = timezone.localdate()
    for case in (
        Case.objects.filter(
            network__name=NETWORK,
            lead_organisation__name="CKG De Zonnewijzer",
            closed_on__isnull=True,
            conferences__isnull=True,
        )
        .select_related("client")
        .order_by("pk")
    ):
        if case.consents.covering(Consent.Purpose.CONFERENCE, on=today).exists():
            return case
    pytest.fail("The demo data has no open CKG case without a conference and with consent.")


def field(scope, label: str):
    """The form control labelled exactly ``label`` (Django adds a colon to most labels)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}:?$"))


def new_page(browser):
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    return context, page, watch_csp(page)


def test_conference_from_request_to_followed_up_agreement(browser, live_server, flow_case):
    case = flow_case
    pseudonym, full_name = case.client.pseudonym, case.client.full_name
    today = timezone.localdate()
    due = today + datetime.timedelta(days=21)
    csp_violations: list[str] = []

    # --- 1. The caseworker requests a cliëntoverleg from the case --------------------------------
    context, page, violations = new_page(browser)
    login(page, live_server, "hulpverlener", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="Dossiers", exact=True).click()
    page.get_by_label("Zoeken").fill(pseudonym)
    page.get_by_role("link", name=pseudonym).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(full_name)
    page.get_by_role("link", name="Cliëntoverleg aanvragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cliëntoverleg aanvragen")
    # First without the questions: refused in Dutch, nothing saved, the choice kept.
    page.get_by_role("button", name="Aanvraag indienen").click()
    expect(page.locator("#conference-request-form .form-errors")).to_be_visible()
    expect(page.get_by_text("Omschrijf de vraag aan het cliëntoverleg.")).to_be_visible()
    screenshot(page, "conference-flow-1-request-errors")
    assert not ClientConference.objects.filter(case=case).exists()
    page.get_by_label("Aanvragende organisatie").select_option(label="CKG De Zonnewijzer")
    page.get_by_label("Vraag aan het cliëntoverleg").fill(QUESTION)
    page.get_by_label("Waarom is de situatie complex?").fill(
        "Spijbelen, conflicten thuis en een wachtlijst bij diagnostiek; drie sectoren."
    )
    page.get_by_label("Wie is betrokken?").fill(f"{full_name}, moeder, CKG, CLB en CAW")
    page.get_by_role("button", name="Aanvraag indienen").click()
    expect(page.get_by_text("De aanvraag voor een cliëntoverleg is ingediend.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("aangevraagd")
    screenshot(page, "conference-flow-2-requested")
    context.close()
    csp_violations += violations
    conference = ClientConference.objects.get(case=case)
    assert conference.status == ClientConference.Status.REQUESTED

    # --- 2. The organising cell: inbox, admissible with a reason, chair assigned ----------------
    context, page, violations = new_page(browser)
    login(page, live_server, "coordinator", demo.DEMO_PASSWORD)
    # The cell sees no case: the case list's empty state points to its inbox.
    page.get_by_role("link", name="Dossiers", exact=True).click()
    page.get_by_role("link", name="inbox cliëntoverleg").click()
    to_decide = page.locator("section", has=page.get_by_role("heading", name="Te beslissen"))
    row = to_decide.locator("tr", has=page.get_by_role("link", name=pseudonym))
    expect(row).to_contain_text("aangevraagd")
    expect(row).to_contain_text("CKG De Zonnewijzer")
    # The cell sees the pseudonym only (DESIGN.md §5).
    assert full_name not in page.content()
    screenshot(page, "conference-flow-3-cell-inbox")
    row.get_by_role("link", name=pseudonym).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pseudonym)
    expect(page.locator("#request")).to_contain_text(QUESTION)
    assert full_name not in page.content()
    decision = page.locator("#decision")
    decision.get_by_label("ontvankelijk", exact=True).check()
    decision.get_by_label("Motivering").fill(REASON)
    decision.get_by_role("button", name="Beslissing bewaren").click()
    expect(page.get_by_text("De beslissing is bewaard.")).to_be_visible()
    expect(page.locator("#decision")).to_contain_text(REASON)
    page.locator("#decision").get_by_label("Onafhankelijk voorzitter").select_option(label="Wim Jacobs")
    page.locator("#decision").get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_text("De voorzitter is toegewezen.")).to_be_visible()
    # Decided and handed over: the cell is back in its inbox, where the conference now runs
    # with its chair, listed without a link (the cell's reach ends at its decision).
    running_row = page.locator("#running-title ~ div tr", has_text=pseudonym)
    expect(running_row).to_contain_text("Wim Jacobs")
    assert running_row.get_by_role("link").count() == 0
    assert full_name not in page.content()
    screenshot(page, "conference-flow-4-cell-decided")
    context.close()
    csp_violations += violations
    conference.refresh_from_db()
    assert conference.status == ClientConference.Status.ADMISSIBLE
    assert conference.admissibility_reason == REASON
    assert conference.chair.username == "extvoorzitter"

    # --- 3. The chair: plan today's first session, invite, attendance, held, werkplan -----------
    context, page, violations = new_page(browser)
    login(page, live_server, "extvoorzitter", demo.DEMO_PASSWORD)
    # No menu entry leads a chair to the inbox yet (reported); its address, then clicks.
    page.goto(live_server.url + reverse("cases:conference-inbox"))
    chaired = page.locator("section", has=page.get_by_role("heading", name="Cliëntoverleggen die ik voorzit"))
    row = chaired.locator("tr", has=page.get_by_role("link", name=pseudonym))
    expect(row).to_contain_text("nog niet gepland")
    row.get_by_role("link", name=pseudonym).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(full_name)  # the chair sees names
    sessions = page.locator("#sessions")
    # With no session yet the planning form is open: today, so it can be marked held afterwards.
    sessions.get_by_label("Soort").select_option(label="eerste overleg")
    sessions.get_by_label("Begint om").fill(f"{today.isoformat()}T09:00")
    sessions.get_by_label("Plaats").fill("Huis van het Kind Sint-Niklaas, zaal 2")
    screenshot(page, "conference-flow-5-chair-plans")
    sessions.get_by_role("button", name="Plannen").click()
    expect(page.get_by_text("Het overleg is gepland.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(today.strftime("%d/%m/%Y") + " 09:00")

    invitations = page.locator("#invitations")
    for kind, name, organisation in (
        ("jongere", case.client.first_name, None),
        ("ouder / opvoedingsverantwoordelijke", f"Moeder van {case.client.first_name}", None),
        ("hulpverlener", "Jonas Peeters", "CKG De Zonnewijzer"),
    ):
        invitations.get_by_text("Iemand uitnodigen").click()
        field(invitations, "Wie").select_option(label=kind)
        field(invitations, "Naam").fill(name)
        if organisation:
            field(invitations, "Organisatie").select_option(label=organisation)
        invitations.get_by_role("button", name="Uitnodigen").click()
        expect(page.get_by_text("De uitnodiging is toegevoegd.")).to_be_visible()
        expect(page.locator("#invitations tbody")).to_contain_text(name)

    # Attendance: the young person and the professional came, the parent did not.
    for name, value in (
        (case.client.first_name, "aanwezig"),
        (f"Moeder van {case.client.first_name}", "afwezig"),
        ("Jonas Peeters", "aanwezig"),
    ):
        row = page.locator("#invitations tbody tr").filter(
            has=page.get_by_role("rowheader", name=name, exact=True)
        )
        row.get_by_label(f"Aanwezigheid van {name}").select_option(label=value)
        row.get_by_role("button", name="Opslaan").click()
        expect(
            page.locator("#invitations tbody tr")
            .filter(has=page.get_by_role("rowheader", name=name, exact=True))
            .get_by_label(f"Aanwezigheid van {name}")
        ).to_have_value({"aanwezig": "yes", "afwezig": "no"}[value])
    expect(page.locator("dl.facts")).to_contain_text("Aanwezig2")
    page.get_by_role("button", name="Overleg gehouden").click()
    expect(page.get_by_text("De status van het overleg is bewaard.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("gehouden")
    expect(page.get_by_role("button", name="Overleg gehouden")).to_have_count(0)

    werkplan = page.locator("#werkplan")
    for domain, text, owner in (
        ("Onderwijs", FIRST_AGREEMENT, {"person": "Jonas Peeters"}),
        ("Gezin en opvoeding", SECOND_AGREEMENT, {"label": "Moeder en jongere"}),
    ):
        werkplan.get_by_text("Afspraak toevoegen").click()
        werkplan.get_by_label("Levensdomein").select_option(label=domain)
        field(werkplan, "Afspraak").fill(text)
        if "person" in owner:
            werkplan.get_by_label("Wie (persoon uit het dossierteam)").select_option(label=owner["person"])
        else:
            werkplan.get_by_label("Wie (zonder account)").fill(owner["label"])
        field(werkplan, "Tegen").fill(due.isoformat())
        werkplan.get_by_role("button", name="Toevoegen").click()
        expect(page.get_by_text("De afspraak is toegevoegd aan het werkplan.")).to_be_visible()
        expect(page.locator("#werkplan tbody")).to_contain_text(text)
    screenshot(page, "conference-flow-6-session-held")
    context.close()
    csp_violations += violations

    session = ConferenceSession.objects.get(conference=conference)
    assert session.status == ConferenceSession.Status.HELD
    assert session.kind == ConferenceSession.Kind.FIRST
    assert sorted(session.invitations.values_list("kind", "attended")) == [
        (SessionInvitation.Kind.CLIENT, True),
        (SessionInvitation.Kind.PARENT, False),
        (SessionInvitation.Kind.PROFESSIONAL, True),
    ]
    conference.refresh_from_db()
    assert conference.status == ClientConference.Status.RUNNING  # the first held session starts it
    assert conference.plan_items.count() == 2

    # --- 4. The caseworker finds the agreement on the dashboard and follows it up ---------------
    context, page, violations = new_page(browser)
    login(page, live_server, "hulpverlener", demo.DEMO_PASSWORD)
    page.get_by_role("link", name="Overzicht").click()
    panel = page.locator("section", has=page.get_by_role("heading", name="Mijn afspraken uit werkplannen"))
    row = panel.locator("tr", has_text=FIRST_AGREEMENT)
    expect(row).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(panel).not_to_contain_text(SECOND_AGREEMENT)  # not theirs
    expect(panel.get_by_role("link", name=f"{pseudonym} · {full_name}")).to_be_visible()
    screenshot(page, "conference-flow-7-dashboard")
    # "Not done" without a reason is refused with a message; what was chosen and typed stays.
    field(row, "Opvolging").select_option(label="niet gerealiseerd")
    field(row, "Toelichting").fill("Leerlingbegeleider pas in maart beschikbaar.")
    row.get_by_role("button", name="Opslaan").click()
    summary = page.locator(".form-errors", has_text="De opvolging van de afspraak is niet bewaard.")
    expect(summary).to_contain_text("Geef aan waarom de afspraak niet gerealiseerd werd.")
    assert CarePlanItem.objects.get(description=FIRST_AGREEMENT).status == CarePlanItem.Status.OPEN
    summary.get_by_role("link", name="Naar de afspraak").click()
    row = page.locator("#werkplan tr", has_text=FIRST_AGREEMENT)
    expect(field(row, "Opvolging")).to_have_value("not_done")
    expect(field(row, "Toelichting")).to_have_value("Leerlingbegeleider pas in maart beschikbaar.")
    screenshot(page, "conference-flow-8-follow-up-error")
    # Back on the dashboard, the follow-up with its reason.
    page.get_by_role("link", name="Overzicht").click()
    row = panel.locator("tr", has_text=FIRST_AGREEMENT)
    field(row, "Opvolging").select_option(label="niet gerealiseerd")
    row.get_by_label("Reden niet gerealiseerd").select_option(label="wachtlijst")
    field(row, "Toelichting").fill("Leerlingbegeleider pas in maart beschikbaar.")
    row.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De opvolging is bewaard.")).to_be_visible()
    expect(page).to_have_url(live_server.url + reverse("home"))
    # Followed up: no longer open, so no longer on the list of things to do.
    expect(page.get_by_text(FIRST_AGREEMENT)).to_have_count(0)
    screenshot(page, "conference-flow-9-followed-up")
    context.close()
    csp_violations += violations

    item = CarePlanItem.objects.get(description=FIRST_AGREEMENT)
    assert item.status == CarePlanItem.Status.NOT_DONE
    assert item.not_done_reason == CarePlanItem.NotDoneReason.WAITING_LIST
    assert item.owner.username == "hulpverlener"
    # Every step is on the case's timeline, in order.
    Kind = TimelineEvent.Kind
    steps = [
        Kind.CONFERENCE_REQUESTED,
        Kind.CONFERENCE_ADMISSIBLE,
        Kind.CHAIR_ASSIGNED,
        Kind.SESSION_PLANNED,
        Kind.SESSION_HELD,
        Kind.PLAN_ITEM_UPDATED,
    ]
    assert (
        list(
            case.timeline.filter(kind__in=steps, at__date__gte=today)
            .order_by("at", "pk")
            .values_list("kind", flat=True)
        )
        == steps
    )
    assert not csp_violations, csp_violations
