"""What was shared under a consent that was later withdrawn, and what the team decided about it.

Withdrawal stops further sharing from its day (DESIGN.md §5). What was already shared — an
organisation added to the team, a referral's data sheet — stays until the team decides: end it or
keep it (with a reason, e.g. a legal ground). Invitations to sessions still to come are cancelled
at once and listed here as such (issue 16 §3).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cases import CaseTeamMember, Consent
from .conferences import SessionInvitation
from .referrals import Referral


class SharingReviewQuerySet(models.QuerySet):
    def open(self):
        return self.filter(decision=SharingReview.Decision.OPEN)


class SharingReview(models.Model):
    class Decision(models.TextChoices):
        OPEN = "open", _("te beslissen")
        ENDED = "ended", _("beëindigd")
        KEPT = "kept", _("behouden")
        CANCELLED = "cancelled", _("automatisch geannuleerd")

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="sharing_reviews")
    team_member = models.ForeignKey(
        CaseTeamMember, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    invitation = models.ForeignKey(
        SessionInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(
        _("beslissing"), max_length=10, choices=Decision.choices, default=Decision.OPEN
    )
    note = models.TextField(_("toelichting"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslist op"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharingReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslissing over gedeelde gegevens")
        verbose_name_plural = _("beslissingen over gedeelde gegevens")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(team_member__isnull=False, referral__isnull=True, invitation__isnull=True)
                    | Q(team_member__isnull=True, referral__isnull=False, invitation__isnull=True)
                    | Q(team_member__isnull=True, referral__isnull=True, invitation__isnull=False)
                ),
                name="sharingreview_one_target",
            ),
            models.UniqueConstraint(
                fields=["consent", "team_member"],
                condition=Q(team_member__isnull=False),
                name="sharingreview_unique_member",
            ),
            models.UniqueConstraint(
                fields=["consent", "referral"],
                condition=Q(referral__isnull=False),
                name="sharingreview_unique_referral",
            ),
            models.UniqueConstraint(
                fields=["consent", "invitation"],
                condition=Q(invitation__isnull=False),
                name="sharingreview_unique_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} #{self.pk}"

    @property
    def target(self):
        return self.team_member or self.referral or self.invitation

    @property
    def kind_label(self) -> str:
        if self.team_member_id:
            return str(_("in het dossierteam"))
        if self.referral_id:
            return str(_("verwijzing met gegevensfiche"))
        return str(_("uitnodiging voor een overleg"))
