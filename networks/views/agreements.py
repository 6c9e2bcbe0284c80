"""Agreements a network works under: the list, one agreement with its signatories, the document."""

import os
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from .. import services
from ..access import get_agreement_for_user, get_network_for_user
from ..forms.agreements import AgreementForm, SignatoryForm
from ..models import EXPIRY_REMINDER_DAYS, Agreement


@login_required
def agreement_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    agreements = (
        Agreement.objects.filter(network=network)
        .annotate(
            signatory_count=Count("signatures"),
            signed_count=Count("signatures", filter=Q(signatures__signed_on__isnull=False)),
            # The same rule as the dashboard reminder, in the same query.
            expiring_soon=Exists(Agreement.objects.expiring().filter(pk=OuterRef("pk"))),
        )
        .order_by("title", "-valid_from")
    )
    context = {
        "network": network,
        "agreements": agreements,
        "today": timezone.localdate(),
        "reminder_days": EXPIRY_REMINDER_DAYS,
    }
    return render(request, "networks/agreements/agreement_list.html", context)


def _detail_context(agreement: Agreement, *, form: SignatoryForm | None = None) -> dict:
    signatures = list(agreement.signatures.select_related("organisation").order_by("organisation__name"))
    days_left = agreement.days_until_expiry
    if agreement.user_can_manage and form is None:
        form = SignatoryForm(agreement=agreement)
    return {
        "network": agreement.network,
        "agreement": agreement,
        "signatures": signatures,
        "signed_count": sum(1 for signature in signatures if signature.signed_on),
        "expiring_soon": days_left is not None and 0 <= days_left <= EXPIRY_REMINDER_DAYS,
        "today": timezone.localdate(),
        "form": form,
    }


@login_required
def agreement_detail(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, agreement_id)
    template = "networks/agreements/agreement_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#signatories"
    return render(request, template, _detail_context(agreement))


@login_required
@require_POST
def agreement_signatory_add(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    agreement = get_agreement_for_user(request.user, agreement_id, write=True)
    form = SignatoryForm(request.POST, agreement=agreement)
    template = "networks/agreements/agreement_detail.html"
    if request.htmx:
        template += "#signatories"
    if not form.is_valid():
        return render(request, template, _detail_context(agreement, form=form), status=422)
    try:
        signatory = services.add_signatory(signatory=form.instance, by=request.user)
    except IntegrityError:  # a double submit that raced past the form's check
        form.add_error("organisation", _("Deze organisatie staat al bij de ondertekenaars."))
        return render(request, template, _detail_context(agreement, form=form), status=422)
    if request.htmx:
        context = _detail_context(agreement)
        context["just_added"] = signatory
        return render(request, template, context)
    messages.success(request, _("%(org)s is toegevoegd als ondertekenaar.") % {"org": signatory.organisation})
    return redirect_after_post(request, reverse("networks:agreement-detail", args=[agreement.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    form = AgreementForm(request.POST or None, request.FILES or None, network=network)
    context = {
        "network": network,
        "form": form,
        "title": _("Nieuwe overeenkomst in %(network)s") % {"network": network},
        "action": reverse("networks:agreement-create", args=[network.pk]),
        "cancel_url": reverse("networks:agreement-list", args=[network.pk]),
    }
    if request.method == "POST":
        if form.is_valid():
            agreement = services.create_agreement(agreement=form.instance, by=request.user)
            messages.success(request, _("De overeenkomst „%(title)s” is aangemaakt.") % {"title": agreement})
            return redirect_after_post(request, reverse("networks:agreement-detail", args=[agreement.pk]))
        status = 422
    else:
        status = 200
    template = "networks/agreements/agreement_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=status)


@login_required
@require_GET
def agreement_document(request: AuthedRequest, agreement_id: int) -> FileResponse:
    """Streams the document from private storage, after the same access check as the page."""
    agreement = get_agreement_for_user(request.user, agreement_id)
    if not agreement.document:
        raise Http404(_("Bij deze overeenkomst hoort geen document."))
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError as exc:  # the row points at a file that is gone from storage
        raise Http404(_("Het document is niet meer beschikbaar.")) from exc
    extension = os.path.splitext(agreement.document.name)[1].lower()
    # The stored name is random (ijh.files.private_path); the download gets a readable one.
    version = re.sub(r"[^\w.-]+", "-", agreement.version, flags=re.ASCII).strip("-.")
    filename = f"{slugify(agreement.title) or 'overeenkomst'}-v{version}{extension}"
    return FileResponse(handle, as_attachment=True, filename=filename)
