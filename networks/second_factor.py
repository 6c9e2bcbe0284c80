"""TOTP second factor for regional staff, functional admins, the Flemish administration (agency)
and Django staff (DESIGN.md §5).

Whether a user needs it is decided on every request (issue 22 §5), not once at login: someone
given a staff or admin role mid-session is sent here at their next request. The check costs one
EXISTS query, and only for sessions that are not verified yet (a verified session needs nothing
more). Until the session is verified, every page except this one, logout, static files and the
health check redirects here. A confirmed device: enter the six digits (django-otp throttles
guesses). No device yet: setting one up is only possible through an invitation or reset link or
after an administrator's reset (ijh/totp.py), never on a plain password login.
"""

import base64
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ijh import audit, totp
from ijh.http import AuthedRequest

from .models import Membership


def requires_second_factor(user) -> bool:
    if not settings.OTP_REQUIRED:
        return False
    return (
        user.is_staff
        or user.is_superuser
        or Membership.objects.active()
        .filter(user=user, role__in=(*Membership.REGION_ROLES, *Membership.FLANDERS_ROLES))
        .exists()
    )


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: sends unverified sessions that need TOTP to the check,
    asking on every request, so a role granted mid-session counts from the next request."""

    OPEN_PREFIXES = ("/static/", "/health/", "/afmelden/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.OTP_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(self.OPEN_PREFIXES)
            and request.path != reverse("second-factor")
            and not user.is_verified()
            and requires_second_factor(user)
        ):
            target = f"{reverse('second-factor')}?next={request.get_full_path()}"
            if request.headers.get("HX-Request") == "true":  # django-htmx runs later
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code uit je authenticator-app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("De code bestaat uit 6 cijfers."))
        return token


def _qr_svg(device: TOTPDevice) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    # Our own generated SVG markup (no user input in it); shown inline so the CSP needs no data: URLs.
    return image.to_string(encoding="unicode")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: AuthedRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.user.is_verified():
        return HttpResponseRedirect(next_url)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up and not totp.enrolment_allowed(request):
        # A password alone never binds a new authenticator app to an account (issue 22 §5).
        return render(
            request,
            "registration/second_factor.html",
            {"enrolment_closed": True},
            status=403 if request.method == "POST" else 200,
        )
    if setting_up:
        # One pending device per user: reloading the page keeps the same secret (after an
        # administrator's reset, the pending device that reset left behind).
        pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("-pk").first()
        device = pending or TOTPDevice.objects.create(
            user=request.user, confirmed=False, name="authenticator"
        )
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # Asked before verifying: a failed try starts the throttle window itself.
        allowed, _details = device.verify_is_allowed()
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.name = "authenticator"
                device.save(update_fields=["confirmed", "name"])
                totp.end_enrolment(request)
                audit.record(request.user, "second_factor.enrolled", request.user)
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        if form.is_valid():
            form.add_error(
                "token",
                _("Deze code klopt niet (of is verlopen). Probeer de volgende code.")
                if allowed
                else _("Te veel foute codes na elkaar. Wacht even en probeer dan de volgende code."),
            )
        status = 422
    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        context["qr_svg"] = mark_safe(_qr_svg(device))
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "registration/second_factor.html", context, status=status)
