"""The planmakers' learning network (issue 19 §6): its page per planmaker network (meetings this
year with the "at least 4 a year" warning, themes, signal notes), a theme's page (bottlenecks with
the trajectories they block, findings, invited expertise, discussions, advice, the signal note),
the signal note's state, its download, and the yearly forum.

No client data on any of these pages (not a read, see tests/cases/test_learning.py): themes and
notes live in networks/ and are reached through networks/access.py. They sit in the cases area
because the counts of blocked trajectories are counted here (suppressed below 5 for everyone but
the planmaker team; always suppressed in a signal note).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks import services_learning as services
from networks.access import get_learning_network_for_user, get_signal_note_for_user, get_theme_for_user
from networks.forms.learning import (
    DiscussForm,
    ExpertForm,
    PresentForm,
    SelectionSignalNoteForm,
    SignalNoteForm,
    ThemeForm,
    ThemeProposeForm,
)
from networks.models import (
    MIN_FORUMS_PER_YEAR,
    MIN_LEARNING_MEETINGS_PER_YEAR,
    Body,
    Bottleneck,
    LearningTheme,
    Meeting,
    Network,
    SignalNote,
    ThemeExpert,
)

from .. import learning as counts
from ..access import works_on_bottlenecks

SUPPRESS_BELOW = services.SUPPRESS_BELOW


def _label(count: int, exact: bool) -> str:
    return str(count) if exact else services.suppressed(count)


def _add_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def year_status(network: Network, year: int) -> dict:
    """The learning network's meetings (planned and held) and forums in ``year``: one query."""
    row = Meeting.objects.filter(network=network, starts_at__year=year).aggregate(
        learning=Count("pk", filter=Q(body__kind=Body.Kind.LEARNING_NETWORK)),
        forums=Count("pk", filter=Q(body__kind=Body.Kind.FORUM)),
    )
    return {
        "year": year,
        "learning": row["learning"],
        "forums": row["forums"],
        "minimum": MIN_LEARNING_MEETINGS_PER_YEAR,
        "behind": row["learning"] < MIN_LEARNING_MEETINGS_PER_YEAR,
        "forum_missing": row["forums"] < MIN_FORUMS_PER_YEAR,
    }


def _themes(network: Network):
    client_rep = ThemeExpert.objects.filter(theme=OuterRef("pk"), kind=ThemeExpert.Kind.CLIENT_REPRESENTATIVE)
    return LearningTheme.objects.filter(network=network).annotate(
        n_bottlenecks=Count("bottlenecks", distinct=True),
        n_meetings=Count("discussed_in", distinct=True),
        has_client_rep=Exists(client_rep),
    )


def _network_context(request: AuthedRequest, network: Network, **bound) -> dict:
    exact = works_on_bottlenecks(request.user, network.pk)
    themes = list(_themes(network))
    blocked = counts.blocked_per_theme(network.pk)
    for theme in themes:
        theme.blocked_label = _label(blocked.get(theme.pk, 0), exact)
    year = timezone.localdate().year
    context = {
        "network": network,
        "themes": themes,
        "status": year_status(network, year),
        "meetings": list(
            services.learning_meetings(network).filter(starts_at__year=year).order_by("starts_at")
        ),
        "notes": list(SignalNote.objects.filter(network=network).select_related("theme")[:20]),
        "exact": exact,
        "suppress_below": SUPPRESS_BELOW,
    }
    if network.user_edits_learning:
        context["propose_form"] = bound.get("propose_form") or ThemeProposeForm(network=network)
    if network.user_signals:
        context["selection_form"] = bound.get("selection_form") or SelectionSignalNoteForm(network=network)
    return context


@login_required
@require_GET
def learning_network(request: AuthedRequest, planmaker_network_id: int) -> HttpResponse:
    network = get_learning_network_for_user(request.user, planmaker_network_id)
    template = "cases/learning/network.html"
    if request.htmx:
        template += "#themes"
    return render(request, template, _network_context(request, network))


