"""TOTP second step for regional staff and admins (DESIGN.md §5): set up once (through an invitation
or reset link, or after an administrator's reset; issue 22 §5), asked at every login, and asked as
soon as a role that needs it is granted, mid-session too."""

import datetime
import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ijh import totp

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED = True


def login(client, persona):
    return client.post(reverse("login"), {"username": persona.user.username, "password": persona.password})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_staff_sets_up_totp_after_an_admin_reset_then_reaches_the_page(client, regional_staff):
    totp.reset_second_factor(regional_staff.user, by=None)
    response = login(client, regional_staff)
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home.url.startswith(reverse("second-factor"))

    setup = client.get(home.url)
    assert setup.status_code == 200
    assert "<svg" in setup.text and "authenticator" in setup.text
    secret = re.search(r'class="secret">([A-Z2-7]+)<', setup.text).group(1)
    device = TOTPDevice.objects.get(user=regional_staff.user)
    assert not device.confirmed and len(secret) >= 16

    wrong = client.post(
        reverse("second-factor"),
        {"token": "000000" if current_code(device) != "000000" else "111111", "next": "/"},
    )
    assert wrong.status_code == 422
    assert "klopt niet" in wrong.text
    assert client.get(reverse("home")).status_code == 302

    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    done = client.post(reverse("second-factor"), {"token": current_code(device), "next": "/netwerken/"})
    assert done.status_code == 302 and done.url == "/netwerken/"
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed and device.name == "authenticator"


