"""The engagement catalogue (issue 19 §7, building block "catalogus"): what organisations commit to
for blocked trajectories. Network data, no client data."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Network, Organisation

MAX_AGE = 25


class EngagementQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day)

    def expired_on(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(valid_until__lt=day)

    def for_age(self, age: int):
        return self.filter(age_from__lte=age, age_to__gte=age)


class Engagement(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="engagements")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="engagements"
    )
    title = models.CharField(_("engagement"), max_length=200)
    method = models.TextField(_("werkwijze"), max_length=2000)
    contact_person = models.CharField(_("contactpersoon"), max_length=200)
    contact_details = models.CharField(_("telefoon of e-mail"), max_length=200)
    place = models.CharField(_("plaats"), max_length=200)
    time = models.CharField(
        _("tijd"), max_length=200, help_text=_("Wanneer en hoe snel, bv. 'binnen 5 werkdagen'.")
    )
    domains = models.ManyToManyField(
        "instruments.LifeDomain", verbose_name=_("levensdomeinen"), related_name="engagements"
    )
    age_from = models.PositiveSmallIntegerField(_("leeftijd van"), default=0)
    age_to = models.PositiveSmallIntegerField(_("leeftijd tot en met"), default=MAX_AGE)
    valid_from = models.DateField(_("geldig vanaf"), default=timezone.localdate)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagementen")
        ordering = ["organisation__name", "title", "id"]
        indexes = [models.Index(fields=["network", "valid_until"], name="engagement_network_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_from__lte=models.F("age_to")) & Q(age_to__lte=MAX_AGE),
                name="engagement_age_range",
                violation_error_message=_("De leeftijd 'van' ligt na de leeftijd 'tot en met'."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="engagement_valid_range",
                violation_error_message=_("'Geldig tot en met' ligt vóór 'geldig vanaf'."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_active(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)