@login_required
@require_POST
def theme_create(request: AuthedRequest, planmaker_network_id: int) -> HttpResponse:
    network = get_learning_network_for_user(request.user, planmaker_network_id, write=True)
    form = ThemeProposeForm(request.POST, network=network)
    if form.is_valid():
        try:
            theme = services.propose_theme(network=network, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het thema is voorgesteld."))
            return redirect_after_post(request, reverse("cases:learning-theme", args=[theme.pk]))
    context = _network_context(request, network, propose_form=form)
    return render(request, "cases/learning/network.html", context, status=422)


@login_required
@require_POST
def signal_note_select(request: AuthedRequest, planmaker_network_id: int) -> HttpResponse:
    """A signal note of a selection of bottlenecks (without a theme)."""
    network = get_learning_network_for_user(request.user, planmaker_network_id)
    if not network.user_signals:
        raise PermissionDenied
    form = SelectionSignalNoteForm(request.POST, network=network)
    if form.is_valid():
        ids = [b.pk for b in form.cleaned_data["bottlenecks"]]
        try:
            note = services.request_signal_note(
                network=network, by=request.user, addressed_to=form.cleaned_data["addressed_to"],
                bottlenecks=form.cleaned_data["bottlenecks"], title=form.cleaned_data["title"],
                advice=form.cleaned_data["advice"], blocked=counts.blocked_per_bottleneck(ids),
                blocked_total=counts.blocked_total(ids),
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("De signaalnota wordt gemaakt."))
            return redirect_after_post(
                request, reverse("cases:learning-network", args=[network.pk]) + f"#note-{note.pk}"
            )
    context = _network_context(request, network, selection_form=form)
    return render(request, "cases/learning/network.html", context, status=422)


def _theme_context(request: AuthedRequest, theme: LearningTheme, **bound) -> dict:
    exact = works_on_bottlenecks(request.user, theme.network_id)
    bottlenecks = list(theme.bottlenecks.order_by("category", "level", "title"))
    ids = [b.pk for b in bottlenecks]
    blocked = counts.blocked_per_bottleneck(ids)
    for bottleneck in bottlenecks:
        bottleneck.blocked_label = _label(blocked.get(bottleneck.pk, 0), exact)
    experts = list(theme.experts.select_related("organisation", "meeting"))
    context = {
        "theme": theme,
        "network": theme.network,
        "bottlenecks": bottlenecks,
        "blocked_total": _label(counts.blocked_total(ids), exact),
        "experts": experts,
        "has_client_rep": any(e.kind == ThemeExpert.Kind.CLIENT_REPRESENTATIVE for e in experts),
        "meetings": list(theme.discussed_in.select_related("body").order_by("starts_at")),
        "notes": list(theme.signal_notes.all()),
        "not_discussed": [b for b in bottlenecks if b.status == Bottleneck.Status.SIGNALLED],
    }
    if theme.user_edits_learning:
        initial = {"bottlenecks": ids}
        context["theme_form"] = bound.get("theme_form") or ThemeForm(
            theme=theme,
            initial={
                **initial, "title": theme.title, "question": theme.question,
                "findings": theme.findings, "advice": theme.advice,
            },
        )  # fmt: skip
        context["expert_form"] = bound.get("expert_form") or ExpertForm(theme=theme)
        context["discuss_form"] = bound.get("discuss_form") or DiscussForm(theme=theme)
    if theme.user_signals:
        context["note_form"] = bound.get("note_form") or SignalNoteForm()
    return context


@login_required
@require_GET
def theme_detail(request: AuthedRequest, theme_id: int) -> HttpResponse:
    theme = get_theme_for_user(request.user, theme_id)
    return render(request, "cases/learning/theme.html", _theme_context(request, theme))


def _theme_post(
    request: AuthedRequest, theme_id: int, form_class, key: str, run, message: str, *, signal=False
):
    theme = get_theme_for_user(request.user, theme_id, write=not signal, signal=signal)
    form = (
        form_class(request.POST, theme=theme)
        if form_class is not SignalNoteForm
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            run(theme, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, message)
            return redirect_after_post(request, reverse("cases:learning-theme", args=[theme.pk]))
    theme = get_theme_for_user(request.user, theme_id)  # fresh: nothing of the refused write
    return render(
        request, "cases/learning/theme.html", _theme_context(request, theme, **{key: form}), status=422
    )


@login_required
@require_POST
def theme_update(request: AuthedRequest, theme_id: int) -> HttpResponse:
    def run(theme, data):
        services.update_theme(theme=theme, by=request.user, **data)

    return _theme_post(request, theme_id, ThemeForm, "theme_form", run, _("Het thema is bijgewerkt."))


@login_required
@require_POST
def theme_expert(request: AuthedRequest, theme_id: int) -> HttpResponse:
    def run(theme, data):
        services.invite_expert(theme=theme, by=request.user, **data)

    return _theme_post(request, theme_id, ExpertForm, "expert_form", run, _("De expertise is toegevoegd."))


@login_required
@require_POST
def theme_discuss(request: AuthedRequest, theme_id: int) -> HttpResponse:
    def run(theme, data):
        services.discuss_theme(theme=theme, by=request.user, **data)

    return _theme_post(
        request, theme_id, DiscussForm, "discuss_form", run,
        _("De bespreking is genoteerd; de knelpunten van het thema zijn besproken in het lerend netwerk."),
    )  # fmt: skip


@login_required
@require_POST
def theme_signal_note(request: AuthedRequest, theme_id: int) -> HttpResponse:
    def run(theme, data):
        ids = list(theme.bottlenecks.values_list("pk", flat=True))
        services.request_signal_note(
            network=theme.network, by=request.user, theme=theme, addressed_to=data["addressed_to"],
            blocked=counts.blocked_per_bottleneck(ids), blocked_total=counts.blocked_total(ids),
        )  # fmt: skip

    return _theme_post(
        request, theme_id, SignalNoteForm, "note_form", run, _("De signaalnota wordt gemaakt."), signal=True
    )


@login_required
@require_GET
def signal_note_status(request: AuthedRequest, signal_note_id: int) -> HttpResponse:
    note = get_signal_note_for_user(request.user, signal_note_id)
    return render(request, "cases/learning/_note.html", {"note": note})


@login_required
@require_GET
def signal_note_download(request: AuthedRequest, signal_note_id: int) -> HttpResponse:
    note = get_signal_note_for_user(request.user, signal_note_id)
    if note.status != SignalNote.Status.DONE or not note.file:
        raise Http404
    day = timezone.localtime(note.finished_at or note.requested_at).date()
    return FileResponse(
        note.file.open("rb"),
        as_attachment=True,
        filename=f"signaalnota-{note.pk}-{day:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


def _year(request: AuthedRequest) -> int:
    try:
        year = int(request.GET.get("jaar", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _forum_context(request: AuthedRequest, network: Network, year: int, **bound) -> dict:
    meetings = Meeting.objects.filter(network=network, starts_at__year=year)
    start = datetime.date(year, 1, 1)
    end = datetime.date(year, 12, 31)
    themes = list(
        _themes(network)
        .filter(
            Q(proposed_on__range=(start, end))
            | Q(
                pk__in=LearningTheme.discussed_in.through.objects.filter(
                    meeting__starts_at__year=year
                ).values("learningtheme_id")
            )
        )
        .order_by("title")
    )
    context = {
        "network": network,
        "year": year,
        "years": [year - 1, year + 1],
        "forums": list(
            meetings.filter(body__kind=Body.Kind.FORUM).select_related("body").order_by("starts_at")
        ),
        "themes": themes,
        "notes": list(
            SignalNote.objects.filter(network=network, requested_at__year=year)
            .select_related("theme", "presented_at")
            .order_by("requested_at", "pk")
        ),
        "status": year_status(network, year),
    }
    if network.user_edits_learning:
        context["present_form"] = bound.get("present_form") or PresentForm(network=network)
    return context


@login_required
@require_GET
def forum(request: AuthedRequest, planmaker_network_id: int) -> HttpResponse:
    network = get_learning_network_for_user(request.user, planmaker_network_id)
    return render(request, "cases/learning/forum.html", _forum_context(request, network, _year(request)))


@login_required
@require_POST
def signal_note_present(request: AuthedRequest, signal_note_id: int) -> HttpResponse:
    note = get_signal_note_for_user(request.user, signal_note_id, write=True)
    form = PresentForm(request.POST, network=note.network)
    year = timezone.localtime(note.requested_at).year
    if form.is_valid():
        try:
            services.present_at_forum(note=note, by=request.user, meeting=form.cleaned_data["meeting"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Genoteerd."))
            return redirect_after_post(
                request, reverse("cases:learning-forum", args=[note.network_id]) + f"?jaar={year}"
            )
    network = get_learning_network_for_user(request.user, note.network_id)
    context = _forum_context(request, network, year, present_form=form)
    return render(request, "cases/learning/forum.html", context, status=422)
