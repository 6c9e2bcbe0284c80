"""Writes on the learning network of a planmaker network (issue 19 §6): themes, invited expertise,
discussions in a meeting (which move the theme's bottlenecks to "discussed in the learning
network"), signal notes (which move them to "passed on to the administration") and the forum.

Each write records an audit event in its transaction; every bottleneck that changes status gets
its own ``bottleneck.<status>`` event, as when the coordinator moves one by hand. No client data:
the signal note's counts of blocked trajectories come in from the caller (the cases app counts
them) and are suppressed here before they are stored.
"""

import datetime
import hashlib
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.models import User
from ijh.queue import publish_on_commit

from .models import Body, Bottleneck, LearningTheme, Meeting, Network, SignalNote, ThemeExpert

# Small-cell suppression (DESIGN.md §5), as on the bottleneck page for everyone outside the team.
SUPPRESS_BELOW = 5


def suppressed(count: int) -> str:
    if count == 0 or count >= SUPPRESS_BELOW:
        return str(count)
    return f"< {SUPPRESS_BELOW}"


def learning_meetings(network: Network):
    return Meeting.objects.filter(network=network, body__kind=Body.Kind.LEARNING_NETWORK)


def forum_meetings(network: Network):
    return Meeting.objects.filter(network=network, body__kind=Body.Kind.FORUM)


# --- themes ----------------------------------------------------------------------------------------


def _check_bottlenecks(network: Network, bottlenecks: Iterable[Bottleneck]) -> list[Bottleneck]:
    rows = list(bottlenecks)
    if any(b.network_id != network.pk for b in rows):
        raise ValidationError({"bottlenecks": _("Kies knelpunten van dit netwerk.")})
    return rows


@transaction.atomic
def propose_theme(
    *, network: Network, by: User, title: str, question: str = "", bottlenecks: Iterable[Bottleneck] = ()
) -> LearningTheme:
    rows = _check_bottlenecks(network, bottlenecks)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Geef het thema een titel.")})
    if LearningTheme.objects.filter(network=network, title__iexact=title).exists():
        raise ValidationError({"title": _("Er is al een thema met deze titel.")})
    try:
        with transaction.atomic():
            theme = LearningTheme.objects.create(
                network=network, title=title, question=question.strip(), proposed_by=by
            )
    except IntegrityError:  # the same title proposed twice at once
        raise ValidationError({"title": _("Er is al een thema met deze titel.")}) from None
    theme.bottlenecks.set(rows)
    audit.record(by, "learning_theme.proposed", theme, changed_fields=["title", "question", "bottlenecks"])
    return theme


@transaction.atomic
def update_theme(
    *,
    theme: LearningTheme,
    by: User,
    title: str,
    question: str,
    findings: str,
    advice: str,
    bottlenecks: Iterable[Bottleneck],
) -> LearningTheme:
    locked = LearningTheme.objects.select_for_update().get(pk=theme.pk)
    rows = _check_bottlenecks(locked.network, bottlenecks)
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Geef het thema een titel.")})
    if (
        LearningTheme.objects.filter(network_id=locked.network_id, title__iexact=title)
        .exclude(pk=locked.pk)
        .exists()
    ):
        raise ValidationError({"title": _("Er is al een thema met deze titel.")})
    values = {
        "title": title,
        "question": question.strip(),
        "findings": findings.strip(),
        "advice": advice.strip(),
    }
    changed = [field for field, value in values.items() if getattr(locked, field) != value]
    for field, value in values.items():
        setattr(locked, field, value)
    try:
        with transaction.atomic():
            locked.save(update_fields=list(values))
    except IntegrityError:  # renamed to a title saved a moment ago
        raise ValidationError({"title": _("Er is al een thema met deze titel.")}) from None
    before = set(locked.bottlenecks.values_list("pk", flat=True))
    if before != {b.pk for b in rows}:
        locked.bottlenecks.set(rows)
        changed.append("bottlenecks")
    # A bottleneck added to a theme that was already discussed is discussed with it.
    if locked.status != LearningTheme.Status.PROPOSED:
        meeting = locked.discussed_in.order_by("-starts_at").first()
        if meeting is not None:
            _discuss_bottlenecks(locked, meeting, by)
    audit.record(by, "learning_theme.updated", locked, changed_fields=changed)
    return locked


@transaction.atomic
def invite_expert(
    *,
    theme: LearningTheme,
    by: User,
    kind: str,
    expertise: str,
    name: str = "",
    organisation=None,
    organisation_name: str = "",
    meeting: Meeting | None = None,
) -> ThemeExpert:
    if meeting is not None and (
        meeting.network_id != theme.network_id or meeting.body.kind != Body.Kind.LEARNING_NETWORK
    ):
        raise ValidationError({"meeting": _("Kies een vergadering van dit lerend netwerk.")})
    expert = ThemeExpert(
        theme=theme,
        kind=kind,
        expertise=expertise.strip(),
        name=name.strip(),
        organisation=organisation,
        organisation_name=organisation_name.strip(),
        meeting=meeting,
        invited_by=by,
    )
    expert.full_clean()
    expert.save()
    # The name is not logged (an ervaringsdeskundige may be a former client): only the kind.
    audit.record(by, "learning_theme.expert_invited", theme, changed_fields=["experts"], detail=kind)
    return expert


