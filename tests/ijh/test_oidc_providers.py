"""Several OpenID providers side by side, and PKCE (issue 21 §4).

Two real provider processes (tests/oidc_provider.py) on their own ports play the Flemish
government's identity broker ("vlaanderen") and a partner organisation's Microsoft tenant
("partnerx", whose verified-address claim is Microsoft's ``xms_edov``). Both require PKCE: an
authorization request without a code challenge is refused, and a code is only exchanged with
its own code verifier.
"""

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from ijh import oidc
from ijh.models import AuditEvent, User

from ..factories import UserFactory
from .test_oidc import running_provider

pytestmark = pytest.mark.django_db

VLAANDEREN_USERS = {
    "anna": {"email": "Anna.Peeters@vlaanderen.be", "email_verified": True},
    "onbevestigd": {"email": "bert.maes@partnerx.be", "email_verified": False},
}
PARTNERX_USERS = {
    # A Microsoft tenant sends no email_verified; xms_edov says the domain owner verified it.
    "bert": {"email": "bert.maes@partnerx.be", "xms_edov": True},
    "gast": {"email": "anna.peeters@vlaanderen.be", "xms_edov": False},
    "vreemde": {"email": "niemand@partnerx.be", "xms_edov": True},
}


def _callback(name: str) -> str:
    return f"http://testserver/aanmelden/sso/{name}/terug/"


@pytest.fixture(scope="module")
def vlaanderen(tmp_path_factory):
    with running_provider(
        tmp_path_factory.mktemp("vlaanderen"), redirect_uri=_callback("vlaanderen"), users=VLAANDEREN_USERS
    ) as running:
        yield running


@pytest.fixture(scope="module")
def partnerx(tmp_path_factory):
    with running_provider(
        tmp_path_factory.mktemp("partnerx"), redirect_uri=_callback("partnerx"), users=PARTNERX_USERS
    ) as running:
        yield running


@pytest.fixture
def two_providers(settings, vlaanderen, partnerx):
    settings.OIDC_PROVIDERS = {
        "vlaanderen": vlaanderen.settings(label="Aanmelden als medewerker van de Vlaamse overheid"),
        "partnerx": partnerx.settings(
            label="Aanmelden met je account van Partner X", verified_claim="xms_edov"
        ),
    }
    return vlaanderen, partnerx


@pytest.fixture
def anna(db):
    return UserFactory(username="anna", email="anna.peeters@vlaanderen.be")


@pytest.fixture
def bert(db):
    return UserFactory(username="bert", email="bert.maes@partnerx.be")


def _start(client: Client, name: str):
    response = client.get(reverse("oidc-provider-start", args=[name]))
    assert response.status_code == 302, response
    return response


