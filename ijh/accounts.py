"""Accounts that look after themselves (issue 21 §2): session records, "wachtwoord vergeten",
password change.

- Every login writes a ``UserSession`` row (signal), every logout removes it: the profile page
  lists them and can end one; a password reset or change and a leaver's deactivation end them.
- "Wachtwoord vergeten?" gives the same answer whether or not the address belongs to someone
  (no account enumeration) and is throttled per address and per client IP (rows in the database,
  so every web process counts the same). The link is Django's token: it dies with the password it
  replaces, so it works once, and expires after ``PASSWORD_RESET_TIMEOUT``.
"""

import datetime
import hashlib
import logging
from importlib import import_module

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import audit
from .http import AuthedRequest
from .mail import absolute_url, normalise_address, send_mail_once
from .models import PasswordResetRequest, User, UserSession
from .queue import publish_on_commit

logger = logging.getLogger(__name__)

# --- session records ----------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request)


@receiver(user_logged_in)
def _record_session(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "created_at": timezone.now(),
            "ip_address": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:200],
        },
    )


@receiver(user_logged_out)
def _forget_session(sender, request, user, **kwargs) -> None:
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def active_sessions(user: User):
    """The user's recorded sessions that have not expired (one query)."""
    rows = UserSession.objects.filter(user=user)
    if settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        from django.contrib.sessions.models import Session

        rows = rows.filter(
            session_key__in=Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        )
    return rows.order_by("-created_at", "-pk")


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of ``user`` except ``keep`` (the current one). Returns how many."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


def end_session(session: UserSession) -> None:
    _session_store()(session_key=session.session_key).delete()
    session.delete()


# --- "wachtwoord vergeten" ---------------------------------------------------------------------------

THROTTLE_WINDOW = datetime.timedelta(hours=1)


def _address_hash(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()


class ResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": gettext_lazy("Geef je e-mailadres."),
            "invalid": gettext_lazy("Dit is geen geldig e-mailadres."),
        },
    )

    def clean_email(self) -> str:
        return normalise_address(self.cleaned_data["email"])


def is_reset_throttled(address: str, ip: str | None) -> bool:
    since = timezone.now() - THROTTLE_WINDOW
    recent = PasswordResetRequest.objects.filter(at__gte=since)
    if recent.filter(address_hash=_address_hash(address)).count() >= settings.PASSWORD_RESET_PER_ADDRESS:
        return True
    return bool(ip) and recent.filter(ip_address=ip).count() >= settings.PASSWORD_RESET_PER_IP


RESET_TASK = "ijh.tasks.send_password_reset"
# An unhandled request this old lost its message (the broker was down at commit, or the worker
# died mid-task): the beat's sweep handles it. A request that failed this often is left alone
# (and forgotten after a day); the errors are in the worker's log.
RESET_SWEEP_AFTER = datetime.timedelta(minutes=1)
RESET_MAX_ATTEMPTS = 5


@transaction.atomic
def request_password_reset(address: str, *, ip: str | None) -> None:
    """Record the request and leave the rest to the worker. The web request does the same work
    whether or not the address belongs to someone: neither its answer nor its timing tells.

    The row is the outbox: written in this transaction, its task published on commit. A broker
    that is down loses the message but not the request; ``sweep_password_resets`` (beat) finds it."""
    request_row = PasswordResetRequest.objects.create(
        address_hash=_address_hash(address), ip_address=ip, address=address
    )
    audit.record(None, "account.password_reset_requested", request_row)
    publish_on_commit(RESET_TASK, request_row.pk)


def send_password_reset(request_id: int, address: str | None = None) -> int:
    """(Worker) Mail a link to each active account with the request's address (usually one, often
    none). Idempotent: the request row is claimed (locked, skipping one another worker holds) and
    marked handled in the same transaction that records the mails, and each mail's key names the
    request and the account. ``address`` is for messages queued before the outbox carried it."""
    PasswordResetRequest.objects.filter(pk=request_id, handled_at__isnull=True).update(
        attempts=F("attempts") + 1
    )
    with transaction.atomic():
        request_row = (
            PasswordResetRequest.objects.select_for_update(skip_locked=True)
            .filter(pk=request_id, handled_at__isnull=True)
            .first()
        )
        if request_row is None:
            return 0  # handled already, being handled by another worker, or forgotten
        sent = _mail_reset_links(request_row.pk, request_row.address or address or "")
        request_row.handled_at = timezone.now()
        request_row.address = ""
        request_row.save(update_fields=["handled_at", "address"])
    return sent


