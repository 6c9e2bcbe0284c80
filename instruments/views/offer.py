"""The offer in a prison (issue 20 §2, §3): the organisatieondersteuner's overview of activities
per domain with free places and waiting lists, an activity with its participant and waiting list
(pseudonymous codes), enrolling, security events, and the welcome folder (onthaalmap).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.detention import DOMAINS

from .. import services_offer as services
from ..access import (
    get_activity_for_user,
    get_enrolment_for_user,
    get_folder_for_user,
    get_offer_network_for_user,
)
from ..forms.offer import ActivityForm, EnrolForm, SecurityEventForm
from ..models_offer import Activity, ActivitySession, Enrolment, OfferFolder, SecurityEvent


def _count(queryset, field: str = "activity"):
    rows = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def activities_with_counts(network_id: int):
    """Activities of a prison with places taken, waiting and sessions lost to security (one query)."""
    return (
        activity_counts(Activity.objects.filter(network_id=network_id))
        .select_related("provider")
        .order_by("domain", "title", "pk")
    )


def activity_counts(activities):
    """``activities`` annotated with places taken, waiting, sessions held and sessions lost to
    security, as subqueries of the same query (also the home panel's)."""
    now = timezone.now()
    return activities.annotate(
        enrolled=_count(Enrolment.objects.filter(status=Enrolment.Status.ENROLLED)),
        waiting=_count(Enrolment.objects.filter(status=Enrolment.Status.WAITING)),
        sessions_held=_count(
            ActivitySession.objects.filter(status=ActivitySession.Status.PLANNED, starts_at__lt=now)
        ),
        sessions_lost=_count(
            ActivitySession.objects.filter(cancel_reason=ActivitySession.CancelReason.SECURITY)
        ),
    )


def _by_domain(activities) -> list[dict]:
    """Activities grouped per domain, each group with its reach (the beleidsmedewerker's view):
    places, participants, free places, waiting and sessions lost, added up from the rows."""
    groups = {
        code: {
            "code": code,
            "label": label,
            "activities": [],
            "places": 0,
            "enrolled": 0,
            "free": 0,
            "waiting": 0,
            "lost": 0,
            "held": 0,
        }
        for code, label in DOMAINS
    }
    for activity in activities:
        activity.free = max(activity.places - activity.enrolled, 0)
        group = groups[activity.domain]
        group["activities"].append(activity)
        for key in ("places", "enrolled", "free", "waiting"):
            group[key] += getattr(activity, key)
        group["lost"] += activity.sessions_lost
        group["held"] += activity.sessions_held
    return list(groups.values())


@login_required
@require_GET
def offer(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_offer_network_for_user(request.user, network_id)
    activities = list(activities_with_counts(network.pk))
    folder = OfferFolder.objects.filter(network=network).order_by("-requested_at", "-pk").first()
    context = {
        "network": network,
        "domains": _by_domain(activities),
        "totals": {
            "activities": len(activities),
            "places": sum(a.places for a in activities),
            "free": sum(a.free for a in activities),
            "waiting": sum(a.waiting for a in activities),
            "lost": sum(a.sessions_lost for a in activities),
        },
        "folder": folder,
        "events": SecurityEvent.objects.filter(network=network)[:3],
    }
    return render(request, "instruments/offer/offer.html", context)


def _form_page(request, form, context, status):
    template = "instruments/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, {**context, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_offer_network_for_user(request.user, network_id)
    if not network.user_keeps_offer:
        raise PermissionDenied
    form = ActivityForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        activity = services.create_activity(activity=form.instance, by=request.user)
        messages.success(request, _("De activiteit „%(title)s” is toegevoegd.") % {"title": activity.title})
        return redirect_after_post(request, reverse("instruments:activity", args=[activity.pk]))
    context = {
        "network": network,
        "active": "offer",
        "title": _("Nieuwe activiteit in %(network)s") % {"network": network},
        "action": reverse("instruments:activity-create", args=[network.pk]),
        "cancel_url": reverse("instruments:offer", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


def _activity_context(request, activity, form=None) -> dict:
    enrolments = waiting = []
    if activity.user_sees_participants:
        current = list(Enrolment.objects.current().filter(activity=activity).order_by("requested_at", "pk"))
        enrolments = [e for e in current if e.status == Enrolment.Status.ENROLLED]
        waiting = [e for e in current if e.status == Enrolment.Status.WAITING]
        counts = {"enrolled": len(enrolments), "waiting": len(waiting)}
    else:
        counts = Enrolment.objects.filter(activity=activity).aggregate(
            enrolled=Count("pk", filter=Q(status=Enrolment.Status.ENROLLED)),
            waiting=Count("pk", filter=Q(status=Enrolment.Status.WAITING)),
        )
    sessions = list(
        ActivitySession.objects.filter(activity=activity, ends_at__gte=timezone.now()).select_related(
            "security_event"
        )[:8]
    )
    return {
        "network": activity.network,
        "activity": activity,
        "enrolments": enrolments,
        "waiting": waiting,
        "counts": counts,
        "free": max(activity.places - counts["enrolled"], 0),
        "sessions": sessions,
        "form": form or EnrolForm(),
    }


@login_required
@require_GET
def activity_detail(request: AuthedRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, activity_id)
    return render(request, "instruments/offer/activity.html", _activity_context(request, activity))


@login_required
@require_POST
def activity_enrol(request: AuthedRequest, activity_id: int) -> HttpResponse:
    activity = get_activity_for_user(request.user, activity_id)
    if not activity.user_enrols:
        raise PermissionDenied
    form = EnrolForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.enrol(
                activity=activity, detainee_code=form.cleaned_data["detainee_code"], by=request.user
            )
        except ValidationError as exc:
            form.add_error("detainee_code", exc.messages)
        else:
            if enrolment.status == Enrolment.Status.WAITING:
                messages.info(
                    request,
                    _("De plaatsen zijn volzet: %(code)s staat op de wachtlijst.")
                    % {"code": enrolment.detainee_code},
                )
            else:
                messages.success(request, _("%(code)s is ingeschreven.") % {"code": enrolment.detainee_code})
            return redirect_after_post(request, reverse("instruments:activity", args=[activity.pk]))
    return render(
        request, "instruments/offer/activity.html", _activity_context(request, activity, form), status=422
    )


@login_required
@require_POST
def enrolment_end(request: AuthedRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request.user, enrolment_id)
    moved = services.end_enrolment(enrolment=enrolment, by=request.user)
    messages.success(request, _("%(code)s is uitgeschreven.") % {"code": enrolment.detainee_code})
    if moved is not None:
        messages.info(request, _("%(code)s schuift op van de wachtlijst.") % {"code": moved.detainee_code})
    return redirect_after_post(request, reverse("instruments:activity", args=[enrolment.activity_id]))


@login_required
@require_http_methods(["GET", "POST"])
def security_events(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_offer_network_for_user(request.user, network_id)
    form = None
    status = 200
    if network.user_registers_security:
        form = SecurityEventForm(request.POST or None, network=network)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST":
        if form.is_valid():
            try:
                cancelled = services.register_security_event(event=form.instance, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Het veiligheidsincident is geregistreerd: %(n)s sessies zijn geannuleerd.")
                    % {"n": cancelled},
                )
                return redirect_after_post(request, reverse("instruments:security", args=[network.pk]))
        status = 422
    events = SecurityEvent.objects.filter(network=network).annotate(lost=Count("cancelled_sessions"))[:50]
    return render(
        request,
        "instruments/offer/security.html",
        {"network": network, "events": events, "form": form},
        status=status,
    )


@login_required
@require_POST
def folder_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_offer_network_for_user(request.user, network_id)
    if not network.user_keeps_offer:
        raise PermissionDenied
    folder = services.request_folder(network=network, by=request.user)
    if request.htmx:
        return render(request, "instruments/offer/_folder.html", {"folder": folder, "network": network})
    return redirect_after_post(request, reverse("instruments:offer", args=[network.pk]))


@login_required
@require_GET
def folder_status(request: AuthedRequest, folder_id: int) -> HttpResponse:
    folder = get_folder_for_user(request.user, folder_id)
    return render(request, "instruments/offer/_folder.html", {"folder": folder, "network": folder.network})


@login_required
@require_GET
def folder_download(request: AuthedRequest, folder_id: int) -> HttpResponse:
    folder = get_folder_for_user(request.user, folder_id)
    if folder.status != OfferFolder.Status.DONE or not folder.file:
        raise Http404
    day = timezone.localtime(folder.finished_at or folder.requested_at).date()
    return FileResponse(
        folder.file.open("rb"),
        as_attachment=True,
        filename=f"onthaalmap-{folder.network_id}-{day:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
