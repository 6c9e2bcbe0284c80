"""Writes on the instruments of a network. Each records an audit event in the same transaction.

No client data lives here, so the audit names the changed fields only for traceability. Rules
that span rows (a published playbook is frozen; a self-check completes only with every task
rated; a completed self-check keeps its ratings) are checked here and raise ValidationError with
a Dutch message.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.models import User
from networks.models import Network, Organisation

from .models import (
    ImprovementAction,
    Instrument,
    Playbook,
    PlaybookAdoption,
    PlaybookStep,
    PlaybookTask,
    ReferralAgreement,
    ReferralAgreementSignatory,
    ReferralArea,
    TaskCheck,
)

# --- registry ------------------------------------------------------------------------------------


@transaction.atomic
def save_instrument(*, instrument: Instrument, changed_fields: Iterable[str], by: User) -> Instrument:
    created = instrument.pk is None
    instrument.save()
    audit.record(
        by,
        "instrument.created" if created else "instrument.updated",
        instrument,
        changed_fields=changed_fields,
    )
    return instrument


# --- referral agreements ---------------------------------------------------------------------------


@transaction.atomic
def save_referral_agreement(
    *,
    agreement: ReferralAgreement,
    referring: Iterable[Organisation],
    domains: Iterable,
    areas: list[tuple[int, int]],
    changed_fields: Iterable[str],
    by: User,
) -> ReferralAgreement:
    """Save the agreement with its referring organisations, life domains and served postcodes."""
    created = agreement.pk is None
    if created:
        agreement.created_by = by
    agreement.save()
    agreement.referring_organisations.set(referring)
    agreement.domains.set(domains)
    current = list(agreement.areas.order_by("postcode_from").values_list("postcode_from", "postcode_to"))
    if current != areas:
        agreement.areas.all().delete()
        ReferralArea.objects.bulk_create(
            ReferralArea(agreement=agreement, postcode_from=low, postcode_to=high) for low, high in areas
        )
    audit.record(
        by,
        "referral_agreement.created" if created else "referral_agreement.updated",
        agreement,
        changed_fields=changed_fields,
    )
    return agreement


@transaction.atomic
def record_referral_signatory(
    *, agreement: ReferralAgreement, organisation: Organisation, signed_on, by: User
) -> tuple[ReferralAgreementSignatory, bool]:
    """Add a signatory, or set the signing date of one already listed. Returns (row, created)."""
    signatory, created = ReferralAgreementSignatory.objects.select_for_update().get_or_create(
        agreement=agreement, organisation=organisation, defaults={"signed_on": signed_on}
    )
    if not created:
        signatory.signed_on = signed_on
        signatory.save(update_fields=["signed_on"])
    audit.record(
        by,
        "referral_agreement.signatory_added" if created else "referral_agreement.signatory_updated",
        agreement,
        changed_fields=["organisation", "signed_on"] if created else ["signed_on"],
    )
    return signatory, created


# --- playbooks -------------------------------------------------------------------------------------


def require_draft(playbook: Playbook) -> None:
    if playbook.is_locked:
        raise ValidationError(
            _("Dit draaiboek is gepubliceerd en kan niet meer gewijzigd worden. Maak een nieuwe versie.")
            if playbook.status == Playbook.Status.PUBLISHED
            else _("Deze versie van het draaiboek is vervangen en kan niet meer gewijzigd worden."),
            code="locked",
        )


@transaction.atomic
def create_playbook_version(*, source: Playbook, network: Network, version: str, by: User) -> Playbook:
    """A new draft for ``network``: the source's steps and tasks copied, the source as previous."""
    playbook = Playbook.objects.create(
        network=network, title=source.title, version=version, status=Playbook.Status.DRAFT, previous=source
    )
    steps = list(source.steps.prefetch_related("tasks").order_by("order"))
    copies = PlaybookStep.objects.bulk_create(
        PlaybookStep(playbook=playbook, kind=step.kind, order=step.order, description=step.description)
        for step in steps
    )
    PlaybookTask.objects.bulk_create(
        PlaybookTask(
            step=copy,
            order=task.order,
            title=task.title,
            expected_result=task.expected_result,
            quality_check=task.quality_check,
            supporting_instruments=task.supporting_instruments,
        )
        for step, copy in zip(steps, copies, strict=True)
        for task in step.tasks.all()
    )
    audit.record(by, "playbook.version_created", playbook, changed_fields=["version", "previous"])
    return playbook


@transaction.atomic
def update_step(*, step: PlaybookStep, changed_fields: Iterable[str], by: User) -> PlaybookStep:
    playbook = Playbook.objects.select_for_update().get(pk=step.playbook_id)
    require_draft(playbook)
    step.save()
    audit.record(by, "playbook.step_updated", playbook, changed_fields=changed_fields)
    return step


@transaction.atomic
def save_task(*, task: PlaybookTask, changed_fields: Iterable[str], by: User) -> PlaybookTask:
    playbook = Playbook.objects.select_for_update().get(steps=task.step_id)
    require_draft(playbook)
    created = task.pk is None
    task.save()
    audit.record(
        by,
        "playbook.task_added" if created else "playbook.task_updated",
        playbook,
        changed_fields=changed_fields,
    )
    return task


