"""Invitations (issue 21 §1): a coordinator invites someone without an account; the one-time link
works once, for 7 days; re-send and revoke kill the old link; the role form searches people."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent, User
from networks.models import Invitation, Membership

from ..factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Wandelpad-Boomgaard-17"


@pytest.fixture
def organisation(network):
    return NetworkMembershipFactory(network=network, organisation__name="CKG De Kiem").organisation


def invite(client, network, organisation, **extra):
    data = {
        "first_name": "Nele",
        "last_name": "Nieuw",
        "email": "nele.nieuw@example.org",
        "role": "caseworker",
        "organisation": organisation.pk,
        "since": timezone.localdate().isoformat(),
        **extra,
    }
    return client.post(reverse("networks:invitation-create", args=[network.pk]), data)


def link_in(text: str) -> str:
    match = re.search(r"https?://[^\s]+/uitnodiging/[^\s/]+/", text)
    assert match, text
    return match.group(0)


@pytest.fixture
def invited(
    client,
    manager,
    network,
    organisation,
    smtp_server,
    deliver_mail,
    django_capture_on_commit_callbacks,
    settings,
):
    """Invites Nele; returns the link path of the mail that arrived."""
    settings.SITE_URL = "https://ijh.example.be"
    client.force_login(manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, network, organisation, email="  Nele.Nieuw@Example.ORG ")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert deliver_mail() == 1
    client.logout()
    [message] = smtp_server.to("nele.nieuw@example.org")
    return link_in(smtp_server.text(message)).removeprefix("https://ijh.example.be")


def test_the_invitation_mail_arrives_once_in_dutch_with_a_working_link(
    client, invited, network, manager, smtp_server
):
    [message] = smtp_server.messages
    assert message["Subject"] == f"Uitnodiging voor IJH Netwerken – {network}"
    text = smtp_server.text(message)
    assert "Beste Nele," in text
    assert f"{manager.user} nodigt je uit in {network} als hulpverlener namens CKG De Kiem." in text
    assert "Je gebruikersnaam is nele.nieuw@example.org" in text
    assert "contactpersoon van CKG De Kiem" in text  # client-data role: waits for confirmation
    assert f'href="https://ijh.example.be{invited}"' in smtp_server.html(message)

    user = User.objects.get(email="nele.nieuw@example.org")
    assert (user.username, user.is_active, user.has_usable_password()) == (
        "nele.nieuw@example.org",
        False,
        False,
    )
    role = Membership.objects.get(user=user)
    assert (role.role, role.confirmation) == ("caseworker", Membership.Confirmation.PENDING)
    assert AuditEvent.objects.filter(action="account.invited", actor=manager.user).count() == 1


def test_the_link_sets_the_password_once_and_logs_in(client, invited, network):
    page = client.get(invited)
    assert page.status_code == 200 and "Kies een wachtwoord" in page.text
    response = client.post(invited, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email="nele.nieuw@example.org")
    assert user.is_active and user.check_password(PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="account.invitation_accepted", actor=user).exists()

    # Single use: the same link again says so, and a second POST changes nothing.
    client.logout()
    again = client.get(invited)
    assert "Deze uitnodiging werd al gebruikt" in again.text
    response = client.post(
        invited, {"new_password1": "Ander-Wachtwoord-99", "new_password2": "Ander-Wachtwoord-99"}
    )
    assert response.status_code == 409
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # And the password works on the login page.
    assert (
        client.post(
            reverse("login"), {"username": "nele.nieuw@example.org", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_a_weak_password_is_refused_in_dutch_and_keeps_the_link(client, invited):
    response = client.post(invited, {"new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 422
    assert "Dit wachtwoord is te kort" in response.text or "te kort" in response.text
    user = User.objects.get(email="nele.nieuw@example.org")
    assert not user.is_active and not user.has_usable_password()
    assert Invitation.objects.get().accepted_at is None


def test_the_link_expires_after_seven_days(
    client, invited, manager, smtp_server, deliver_mail, django_capture_on_commit_callbacks
):
    sent = Invitation.objects.get().sent_at
    with time_machine.travel(sent + datetime.timedelta(days=6, hours=23), tick=False):
        assert "Kies een wachtwoord" in client.get(invited).text
    with time_machine.travel(sent + datetime.timedelta(days=7, minutes=1), tick=False):
        page = client.get(invited)
        assert "Deze uitnodiging is verlopen op" in page.text
        assert "Vraag een nieuwe uitnodiging" in page.text
        refused = client.post(invited, {"new_password1": PASSWORD, "new_password2": PASSWORD})
        assert refused.status_code == 409
        assert not User.objects.get(email="nele.nieuw@example.org").is_active
        # Asking for a new one mails the inviter, once however often it is asked.
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(invited, {"action": "renew"})
            client.post(invited, {"action": "renew"})
        assert "nieuwe uitnodiging te sturen" in asked.text
    deliver_mail()
    [notice] = smtp_server.to(manager.user.email)
    assert "vraagt een nieuwe uitnodiging" in notice["Subject"]
    assert "/uitnodigingen/" in smtp_server.text(notice)


def test_resend_makes_a_new_link_and_kills_the_old_one(
    client, invited, manager, smtp_server, deliver_mail, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.get()
    client.force_login(manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("networks:invitation-resend", args=[invitation.pk]))
    assert response.status_code == 302
    deliver_mail()
    _first, second = smtp_server.to("nele.nieuw@example.org")
    new_link = link_in(smtp_server.text(second)).removeprefix("https://ijh.example.be")
    assert new_link != invited
    client.logout()
    assert client.get(invited).status_code == 404
    assert "Kies een wachtwoord" in client.get(new_link).text
    invitation.refresh_from_db()
    assert invitation.sent_count == 2


def test_revoke_kills_the_link_and_the_unused_role(client, invited, manager):
    invitation = Invitation.objects.get()
    client.force_login(manager.user)
    client.post(reverse("networks:invitation-revoke", args=[invitation.pk]))
    client.logout()
    page = client.get(invited)
    assert "ingetrokken" in page.text
    assert not Membership.objects.filter(user__email="nele.nieuw@example.org").exists()
    assert User.objects.filter(email="nele.nieuw@example.org").exists()  # never deleted
    # Revoking twice: a Dutch message, nothing else.
    client.force_login(manager.user)
    response = client.post(reverse("networks:invitation-revoke", args=[invitation.pk]), follow=True)
    assert "Deze uitnodiging is ingetrokken." in response.text


# --- bad input ------------------------------------------------------------------------------------


def test_an_address_already_invited_or_with_an_account_is_refused(
    client, manager, network, organisation, django_capture_on_commit_callbacks
):
    client.force_login(manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, network, organisation).status_code == 302
    counts = (User.objects.count(), Membership.objects.count(), Invitation.objects.count())
    again = invite(client, network, organisation, email="NELE.nieuw@example.org ")
    assert again.status_code == 422
    assert "Dit adres is al uitgenodigd" in again.text
    UserFactory(username="bestaand", email="Bert@Example.org")
    existing = invite(client, network, organisation, email="bert@example.org")
    assert existing.status_code == 422 and "Er bestaat al een account met dit e-mailadres" in existing.text
    assert (User.objects.count() - 1, Membership.objects.count(), Invitation.objects.count()) == counts


@pytest.mark.parametrize("email", ["geen-adres", "", "a@b", "x" * 200 + "@example.org"])
def test_a_bad_address_is_refused_in_dutch(client, manager, network, organisation, email):
    client.force_login(manager.user)
    users = User.objects.count()
    response = invite(client, network, organisation, email=email)
    assert response.status_code == 422
    assert "e-mailadres" in response.text
    assert User.objects.count() == users


def test_the_grant_rules_hold_for_invitations(client, network, organisation, regional_staff):
    # Regional staff may not give client-data roles (issue 22): not to a new person either.
    client.force_login(regional_staff.user)
    response = invite(client, network, organisation)
    assert response.status_code == 422
    assert not User.objects.filter(email="nele.nieuw@example.org").exists()


@pytest.mark.parametrize("token", ["x", "a" * 43, "%00", "a" * 500])
def test_a_forged_token_says_so_in_dutch(client, token):
    response = client.get(f"/uitnodiging/{token}/")
    assert response.status_code == 404
    assert "Deze link is ongeldig" in response.text


# --- access and query counts --------------------------------------------------------------------


@pytest.fixture
def some_invitations(client, manager, network, organisation, django_capture_on_commit_callbacks):
    client.force_login(manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            invite(
                client, network, organisation, email=f"persoon{number}@example.org", role="steering_member"
            )
    client.logout()
    return Invitation.objects.all()


def test_only_the_networks_managers_see_its_invitations(
    client, some_invitations, network, manager, member, outsider
):
    url = reverse("networks:invitation-list", args=[network.pk])
    client.force_login(member.user)
    assert client.get(url).status_code == 403
    client.force_login(outsider.user)
    assert client.get(url).status_code == 404
    invitation = some_invitations.first()
    for who, status in ((member, 403), (outsider, 404)):
        client.force_login(who.user)
        assert client.post(reverse("networks:invitation-resend", args=[invitation.pk])).status_code == status
        assert client.post(reverse("networks:invitation-revoke", args=[invitation.pk])).status_code == status
        assert (
            client.get(reverse("networks:person-search", args=[network.pk]), {"q": "pers"}).status_code
            == status
        )
    invitation.refresh_from_db()
    assert invitation.sent_count == 1 and invitation.revoked_at is None
    client.force_login(manager.user)
    page = client.get(url)
    assert page.status_code == 200 and "persoon4@example.org" in page.text


def test_the_invitation_list_has_a_fixed_number_of_queries(
    client, some_invitations, network, manager, django_assert_num_queries
):
    client.force_login(manager.user)
    # session, user, network with manage flag, invitations with person, inviter, role and
    # organisation = 4, + saving the session (savepoint, update, release) = 7
    with django_assert_num_queries(7):
        client.get(reverse("networks:invitation-list", args=[network.pk]))


# --- finding existing people ----------------------------------------------------------------------


def test_the_role_form_searches_instead_of_listing_everyone(client, manager, network, organisation):
    colleague = UserFactory(first_name="Lien", last_name="Mertens", email="lien@kiem.be")
    MembershipFactory(user=colleague, network=NetworkFactory(), organisation=organisation)
    stranger = UserFactory(first_name="Lien", last_name="Elders", email="lien@elders.be")
    MembershipFactory(user=stranger, network=NetworkFactory())
    client.force_login(manager.user)
    form = client.get(reverse("networks:role-add", args=[network.pk])).text
    assert "Mertens" not in form and '<select name="user"' not in form
    search = reverse("networks:person-search", args=[network.pk])
    found = client.get(search, {"q": "lien mer"}).text
    assert f'value="{colleague.pk}"' in found
    assert "Elders" not in client.get(search, {"q": "lien"}).text  # not of this network's organisations
    assert f'value="{stranger.pk}"' in client.get(search, {"q": " LIEN@elders.be "}).text  # exact address
    assert "minstens 2 letters" in client.get(search, {"q": "l"}).text
    nobody = client.get(search, {"q": "nobody@example.org"}).text
    assert "Nodig een nieuwe persoon uit" in nobody and "q=nobody%40example.org" in nobody
    # The picked person goes through the usual role form.
    response = client.post(
        reverse("networks:role-add", args=[network.pk]),
        {
            "user": colleague.pk,
            "role": "steering_member",
            "organisation": organisation.pk,
            "since": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=colleague, network=network).exists()


def test_person_search_has_a_fixed_number_of_queries(
    client, manager, network, organisation, django_assert_num_queries
):
    for number in range(12):
        MembershipFactory(user=UserFactory(last_name=f"Peeters{number}"), network=network)
    client.force_login(manager.user)
    # session, user, network with manage flag, the people = 4, + session save (3) = 7
    with django_assert_num_queries(7):
        client.get(reverse("networks:person-search", args=[network.pk]), {"q": "peeters"})


def test_an_invited_staff_member_sets_up_the_authenticator_app_next(client, network, settings):
    settings.OTP_REQUIRED = True
    staff = UserFactory(username="staf@example.org", email="staf@example.org", is_active=False)
    MembershipFactory(user=staff, regional_staff=True, region=network.region)
    invitation = Invitation(user=staff, network=network, email=staff.email)
    token = invitation.renew()
    invitation.save()
    url = reverse("account:invitation", args=[token])
    assert client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("second-factor"))
    assert "authenticator" in client.get(response["Location"]).text


def test_a_revoked_address_can_be_invited_again(
    client, invited, manager, network, organisation, django_capture_on_commit_callbacks
):
    first = Invitation.objects.get()
    client.force_login(manager.user)
    client.post(reverse("networks:invitation-revoke", args=[first.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, network, organisation, first_name="Nele", last_name="Nieuwe")
    assert response.status_code == 302
    second = Invitation.objects.exclude(pk=first.pk).get()
    assert second.user_id == first.user_id  # the same (never used) account, no duplicate
    assert User.objects.filter(email="nele.nieuw@example.org").count() == 1
    assert User.objects.get(pk=first.user_id).last_name == "Nieuwe"
