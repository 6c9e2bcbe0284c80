from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from .models import User


class AuthedRequest(HttpRequest):
    """Type for views behind @login_required (user is a real User, htmx details are attached)."""

    user: User
    htmx: HtmxDetails


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful form: a full redirect, or for htmx a client-side one (no half-page swap)."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)
