"""Writes on a crisis network's programme (no client data). Each records an audit event; a save
that changes nothing records none."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ijh import audit
from ijh.models import User
from networks.models import Network, Sector

from .crisis_models import (
    DEFAULT_CAPACITY_KEY,
    CrisisCapacityShare,
    CrisisProgramme,
    CrisisProvider,
    OnCallShift,
)


@transaction.atomic
def set_up_programme(*, network: Network, by: User) -> tuple[CrisisProgramme, bool]:
    """The programme of a crisis network with the research's defaults; idempotent."""
    if network.kind != Network.Kind.CRISIS:
        raise ValidationError(_("Alleen een crisisnetwerk heeft een crisishulpprogramma."))
    programme, created = CrisisProgramme.objects.get_or_create(network=network)
    if created:
        sectors = Sector.objects.in_bulk([code for code, _share in DEFAULT_CAPACITY_KEY], field_name="code")
        CrisisCapacityShare.objects.bulk_create(
            CrisisCapacityShare(programme=programme, sector=sectors[code], percent=share)
            for code, share in DEFAULT_CAPACITY_KEY
            if code in sectors
        )
        audit.record(by, "crisis_programme.created", programme)
    return programme, created


def check_capacity_key(percents: Iterable[int]) -> None:
    total = sum(percents)
    if total != 100:
        raise ValidationError(
            _("De verdeelsleutel moet samen 100 %% zijn; nu is hij %(total)s %%.") % {"total": total}
        )


@transaction.atomic
def save_programme(
    *, programme: CrisisProgramme, changed_fields: Iterable[str], shares: dict[int, int], by: User
) -> CrisisProgramme:
    """Settings and the capacity key (sector id → percent) together; the key must sum to 100."""
    check_capacity_key(shares.values())
    changed = set(changed_fields)
    current = {share.sector_id: share for share in programme.capacity_shares.all()}
    for sector_id, percent in shares.items():
        share = current.get(sector_id)
        if share is None:
            CrisisCapacityShare.objects.create(programme=programme, sector_id=sector_id, percent=percent)
            changed.add("capacity_key")
        elif share.percent != percent:
            share.percent = percent
            share.save(update_fields=["percent"])
            changed.add("capacity_key")
    if changed - {"capacity_key"}:
        programme.save()
    if changed:
        audit.record(by, "crisis_programme.updated", programme, changed_fields=changed)
    return programme


@transaction.atomic
def save_provider(*, provider: CrisisProvider, changed_fields: Iterable[str], by: User) -> CrisisProvider:
    created = provider.pk is None
    if not created and not changed_fields:
        return provider
    provider.full_clean()
    provider.save()
    audit.record(
        by,
        "crisis_provider.created" if created else "crisis_provider.updated",
        provider,
        network_id=provider.programme.network_id,
        changed_fields=changed_fields,
    )
    return provider


@transaction.atomic
def add_shift(*, shift: OnCallShift, by: User) -> OnCallShift:
    shift.full_clean()
    shift.save()
    audit.record(by, "oncall_shift.created", shift, network_id=shift.programme.network_id)
    return shift


@transaction.atomic
def delete_shift(*, shift: OnCallShift, by: User) -> None:
    network_id = shift.programme.network_id
    audit.record(by, "oncall_shift.deleted", shift, network_id=network_id)
    shift.delete()