def sweep_password_resets(*, limit: int = 200) -> int:
    """(Beat) Handle the requests whose message was lost. Returns how many were handled."""
    ids = list(
        PasswordResetRequest.objects.filter(
            handled_at__isnull=True,
            at__lt=timezone.now() - RESET_SWEEP_AFTER,
            attempts__lt=RESET_MAX_ATTEMPTS,
        )
        .order_by("at")
        .values_list("pk", flat=True)[:limit]
    )
    handled = 0
    for request_id in ids:
        try:
            send_password_reset(request_id)
        except Exception:  # one bad row must not hold up the others; its attempts count up
            logger.exception("Password reset request %s not handled", request_id)
            continue
        handled += 1
    return handled


def _mail_reset_links(request_id: int, address: str) -> int:
    sent = 0
    if not address:
        return sent
    for user in User.objects.filter(email__iexact=address, is_active=True):
        if not user.has_usable_password():
            continue  # an invited person who never set one: the invitation is their way in
        path = reverse(
            "account:password-reset-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        send_mail_once(
            key=f"password-reset:{user.pk}:{request_id}",
            to=user.email,
            subject=_("Je wachtwoord voor IJH Netwerken opnieuw instellen"),
            template="notice",
            context={
                "name": user.first_name or user.get_username(),
                "paragraphs": [
                    _(
                        "Iemand (hopelijk jij) vroeg om het wachtwoord van je account %(username)s opnieuw in "
                        "te stellen."
                    )
                    % {"username": user.get_username()},
                    _(
                        "De link hieronder werkt één keer en %(minutes)s minuten lang. Wie hem gebruikt, meldt "
                        "ook al je andere sessies af. Vroeg je niets aan? Dan hoef je niets te doen."
                    )
                    % {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
                ],
                "link": absolute_url(path),
                "link_label": _("Nieuw wachtwoord instellen"),
            },
        )
        sent += 1
    return sent


def forget_old_reset_requests() -> int:
    deleted, _per_model = PasswordResetRequest.objects.filter(
        at__lt=timezone.now() - datetime.timedelta(days=1)
    ).delete()
    return deleted


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            address = form.cleaned_data["email"]
            ip = client_ip(request)
            if is_reset_throttled(address, ip):
                form.add_error(
                    None,
                    _(
                        "Er werden het afgelopen uur te veel aanvragen gedaan voor dit adres of vanaf deze "
                        "verbinding. Probeer het over een uur opnieuw."
                    ),
                )
                status = 429
            else:
                request_password_reset(address, ip=ip)
                return HttpResponseRedirect(reverse("account:password-reset-sent"))
        else:
            status = 422
    return render(request, "registration/password_reset_form.html", {"form": form}, status=status)


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_reset_done.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever had the old password (a stolen laptop, a shared browser) is out now.
        end_sessions(self.user)
        try:
            from axes.utils import reset as reset_lockouts

            reset_lockouts(username=self.user.get_username())
        except Exception:
            pass
        audit.record(self.user, "account.password_reset", self.user, changed_fields=["password"])
        messages.success(self.request, _("Je wachtwoord is ingesteld. Meld je aan met je nieuwe wachtwoord."))
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()


# --- password change (profile) ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                current = request.session.session_key
                ended = end_sessions(user, keep=current)
                # Keeps this session logged in under a new key: its record follows.
                update_session_auth_hash(request, user)
                UserSession.objects.filter(session_key=current).update(
                    session_key=request.session.session_key
                )
                audit.record(user, "account.password_changed", user, changed_fields=["password"])
            text = _("Je wachtwoord is gewijzigd.")
            if ended:
                text += " " + _("Je andere sessies (%(count)s) zijn afgemeld.") % {"count": ended}
            messages.success(request, text)
            return HttpResponseRedirect(reverse("account:profile"))
        return render(request, "registration/password_change.html", {"form": form}, status=422)
    return render(request, "registration/password_change.html", {"form": form})