def _discuss_bottlenecks(theme: LearningTheme, meeting: Meeting, by: User) -> int:
    """Moves the theme's open bottlenecks to "discussed" in ``meeting``; every bottleneck gets
    the meeting in its ``discussed_in``. The number moved."""
    moved = 0
    for bottleneck in Bottleneck.objects.select_for_update().filter(themes=theme).order_by("pk"):
        bottleneck.discussed_in.add(meeting)
        if bottleneck.status != Bottleneck.Status.SIGNALLED:
            continue
        bottleneck.status = Bottleneck.Status.DISCUSSED
        bottleneck.discussed_on = meeting.date
        changed = ["status", "discussed_on"]
        if not bottleneck.findings and theme.findings:
            bottleneck.findings = theme.findings
            changed.append("findings")
        bottleneck.save(update_fields=changed)
        audit.record(
            by, "bottleneck.discussed", bottleneck, changed_fields=changed, detail=f"thema {theme.pk}"
        )
        moved += 1
    return moved


@transaction.atomic
def discuss_theme(*, theme: LearningTheme, by: User, meeting: Meeting, findings: str = "") -> LearningTheme:
    """Records that the learning network discussed the theme in ``meeting`` (held, not planned)."""
    locked = LearningTheme.objects.select_for_update().get(pk=theme.pk)
    if meeting.network_id != locked.network_id or meeting.body.kind != Body.Kind.LEARNING_NETWORK:
        raise ValidationError({"meeting": _("Kies een vergadering van dit lerend netwerk.")})
    if meeting.starts_at > timezone.now():
        raise ValidationError(
            {"meeting": _("Deze vergadering moet nog plaatsvinden: noteer de bespreking achteraf.")}
        )
    if locked.discussed_in.filter(pk=meeting.pk).exists():
        raise ValidationError({"meeting": _("Dit thema is op die vergadering al besproken.")})
    changed = ["discussed_in"]
    if findings.strip():
        locked.findings = f"{locked.findings}\n\n{findings.strip()}".strip()
        changed.append("findings")
    if locked.status == LearningTheme.Status.PROPOSED:
        locked.status = LearningTheme.Status.DISCUSSED
        changed.append("status")
    locked.save(update_fields=[f for f in changed if f != "discussed_in"])
    locked.discussed_in.add(meeting)
    moved = _discuss_bottlenecks(locked, meeting, by)
    audit.record(
        by, "learning_theme.discussed", locked, changed_fields=changed, detail=f"{moved} knelpunten besproken"
    )
    return locked


# --- signal notes ----------------------------------------------------------------------------------


def _request_key(theme: LearningTheme | None, bottlenecks: list[Bottleneck]) -> str:
    if theme is not None:
        return f"theme-{theme.pk}"
    ids = ",".join(str(b.pk) for b in sorted(bottlenecks, key=lambda b: b.pk))
    return "bottlenecks-" + hashlib.sha256(ids.encode()).hexdigest()[:32]


def build_snapshot(
    *,
    network: Network,
    theme: LearningTheme | None,
    bottlenecks: list[Bottleneck],
    title: str,
    addressed_to: str,
    advice: str,
    blocked: Mapping[int, int],
    blocked_total: int,
    day: datetime.date,
) -> dict:
    """What the document shows. Names of people are left out (the expertise is listed by kind
    and organisation); counts are suppressed below 5 whoever asks."""
    snapshot = {
        "title": title,
        "addressed_to": addressed_to,
        "network": network.name,
        "region": network.region.name if network.region_id else "",
        "date": day.isoformat(),
        "advice": advice,
        "blocked_total": suppressed(blocked_total),
        "bottlenecks": [
            {
                "title": b.title,
                "category": b.get_category_display(),
                "level": b.get_level_display(),
                "description": b.description,
                "concerns": b.concerns,
                "signalled_on": b.signalled_on.isoformat(),
                "discussed_on": b.discussed_on.isoformat() if b.discussed_on else "",
                "blocked": suppressed(blocked.get(b.pk, 0)),
            }
            for b in bottlenecks
        ],
        "theme": None,
        "expertise": [],
        "meetings": [],
    }
    if theme is not None:
        snapshot["theme"] = {"title": theme.title, "question": theme.question, "findings": theme.findings}
        snapshot["expertise"] = [
            {"kind": expert.get_kind_display(), "organisation": expert.organisation_label}
            for expert in theme.experts.select_related("organisation")
        ]
        snapshot["meetings"] = [
            meeting.date.isoformat() for meeting in theme.discussed_in.order_by("starts_at")
        ]
    return snapshot