@transaction.atomic
def delete_task(*, task: PlaybookTask, by: User) -> None:
    playbook = Playbook.objects.select_for_update().get(steps=task.step_id)
    require_draft(playbook)
    task.delete()
    audit.record(by, "playbook.task_deleted", playbook)


@transaction.atomic
def publish_playbook(*, playbook: Playbook, by: User) -> Playbook:
    """Freeze a draft. It must have tasks: a self-check against an empty playbook means nothing."""
    playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
    require_draft(playbook)
    if not PlaybookTask.objects.filter(step__playbook=playbook).exists():
        raise ValidationError(_("Een draaiboek zonder taken kan niet gepubliceerd worden."), code="empty")
    playbook.status = Playbook.Status.PUBLISHED
    playbook.published_on = timezone.localdate()
    playbook.save(update_fields=["status", "published_on"])
    audit.record(by, "playbook.published", playbook, changed_fields=["status", "published_on"])
    return playbook


@transaction.atomic
def retire_playbook(*, playbook: Playbook, by: User) -> Playbook:
    playbook = Playbook.objects.select_for_update().get(pk=playbook.pk)
    if playbook.status != Playbook.Status.PUBLISHED:
        raise ValidationError(
            _("Alleen een gepubliceerde versie kan vervangen worden."), code="not_published"
        )
    playbook.status = Playbook.Status.RETIRED
    playbook.save(update_fields=["status"])
    audit.record(by, "playbook.retired", playbook, changed_fields=["status"])
    return playbook


# --- self-checks -------------------------------------------------------------------------------------


@transaction.atomic
def start_self_check(*, adoption: PlaybookAdoption, by: User) -> PlaybookAdoption:
    if adoption.playbook.status != Playbook.Status.PUBLISHED:
        raise ValidationError(_("Een zelftoets gebeurt tegen een gepubliceerde versie van het draaiboek."))
    adoption.performed_by = by
    adoption.started_on = timezone.localdate()
    adoption.status = PlaybookAdoption.Status.IN_PROGRESS
    adoption.save()
    audit.record(by, "self_check.started", adoption, changed_fields=["organisation", "playbook"])
    return adoption


@transaction.atomic
def save_ratings(
    *, adoption: PlaybookAdoption, ratings: dict[int, tuple[str, str]], complete: bool, by: User
) -> PlaybookAdoption:
    """Store the ratings given; with ``complete`` every task of the playbook must be rated."""
    adoption = PlaybookAdoption.objects.select_for_update().get(pk=adoption.pk)
    if adoption.status == PlaybookAdoption.Status.COMPLETED:
        raise ValidationError(
            _("Deze zelftoets is afgerond; de beoordelingen liggen vast. Start een nieuwe zelftoets."),
            code="completed",
        )
    task_ids = set(
        PlaybookTask.objects.filter(step__playbook_id=adoption.playbook_id).values_list("pk", flat=True)
    )
    if not set(ratings) <= task_ids:
        raise ValidationError(_("Een taak hoort niet bij dit draaiboek."), code="foreign_task")
    existing = {check.task_id: check for check in adoption.checks.all()}
    changed = False
    for task_id, (rating, note) in ratings.items():
        check = existing.get(task_id)
        if check is None:
            TaskCheck.objects.create(adoption=adoption, task_id=task_id, rating=rating, note=note)
            changed = True
        elif (check.rating, check.note) != (rating, note):
            check.rating, check.note = rating, note
            check.save(update_fields=["rating", "note"])
            changed = True
    if complete:
        missing = task_ids - set(ratings) - set(existing)
        if missing:
            raise ValidationError(
                _("De zelftoets is niet afgerond: beoordeel eerst alle taken (nog %(count)d open).")
                % {"count": len(missing)},
                code="incomplete",
            )
        adoption.status = PlaybookAdoption.Status.COMPLETED
        adoption.completed_on = timezone.localdate()
        adoption.save(update_fields=["status", "completed_on"])
        audit.record(by, "self_check.completed", adoption, changed_fields=["status", "completed_on"])
    elif changed:
        audit.record(by, "self_check.rated", adoption, changed_fields=["checks"])
    return adoption


@transaction.atomic
def add_improvement_action(*, action: ImprovementAction, by: User) -> ImprovementAction:
    action.save()
    audit.record(
        by,
        "self_check.improvement_added",
        action,
        network_id=action.adoption.network_id,
        changed_fields=["level", "description", "owner", "due_on", "task"],
    )
    return action


@transaction.atomic
def change_improvement_status(
    *, action: ImprovementAction, changed_fields: Iterable[str], by: User
) -> ImprovementAction:
    action.save()
    audit.record(
        by,
        "self_check.improvement_updated",
        action,
        network_id=action.adoption.network_id,
        changed_fields=changed_fields,
    )
    return action
