"""The team's decision about what was shared under a consent that was withdrawn (issue 16 §3).

``withdraw_consent`` (services/cases.py) lists the team rows and referrals shared under the
consent as open ``SharingReview`` rows. Here the team ends or keeps each: ending a team row ends
it today (access ends with it, cases/access.py); ending a referral withdraws it where it still can
be withdrawn, or records that the receiver was asked to stop where care has started. Keeping needs
a reason (a legal ground, a new consent on its way). Either way the decision is on the timeline
and in the audit log, once: a second click finds it decided.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh.models import User

from ..models import Referral, SharingReview, TimelineEvent
from .cases import end_team_member, log_event
from .referrals import move_referral

WITHDRAWABLE = (Referral.Status.SENT, Referral.Status.RECEIVED, Referral.Status.ACCEPTED)


@transaction.atomic
def decide(*, review: SharingReview, by: User, decision: str, note: str = "") -> SharingReview:
    locked = SharingReview.objects.select_for_update().select_related("consent__case").get(pk=review.pk)
    if locked.decision != SharingReview.Decision.OPEN:
        raise ValidationError(
            _("Hierover is al beslist: %(decision)s.") % {"decision": locked.get_decision_display()}
        )
    if decision not in (SharingReview.Decision.ENDED, SharingReview.Decision.KEPT):
        raise ValidationError(_("Kies: beëindigen of behouden."))
    note = note.strip()
    if decision == SharingReview.Decision.KEPT and not note:
        raise ValidationError(
            {"note": _("Zeg waarom dit blijft lopen zonder toestemming, bv. de wettelijke grond.")}
        )
    case = locked.consent.case
    today = timezone.localdate()
    if decision == SharingReview.Decision.ENDED:
        if locked.team_member is not None:
            member = locked.team_member
            member.case = case
            if member.until is None or member.until > today:
                end_team_member(member=member, by=by, until=max(today, member.since))
        elif locked.referral is not None and locked.referral.status in WITHDRAWABLE:
            referral = locked.referral
            referral.case = case
            move_referral(referral=referral, by=by, status=Referral.Status.WITHDRAWN, on=today)
    locked.decision = decision
    locked.note = note
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.SHARING_REVIEWED,
        obj=locked,
        detail=f"{locked.kind_label}: {locked.get_decision_display()}",
        action="sharing_review.decided",
        changed_fields=["decision", "note"],
    )
    return locked
