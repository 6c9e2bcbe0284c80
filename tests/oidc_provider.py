"""A small, real OpenID Connect provider for the single-sign-on tests (issue 21 §4).

Authlib's authorization server does the protocol — the authorization-code grant with its OpenID
Connect extension (nonce, RS256-signed ID token), client authentication, single-use codes, redirect
URI checks — served by Django's WSGI handler (a minimal settings, no database) on 127.0.0.1 in
a process of its own. Our app talks to it over HTTP exactly as to the government's broker or
Microsoft: discovery-free endpoints from environment variables.

Run: ``python tests/oidc_provider.py CONFIG.json``; CONFIG holds ``port``, ``client_id``,
``client_secret``, ``redirect_uri`` and ``users`` (login name → claims: ``email``,
``email_verified``), and optionally ``require_pkce`` (true: an authorization request without a
PKCE ``code_challenge`` is refused; a code is exchanged only with its matching ``code_verifier``,
RFC 7636, which Authlib checks whenever a challenge was sent). It prints ``ready`` once it listens.
Several can run side by side on different ports, as the broker and a Microsoft tenant would.

The authorization endpoint is the provider's login page: GET shows a form, POST with a login name
(as a person would type it) answers with the redirect back to the app. Tests drive it with
``requests``; nothing asks for a password, since the provider's own login is not under test.
"""

import json
import secrets
import sys
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="oidc-test-provider-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)
django.setup()

from authlib.integrations.django_oauth2 import AuthorizationServer  # noqa: E402
from authlib.oauth2.rfc6749 import ClientMixin, grants  # noqa: E402
from authlib.oauth2.rfc6749.errors import InvalidRequestError  # noqa: E402
from authlib.oauth2.rfc7636 import CodeChallenge  # noqa: E402
from authlib.oidc.core import UserInfo  # noqa: E402
from authlib.oidc.core.grants import OpenIDCode  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from joserfc.jwk import RSAKey  # noqa: E402

CONFIG = json.loads(open(sys.argv[1]).read())  # noqa: SIM115
ISSUER = f"http://127.0.0.1:{CONFIG['port']}"
KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"})
CODES: dict[str, "AuthorizationCode"] = {}
TOKENS: dict[str, dict] = {}  # access token → the user's claims
NONCES: set[str] = set()


class Client(ClientMixin):
    id_token_signed_response_alg = "RS256"

    def get_client_id(self):
        return CONFIG["client_id"]

    def get_default_redirect_uri(self):
        return CONFIG["redirect_uri"]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope.split() if s in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == CONFIG["redirect_uri"]

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, CONFIG["client_secret"])

    def check_endpoint_auth_method(self, method, endpoint):
        return method in {"client_secret_post", "client_secret_basic"}

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


CLIENT = Client()


class AuthorizationCode:
    def __init__(self, code: str, request, user: str):
        self.code = code
        self.user = user
        self.client_id = request.payload.client_id
        self.redirect_uri = request.payload.redirect_uri
        self.scope = request.payload.scope
        self.nonce = request.payload.data.get("nonce")
        self.code_challenge = request.payload.data.get("code_challenge")
        self.code_challenge_method = request.payload.data.get("code_challenge_method")
        self.created = time.time()

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return int(self.created)

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_post", "client_secret_basic"]

    def save_authorization_code(self, code, request):
        CODES[code] = AuthorizationCode(code, request, request.user)
        if CODES[code].nonce:
            NONCES.add(CODES[code].nonce)

    def query_authorization_code(self, code, client):
        found = CODES.get(code)
        if found and found.client_id == client.get_client_id() and time.time() - found.created < 300:
            return found
        return None

    def delete_authorization_code(self, authorization_code):
        # Single use: a replayed code finds nothing.
        CODES.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.user


def _claims(user: str) -> dict:
    person = CONFIG["users"][user]
    return {"sub": f"sub-{user}", **person}


class OpenIDExtension(OpenIDCode):
    def exists_nonce(self, nonce, request):
        return nonce in NONCES

    def resolve_client_private_key(self, client):
        return KEY

    def get_client_claims(self, client):
        return {"iss": ISSUER, "aud": [client.get_client_id()]}

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": KEY.kid}

    def generate_user_info(self, user, scope):
        return UserInfo(_claims(user))


class Server(AuthorizationServer):
    def __init__(self):
        super().__init__(client_model=None, token_model=None)

    def query_client(self, client_id):
        return CLIENT if client_id == CONFIG["client_id"] else None

    def save_token(self, token, request):
        TOKENS[token["access_token"]] = _claims(request.user)


class PKCE(CodeChallenge):
    """Authlib's PKCE check; with ``require_pkce`` also for this confidential client."""

    def validate_code_challenge(self, grant, redirect_uri):
        if CONFIG.get("require_pkce") and not grant.request.payload.data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge'")
        return super().validate_code_challenge(grant, redirect_uri)


server = Server()
server.register_grant(CodeGrant, [OpenIDExtension(require_nonce=True), PKCE(required=True)])


def authorize(request):
    if request.method == "GET":
        try:
            server.get_consent_grant(request, end_user=None)
        except Exception as error:  # an invalid request is shown, as a provider would
            return HttpResponse(f"invalid request: {error}", status=400)
        return HttpResponse('<form method="post"><input name="username"><button>Log in</button></form>')
    user = request.POST.get("username", "")
    if user not in CONFIG["users"]:
        return HttpResponse("unknown user at the provider", status=403)
    return server.create_authorization_response(request, grant_user=user)


def token(request):
    return server.create_token_response(request)


def userinfo(request):
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    claims = TOKENS.get(access_token) if scheme.lower() == "bearer" else None
    if claims is None:
        return JsonResponse({"error": "invalid_token"}, status=401)
    return JsonResponse(claims)


def jwks(request):
    return JsonResponse({"keys": [KEY.as_dict(private=False)]})


def discovery(request):
    return JsonResponse(
        {
            "issuer": ISSUER,
            "authorization_endpoint": f"{ISSUER}/authorize",
            "token_endpoint": f"{ISSUER}/token",
            "userinfo_endpoint": f"{ISSUER}/userinfo",
            "jwks_uri": f"{ISSUER}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
    )


urlpatterns = [
    path("authorize", authorize),
    path("token", token),
    path("userinfo", userinfo),
    path("jwks", jwks),
    path(".well-known/openid-configuration", discovery),
]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    httpd = make_server("127.0.0.1", CONFIG["port"], WSGIHandler(), handler_class=QuietHandler)
    print("ready", flush=True)
    httpd.serve_forever()