def test_next_login_asks_the_code_without_a_new_secret(client, regional_staff):
    device = TOTPDevice.objects.create(user=regional_staff.user, name="app", confirmed=True)
    login(client, regional_staff)
    page = client.get(reverse("second-factor"))
    assert "<svg" not in page.text and "6 cijfers" in page.text
    assert TOTPDevice.objects.filter(user=regional_staff.user).count() == 1
    response = client.post(reverse("second-factor"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("networks:list")).status_code == 200


def test_repeated_wrong_codes_are_throttled(client, regional_staff):
    device = TOTPDevice.objects.create(user=regional_staff.user, name="app", confirmed=True)
    login(client, regional_staff)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    client.post(reverse("second-factor"), {"token": wrong, "next": "/"})
    response = client.post(reverse("second-factor"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 422
    assert "Te veel foute codes" in response.text


def test_malformed_code_gets_a_dutch_message(client, regional_staff):
    TOTPDevice.objects.create(user=regional_staff.user, name="app", confirmed=True)
    login(client, regional_staff)
    response = client.post(reverse("second-factor"), {"token": "12ab", "next": "/"})
    assert response.status_code == 422
    assert "6 cijfers" in response.text


def test_foreign_next_url_is_ignored(client, regional_staff):
    device = TOTPDevice.objects.create(user=regional_staff.user, name="app", confirmed=True)
    login(client, regional_staff)
    response = client.post(
        reverse("second-factor"), {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_steering_member_needs_no_second_step(client, member):
    login(client, member)
    assert client.get(reverse("home")).status_code == 200


def test_htmx_request_is_redirected_by_header(client, regional_staff):
    login(client, regional_staff)
    response = client.get(reverse("networks:list"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("second-factor"))


def test_health_and_logout_stay_open(client, regional_staff):
    login(client, regional_staff)
    assert client.get(reverse("health")).status_code in (200, 503)
    assert client.post(reverse("logout")).status_code == 302


# --- issue 22 §5: the second factor follows the role, and a password alone never enrols one -------


def test_role_granted_mid_session_asks_the_second_factor_at_the_next_request(client, member, network):
    from .factories import MembershipFactory

    # given: a steering member, logged in with a password, working normally
    login(client, member)
    assert client.get(reverse("networks:list")).status_code == 200
    # when: someone gives them a regional staff role while their session runs
    MembershipFactory(user=member.user, regional_staff=True, region=network.region)
    # then: the very next request (page or htmx) goes to the second step
    response = client.get(reverse("networks:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("second-factor"))
    htmx = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("second-factor"))


def test_django_staff_flag_set_mid_session_counts_too(client, member):
    login(client, member)
    assert client.get(reverse("home")).status_code == 200
    type(member.user).objects.filter(pk=member.user.pk).update(is_staff=True)
    assert client.get(reverse("home")).url.startswith(reverse("second-factor"))


def test_a_role_that_ended_no_longer_asks(client, regional_staff):
    from networks.models import Membership

    login(client, regional_staff)
    assert client.get(reverse("home")).status_code == 302
    Membership.objects.filter(user=regional_staff.user).update(until=datetime.date(2021, 1, 1))
    assert client.get(reverse("home")).status_code == 200


def test_a_password_alone_cannot_set_up_a_device(client, regional_staff):
    login(client, regional_staff)
    page = client.get(reverse("second-factor"))
    assert page.status_code == 200
    assert "<svg" not in page.text and "uitnodigingsmail" in page.text and "beheerder" in page.text
    # Posting a code anyway (a guess, or a code of an app set up elsewhere): refused, nothing stored.
    response = client.post(reverse("second-factor"), {"token": "123456", "next": "/"})
    assert response.status_code == 403 and "uitnodigingsmail" in response.text
    assert not TOTPDevice.objects.filter(user=regional_staff.user).exists()
    assert client.get(reverse("home")).status_code == 302


def _allow_in_session(client, user) -> None:
    """What the invitation or reset view does after accepting its one-time link."""
    from types import SimpleNamespace

    session = client.session
    totp.allow_enrolment(SimpleNamespace(session=session, user=user))
    session.save()


def test_the_invitation_hook_opens_enrolment_for_that_session_only(client, regional_staff):
    from django.test import Client

    login(client, regional_staff)
    _allow_in_session(client, regional_staff.user)
    setup = client.get(reverse("second-factor"))
    assert "<svg" in setup.text
    # Another session with the same password gets no QR code.
    elsewhere = Client()
    login(elsewhere, regional_staff)
    assert "<svg" not in elsewhere.get(reverse("second-factor")).text

    device = TOTPDevice.objects.get(user=regional_staff.user)
    done = client.post(reverse("second-factor"), {"token": current_code(device), "next": "/"})
    assert done.status_code == 302
    assert totp.ENROLMENT_SESSION_KEY not in client.session  # used up
    from ijh.models import AuditEvent

    assert AuditEvent.objects.filter(action="second_factor.enrolled", actor=regional_staff.user).exists()


def test_the_invitation_hook_expires(client, regional_staff):
    import time_machine

    login(client, regional_staff)
    _allow_in_session(client, regional_staff.user)
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(minutes=31)):
        assert "<svg" not in client.get(reverse("second-factor")).text


def test_a_forged_session_grant_for_someone_else_does_not_count(client, regional_staff):
    login(client, regional_staff)
    session = client.session
    session[totp.ENROLMENT_SESSION_KEY] = {"user": regional_staff.user.pk + 1, "until": 9e12}
    session.save()
    assert "<svg" not in client.get(reverse("second-factor")).text
    session = client.session
    session[totp.ENROLMENT_SESSION_KEY] = "yes"
    session.save()
    assert client.get(reverse("second-factor")).status_code == 200


def test_an_administrators_reset_is_audited_and_opens_enrolment_for_a_while(client, regional_staff, settings):
    import time_machine

    from ijh.models import AuditEvent

    from .factories import UserFactory

    old = TOTPDevice.objects.create(user=regional_staff.user, name="app", confirmed=True)
    root = UserFactory(username="beheer-root", is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(root)
    settings.OTP_REQUIRED = False  # the administrator's own second step is tested above
    response = admin_client.post(
        "/beheer/ijh/user/",
        {"action": "reset_second_factor", "_selected_action": [regional_staff.user.pk]},
    )
    settings.OTP_REQUIRED = True
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    event = AuditEvent.objects.get(action="second_factor.reset")
    assert event.actor == root and event.object_id == str(regional_staff.user.pk)

    login(client, regional_staff)
    assert "<svg" in client.get(reverse("second-factor")).text
    later = datetime.datetime.now() + datetime.timedelta(hours=settings.SECOND_FACTOR_RESET_HOURS + 1)
    with time_machine.travel(later):
        assert "<svg" not in client.get(reverse("second-factor")).text
