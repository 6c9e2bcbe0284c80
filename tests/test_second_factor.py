"""TOTP second step for regional staff and admins (DESIGN.md §5): set up once, asked at every login."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.OTP_REQUIRED = True


def login(client, persona):
    return client.post(reverse("login"), {"username": persona.user.username, "password": persona.password})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_staff_sets_up_totp_then_reaches_the_page(client, regional_staff):
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
    assert device.confirmed


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
