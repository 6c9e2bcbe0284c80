"""Single sign-on against a real OpenID Connect provider process (issue 21 §4).

tests/oidc_provider.py (Authlib's authorization server) runs on 127.0.0.1 in its own process; the
app's real mozilla-django-oidc code talks to it over HTTP: authorization request, the provider's
login form, the code exchange, the signed ID token checked against the provider's JWKS, userinfo.
"""

import json
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from ijh.models import AuditEvent, User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

CLIENT_ID = "ijh-netwerken-test"
CLIENT_SECRET = "test-secret-for-the-provider-process"
REDIRECT_URI = "http://testserver/aanmelden/sso/terug/"
USERS = {
    # Upper case and spaces around it: matched all the same.
    "anna": {"email": " Anna.Peeters@Example.BE ", "email_verified": True},
    "stranger": {"email": "niemand@example.be", "email_verified": True},
    "unverified": {"email": "anna.peeters@example.be", "email_verified": False},
    "twice": {"email": "gedeeld@example.be", "email_verified": True},
    "left": {"email": "vertrokken@example.be", "email_verified": True},
}


class Provider:
    def __init__(self, port: int, process: subprocess.Popen) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = process

    def settings(self, **extra) -> dict:
        """Its entry for settings.OIDC_PROVIDERS (as ijh.settings builds it from OIDC_<NAME>_*)."""
        return {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "user_endpoint": f"{self.url}/userinfo",
            "jwks_endpoint": f"{self.url}/jwks",
            **extra,
        }


@contextmanager
def running_provider(directory: Path, *, redirect_uri: str, users: dict, require_pkce: bool = True):
    """tests/oidc_provider.py in its own process on a free port of 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = directory / "provider.json"
    config.write_text(
        json.dumps(
            {
                "port": port,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uri": redirect_uri,
                "users": users,
                "require_pkce": require_pkce,
            }
        )
    )
    script = Path(__file__).resolve().parent.parent / "oidc_provider.py"
    process = subprocess.Popen(
        [sys.executable, str(script), str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        assert line.strip() == "ready", process.stderr.read()
        yield Provider(port, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with running_provider(tmp_path_factory.mktemp("oidc"), redirect_uri=REDIRECT_URI, users=USERS) as running:
        yield running


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    return provider


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", email="anna.peeters@example.be")


def _at_provider(client: Client, provider: Provider, who: str) -> str:
    """Start at our button, log in at the provider as ``who``; the callback path it sends back."""
    start = client.get(reverse("oidc-start"))
    assert start.status_code == 302 and start.url.startswith(f"{provider.url}/authorize?")
    assert requests.get(start.url, timeout=10).status_code == 200  # the provider's login form
    answer = requests.post(start.url, data={"username": who}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return location.removeprefix("http://testserver")


def _refused(client: Client, response, text: str) -> None:
    assert response.status_code == 302 and response.url == reverse("login")
    page = client.get(response.url)
    assert text in page.text, page.text
    assert "_auth_user_id" not in client.session


def test_a_verified_email_logs_in_the_existing_account(client, sso, anna):
    users_before = User.objects.count()
    response = client.get(_at_provider(client, sso, "anna"))
    assert response.status_code == 302 and response.url == "/"
    assert client.session["_auth_user_id"] == str(anna.pk)
    assert client.get(reverse("home")).status_code == 200
    assert User.objects.count() == users_before
    anna.refresh_from_db()
    assert anna.email == "anna.peeters@example.be"  # nothing taken over from the provider
    assert AuditEvent.objects.filter(action="login.oidc", actor=anna).exists()


def test_an_unknown_email_is_refused_and_creates_nothing(client, sso, anna):
    users_before = User.objects.count()
    response = client.get(_at_provider(client, sso, "stranger"))
    _refused(client, response, "Er is geen account met dit e-mailadres")
    assert User.objects.count() == users_before


def test_an_unverified_email_is_refused(client, sso, anna):
    response = client.get(_at_provider(client, sso, "unverified"))
    _refused(client, response, "bevestigt je e-mailadres niet")


def test_an_inactive_account_is_refused(client, sso):
    UserFactory(username="weg", email="vertrokken@example.be", is_active=False)
    _refused(client, client.get(_at_provider(client, sso, "left")), "Er is geen account met dit e-mailadres")


def test_two_accounts_with_the_address_are_refused(client, sso):
    UserFactory(username="een", email="gedeeld@example.be")
    UserFactory(username="twee", email="Gedeeld@example.be")
    _refused(client, client.get(_at_provider(client, sso, "twice")), "Meer dan één account")


def test_a_replayed_callback_is_refused(client, sso, anna):
    callback = _at_provider(client, sso, "anna")
    assert client.get(callback).status_code == 302
    client.post(reverse("logout"))
    # The same state and code again, in the same browser and in another one.
    _refused(client, client.get(callback), "al gebruikt")
    other = Client()
    _refused(other, other.get(callback), "al gebruikt")


def test_a_forged_code_is_refused_without_an_error_page(client, sso, anna):
    start = client.get(reverse("oidc-start"))
    state = parse_qs(urlsplit(start.url).query)["state"][0]
    response = client.get(reverse("oidc-callback"), {"state": state, "code": "forged"})
    _refused(client, response, "antwoordde niet zoals verwacht")


def test_a_provider_error_is_refused(client, sso, anna):
    start = client.get(reverse("oidc-start"))
    state = parse_qs(urlsplit(start.url).query)["state"][0]
    response = client.get(reverse("oidc-callback"), {"state": state, "error": "access_denied"})
    _refused(client, response, "niet gelukt")


def test_the_login_page_offers_the_button_only_when_configured(client, settings, provider):
    assert reverse("oidc-start") not in client.get(reverse("login")).text
    assert client.get(reverse("oidc-start")).status_code == 404
    assert client.get(reverse("oidc-callback"), {"state": "x", "code": "y"}).status_code == 404
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    page = client.get(reverse("login"))
    assert reverse("oidc-start") in page.text and "organisatieaccount" in page.text


def test_password_login_still_works_with_sso_on(client, sso, anna):
    response = client.post(reverse("login"), {"username": "anna", "password": "correct-horse-battery"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"code": "x"},
        {"state": ""},
        {"state": "x" * 5000, "code": "y"},
        {"state": "a", "code": "b", "error": "server_error"},
        {"state": ["a", "b"], "code": ["c", "d"]},
        {"state": "\x00<script>", "code": "é"},
    ],
)
def test_garbage_at_the_callback_gets_the_login_page_not_an_error(client, sso, query):
    client.get(reverse("oidc-start"))  # a real state in the session, not the one sent
    response = client.get(reverse("oidc-callback"), query)
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session
