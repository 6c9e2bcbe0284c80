import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ijh.http import AuthedRequest, redirect_after_post

from .. import services
from ..access import (
    check_role_edit,
    confirmable_grants,
    get_grant_for_confirmation,
    get_network_for_user,
    grantable_roles,
    require_organisation_manager,
)
from ..forms import (
    MembershipEditForm,
    MembershipForm,
    NetworkFilterForm,
    NetworkMembershipForm,
    OrganisationForm,
)
from ..models import Membership, Network, NetworkMembership

PAGE_SIZE = 20
GRANTS_SHOWN_DAYS = 90


@login_required
def network_list(request: AuthedRequest) -> HttpResponse:
    filter_form = NetworkFilterForm(request.GET or None)
    today = timezone.localdate()
    networks = (
        filter_form.filter(Network.objects.visible_to(request.user))
        .select_related("region")
        .annotate(
            organisation_count=Count(
                "organisation_memberships",
                filter=Q(organisation_memberships__since__lte=today)
                & (
                    Q(organisation_memberships__until__isnull=True)
                    | Q(organisation_memberships__until__gte=today)
                ),
            )
        )
        .order_by("name")
    )
    page = Paginator(networks, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "networks/network_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"filter_form": filter_form, "page": page})


@login_required
def network_detail(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    organisation_memberships = (
        NetworkMembership.objects.active()
        .filter(network=network)
        .select_related("organisation__sector")
        .order_by("organisation__sector__name", "organisation__name")
    )
    people = (
        Membership.objects.active()
        .filter(network=network)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "role")
    )
    # Who was given access to client files here lately, by whom, confirmed by whom (issue 22):
    # the steering group keeps an eye on it.
    since = timezone.now() - datetime.timedelta(days=GRANTS_SHOWN_DAYS)
    recent_grants = (
        Membership.objects.filter(
            network=network, role__in=Membership.CLIENT_DATA_ROLES, granted_at__gte=since
        )
        .select_related("user", "organisation", "granted_by", "confirmed_by")
        .order_by("-granted_at", "-pk")
    )
    context = {
        "network": network,
        "organisation_memberships": organisation_memberships,
        "bodies": network.bodies.order_by("name"),
        "people": people,
        "recent_grants": recent_grants,
        "grants_shown_days": GRANTS_SHOWN_DAYS,
    }
    return render(request, "networks/network_detail.html", context)


def _form_page(request: AuthedRequest, context: dict, *, status: int = 200) -> HttpResponse:
    template = "networks/form_page.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_add(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    form = NetworkMembershipForm(request.POST or None, network=network)
    context = {
        "network": network,
        "form": form,
        "title": _("Organisatie toevoegen aan %(network)s") % {"network": network},
        "action": reverse("networks:organisation-add", args=[network.pk]),
    }
    if request.method == "POST":
        if form.is_valid():
            services.add_organisation_to_network(membership=form.instance, by=request.user)
            messages.success(
                request, _("%(org)s is toegevoegd aan het netwerk.") % {"org": form.instance.organisation}
            )
            return redirect_after_post(request, reverse("networks:detail", args=[network.pk]))
        return _form_page(request, context, status=422)
    return _form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def role_add(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    form = MembershipForm(
        request.POST or None,
        network=network,
        allowed_roles=grantable_roles(request.user, network),
        granter=request.user,
    )
    context = {
        "network": network,
        "form": form,
        "title": _("Persoon een rol geven in %(network)s") % {"network": network},
        "action": reverse("networks:role-add", args=[network.pk]),
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                membership = services.grant_role(
                    membership=form.instance, bodies=form.cleaned_data["bodies"], by=request.user
                )
            except ValidationError as error:
                form._update_errors(error)
                return _form_page(request, context, status=422)
            if membership.confirmation == Membership.Confirmation.PENDING:
                messages.success(
                    request,
                    _(
                        "De rol is toegekend aan %(user)s. Ze geeft toegang tot cliëntdossiers zodra een "
                        "contactpersoon van %(org)s bevestigt dat %(user)s daar werkt."
                    )
                    % {"user": membership.user, "org": membership.organisation},
                )
            else:
                messages.success(request, _("De rol is toegekend aan %(user)s.") % {"user": membership.user})
            return redirect_after_post(request, reverse("networks:detail", args=[network.pk]))
        return _form_page(request, context, status=422)
    return _form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: AuthedRequest) -> HttpResponse:
    require_organisation_manager(request.user)
    form = OrganisationForm(request.POST or None)
    context = {
        "form": form,
        "title": _("Nieuwe organisatie"),
        "action": reverse("networks:organisation-create"),
    }
    if request.method == "POST":
        if form.is_valid():
            organisation = services.create_organisation(organisation=form.instance, by=request.user)
            messages.success(request, _("Organisatie %(org)s is aangemaakt.") % {"org": organisation})
            return redirect_after_post(request, reverse("networks:list"))
        return _form_page(request, context, status=422)
    return _form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request: AuthedRequest, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, network__isnull=False
    )
    network = get_network_for_user(request.user, membership.network_id, write=True)
    check_role_edit(editor=request.user, membership=membership)
    form = MembershipEditForm(request.POST or None, instance=membership)
    context = {
        "network": network,
        "form": form,
        "title": _("Rol van %(user)s in %(network)s") % {"user": membership.user, "network": network},
        "action": reverse("networks:role-edit", args=[membership.pk]),
    }
    if request.method == "POST":
        if form.is_valid():
            services.update_role(
                membership=form.instance,
                changed_fields=form.changed_data,
                bodies=form.cleaned_data["bodies"],
                by=request.user,
            )
            messages.success(request, _("De rol van %(user)s is aangepast.") % {"user": membership.user})
            return redirect_after_post(request, reverse("networks:detail", args=[network.pk]))
        return _form_page(request, context, status=422)
    return _form_page(request, context)


# --- confirmation of client-data roles by the organisation -------------------------------------


@login_required
@require_http_methods(["GET"])
def grant_inbox(request: AuthedRequest) -> HttpResponse:
    """Roles given to people of my organisation(s) that wait for my confirmation."""
    grants = confirmable_grants(request.user).select_related("user", "network", "organisation", "granted_by")
    return render(request, "networks/grant_inbox.html", {"grants": grants.order_by("granted_at", "pk")})


@login_required
@require_http_methods(["GET", "POST"])
def grant_confirm(request: AuthedRequest, membership_id: int) -> HttpResponse:
    membership = get_grant_for_confirmation(request.user, membership_id)
    error = ""
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in ("confirm", "refuse"):
            error = _("Kies: bevestigen of weigeren.")
        else:
            try:
                membership = services.decide_grant(
                    membership=membership, by=request.user, confirm=decision == "confirm"
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if membership.confirmation == Membership.Confirmation.CONFIRMED:
                    messages.success(
                        request,
                        _("Bevestigd: %(user)s heeft nu toegang als %(role)s.")
                        % {"user": membership.user, "role": membership.get_role_display()},
                    )
                else:
                    messages.success(
                        request,
                        _("Geweigerd: %(user)s krijgt deze toegang niet.") % {"user": membership.user},
                    )
                return redirect_after_post(request, reverse("networks:grant-inbox"))
    template = "networks/grant_confirm.html" + ("#decision" if request.htmx else "")
    status = 422 if error else 200
    return render(request, template, {"grant": membership, "error": error}, status=status)
