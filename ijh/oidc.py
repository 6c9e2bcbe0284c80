"""Single sign-on through OpenID Connect (issue 21 §4), with mozilla-django-oidc.

Flemish government staff log in through the government's identity broker, partner organisations
through their own Microsoft accounts; both speak OpenID Connect, side by side. Everything is
configured from environment variables (ijh/settings.py, ``OIDC_*``): the original single provider
(``OIDC_RP_CLIENT_ID`` and friends; its URLs ``/aanmelden/sso/`` and ``/aanmelden/sso/terug/``)
and any number of named ones (``OIDC_PROVIDERS=vlaanderen,partnerx`` with ``OIDC_<NAME>_*``;
``/aanmelden/sso/<name>/`` and ``/aanmelden/sso/<name>/terug/``). The login page shows one button
per provider. Without any provider the feature is off: no button, and the URLs answer 404.

Each provider has its own redirect URI, and a login's state remembers the provider it was started
for: a code that comes back at another provider's address is refused (the mix-up attack), so it is
only ever exchanged at the token endpoint of the provider that issued it. PKCE is on unless a
provider is configured without it.

The identity provider's word alone never creates an account: a login is accepted only for an
existing, active account whose e-mail address equals the provider's *verified* e-mail address
(case and surrounding spaces ignored) — exactly one such account. Everything else is refused with
a Dutch message on the login page, nothing changed: an unknown or unverified address, several
accounts with that address, a state that was already used, never issued or issued for another
provider (replay), an unknown provider name, a code the provider refuses, a provider that is down.
"""

import dataclasses
import logging
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify, import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import audit

logger = logging.getLogger(__name__)

# The provider configured with the original single-provider variables.
DEFAULT = "default"
# Which provider each pending login's state belongs to (next to the library's "oidc_states").
SESSION_KEY = "oidc_state_providers"


@dataclasses.dataclass(frozen=True)
class Provider:
    name: str
    label: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    user_endpoint: str
    jwks_endpoint: str | None
    sign_algo: str = "RS256"
    scopes: str = "openid email"
    use_pkce: bool = True
    verified_claim: str = "email_verified"

    @property
    def start_path(self) -> str:
        if self.name == DEFAULT:
            return reverse("oidc-start")
        return reverse("oidc-provider-start", args=[self.name])

    @property
    def callback_path(self) -> str:
        if self.name == DEFAULT:
            return reverse("oidc-callback")
        return reverse("oidc-provider-callback", args=[self.name])

    def library_settings(self) -> dict:
        """This provider's values under the names mozilla-django-oidc reads."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.user_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_endpoint,
            "OIDC_RP_SIGN_ALGO": self.sign_algo,
            "OIDC_RP_SCOPES": self.scopes,
            "OIDC_USE_PKCE": self.use_pkce,
        }


def providers() -> dict[str, Provider]:
    """Every configured provider by name, in the order of their buttons (read per call, so a
    settings change applies at once)."""
    found: dict[str, Provider] = {}
    if settings.OIDC_RP_CLIENT_ID:
        found[DEFAULT] = Provider(
            name=DEFAULT,
            label=settings.OIDC_LOGIN_LABEL,
            client_id=settings.OIDC_RP_CLIENT_ID,
            client_secret=settings.OIDC_RP_CLIENT_SECRET,
            authorization_endpoint=settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
            token_endpoint=settings.OIDC_OP_TOKEN_ENDPOINT,
            user_endpoint=settings.OIDC_OP_USER_ENDPOINT,
            jwks_endpoint=settings.OIDC_OP_JWKS_ENDPOINT or None,
            sign_algo=settings.OIDC_RP_SIGN_ALGO,
            scopes=settings.OIDC_RP_SCOPES,
            use_pkce=settings.OIDC_USE_PKCE,
            verified_claim=getattr(settings, "OIDC_VERIFIED_CLAIM", "email_verified"),
        )
    for name, values in getattr(settings, "OIDC_PROVIDERS", {}).items():
        fields = {field.name for field in dataclasses.fields(Provider)}
        given = {key: value for key, value in values.items() if key in fields}
        found[name] = Provider(
            **{"name": name, "label": f"Aanmelden via {name}", "jwks_endpoint": None, **given}
        )
    return found


def enabled() -> bool:
    return bool(providers())


def normalise_email(value) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _refuse(request: HttpRequest | None, reason: str) -> None:
    if request is not None:
        request.oidc_refusal = reason


class VerifiedEmailBackend(OIDCAuthenticationBackend):
    """Matches the provider's verified e-mail address to one existing active account; never
    creates or changes an account. Configured per login from the provider the callback view
    found for it (``request.oidc_provider``); for anything else it answers nothing."""

    def __init__(self, *args, **kwargs) -> None:
        # The library reads one provider's settings here and insists on them; ours come per login.
        self.UserModel = get_user_model()
        self.provider: Provider | None = None

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "oidc_provider", None) if request is not None else None
        if provider is None:
            return None  # a password login, or a callback that is not ours
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.user_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_endpoint
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = provider.sign_algo
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def get_token(self, payload):
        # The code is exchanged with the redirect URI it was issued for: this provider's own.
        payload = {**payload, "redirect_uri": absolutify(self.request, self.provider.callback_path)}
        return super().get_token(payload)

    def verify_claims(self, claims) -> bool:
        if not normalise_email(claims.get("email")):
            _refuse(self.request, "no_email")
            return False
        # Providers send a JSON boolean; some send the string.
        if claims.get(self.provider.verified_claim) not in (True, "true"):
            _refuse(self.request, "unverified")
            return False
        return True

    def filter_users_by_claims(self, claims):
        users = self.UserModel.objects.filter(
            email__iexact=normalise_email(claims.get("email")), is_active=True
        ).order_by("pk")[:2]
        if not users:
            _refuse(self.request, "unknown")
        elif len(users) > 1:
            _refuse(self.request, "ambiguous")
        return users

    def create_user(self, claims):
        # Settings keep OIDC_CREATE_USER off; this is the belt to those braces.
        raise SuspiciousOperation("OIDC never creates accounts")

    def update_user(self, user, claims):
        return user


def _message(reason: str | None) -> str:
    messages_by_reason = {
        "unknown": _(
            "Er is geen account met dit e-mailadres. Vraag de coördinator van je netwerk om je uit te nodigen, of meld je aan met je gebruikersnaam en wachtwoord."
        ),
        "unverified": _(
            "Je identiteitsprovider bevestigt je e-mailadres niet. Zonder bevestigd e-mailadres kun je zo niet aanmelden."
        ),
        "no_email": _("Je identiteitsprovider gaf geen e-mailadres door. Zo kun je niet aanmelden."),
        "ambiguous": _(
            "Meer dan één account heeft dit e-mailadres. Vraag de functioneel beheerder om dit recht te zetten."
        ),
        "state": _(
            "Deze aanmelding was al gebruikt of is verlopen. Begin opnieuw met de knop op de aanmeldpagina."
        ),
        "provider": _("De identiteitsprovider antwoordde niet zoals verwacht. Probeer het later opnieuw."),
        "no_provider": _(
            "Deze manier van aanmelden bestaat niet (meer). Kies een van de knoppen op de aanmeldpagina."
        ),
    }
    return messages_by_reason.get(reason, _("Aanmelden via je organisatieaccount is niet gelukt."))


class _ProviderSettings:
    """Mixin for the library's views: its settings come from ``self.provider`` first."""

    provider: Provider

    def get_settings(self, attr, *args):
        values = self.provider.library_settings()
        if attr in values:
            return values[attr]
        return import_from_settings(attr, *args)


