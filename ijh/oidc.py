"""Single sign-on through OpenID Connect (issue 21 §4), with mozilla-django-oidc.

Flemish government staff log in through the government's identity broker, partner organisations
through their own Microsoft accounts; both speak OpenID Connect. Everything is configured from
environment variables (ijh/settings.py, ``OIDC_*``); with ``OIDC_RP_CLIENT_ID`` unset the feature
is off: no button, and its two URLs answer 404. The local password login stays.

The identity provider's word alone never creates an account: a login is accepted only for an
existing, active account whose e-mail address equals the provider's *verified* e-mail address
(case and surrounding spaces ignored) — exactly one such account. Everything else is refused with
a Dutch message on the login page, nothing changed: an unknown or unverified address, several
accounts with that address, a state that was already used or never issued (replay), a code the
provider refuses, a provider that is down.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import audit

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def normalise_email(value) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _refuse(request: HttpRequest | None, reason: str) -> None:
    if request is not None:
        request.oidc_refusal = reason


class VerifiedEmailBackend(OIDCAuthenticationBackend):
    """Matches the provider's verified e-mail address to one existing active account; never
    creates or changes an account."""

    def verify_claims(self, claims) -> bool:
        if not normalise_email(claims.get("email")):
            _refuse(self.request, "no_email")
            return False
        # Providers send a JSON boolean; some send the string.
        if claims.get("email_verified") not in (True, "true"):
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
    }
    return messages_by_reason.get(reason, _("Aanmelden via je organisatieaccount is niet gelukt."))


class CallbackView(OIDCAuthenticationCallbackView):
    """mozilla-django-oidc's callback, with every failure a Dutch message on the login page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state")
        if state is not None and state not in request.session.get("oidc_states", {}):
            # Already used (the library deletes it on first use) or never issued here.
            _refuse(request, "state")
            return self.login_failure()
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # a bad signature, a nonce that does not match
            logger.warning("OIDC login refused: %s", error)
            _refuse(request, getattr(request, "oidc_refusal", None) or "provider")
        except Exception:  # the provider refused the code, is down, or sent garbage: never a 500
            logger.exception("OIDC login failed")
            _refuse(request, "provider")
        return self.login_failure()

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, _message(getattr(self.request, "oidc_refusal", None)))
        return redirect(settings.LOGIN_URL)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        audit.record(self.user, "login.oidc")
        return response


def start(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponse:
    if not enabled():
        raise Http404
    return CallbackView.as_view()(request)


def login_context(request: HttpRequest) -> dict:
    """Context processor: the label of the single-sign-on button, when it is on."""
    return {"oidc_login_label": settings.OIDC_LOGIN_LABEL if enabled() else ""}
