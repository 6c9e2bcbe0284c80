"""Referral agreements (verwijsafspraken) of a network, and the referral directory (wegwijzer)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.access import get_network_for_user
from networks.models import Network

from .. import services
from ..access import get_referral_agreement_for_user
from ..forms import DirectoryForm, ReferralAgreementForm, ReferralSignatoryForm
from ..models import LifeDomain, ReferralAgreement, ReferralArea

DIRECTORY_PAGE_SIZE = 20


def _with_lists(queryset):
    """Domains and served areas in one extra query each, whatever the number of agreements."""
    return queryset.select_related("receiving_organisation").prefetch_related(
        Prefetch("domains", queryset=LifeDomain.objects.order_by("order", "name")),
        Prefetch("areas", queryset=ReferralArea.objects.order_by("postcode_from")),
    )


@login_required
@require_GET
def agreement_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    agreements = _with_lists(ReferralAgreement.objects.filter(network=network)).order_by(
        "receiving_organisation__name", "title"
    )
    context = {
        "network": network,
        "agreements": agreements,
        "today": timezone.localdate(),
        "manage": network.user_can_manage,
    }
    return render(request, "instruments/referrals/agreement_list.html", context)


def _detail_context(agreement: ReferralAgreement, *, form: ReferralSignatoryForm | None = None) -> dict:
    signatures = list(agreement.signatures.select_related("organisation").order_by("organisation__name"))
    if agreement.user_can_manage and form is None:
        form = ReferralSignatoryForm(agreement=agreement)
    return {
        "network": agreement.network,
        "agreement": agreement,
        "domains": list(agreement.domains.all()),
        "areas": list(agreement.areas.all()),
        "referring": list(agreement.referring_organisations.order_by("name")),
        "signatures": signatures,
        "signed_count": sum(1 for signature in signatures if signature.signed_on),
        "today": timezone.localdate(),
        "form": form,
        "manage": agreement.user_can_manage,
    }


@login_required
@require_GET
def agreement_detail(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    agreement = get_referral_agreement_for_user(request.user, agreement_id)
    return render(request, "instruments/referrals/agreement_detail.html", _detail_context(agreement))


@login_required
@require_POST
def agreement_signatory(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    agreement = get_referral_agreement_for_user(request.user, agreement_id, write=True)
    form = ReferralSignatoryForm(request.POST, agreement=agreement)
    template = "instruments/referrals/agreement_detail.html"
    if request.htmx:
        template += "#signatories"
    if not form.is_valid():
        return render(request, template, _detail_context(agreement, form=form), status=422)
    signatory, created = services.record_referral_signatory(
        agreement=agreement,
        organisation=form.cleaned_data["organisation"],
        signed_on=form.cleaned_data["signed_on"],
        by=request.user,
    )
    message = (
        _("%(org)s is toegevoegd als ondertekenaar.")
        if created
        else _("De ondertekening door %(org)s is bijgewerkt.")
    ) % {"org": signatory.organisation}
    if request.htmx:
        return render(request, template, {**_detail_context(agreement), "just_saved": message})
    messages.success(request, message)
    return redirect_after_post(request, reverse("instruments:referral-detail", args=[agreement.pk]))


def _save(request: AuthedRequest, form: ReferralAgreementForm) -> ReferralAgreement:
    return services.save_referral_agreement(
        agreement=form.instance,
        referring=form.cleaned_data["referring_organisations"],
        domains=form.cleaned_data["domains"],
        areas=form.cleaned_data["areas"],
        changed_fields=form.changed_data,
        by=request.user,
    )


def _form_page(request: AuthedRequest, form, context: dict, status: int) -> HttpResponse:
    template = "instruments/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, {**context, "form": form, "active": "referrals"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    form = ReferralAgreementForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        agreement = _save(request, form)
        messages.success(request, _("De verwijsafspraak „%(title)s” is aangemaakt.") % {"title": agreement})
        return redirect_after_post(request, reverse("instruments:referral-detail", args=[agreement.pk]))
    context = {
        "network": network,
        "title": _("Nieuwe verwijsafspraak in %(network)s") % {"network": network},
        "action": reverse("instruments:referral-create", args=[network.pk]),
        "cancel_url": reverse("instruments:referral-list", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: AuthedRequest, agreement_id: int) -> HttpResponse:
    agreement = get_referral_agreement_for_user(request.user, agreement_id, write=True)
    form = ReferralAgreementForm(request.POST or None, instance=agreement, network=agreement.network)
    if request.method == "POST" and form.is_valid():
        _save(request, form)
        messages.success(request, _("De verwijsafspraak is bijgewerkt."))
        return redirect_after_post(request, reverse("instruments:referral-detail", args=[agreement.pk]))
    context = {
        "network": agreement.network,
        "title": _("Verwijsafspraak bewerken"),
        "action": reverse("instruments:referral-edit", args=[agreement.pk]),
        "cancel_url": reverse("instruments:referral-detail", args=[agreement.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_GET
def directory(request: AuthedRequest) -> HttpResponse:
    """The wegwijzer: valid agreements of the user's networks by need, age, postcode and text."""
    networks = Network.objects.visible_to(request.user).order_by("name")
    form = DirectoryForm(request.GET or None, networks=networks)
    status = 200
    page = None
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        data = form.cleaned_data if form.is_bound else {}
        agreements = (
            ReferralAgreement.objects.filter(network__in=networks)
            .valid_on()
            .serving(
                postcode=data.get("postcode", ""),
                age=data.get("age"),
                domain_id=data["domain"].pk if data.get("domain") else None,
            )
        )
        if data.get("network"):
            agreements = agreements.filter(network=data["network"])
        if data.get("q"):
            text = data["q"]
            agreements = agreements.filter(
                Q(offer__icontains=text)
                | Q(target_group__icontains=text)
                | Q(title__icontains=text)
                | Q(receiving_organisation__name__icontains=text)
            )
        agreements = _with_lists(agreements.select_related("network")).order_by(
            "receiving_organisation__name", "offer", "pk"
        )
        page = Paginator(agreements, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    template = "instruments/referrals/directory.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context, status=status)


def _query_without_page(request: AuthedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