class RequestView(_ProviderSettings, OIDCAuthenticationRequestView):
    """The library's start of the code flow (state, nonce, PKCE), for one provider."""

    provider: Provider = None

    def get_extra_params(self, request: HttpRequest) -> dict:
        # Applied after the library's own parameters: the redirect URI is this provider's.
        return {
            **super().get_extra_params(request),
            "redirect_uri": absolutify(request, self.provider.callback_path),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        pending = request.session.get("oidc_states", {})
        # Only states the library still keeps (it drops the oldest beyond OIDC_MAX_STATES).
        owners = {key: name for key, name in request.session.get(SESSION_KEY, {}).items() if key in pending}
        owners[state] = self.provider.name
        request.session[SESSION_KEY] = owners
        return response


class CallbackView(_ProviderSettings, OIDCAuthenticationCallbackView):
    """mozilla-django-oidc's callback, with every failure a Dutch message on the login page."""

    provider: Provider = None

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state")
        if state is not None:
            issued_here = state in request.session.get("oidc_states", {})
            owner = request.session.get(SESSION_KEY, {}).get(state)
            if not issued_here or owner != self.provider.name:
                # Already used (the library deletes it on first use), never issued here, or issued
                # for another provider: nothing is sent anywhere.
                _refuse(request, "state")
                return self.login_failure()
            owners = dict(request.session[SESSION_KEY])
            owners.pop(state)
            request.session[SESSION_KEY] = owners
        request.oidc_provider = self.provider
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # a bad signature, a nonce that does not match
            logger.warning("OIDC login refused (%s): %s", self.provider.name, error)
            _refuse(request, getattr(request, "oidc_refusal", None) or "provider")
        except Exception:  # the provider refused the code, is down, or sent garbage: never a 500
            logger.exception("OIDC login failed (%s)", self.provider.name)
            _refuse(request, "provider")
        return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, _message(getattr(self.request, "oidc_refusal", None)))
        return redirect(settings.LOGIN_URL)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        audit.record(self.user, "login.oidc", detail=self.provider.name)
        return response


def _provider(request: HttpRequest, name: str) -> Provider | None:
    configured = providers()
    if not configured:
        raise Http404
    return configured.get(name)


def _unknown_provider(request: HttpRequest) -> HttpResponse:
    messages.error(request, _message("no_provider"))
    return redirect(settings.LOGIN_URL)


def start(request: HttpRequest, name: str = DEFAULT) -> HttpResponse:
    provider = _provider(request, name)
    if provider is None:
        return _unknown_provider(request)
    return RequestView.as_view(provider=provider)(request)


def callback(request: HttpRequest, name: str = DEFAULT) -> HttpResponse:
    provider = _provider(request, name)
    if provider is None:
        return _unknown_provider(request)
    return CallbackView.as_view(provider=provider)(request)


def login_context(request: HttpRequest) -> dict:
    """Context processor: the single-sign-on buttons (label and start URL), one per provider."""
    return {"oidc_providers": [(provider.label, provider.start_path) for provider in providers().values()]}
