from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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
