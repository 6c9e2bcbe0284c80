"""Password reset and change, sessions and the profile page (issue 21 §2, §5)."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ijh import accounts
from ijh.models import AuditEvent, OutgoingMail, PasswordResetRequest, User, UserSession

from ..factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
OLD = "correct-horse-battery"
NEW = "Zomerregen-Kastanje-42"


@pytest.fixture
def person(network):
    user = UserFactory(username="an.claes", first_name="An", email="an.claes@example.org")
    MembershipFactory(user=user, network=network)
    return user


@pytest.fixture
def mail_resets(fake_broker, deliver_mail, django_capture_on_commit_callbacks):
    """Plays the worker: runs the reset tasks published so far, then delivers their mails."""

    def run() -> int:
        from ijh import tasks

        published = fake_broker.published[run.done :]
        with django_capture_on_commit_callbacks(execute=True):
            for name, *args in published:
                if name == accounts.RESET_TASK:
                    tasks.send_password_reset(*args)
        run.done = len(fake_broker.published)
        return deliver_mail()

    run.done = 0
    return run


def ask_reset(client, address, **extra):
    return client.post(reverse("account:password-reset"), {"email": address}, **extra)


def reset_link(smtp_server, address) -> str:
    [message] = smtp_server.to(address)
    match = re.search(r"https?://[^\s]+/wachtwoord-vergeten/[^\s]+/[^\s]+/", smtp_server.text(message))
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def logged_in_client(user, password=OLD) -> Client:
    other = Client()
    assert other.post(reverse("login"), {"username": user.username, "password": password}).status_code == 302
    return other


def test_the_login_page_offers_a_reset(client):
    assert reverse("account:password-reset") in client.get(reverse("login")).text


def test_known_and_unknown_addresses_get_the_same_answer(
    client, person, smtp_server, mail_resets, fake_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask_reset(client, "  AN.Claes@Example.org ")
        unknown = ask_reset(client, "niemand@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account:password-reset-sent")
    page = client.get(known["Location"])
    assert "Als dit adres bij een account hoort" in page.text
    # The request itself does the same for both: one row, one task; the worker finds the account.
    assert [name for name, *_args in fake_broker.published] == [accounts.RESET_TASK] * 2
    assert mail_resets() == 1
    [message] = smtp_server.messages
    assert message["To"] == "an.claes@example.org"
    assert message["Subject"] == "Je wachtwoord voor IJH Netwerken opnieuw instellen"
    assert "Beste An," in smtp_server.text(message)
    assert "werkt één keer" in smtp_server.text(message)


def test_an_inactive_account_gets_no_mail_and_the_same_answer(
    client, person, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert ask_reset(client, person.email)["Location"] == reverse("account:password-reset-sent")
    assert not OutgoingMail.objects.exists()


def test_requests_are_throttled_per_address_and_per_ip(client, person, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    settings.PASSWORD_RESET_PER_IP = 2
    for _ in range(2):
        assert ask_reset(client, person.email).status_code == 302
    throttled = ask_reset(client, person.email)
    assert throttled.status_code == 429 and "te veel aanvragen" in throttled.text
    # The same answer for an address nobody has: throttling says nothing about accounts.
    for _ in range(2):
        ask_reset(client, "niemand@example.org", REMOTE_ADDR="10.0.0.9")
    assert ask_reset(client, "niemand@example.org", REMOTE_ADDR="10.0.0.9").status_code == 429
    # Per IP: a third address from the first address still counts against it.
    assert ask_reset(client, "derde@example.org").status_code == 429
    assert PasswordResetRequest.objects.count() == 4  # refused requests are not recorded
    # An hour later it works again.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert ask_reset(client, person.email).status_code == 302


def test_the_reset_link_works_once_and_ends_every_other_session(
    client, person, smtp_server, mail_resets, django_capture_on_commit_callbacks
):
    laptop = logged_in_client(person)
    assert UserSession.objects.filter(user=person).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        ask_reset(client, person.email)
    mail_resets()
    link = reset_link(smtp_server, person.email)
    form_page = client.get(link, follow=True)
    assert "Nieuw wachtwoord kiezen" in form_page.text and "Wachtwoord instellen" in form_page.text
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)
    # The laptop's session is gone.
    assert laptop.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(action="account.password_reset", actor=person).exists()
    # Used twice: the link no longer works, and nothing changes.
    again = client.get(link, follow=True)
    assert "Deze link werkt niet (meer)" in again.text
    assert client.post(set_url, {"new_password1": OLD + "x", "new_password2": OLD + "x"}).status_code == 200
    person.refresh_from_db()
    assert person.check_password(NEW)


def test_a_reset_link_dies_when_the_password_changes_and_after_its_time(
    client, person, smtp_server, mail_resets, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_reset(client, person.email)
    mail_resets()
    link = reset_link(smtp_server, person.email)
    # (two hours more: Django compares naive local times and time_machine shifts them by the UTC offset)
    with time_machine.travel(
        timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT, hours=2)
    ):
        assert "Deze link werkt niet (meer)" in client.get(link, follow=True).text
    person.set_password(NEW)
    person.save()
    assert "Deze link werkt niet (meer)" in client.get(link, follow=True).text


@pytest.mark.parametrize(
    "path",
    [
        "/wachtwoord-vergeten/MQ/abc-def/",
        "/wachtwoord-vergeten/%00/x/",
        "/wachtwoord-vergeten/zzzz/" + "a" * 300 + "/",
    ],
)
def test_a_forged_reset_token_says_so_in_dutch(client, person, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200 and "Deze link werkt niet (meer)" in response.text


@pytest.mark.parametrize("address", ["", "geen-adres", "a" * 300 + "@example.org", "x@y"])
def test_a_bad_address_gets_a_dutch_message(client, address):
    response = ask_reset(client, address)
    assert response.status_code == 422
    assert "e-mailadres" in response.text
    assert not OutgoingMail.objects.exists()


# --- password change, sessions, profile -----------------------------------------------------------


def test_changing_the_password_keeps_this_session_and_ends_the_others(person):
    here = logged_in_client(person)
    there = logged_in_client(person)
    response = here.post(
        reverse("account:password-change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert here.get(reverse("account:profile")).status_code == 200
    assert there.get(reverse("account:profile")).status_code == 302
    assert UserSession.objects.filter(user=person).count() == 1


def test_a_wrong_old_password_changes_nothing(person):
    here = logged_in_client(person)
    response = here.post(
        reverse("account:password-change"),
        {"old_password": "fout", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 422 and "Het formulier is niet bewaard" in response.text
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_the_profile_shows_roles_sessions_and_ends_one(person, network):
    here = logged_in_client(person)
    there = logged_in_client(person)
    page = here.get(reverse("account:profile"))
    assert page.status_code == 200
    assert "Mijn rollen" in page.text and str(network) in page.text
    assert "deze sessie" in page.text and "Geen authenticator-app gekoppeld" in page.text
    current = here.session.session_key
    other = UserSession.objects.filter(user=person).exclude(session_key=current).get()
    assert here.post(reverse("account:session-end", args=[other.pk])).status_code == 302
    assert there.get(reverse("account:profile")).status_code == 302
    # The current one is ended with "Afmelden", not here.
    mine = UserSession.objects.get(session_key=current)
    here.post(reverse("account:session-end", args=[mine.pk]))
    assert here.get(reverse("account:profile")).status_code == 200


def test_nobody_ends_someone_elses_session(person, network):
    theirs = logged_in_client(person)
    session = UserSession.objects.get(user=person)
    intruder = UserFactory(username="inbreker")
    MembershipFactory(user=intruder, network=network)
    client = logged_in_client(intruder)
    assert client.post(reverse("account:session-end", args=[session.pk])).status_code == 404
    assert theirs.get(reverse("account:profile")).status_code == 200
    assert person.email not in client.get(reverse("account:profile")).text


def test_the_profile_has_a_fixed_number_of_queries(person, network, django_assert_num_queries):
    for _ in range(3):
        MembershipFactory(user=person)
        logged_in_client(person)
    client = logged_in_client(person)
    # session, user, roles with network/region/organisation, TOTP device, sessions = 5,
    # + saving the session (savepoint, update, release) = 8
    with django_assert_num_queries(8):
        assert client.get(reverse("account:profile")).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client):
    for name in ("account:profile", "account:password-change"):
        assert client.get(reverse(name))["Location"].startswith(reverse("login"))


def test_reminder_switches_are_saved_per_person(person):
    client = logged_in_client(person)
    client.post(reverse("account:preferences"), {"mail_meeting_invitations": "on"})
    person.refresh_from_db()
    assert (
        person.mail_meeting_invitations,
        person.mail_agreement_reminders,
        person.mail_action_reminders,
    ) == (
        True,
        False,
        False,
    )
    assert AuditEvent.objects.filter(action="account.preferences_changed", actor=person).exists()
