"""The draaiboek brede instap: versions visible to a network, their steps and tasks, and the
version life cycle (draft → published → retired). A published version is frozen."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.access import get_network_for_user
from networks.models import Network

from .. import services
from ..access import get_playbook_for_user
from ..forms import NewVersionForm, StepForm, TaskForm
from ..models import Playbook, PlaybookStep, PlaybookTask


@login_required
@require_GET
def playbook_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    playbooks = (
        Playbook.objects.filter(Q(network=network) | Q(network__isnull=True))
        .select_related("previous")
        .annotate(task_count=Count("steps__tasks"))
        .order_by("network_id", "title", "-published_on", "-pk")
    )
    context = {"network": network, "playbooks": playbooks, "manage": network.user_can_manage}
    return render(request, "instruments/playbooks/playbook_list.html", context)


def _detail(
    request: AuthedRequest,
    network: Network,
    playbook: Playbook,
    *,
    status: int = 200,
    error: str = "",
    version_form: NewVersionForm | None = None,
) -> HttpResponse:
    steps = list(
        playbook.steps.order_by("order").prefetch_related(
            Prefetch("tasks", queryset=PlaybookTask.objects.order_by("order", "pk"))
        )
    )
    manage = bool(network.user_can_manage)
    editable = manage and playbook.network_id == network.pk and not playbook.is_locked
    if manage and version_form is None:
        version_form = NewVersionForm(source=playbook, network=network)
    context = {
        "network": network,
        "playbook": playbook,
        "steps": steps,
        "manage": manage,
        "editable": editable,
        "owned": playbook.network_id == network.pk,
        "version_form": version_form if manage else None,
        "error": error,
    }
    return render(request, "instruments/playbooks/playbook_detail.html", context, status=status)


@login_required
@require_GET
def playbook_detail(request: AuthedRequest, network_id: int, playbook_id: int) -> HttpResponse:
    network, playbook = get_playbook_for_user(request.user, network_id, playbook_id)
    return _detail(request, network, playbook)


@login_required
@require_POST
def playbook_new_version(request: AuthedRequest, network_id: int, playbook_id: int) -> HttpResponse:
    # Any visible version (also a Flemish one) can be the source; the copy belongs to the network.
    network, source = get_playbook_for_user(request.user, network_id, playbook_id)
    network = get_network_for_user(request.user, network_id, write=True)
    form = NewVersionForm(request.POST, source=source, network=network)
    if not form.is_valid():
        return _detail(request, network, source, status=422, version_form=form)
    playbook = services.create_playbook_version(
        source=source, network=network, version=form.cleaned_data["version"], by=request.user
    )
    messages.success(
        request, _("Versie %(version)s is aangemaakt als ontwerp.") % {"version": playbook.version}
    )
    return redirect_after_post(
        request, reverse("instruments:playbook-detail", args=[network.pk, playbook.pk])
    )


def _transition(
    request: AuthedRequest, network_id: int, playbook_id: int, service, message: str
) -> HttpResponse:
    network, playbook = get_playbook_for_user(request.user, network_id, playbook_id, write=True)
    try:
        service(playbook=playbook, by=request.user)
    except ValidationError as error:
        return _detail(request, network, playbook, status=422, error=" ".join(error.messages))
    messages.success(request, message)
    return redirect_after_post(
        request, reverse("instruments:playbook-detail", args=[network.pk, playbook.pk])
    )


@login_required
@require_POST
def playbook_publish(request: AuthedRequest, network_id: int, playbook_id: int) -> HttpResponse:
    return _transition(
        request,
        network_id,
        playbook_id,
        services.publish_playbook,
        _("Het draaiboek is gepubliceerd en ligt nu vast."),
    )


@login_required
@require_POST
def playbook_retire(request: AuthedRequest, network_id: int, playbook_id: int) -> HttpResponse:
    return _transition(
        request,
        network_id,
        playbook_id,
        services.retire_playbook,
        _("Deze versie is als vervangen gemarkeerd."),
    )


def _locked(request: AuthedRequest, network: Network, playbook: Playbook) -> HttpResponse | None:
    """A frozen playbook answers every edit with the page and the reason (422)."""
    try:
        services.require_draft(playbook)
    except ValidationError as error:
        return _detail(request, network, playbook, status=422, error=" ".join(error.messages))
    return None


def _edit_page(
    request: AuthedRequest,
    network: Network,
    playbook: Playbook,
    form,
    *,
    title: str,
    action: str,
    status: int,
):
    context = {
        "network": network,
        "active": "playbooks",
        "form": form,
        "title": title,
        "action": action,
        "cancel_url": reverse("instruments:playbook-detail", args=[network.pk, playbook.pk]),
    }
    template = "instruments/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


def _after_edit(request: AuthedRequest, network: Network, playbook: Playbook, anchor: str) -> HttpResponse:
    return redirect_after_post(
        request, reverse("instruments:playbook-detail", args=[network.pk, playbook.pk]) + anchor
    )


def _edit(
    request: AuthedRequest,
    network: Network,
    playbook: Playbook,
    form,
    *,
    save: Callable[[], object],
    anchor: Callable[[], str],
    title: str,
    action: str,
) -> HttpResponse:
    """The one edit view of a playbook's steps and tasks: locked once published, the form page on
    GET or a refused POST (422), the service on a valid POST, back to the step or task after."""
    if (response := _locked(request, network, playbook)) is not None:
        return response
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            return _detail(request, network, playbook, status=422, error=" ".join(error.messages))
        return _after_edit(request, network, playbook, anchor())
    status = 422 if request.method == "POST" else 200
    return _edit_page(request, network, playbook, form, title=title, action=action, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: AuthedRequest, network_id: int, playbook_id: int, step_id: int) -> HttpResponse:
    network, playbook = get_playbook_for_user(request.user, network_id, playbook_id, write=True)
    step = get_object_or_404(PlaybookStep, pk=step_id, playbook=playbook)
    form = StepForm(request.POST or None, instance=step)
    return _edit(
        request,
        network,
        playbook,
        form,
        save=lambda: services.update_step(
            step=form.instance, changed_fields=form.changed_data, by=request.user
        ),
        anchor=lambda: f"#step-{step.pk}",
        title=_("Stap „%(step)s” bewerken") % {"step": step.get_kind_display()},
        action=reverse("instruments:step-edit", args=[network.pk, playbook.pk, step.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request: AuthedRequest, network_id: int, playbook_id: int, step_id: int) -> HttpResponse:
    network, playbook = get_playbook_for_user(request.user, network_id, playbook_id, write=True)
    step = get_object_or_404(PlaybookStep, pk=step_id, playbook=playbook)
    form = TaskForm(request.POST or None, step=step)
    return _edit(
        request,
        network,
        playbook,
        form,
        save=lambda: services.save_task(
            task=form.instance, changed_fields=form.changed_data, by=request.user
        ),
        anchor=lambda: f"#step-{step.pk}",
        title=_("Nieuwe taak bij „%(step)s”") % {"step": step.get_kind_display()},
        action=reverse("instruments:task-create", args=[network.pk, playbook.pk, step.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: AuthedRequest, network_id: int, playbook_id: int, task_id: int) -> HttpResponse:
    network, playbook = get_playbook_for_user(request.user, network_id, playbook_id, write=True)
    task = get_object_or_404(PlaybookTask.objects.select_related("step"), pk=task_id, step__playbook=playbook)
    form = TaskForm(request.POST or None, instance=task, step=task.step)
    return _edit(
        request,
        network,
        playbook,
        form,
        save=lambda: services.save_task(
            task=form.instance, changed_fields=form.changed_data, by=request.user
        ),
        anchor=lambda: f"#task-{task.pk}",
        title=_("Taak bewerken"),
        action=reverse("instruments:task-edit", args=[network.pk, playbook.pk, task.pk]),
    )


@login_required
@require_POST
def task_delete(request: AuthedRequest, network_id: int, playbook_id: int, task_id: int) -> HttpResponse:
    network, playbook = get_playbook_for_user(request.user, network_id, playbook_id, write=True)
    task = get_object_or_404(PlaybookTask.objects.select_related("step"), pk=task_id, step__playbook=playbook)
    try:
        services.delete_task(task=task, by=request.user)
    except ValidationError as error:
        return _detail(request, network, playbook, status=422, error=" ".join(error.messages))
    messages.success(request, _("De taak is verwijderd."))
    return _after_edit(request, network, playbook, f"#step-{task.step_id}")
