"""Referrals: sending one from a case, and the receiving organisation moving it along.

Sending shares client data with another organisation, so it needs a consent (or legal ground) in
force that covers referrals and names the receiver. A referral without a matching, valid
verwijsafspraak is allowed but flagged (``outside_agreement``): the report counts those.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh.models import User
from instruments.models import ReferralAgreement
from networks.models import Organisation

from ..models import Case, Consent, Referral, TimelineEvent
from .cases import add_team_member, covering_consent, log_event

# The date field each status records; SENT is set when the referral is made.
STATUS_DATE_FIELDS = {
    Referral.Status.SENT: "sent_on",
    Referral.Status.RECEIVED: "received_on",
    Referral.Status.ACCEPTED: "accepted_on",
    Referral.Status.DECLINED: "declined_on",
    Referral.Status.STARTED: "started_on",
    Referral.Status.WITHDRAWN: "withdrawn_on",
}

# Who moves a referral to which status: the receiver answers it, the sending team withdraws it.
RECEIVER_STATUSES = (
    Referral.Status.RECEIVED,
    Referral.Status.ACCEPTED,
    Referral.Status.DECLINED,
    Referral.Status.STARTED,
)
SENDER_STATUSES = (Referral.Status.WITHDRAWN,)


def is_outside_agreement(
    *, agreement: ReferralAgreement | None, to_organisation: Organisation, sent_on: datetime.date
) -> bool:
    """No agreement, an agreement with another receiver, or one not valid on the day it was sent."""
    return (
        agreement is None
        or agreement.receiving_organisation_id != to_organisation.pk
        or not agreement.is_valid_on(sent_on)
    )


def outside_agreement_reasons(referral: Referral) -> list[str]:
    """Why a referral is flagged, in words, from the fields it carries (no query)."""
    if not referral.outside_agreement:
        return []
    agreement = referral.agreement
    if agreement is None:
        return [_("Er is geen verwijsafspraak gekozen.")]
    reasons = []
    if agreement.receiving_organisation_id != referral.to_organisation_id:
        reasons.append(_("De gekozen verwijsafspraak geldt voor een andere ontvangende organisatie."))
    if not agreement.is_valid_on(referral.sent_on):
        reasons.append(_("De gekozen verwijsafspraak was niet geldig op de verzenddatum."))
    return reasons or [_("De verwijzing valt buiten de verwijsafspraken.")]


def referrals_for_case(case: Case):
    """The referrals shown in the case's section (cases/referrals/_case_section.html): one query."""
    return case.referrals.select_related("to_organisation", "from_organisation", "agreement").order_by(
        "-sent_on", "-id"
    )


@transaction.atomic
def send_referral(
    *,
    case: Case,
    by: User,
    from_organisation: Organisation,
    to_organisation: Organisation,
    agreement: ReferralAgreement | None,
    question: str,
    letter_note: str = "",
    sent_on: datetime.date | None = None,
) -> Referral:
    """Refers the case. Raises a ValidationError (Dutch) when no consent covers it; saves nothing then."""
    today = timezone.localdate()
    sent_on = sent_on or today
    consent = covering_consent(
        case=case, purpose=Consent.Purpose.REFERRAL, organisation=to_organisation, on=sent_on
    )
    if sent_on != today:
        # Registered afterwards: the consent must still be in force now that the data is shared.
        covering_consent(case=case, purpose=Consent.Purpose.REFERRAL, organisation=to_organisation)
    referral = Referral.objects.create(
        case=case,
        network_id=case.network_id,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        agreement=agreement,
        outside_agreement=is_outside_agreement(
            agreement=agreement, to_organisation=to_organisation, sent_on=sent_on
        ),
        consent=consent,
        question=question,
        letter_note=letter_note,
        # What the data sheet may carry is what the consent allowed when it was sent.
        shared_fields=list(consent.data_fields or []),
        status=Referral.Status.SENT,
        sent_on=sent_on,
        sent_by=by,
    )
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.REFERRAL_SENT,
        obj=referral,
        detail=str(to_organisation),
        action="referral.sent",
    )
    return referral


