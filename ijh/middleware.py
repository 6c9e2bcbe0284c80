from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy from settings.CONTENT_SECURITY_POLICY on every response.

    Everything the pages load comes from our own origin (htmx included), and no page uses inline
    scripts or styles, so the policy can be strict.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(f"{key} {value}" for key, value in settings.CONTENT_SECURITY_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and not request.path.startswith("/beheer/"):
            # The Django admin uses inline scripts; it gets the framework's own protections.
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class NoStoreForAuthenticatedMiddleware:
    """``Cache-Control: no-store`` on every response to a logged-in person (issue 22 §2).

    Simplest rule that covers every page showing client data: nothing a signed-in person sees is
    kept by a shared computer's browser history or a proxy after logout. Static files never reach
    this (WhiteNoise answers them earlier), so they stay cacheable. Placed after
    AuthenticationMiddleware; the user is already loaded by then (the second-factor middleware asks).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Overrides whatever a view set (a max-age would otherwise survive): private, no-cache,
            # no-store, must-revalidate, max-age=0 and an Expires in the past.
            add_never_cache_headers(response)
        return response
