"""Invitations and the profile page (issue 21 §1, §2, §5)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from ijh import audit
from ijh.accounts import active_sessions, end_session
from ijh.http import AuthedRequest, redirect_after_post
from ijh.models import UserSession
from ijh.totp import allow_enrolment

from .. import invitations
from ..access import get_invitation_for_user, get_network_for_user, grantable_roles
from ..forms import InvitationForm, ReminderPreferencesForm
from ..models import Invitation, Membership

INVITATIONS_SHOWN = 100


# --- managers: invite, list, re-send, revoke, search ---------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    initial = {}
    query = request.GET.get("q", "").strip()
    if "@" in query:
        initial["email"] = query[:150]
    form = InvitationForm(
        request.POST or None,
        initial=initial,
        network=network,
        allowed_roles=grantable_roles(request.user, network),
        granter=request.user,
    )
    context = {
        "network": network,
        "form": form,
        "title": _("Iemand zonder account uitnodigen in %(network)s") % {"network": network},
        "action": reverse("networks:invitation-create", args=[network.pk]),
        "submit_label": _("Uitnodiging versturen"),
        "cancel_url": reverse("networks:invitation-list", args=[network.pk]),
    }
    template = "networks/form_page.html" + ("#form" if request.htmx else "")
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                invitation = invitations.invite(
                    by=request.user,
                    membership=form.instance,
                    bodies=data["bodies"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
            except ValidationError as error:
                form._update_errors(error)
                return render(request, template, context, status=422)
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s. De link werkt %(days)s dagen.")
                % {"email": invitation.email, "days": (invitation.expires_at - invitation.sent_at).days},
            )
            return redirect_after_post(request, reverse("networks:invitation-list", args=[network.pk]))
        return render(request, template, context, status=422)
    return render(request, template, context)


@login_required
@require_GET
def invitation_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    rows = list(
        Invitation.objects.filter(network=network)
        .select_related("user", "invited_by", "membership__organisation")
        .order_by("accepted_at", "revoked_at", "-sent_at", "-pk")[:INVITATIONS_SHOWN]
    )
    open_rows = [row for row in rows if row.is_open]
    closed_rows = [row for row in rows if not row.is_open]
    return render(
        request,
        "networks/invitation_list.html",
        {"network": network, "open_invitations": open_rows, "closed_invitations": closed_rows},
    )


def _invitation_action(request: AuthedRequest, invitation_id: int, action) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, invitation_id)
    try:
        action(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (
                _("De uitnodiging is opnieuw verstuurd naar %(email)s; de vorige link werkt niet meer.")
                if action is invitations.resend
                else _("De uitnodiging van %(email)s is ingetrokken; de link werkt niet meer.")
            )
            % {"email": invitation.email},
        )
    return redirect_after_post(request, reverse("networks:invitation-list", args=[invitation.network_id]))


@login_required
@require_POST
def invitation_resend(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    return _invitation_action(request, invitation_id, invitations.resend)


@login_required
@require_POST
def invitation_revoke(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    return _invitation_action(request, invitation_id, invitations.revoke)


@login_required
@require_GET
def person_search(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    query = request.GET.get("q", "")[:100]
    people = invitations.search_people(network, query)
    invite_url = reverse("networks:invitation-create", args=[network.pk])
    if "@" in query:
        invite_url += "?" + urlencode({"q": query.strip()})
    return render(
        request,
        "networks/_person_results.html",
        {"people": people, "query": " ".join(query.split()), "invite_url": invite_url},
    )


# --- the invited person ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitations.find(token)
    if invitation is None:
        return render(
            request,
            "account/invitation.html",
            {
                "problem": _(
                    "Deze link is ongeldig. Kopieer de volledige link uit de mail, of vraag een nieuwe uitnodiging."
                )
            },
            status=404,
        )
    problem = invitations.refusal(invitation)
    context = {
        "invitation": invitation,
        "problem": problem,
        "expired": invitation.status == Invitation.Status.EXPIRED,
    }
    if problem:
        if request.method == "POST" and context["expired"] and request.POST.get("action") == "renew":
            try:
                asked = invitations.request_renewal(invitation=invitation)
            except ValidationError as error:
                context["problem"] = " ".join(error.messages)
            else:
                context["renewal_asked"] = asked
                context["expired"] = False
        return render(
            request, "account/invitation.html", context, status=200 if request.method == "GET" else 409
        )
    if request.user.is_authenticated and request.user.pk != invitation.user_id:
        context["problem"] = _(
            "Je bent aangemeld als iemand anders. Meld je eerst af en open de link opnieuw."
        )
        return render(request, "account/invitation.html", context, status=409)
    form = SetPasswordForm(invitation.user, request.POST or None)
    context["form"] = form
    if request.method == "POST":
        if form.is_valid():
            try:
                user = invitations.accept(invitation=invitation, form=form)
            except ValidationError as error:
                context.update(problem=" ".join(error.messages), form=None)
                return render(request, "account/invitation.html", context, status=409)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            allow_enrolment(request)  # a staff role sets up its authenticator app next
            messages.success(
                request, _("Welkom, %(name)s. Je account is klaar.") % {"name": user.first_name or user}
            )
            return HttpResponseRedirect(reverse("home"))
        return render(request, "account/invitation.html", context, status=422)
    return render(request, "account/invitation.html", context)


# --- profile -------------------------------------------------------------------------------------------


@login_required
@require_GET
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    roles = (
        Membership.objects.filter(user=user)
        .select_related("network", "region", "organisation")
        .order_by("-since", "pk")
    )
    today = timezone.localdate()
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    context = {
        "roles": roles,
        "today": today,
        "sessions": active_sessions(user),
        "current_session": request.session.session_key,
        "device": device,
        "preferences_form": ReminderPreferencesForm(instance=user),
    }
    return render(request, "account/profile.html", context)


@login_required
@require_POST
def session_end(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(UserSession, pk=session_id, user=request.user)
    if session.session_key == request.session.session_key:
        messages.error(request, _("Dit is je huidige sessie: gebruik ‘Afmelden’."))
    else:
        end_session(session)
        audit.record(request.user, "account.session_ended", request.user)
        messages.success(request, _("De sessie is beëindigd."))
    return redirect_after_post(request, reverse("account:profile") + "#sessies")


@login_required
@require_POST
def preferences(request: AuthedRequest) -> HttpResponse:
    form = ReminderPreferencesForm(request.POST, instance=request.user)
    # Three check boxes: any post is valid (unticked is off).
    if form.is_valid() and form.has_changed():
        form.save()
        audit.record(
            request.user, "account.preferences_changed", request.user, changed_fields=form.changed_data
        )
    messages.success(request, _("Je keuzes voor mails zijn bewaard."))
    return redirect_after_post(request, reverse("account:profile") + "#meldingen")
