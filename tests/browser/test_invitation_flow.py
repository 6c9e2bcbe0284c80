"""Issue 21 §1 end to end in Chromium: a coordinator invites a new caseworker, the invitation mail
(an .eml file, as the embedded default writes it under var/mail/) is opened, the password is set,
the organisation confirms the role, and the caseworker logs in and sees the network."""

import email
import email.policy
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ijh import mail
from networks import services
from networks.models import Invitation, Membership

from ..factories import BodyFactory, MembershipFactory, NetworkFactory, NetworkMembershipFactory, UserFactory
from .conftest import login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "Kastanjelaan-Regenboog-23"


@pytest.fixture
def mailbox(settings, tmp_path, live_server, fake_broker):
    """Mails go to .eml files (the embedded default's backend); the test plays the worker."""
    settings.EMAIL_BACKEND = "ijh.mail_backends.FileBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.SITE_URL = live_server.url

    def open_latest(to: str) -> email.message.EmailMessage:
        for mail_id in fake_broker.ids(mail.TASK):
            mail.deliver(mail_id)
        [path] = [p for p in (tmp_path / "mail").glob("*.eml") if to in p.name]
        return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)

    return open_latest


def test_a_coordinator_invites_a_caseworker_who_sets_a_password_and_sees_the_network(
    page, live_server, mailbox
):
    network = NetworkFactory(name="RTJ Waas en Dender")
    BodyFactory(network=network, name="Kerngroep")
    organisation = NetworkMembershipFactory(
        network=network, organisation__name="CKG De Zonnewijzer"
    ).organisation
    coordinator = UserFactory(username="coordinator", first_name="Els", last_name="Vermeulen")
    MembershipFactory(user=coordinator, network=network, coordinator=True)
    contact = UserFactory(username="contact", first_name="Carla", last_name="Contact")
    MembershipFactory(user=contact, network=network, organisation=organisation)
    organisation.contact_people.add(contact)

    # 1. The coordinator looks for the person on the role form, finds nobody, and invites her.
    login(page, live_server, "coordinator", PASSWORD)
    page.goto(live_server.url + reverse("networks:role-add", args=[network.pk]))
    page.get_by_label("Persoon").fill("lotte.nieuw@example.org")
    page.get_by_role("link", name="Nodig een nieuwe persoon uit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Iemand zonder account uitnodigen")
    expect(page.get_by_label("E-mailadres")).to_have_value("lotte.nieuw@example.org")
    page.get_by_label("Voornaam").fill("Lotte")
    page.get_by_label("Familienaam").fill("Nieuw")
    page.get_by_label("Rol").select_option(label="hulpverlener")
    page.get_by_label("Vertegenwoordigt organisatie").select_option(label="CKG De Zonnewijzer")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "De uitnodiging is verstuurd naar lotte.nieuw@example.org"
    )
    expect(page.get_by_role("row", name=re.compile("Lotte Nieuw"))).to_contain_text(
        "verstuurd, nog niet gebruikt"
    )
    screenshot(page, "invitation_list")
    page.get_by_role("button", name="Afmelden").click()

    # 2. The mail, as it lands in var/mail/: Dutch, with a one-time link.
    message = mailbox("lotte.nieuw@example.org")
    assert message["Subject"].strip() == "Uitnodiging voor IJH Netwerken – RTJ Waas en Dender"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Els Vermeulen nodigt je uit in RTJ Waas en Dender als hulpverlener" in text
    link = re.search(re.escape(live_server.url) + r"/uitnodiging/[^\s]+/", text).group(0)

    # 3. She opens the link and sets a password (a too short one first).
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Je account voor IJH Netwerken")
    page.get_by_label("Nieuw wachtwoord:", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("kort")
    page.get_by_role("button", name="Wachtwoord instellen").click()
    expect(page.get_by_role("alert")).to_contain_text("Het formulier is niet bewaard")
    expect(page.locator(".error").first).to_contain_text("te kort")
    page.get_by_label("Nieuw wachtwoord:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nieuw wachtwoord bevestigen").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord instellen").click()
    expect(page.get_by_role("status")).to_contain_text("Welkom, Lotte")
    page.get_by_role("button", name="Afmelden").click()
    assert Invitation.objects.get().accepted_at is not None

    # 4. Her organisation confirms that she works there (DESIGN.md §5) ...
    role = Membership.objects.get(user__username="lotte.nieuw@example.org")
    services.decide_grant(membership=role, by=contact, confirm=True)

    # 5. ... and she logs in with her new password and sees the network.
    login(page, live_server, "lotte.nieuw@example.org", NEW_PASSWORD)
    page.goto(live_server.url + reverse("networks:list"))
    page.get_by_role("link", name="RTJ Waas en Dender").click()
    expect(page.get_by_role("heading", level=1, name="RTJ Waas en Dender")).to_be_visible()
    page.goto(live_server.url + reverse("account:profile"))
    expect(page.get_by_role("row", name=re.compile("hulpverlener"))).to_contain_text("RTJ Waas en Dender")
    screenshot(page, "invited_caseworker_profile")

    # The link is single use.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("Deze uitnodiging werd al gebruikt")
