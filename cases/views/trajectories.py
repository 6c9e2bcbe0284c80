"""Planmaker trajectories: the aanmelding from a case, the coordinator's decision, the phases,
the shared plan, bottlenecks signalled from a trajectory, and the bottleneck pages.

Who sees what (cases/access.py): the case team (the referrer's side and the assigned planmakers)
sees the whole trajectory; the coordinator of the planmaker network sees the aanmelding until the
decision and afterwards the pseudonym, the phase and the planmakers; everyone else gets a 404.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.models import Bottleneck, Membership

from ..access import (
    TrajectoryAction,
    assigned_flag,
    bottleneck_networks,
    get_bottleneck_for_user,
    get_case_for_user,
    get_plan_item_of_trajectory,
    get_trajectory_for_user,
    roles_in_effect,
    sees_intervisie,
    team_flag,
    visible_trajectories,
    works_on_bottlenecks,
)
from ..forms.trajectories import (
    BottleneckSignalForm,
    BottleneckStatusForm,
    DecideForm,
    PhaseForm,
    PlanItemForm,
    PlanItemStatusForm,
    TrajectoryReferForm,
)
from ..forms.trajectory_meetings import IntervisieForm, MeetingForm, MeetingPlanForm, MeetingReplanForm
from ..models import CaseTeamMember, SharedPlanItem, TimelineEvent, Trajectory, TrajectoryMeeting
from ..reads import log_read
from ..services import trajectories as services

# Counts of trajectories below this are shown as "< 5" outside the planmaker team (DESIGN.md §5).
SUPPRESS_BELOW = 5


def _add_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- the aanmelding ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_create(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    if case.closed_on is not None:
        raise PermissionDenied
    form = TrajectoryReferForm(request.POST or None, case=case, user=request.user)
    status = 200
    if request.method == "GET":
        log_read(request, case, page="trajectory_form", case_id=case.pk)
    else:
        if form.is_valid():
            try:
                trajectory = services.refer(case=case, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("De aanmelding bij %(network)s is verstuurd. De coördinator beslist erover.")
                    % {"network": trajectory.network},
                )
                return redirect_after_post(request, reverse("cases:trajectory-detail", args=[trajectory.pk]))
        status = 422
    no_network = not form.fields["network"].queryset.exists()
    return render(
        request,
        "cases/trajectories/trajectory_form.html",
        {"case": case, "form": form, "no_network": no_network},
        status=status,
    )


# --- the trajectory page ----------------------------------------------------------------------------


def _planmakers(trajectory: Trajectory) -> list[CaseTeamMember]:
    return list(
        CaseTeamMember.objects.filter(case_id=trajectory.case_id, role=CaseTeamMember.Role.PLANMAKER)
        .select_related("user", "organisation")
        .order_by("since", "pk")
    )


def _detail_context(request: AuthedRequest, trajectory: Trajectory, **bound) -> dict:
    on_team = bool(trajectory.user_on_team)
    works = bool(trajectory.user_is_planmaker)
    coordinates = bool(trajectory.user_coordinates)
    today = timezone.localdate()
    context = {
        "trajectory": trajectory,
        "case": trajectory.case,
        "on_team": on_team,
        "works": works,
        "coordinates": coordinates,
        # The coordinator reads the aanmelding to decide on it, not afterwards.
        "reads_referral": on_team or (coordinates and trajectory.phase == Trajectory.Phase.REFERRED),
        "planmakers": _planmakers(trajectory),
        "steps": [
            (phase, phase.label, getattr(trajectory, Trajectory.PHASE_DATE_FIELDS[phase]))
            for phase in Trajectory.STEPS
        ],
        "today": today,
    }
    if on_team:
        items = list(trajectory.plan_items.select_related("domain"))
        by_domain: dict = defaultdict(list)
        for item in items:
            item.overdue = item.is_overdue(today)
            by_domain[item.domain].append(item)
        context["plan"] = list(by_domain.items())
        context["plan_count"] = len(items)
        context["bottlenecks"] = list(trajectory.bottlenecks.order_by("title"))
    if works:
        next_phase = trajectory.next_phase()
        context["next_phase"] = next_phase
        if next_phase is not None:
            context["phase_form"] = bound.get("phase_form") or PhaseForm(
                initial={"seen_phase": trajectory.phase}
            )
        if trajectory.phase in services.PLAN_PHASES:
            context["plan_form"] = bound.get("plan_form") or PlanItemForm()
            context["status_choices"] = SharedPlanItem.Status.choices
        if trajectory.is_active:
            context["signal_form"] = bound.get("signal_form") or BottleneckSignalForm(trajectory=trajectory)
    _meeting_context(context, trajectory, today, bound)
    if coordinates and trajectory.phase == Trajectory.Phase.REFERRED:
        context["decide_form"] = bound.get("decide_form") or DecideForm(trajectory=trajectory)
    context["error"] = bound.get("error", "")
    return context


def _meeting_context(context: dict, trajectory: Trajectory, today, bound: dict) -> None:
    """The samenwerkingsoverleggen (the schedule for whoever sees the trajectory; the content for
    the case team) and the intervisie (assigned planmakers and the coordinator only)."""
    meetings = list(
        trajectory.meetings.prefetch_related("invited", "attended")
        if context["on_team"]
        else trajectory.meetings.all()
    )
    for meeting in meetings:
        meeting.current_state = meeting.state(today) if trajectory.is_active or meeting.held_on else "held"
    context["meetings"] = meetings
    context["meetings_error"] = bound.get("meetings_error", "")
    context["meetings_due"] = [m for m in meetings if m.current_state in ("due", "overdue")]
    if context["works"] and trajectory.is_active and trajectory.decided_on is not None:
        context["meeting_form"] = bound.get("meeting_form") or MeetingForm(trajectory=trajectory)
        context["plan_meeting_form"] = bound.get("plan_meeting_form") or MeetingPlanForm(
            trajectory=trajectory
        )
        # A meeting still to be held can be moved: a small form each (own prefix), a refused one bound.
        for meeting in meetings:
            if meeting.held_on is None:
                if bound.get("replan_meeting_id") == meeting.pk:
                    meeting.replan_form = bound["replan_form"]
                else:
                    meeting.replan_form = MeetingReplanForm(prefix=f"replan-{meeting.pk}")
    if sees_intervisie(trajectory):
        context["sees_intervisie"] = True
        context["intervisie"] = list(trajectory.intervisie.select_related("author"))
        context["intervisie_form"] = bound.get("intervisie_form") or IntervisieForm()


def _render_detail(
    request: AuthedRequest, trajectory: Trajectory, *, status: int = 200, partial: str = "", **bound
) -> HttpResponse:
    context = _detail_context(request, trajectory, **bound)
    if context["reads_referral"] or context.get("sees_intervisie"):
        log_read(
            request, trajectory, page="trajectory", case_id=trajectory.case_id, action="trajectory.viewed"
        )
    template = "cases/trajectories/trajectory_detail.html"
    if partial and request.htmx and not request.htmx.boosted:
        template += f"#{partial}"
    return render(request, template, context, status=status)


@login_required
@require_GET
def trajectory_detail(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id)
    return _render_detail(request, trajectory)


def _done(request: AuthedRequest, trajectory: Trajectory, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect_after_post(request, reverse("cases:trajectory-detail", args=[trajectory.pk]))


@login_required
@require_POST
def trajectory_decide(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.DECIDE)
    form = DecideForm(request.POST, trajectory=trajectory)
    if form.is_valid():
        data = form.cleaned_data
        try:
            trajectory = services.decide(
                trajectory=trajectory,
                by=request.user,
                accept=data["decision"] == "accept",
                planmakers=list(data["planmakers"]),
                reason=data["reason"],
                on=data["on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if trajectory.phase == Trajectory.Phase.DECLINED:
                return _done(
                    request, trajectory, _("De aanmelding is niet aanvaard; de aanmelder ziet de reden.")
                )
            return _done(
                request, trajectory, _("De aanmelding is aanvaard en de planmakers zijn toegewezen.")
            )
    trajectory = get_trajectory_for_user(request.user, trajectory_id)
    if trajectory.phase != Trajectory.Phase.REFERRED:
        return _render_detail(request, trajectory, status=422, error=" ".join(form.non_field_errors()))
    return _render_detail(request, trajectory, status=422, decide_form=form)


@login_required
@require_POST
def trajectory_phase(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.WORK)
    form = PhaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.move_phase(
                trajectory=trajectory,
                by=request.user,
                seen_phase=data["seen_phase"],
                on=data["on"],
                outcome=data["outcome"],
                outcome_note=data["outcome_note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _done(
                request,
                moved,
                _("Het traject is in de fase „%(phase)s”.") % {"phase": moved.get_phase_display()},
            )
    # Show the page as it is now (someone else may have moved it) with the message.
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.WORK)
    bound_form = form if form.data.get("seen_phase") == trajectory.phase else None
    error = " ".join(form.non_field_errors()) if bound_form is None else ""
    if bound_form is None and not error:
        error = " ".join(" ".join(errors) for errors in form.errors.values())
    return _render_detail(request, trajectory, status=422, phase_form=bound_form, error=error)


@login_required
@require_POST
def trajectory_plan_add(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.WORK)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.add_plan_item(trajectory=trajectory, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _done(
                request,
                trajectory,
                _("%(kind)s toegevoegd aan het gedeeld plan.")
                % {"kind": item.get_kind_display().capitalize()},
            )
    error = " ".join(form.non_field_errors()) if trajectory.phase not in services.PLAN_PHASES else ""
    return _render_detail(request, trajectory, status=422, plan_form=form, error=error)


@login_required
@require_POST
def trajectory_plan_item(request: AuthedRequest, plan_item_id: int) -> HttpResponse:
    item = get_plan_item_of_trajectory(request.user, plan_item_id)
    trajectory = item.trajectory
    form = PlanItemStatusForm(request.POST)
    if form.is_valid():
        try:
            services.update_plan_item(item=item, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _done(request, trajectory, _("Het gedeeld plan is bijgewerkt."))
    error = " ".join(f"{' '.join(errors)}" for errors in form.errors.values())
    return _render_detail(request, trajectory, status=422, error=error)


@login_required
@require_POST
def trajectory_bottleneck(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.WORK)
    if not trajectory.is_active:
        raise PermissionDenied
    form = BottleneckSignalForm(request.POST, trajectory=trajectory)
    if form.is_valid():
        data = form.cleaned_data
        if data["existing"] is None:
            for field, message in (
                ("title", _("Geef het knelpunt een korte titel.")),
                ("category", _("Kies een categorie.")),
                ("level", _("Kies het niveau.")),
                ("description", _("Omschrijf het knelpunt, zonder cliëntgegevens.")),
            ):
                if not data[field].strip():
                    form.add_error(field, message)
    if form.is_valid():
        try:
            bottleneck = services.signal_bottleneck(
                trajectory=trajectory, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _done(
                request, trajectory, _("Knelpunt „%(title)s” gesignaleerd.") % {"title": bottleneck.title}
            )
    return _render_detail(request, trajectory, status=422, signal_form=form)


# --- the planmakers' overview -------------------------------------------------------------------------


def _days_since_contact(
    *, active: bool, decided_on, last_meeting_on, last_plan_change_at, today
) -> int | None:
    """Days since the last meeting held or the last change of the shared plan; None for a
    trajectory that is not running or had no contact yet."""
    if not active or decided_on is None:
        return None
    dates = [last_meeting_on]
    if last_plan_change_at is not None:
        dates.append(timezone.localtime(last_plan_change_at).date())
    dates = [day for day in dates if day is not None]
    return (today - max(dates)).days if dates else None


def _last_contact():
    """The last contact: the last meeting held, or the last change of the shared plan (its lines
    on the case timeline). Subqueries in the one list query."""
    return {
        "last_meeting_on": Subquery(
            TrajectoryMeeting.objects.filter(trajectory=OuterRef("pk"), held_on__isnull=False)
            .order_by("-held_on")
            .values("held_on")[:1]
        ),
        "last_plan_change_at": Subquery(
            TimelineEvent.objects.filter(
                case=OuterRef("case_id"),
                kind__in=(TimelineEvent.Kind.SHARED_PLAN_ADDED, TimelineEvent.Kind.SHARED_PLAN_UPDATED),
                at__gte=OuterRef("referred_on"),
            )
            .order_by("-at")
            .values("at")[:1]
        ),
    }


ORDER = ("phase", "-referred_on", "-pk")


def _listed(queryset, today):
    """The rows of a table: counts of open and overdue agreements and the last contact."""
    return (
        queryset.annotate(
            open_items=Count(
                "plan_items", filter=Q(plan_items__status=SharedPlanItem.Status.OPEN), distinct=True
            ),
            overdue_items=Count(
                "plan_items",
                filter=Q(plan_items__status=SharedPlanItem.Status.OPEN, plan_items__due_on__lt=today),
                distinct=True,
            ),
            **_last_contact(),
        )
        .select_related("case__client")  # what _table.html shows
        .order_by(*ORDER)
    )


def _planmaker_names(case_ids: list[int]) -> dict[int, list[str]]:
    """Case → the names of its planmakers; plain values (a network's thousand rows as model
    instances cost more than the query)."""
    names: dict[int, list[str]] = defaultdict(list)
    rows = (
        CaseTeamMember.objects.filter(
            role=CaseTeamMember.Role.PLANMAKER, user__isnull=False, case_id__in=case_ids
        )
        .order_by("pk")
        .values_list("case_id", "user__first_name", "user__last_name")
    )
    for case_id, first_name, last_name in rows:
        # As User.get_full_name (AbstractUser) makes it.
        names[case_id].append(f"{first_name} {last_name}".strip())
    return names


def _row_days(row: dict, today) -> int | None:
    return _days_since_contact(
        active=row["phase"] not in ENDED_PHASES,
        decided_on=row["decided_on"],
        last_meeting_on=row["last_meeting_on"],
        last_plan_change_at=row["last_plan_change_at"],
        today=today,
    )


def _planmaker_load(running: list[dict], names_by_case, today) -> list[tuple[str, int, int | None]]:
    """The coordinator's load: running trajectories per planmaker of their networks, and the
    longest time one of them went without contact (from the running rows' values)."""
    load: dict[str, list] = defaultdict(lambda: [0, None])
    for row in running:
        days = _row_days(row, today)
        for name in names_by_case.get(row["case_id"], []):
            load[name][0] += 1
            if days is not None and (load[name][1] is None or days > load[name][1]):
                load[name][1] = days
    return sorted((name, count, days) for name, (count, days) in load.items())


# Each table of the overview shows this many trajectories per page; the inbox the oldest ones.
PAGE_SIZE = 50
INBOX_SIZE = 20
ENDED_PHASES = (Trajectory.Phase.CLOSED, Trajectory.Phase.DECLINED)
# The overview's tables: (the id htmx swaps, the page parameter).
SECTIONS = {"mine": "mijn", "referred": "aangemeld", "coordinated": "page"}
ROW_VALUES = (
    "pk",
    "case_id",
    "phase",
    "decided_on",
    "referred_on",
    "last_meeting_on",
    "last_plan_change_at",
    "user_on_team",
    "user_is_planmaker",
)


@login_required
@require_GET
def trajectory_list(request: AuthedRequest) -> HttpResponse:
    """The planmakers' overview: my trajectories, the ones my teams referred, and for the
    coordinator the network's others with the aanmeldingen to decide on and the load per planmaker.
    Running trajectories by default, ended ones behind a filter; every table by page.

    A network may run a thousand trajectories and a planmaker hundreds: one query of plain values
    gives the tables' order, the inbox and the load; only the rows on the pages are read whole
    (with their counts of agreements), in one more query."""
    user = request.user
    today = timezone.localdate()
    show_ended = request.GET.get("afgesloten") == "1"
    flagged = visible_trajectories(user).annotate(
        user_on_team=team_flag(user, case_ref="case_id"), user_is_planmaker=assigned_flag(user)
    )
    state = Q(phase__in=ENDED_PHASES)
    rows = list(
        flagged.filter(state if show_ended else ~state)
        .annotate(**_last_contact())
        .order_by(*ORDER)
        .values(*ROW_VALUES)
    )
    by_section = {
        "mine": [row for row in rows if row["user_is_planmaker"]],
        "referred": [row for row in rows if row["user_on_team"] and not row["user_is_planmaker"]],
        "coordinated": [row for row in rows if not row["user_on_team"]],
    }
    # The load is over the running trajectories, also while the tables show the ended ones.
    running = by_section["coordinated"]
    if show_ended:
        running = list(
            flagged.filter(~state, user_on_team=False).annotate(**_last_contact()).values(*ROW_VALUES)
        )
    names_by_case = _planmaker_names(
        sorted({row["case_id"] for row in rows} | {row["case_id"] for row in running})
    )
    target = request.htmx.target if request.htmx and not request.htmx.boosted else None
    if target not in SECTIONS:
        target = None
    pages = {
        section: Paginator([row["pk"] for row in section_rows], PAGE_SIZE).get_page(
            request.GET.get(SECTIONS[section])
        )
        for section, section_rows in by_section.items()
        if target in (None, section)
    }
    shown = {pk for page in pages.values() for pk in page.object_list}
    # The ids come from the visible rows above; their flags too (no second access check to compile).
    flags = {row["pk"]: row for row in rows if row["pk"] in shown}
    full = {t.pk: t for t in _listed(Trajectory.objects.filter(pk__in=shown), today)} if shown else {}
    for page in pages.values():
        page.object_list = [full[pk] for pk in page.object_list if pk in full]
        for trajectory in page.object_list:
            trajectory.user_on_team = flags[trajectory.pk]["user_on_team"]
            trajectory.user_is_planmaker = flags[trajectory.pk]["user_is_planmaker"]
            trajectory.planmaker_names = names_by_case.get(trajectory.case_id, [])
            trajectory.days_since_contact = _days_since_contact(
                active=trajectory.is_active,
                decided_on=trajectory.decided_on,
                last_meeting_on=trajectory.last_meeting_on,
                last_plan_change_at=trajectory.last_plan_change_at,
                today=today,
            )
    if shown:
        log_read(request, page="trajectory_list")
    context = {f"{section}_page": page for section, page in pages.items()}
    context["show_ended"] = show_ended
    if target:
        return render(request, f"cases/trajectories/trajectory_list.html#{target}", context)
    # The aanmeldingen waiting for the coordinator's decision: the oldest first, the rest counted
    # (they are in the table too, in the phase "aangemeld").
    waiting = sorted(
        (row for row in by_section["coordinated"] if row["phase"] == Trajectory.Phase.REFERRED),
        key=lambda row: (row["referred_on"], row["pk"]),
    )
    inbox = (
        Trajectory.objects.filter(pk__in=[row["pk"] for row in waiting[:INBOX_SIZE]])
        .select_related("case__client", "referring_organisation")
        .order_by("referred_on", "pk")
        if waiting
        else []
    )
    context.update(
        {
            "has_referred": bool(by_section["referred"]),
            "has_coordinated": bool(by_section["coordinated"] or running),
            "inbox": inbox,
            "inbox_more": max(0, len(waiting) - INBOX_SIZE),
            "load": _planmaker_load(running, names_by_case, today),
            "has_bottlenecks": bottleneck_networks(user).exists(),
        }
    )
    return render(request, "cases/trajectories/trajectory_list.html", context)


# --- bottlenecks ------------------------------------------------------------------------------------------


def _count_label(count: int, exact: bool) -> str:
    if exact or count == 0 or count >= SUPPRESS_BELOW:
        return str(count)
    return f"< {SUPPRESS_BELOW}"


@login_required
@require_GET
def bottleneck_list(request: AuthedRequest) -> HttpResponse:
    """The bottlenecks of the user's planmaker networks, grouped by category and level, with the
    number of trajectories they block (suppressed below 5 outside the planmaker team)."""
    networks = list(bottleneck_networks(request.user))
    if not networks:
        raise Http404
    team_of = set(
        roles_in_effect(request.user)
        .filter(network__in=networks, role__in=(Membership.Role.PLANMAKER, Membership.Role.COORDINATOR))
        .values_list("network_id", flat=True)
    )
    bottlenecks = list(
        Bottleneck.objects.filter(network__in=networks)
        .annotate(blocked=Count("trajectories", distinct=True))
        .select_related("network")
        .order_by("category", "level", "-signalled_on", "pk")
    )
    groups: dict = {}
    categories = dict(Bottleneck.Category.choices)
    levels = dict(Bottleneck.Level.choices)
    for bottleneck in bottlenecks:
        exact = bottleneck.network_id in team_of
        bottleneck.blocked_label = _count_label(bottleneck.blocked, exact)
        key = (bottleneck.category, bottleneck.level)
        group = groups.setdefault(
            key,
            {
                "category": categories[key[0]],
                "level": levels[key[1]],
                "items": [],
                "blocked": 0,
                "exact": True,
            },
        )
        group["items"].append(bottleneck)
        group["blocked"] += bottleneck.blocked
        group["exact"] = group["exact"] and exact
    # A trajectory blocked by two bottlenecks of one group counts once for the group.
    through = Trajectory.bottlenecks.through.objects.filter(bottleneck__network__in=networks)
    for row in through.values("bottleneck__category", "bottleneck__level").annotate(
        n=Count("trajectory_id", distinct=True)
    ):
        key = (row["bottleneck__category"], row["bottleneck__level"])
        if key in groups:
            groups[key]["blocked"] = row["n"]
    for group in groups.values():
        group["blocked_label"] = _count_label(group["blocked"], group["exact"])
    return render(
        request,
        "cases/trajectories/bottleneck_list.html",
        {"groups": list(groups.values()), "networks": networks, "total": len(bottlenecks)},
    )


def _bottleneck_context(request: AuthedRequest, bottleneck: Bottleneck, form=None) -> dict:
    exact = works_on_bottlenecks(request.user, bottleneck.network_id)
    blocked = bottleneck.trajectories.count()
    # The trajectories the user may open anyway (their own cases): pseudonyms, for the team.
    own = list(
        visible_trajectories(request.user)
        .filter(team_flag(request.user, case_ref="case_id"), bottlenecks=bottleneck)
        .select_related("case__client")
    )
    is_coordinator = (
        roles_in_effect(request.user)
        .filter(network_id=bottleneck.network_id, role=Membership.Role.COORDINATOR)
        .exists()
    )
    context = {
        "bottleneck": bottleneck,
        "blocked_label": _count_label(blocked, exact),
        "own": own,
        "meetings": list(bottleneck.discussed_in.select_related("body")),
        "next_statuses": [
            Bottleneck.Status(s).label for s in Bottleneck.TRANSITIONS[Bottleneck.Status(bottleneck.status)]
        ],
    }
    if is_coordinator and bottleneck.status not in Bottleneck.FINAL_STATUSES:
        context["status_form"] = form or BottleneckStatusForm(bottleneck=bottleneck)
    return context


@login_required
@require_GET
def bottleneck_detail(request: AuthedRequest, bottleneck_id: int) -> HttpResponse:
    bottleneck = get_bottleneck_for_user(request.user, bottleneck_id)
    context = _bottleneck_context(request, bottleneck)
    if context["own"]:
        log_read(request, bottleneck, page="bottleneck", network_id=bottleneck.network_id)
    return render(request, "cases/trajectories/bottleneck_detail.html", context)


@login_required
@require_POST
def bottleneck_status(request: AuthedRequest, bottleneck_id: int) -> HttpResponse:
    bottleneck = get_bottleneck_for_user(request.user, bottleneck_id, write=True)
    form = BottleneckStatusForm(request.POST, bottleneck=bottleneck)
    if form.is_valid():
        try:
            bottleneck = services.move_bottleneck(bottleneck=bottleneck, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Het knelpunt is bijgewerkt: %(status)s.") % {"status": bottleneck.get_status_display()},
            )
            return redirect_after_post(request, reverse("cases:bottleneck-detail", args=[bottleneck.pk]))
    context = _bottleneck_context(request, bottleneck, form)
    context["status_form"] = form
    if context["own"]:
        log_read(request, bottleneck, page="bottleneck", network_id=bottleneck.network_id)
    return render(request, "cases/trajectories/bottleneck_detail.html", context, status=422)