def _check_move(referral: Referral, status: str, on: datetime.date, decline_reason: str) -> None:
    if status not in Referral.Status.values or not referral.can_move_to(status):
        current = referral.get_status_display()
        if status in Referral.Status.values:
            raise ValidationError(
                _("Een verwijzing met status „%(current)s” kan niet naar „%(new)s”.")
                % {"current": current, "new": Referral.Status(status).label},
                code="transition",
            )
        raise ValidationError(_("Onbekende status."), code="transition")
    errors = {}
    if on > timezone.localdate():
        errors["on"] = _("Deze datum ligt in de toekomst. Registreer de stap op de dag zelf of achteraf.")
    elif on < referral.sent_on:
        errors["on"] = _("Deze datum ligt vóór de verzending van de verwijzing (%(day)s).") % {
            "day": referral.sent_on.strftime("%d/%m/%Y")
        }
    else:
        # A step cannot come before the step it follows.
        earlier = [
            getattr(referral, STATUS_DATE_FIELDS[previous])
            for previous in (Referral.Status.RECEIVED, Referral.Status.ACCEPTED)
            if previous != status and getattr(referral, STATUS_DATE_FIELDS[previous])
        ]
        if earlier and on < max(earlier):
            errors["on"] = _("Deze datum ligt vóór de vorige stap van de verwijzing (%(day)s).") % {
                "day": max(earlier).strftime("%d/%m/%Y")
            }
    if status == Referral.Status.DECLINED and not decline_reason:
        errors["decline_reason"] = _("Geef de reden van de weigering.")
    elif decline_reason and decline_reason not in Referral.DeclineReason.values:
        errors["decline_reason"] = _("Kies een reden uit de lijst.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def move_referral(
    *,
    referral: Referral,
    by: User,
    status: str,
    on: datetime.date,
    decline_reason: str = "",
    decline_note: str = "",
) -> Referral:
    """Moves the referral to ``status`` on day ``on`` (Referral.TRANSITIONS decides what may follow).

    Who may do it is the view's business (receiver forward, sending team withdraws). When the
    receiver accepts and a consent in force covers the case team naming them, their organisation
    joins the case team; otherwise they keep seeing only the referral.
    """
    # The row is locked so two people answering at once cannot both move it from the same status.
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.status = locked.status
    for field in STATUS_DATE_FIELDS.values():
        setattr(referral, field, getattr(locked, field))
    _check_move(referral, status, on, decline_reason)

    date_field = STATUS_DATE_FIELDS[Referral.Status(status)]
    changed = ["status", date_field]
    referral.status = status
    setattr(referral, date_field, on)
    if status == Referral.Status.DECLINED:
        referral.decline_reason = decline_reason
        referral.decline_note = decline_note
        changed += ["decline_reason", *(["decline_note"] if decline_note else [])]
    referral.save(update_fields=changed)
    log_event(
        case=referral.case,
        by=by,
        kind=TimelineEvent.Kind.REFERRAL_UPDATED,
        obj=referral,
        detail=f"{referral.to_organisation}: {Referral.Status(status).label}",
        action=f"referral.{status}",
        changed_fields=changed,
    )
    referral.joined_team = False
    if status == Referral.Status.ACCEPTED:
        referral.joined_team = _join_case_team(referral, by=by)
    return referral


def _join_case_team(referral: Referral, *, by: User) -> bool:
    case = referral.case
    organisation = referral.to_organisation
    if case.closed_on is not None or case.team.active().filter(organisation=organisation).exists():
        return False
    if not case.consents.covering(Consent.Purpose.CASE_TEAM, organisation).exists():
        return False
    add_team_member(case=case, organisation=organisation, by=by)
    return True