def _at_provider(client: Client, name: str, provider, who: str) -> str:
    """Our button for ``name``, then the provider's login as ``who``; the callback path it sends back."""
    start = _start(client, name)
    assert start.url.startswith(f"{provider.url}/authorize?")
    answer = requests.post(start.url, data={"username": who}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(_callback(name))
    return location.removeprefix("http://testserver")


def _refused(client: Client, response, text: str) -> None:
    assert response.status_code == 302 and response.url == reverse("login")
    page = client.get(response.url)
    assert text in page.text, page.text
    assert "_auth_user_id" not in client.session


def test_the_login_page_shows_one_button_per_provider(client, settings, two_providers):
    vlaanderen, _partnerx = two_providers
    # The single-provider variables still make one provider, first among the buttons.
    settings.OIDC_RP_CLIENT_ID = "legacy"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{vlaanderen.url}/authorize"
    page = client.get(reverse("login")).text
    buttons = [
        ("Aanmelden met je organisatieaccount", "/aanmelden/sso/"),
        ("Aanmelden als medewerker van de Vlaamse overheid", "/aanmelden/sso/vlaanderen/"),
        ("Aanmelden met je account van Partner X", "/aanmelden/sso/partnerx/"),
    ]
    positions = [page.index(f'href="{path}">{label}</a>') for label, path in buttons]
    assert positions == sorted(positions)


def test_each_provider_logs_in_the_account_with_its_verified_address(client, two_providers, anna, bert):
    vlaanderen, partnerx = two_providers
    users_before = User.objects.count()
    response = client.get(_at_provider(client, "vlaanderen", vlaanderen, "anna"))
    assert response.status_code == 302 and response.url == "/"
    assert client.session["_auth_user_id"] == str(anna.pk)
    assert AuditEvent.objects.filter(action="login.oidc", actor=anna, detail="vlaanderen").exists()

    other = Client()
    response = other.get(_at_provider(other, "partnerx", partnerx, "bert"))
    assert response.status_code == 302 and response.url == "/"
    assert other.session["_auth_user_id"] == str(bert.pk)
    assert AuditEvent.objects.filter(action="login.oidc", actor=bert, detail="partnerx").exists()
    assert User.objects.count() == users_before


def test_each_provider_refuses_unverified_and_unknown_addresses(client, two_providers, anna, bert):
    vlaanderen, partnerx = two_providers
    users_before = User.objects.count()
    _refused(
        client,
        client.get(_at_provider(client, "vlaanderen", vlaanderen, "onbevestigd")),
        "bevestigt je e-mailadres niet",
    )
    # Microsoft's own claim decides at partnerx: email_verified means nothing there.
    _refused(
        client,
        client.get(_at_provider(client, "partnerx", partnerx, "gast")),
        "bevestigt je e-mailadres niet",
    )
    _refused(
        client,
        client.get(_at_provider(client, "partnerx", partnerx, "vreemde")),
        "Er is geen account met dit e-mailadres",
    )
    assert User.objects.count() == users_before


def test_a_code_brought_to_another_providers_address_is_refused(client, two_providers, anna):
    vlaanderen, _partnerx = two_providers
    callback = _at_provider(client, "vlaanderen", vlaanderen, "anna")
    # The mix-up: vlaanderen's code and state arrive at partnerx's callback.
    query = callback.split("?", 1)[1]
    _refused(
        client, client.get(f"{reverse('oidc-provider-callback', args=['partnerx'])}?{query}"), "al gebruikt"
    )
    # At its own address it still works; once.
    assert client.get(callback).url == "/"
    client.post(reverse("logout"))
    _refused(client, client.get(callback), "al gebruikt")


@pytest.mark.parametrize(
    "path", ["/aanmelden/sso/onbekend/", "/aanmelden/sso/onbekend/terug/?state=x&code=y"]
)
def test_an_unknown_provider_name_gets_a_dutch_message(client, two_providers, path):
    _refused(client, client.get(path), "Deze manier van aanmelden bestaat niet")


def test_without_any_provider_the_urls_answer_404(client):
    assert client.get("/aanmelden/sso/vlaanderen/").status_code == 404
    assert client.get("/aanmelden/sso/vlaanderen/terug/", {"state": "x", "code": "y"}).status_code == 404
    assert "/aanmelden/sso/" not in client.get(reverse("login")).text


# --- PKCE ---------------------------------------------------------------------------------------


def test_the_authorization_request_carries_a_pkce_challenge(client, two_providers):
    start = _start(client, "vlaanderen")
    query = parse_qs(urlsplit(start.url).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    state = query["state"][0]
    verifier = client.session["oidc_states"][state]["code_verifier"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [expected]


def test_the_provider_refuses_a_login_without_pkce(client, settings, two_providers):
    vlaanderen, _partnerx = two_providers
    settings.OIDC_PROVIDERS = {"vlaanderen": vlaanderen.settings(use_pkce=False)}
    start = _start(client, "vlaanderen")
    assert "code_challenge" not in start.url
    refused = requests.get(start.url, timeout=10)
    assert refused.status_code == 400 and "code_challenge" in refused.text


def test_a_code_without_its_verifier_is_refused_by_the_provider(client, two_providers, anna):
    vlaanderen, _partnerx = two_providers
    callback = _at_provider(client, "vlaanderen", vlaanderen, "anna")
    # An intercepted code redeemed by someone who lacks the verifier: our token request carries a
    # different one, and the provider says no.
    state = parse_qs(urlsplit(callback).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["code_verifier"] = "x" * 64
    session.save()
    _refused(client, client.get(callback), "antwoordde niet zoals verwacht")
    assert not AuditEvent.objects.filter(action="login.oidc").exists()


# --- configuration from the environment ------------------------------------------------------------


def test_providers_are_read_from_oidc_name_variables(monkeypatch):
    from ijh import settings as settings_module

    for key, value in {
        "CLIENT_ID": "ijh",
        "CLIENT_SECRET": "s3cret",
        "AUTHORIZATION_ENDPOINT": "https://login.example/authorize",
        "TOKEN_ENDPOINT": "https://login.example/token",
        "USER_ENDPOINT": "https://login.example/userinfo",
        "JWKS_ENDPOINT": "https://login.example/jwks",
        "LABEL": "Aanmelden via Partner X",
        "USE_PKCE": "0",
        "VERIFIED_CLAIM": "xms_edov",
    }.items():
        monkeypatch.setenv(f"OIDC_PARTNER_X_{key}", value)
    provider = settings_module._oidc_provider("partner-x")
    assert provider["client_id"] == "ijh" and provider["label"] == "Aanmelden via Partner X"
    assert provider["use_pkce"] is False and provider["verified_claim"] == "xms_edov"
    assert provider["sign_algo"] == "RS256" and provider["scopes"] == "openid email"
    monkeypatch.delenv("OIDC_PARTNER_X_TOKEN_ENDPOINT")
    with pytest.raises(ImproperlyConfigured, match="OIDC_PARTNER_X_TOKEN_ENDPOINT"):
        settings_module._oidc_provider("partner-x")
    for bad in ("Partner", "terug", "a/b", ""):
        with pytest.raises(ImproperlyConfigured):
            settings_module._oidc_provider(bad)


def test_the_single_provider_variables_are_one_provider(settings):
    settings.OIDC_RP_CLIENT_ID = "legacy"
    settings.OIDC_PROVIDERS = {}
    [provider] = oidc.providers().values()
    assert provider.name == oidc.DEFAULT and provider.callback_path == "/aanmelden/sso/terug/"
    assert provider.use_pkce is settings.OIDC_USE_PKCE is True