@transaction.atomic
def request_signal_note(
    *,
    network: Network,
    by: User,
    addressed_to: str,
    blocked: Mapping[int, int],
    blocked_total: int,
    theme: LearningTheme | None = None,
    bottlenecks: Iterable[Bottleneck] = (),
    title: str = "",
    advice: str = "",
) -> SignalNote:
    """A signal note of a theme (its bottlenecks and advice) or of a selection of bottlenecks.

    The bottlenecks must have been discussed in the learning network; they move to "passed on to
    the administration" (``addressed_to``), each with an audit event, the theme to "signalled".
    A note being made for the same subject is returned as it is (a double click queues one).
    """
    if theme is not None:
        theme = LearningTheme.objects.select_for_update().get(pk=theme.pk)
        rows = list(theme.bottlenecks.order_by("category", "level", "pk"))
        title = title.strip() or theme.title
        advice = advice.strip() or theme.advice
        if theme.status == LearningTheme.Status.PROPOSED:
            raise ValidationError(_("Bespreek het thema eerst in het lerend netwerk."))
    else:
        rows = sorted(_check_bottlenecks(network, bottlenecks), key=lambda b: (b.category, b.level, b.pk))
        title = title.strip()
        advice = advice.strip()
        if not title:
            raise ValidationError({"title": _("Geef de signaalnota een titel.")})
    addressed_to = addressed_to.strip()
    if not addressed_to:
        raise ValidationError({"addressed_to": _("Aan wie is de signaalnota gericht?")})
    if not rows:
        raise ValidationError(_("Een signaalnota heeft minstens één knelpunt nodig."))
    if not advice:
        raise ValidationError({"advice": _("Noteer eerst het advies van het lerend netwerk.")})
    not_discussed = [b.title for b in rows if b.status == Bottleneck.Status.SIGNALLED]
    if not_discussed:
        raise ValidationError(
            _("Nog niet besproken in het lerend netwerk: %(titles)s.") % {"titles": ", ".join(not_discussed)}
        )
    key = _request_key(theme, rows)
    active = SignalNote.objects.filter(
        network=network, request_key=key, status__in=SignalNote.ACTIVE_STATUSES
    ).first()
    if active is not None:
        return active
    day = timezone.localdate()
    snapshot = build_snapshot(
        network=network, theme=theme, bottlenecks=rows, title=title, addressed_to=addressed_to,
        advice=advice, blocked=blocked, blocked_total=blocked_total, day=day,
    )  # fmt: skip
    try:
        with transaction.atomic():
            note = SignalNote.objects.create(
                network=network, theme=theme, title=title, addressed_to=addressed_to, request_key=key,
                snapshot=snapshot, requested_by=by,
            )  # fmt: skip
    except IntegrityError:
        return SignalNote.objects.get(network=network, request_key=key, status__in=SignalNote.ACTIVE_STATUSES)
    note.bottlenecks.set(rows)
    for bottleneck in (
        Bottleneck.objects.select_for_update().filter(pk__in=[b.pk for b in rows]).order_by("pk")
    ):
        if bottleneck.status != Bottleneck.Status.DISCUSSED:
            continue  # already passed on or answered: the note repeats the signal
        bottleneck.status = Bottleneck.Status.PASSED_ON
        bottleneck.passed_on_on = day
        bottleneck.passed_to = addressed_to[:200]
        bottleneck.save(update_fields=["status", "passed_on_on", "passed_to"])
        audit.record(
            by, "bottleneck.passed_on", bottleneck, changed_fields=["status", "passed_on_on", "passed_to"],
            detail=f"signaalnota {note.pk}",
        )  # fmt: skip
    if theme is not None and theme.status != LearningTheme.Status.SIGNALLED:
        theme.status = LearningTheme.Status.SIGNALLED
        theme.save(update_fields=["status"])
    audit.record(by, "signal_note.requested", note, changed_fields=["bottlenecks", "addressed_to"])

    def remember(task_id: str | None) -> None:
        if task_id:
            SignalNote.objects.filter(pk=note.pk, task_id="").update(task_id=task_id)

    publish_on_commit("networks.tasks.render_signal_note", note.pk, on_result=remember)
    return note


@transaction.atomic
def present_at_forum(*, note: SignalNote, by: User, meeting: Meeting | None) -> SignalNote:
    if meeting is not None and (
        meeting.network_id != note.network_id or meeting.body.kind != Body.Kind.FORUM
    ):
        raise ValidationError({"meeting": _("Kies een forum van dit netwerk.")})
    SignalNote.objects.filter(pk=note.pk).update(presented_at=meeting)
    note.presented_at = meeting
    audit.record(by, "signal_note.presented", note, changed_fields=["presented_at"])
    return note
