from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import check_grant
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementSignatory,
    Body,
    Criterion,
    Goal,
    GoalProgress,
    Meeting,
    Membership,
    Minutes,
    Network,
    NetworkMembership,
    Organisation,
    Region,
    Sector,
    SelfAssessmentRound,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "code"]
    search_fields = ["name", "abbreviation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "municipality", "kbo_display", "is_active"]
    list_filter = ["sector", "is_active"]
    search_fields = ["name", "municipality", "kbo_number"]
    list_select_related = ["sector"]
    autocomplete_fields = ["contact_people"]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["organisation"]


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "area", "status", "started_on"]
    list_filter = ["kind", "region", "status"]
    search_fields = ["name", "area"]
    list_select_related = ["region"]
    inlines = [NetworkMembershipInline, BodyInline]


class MembershipAdminForm(forms.ModelForm):
    editor = None

    """The account rules of ``networks.access.check_grant`` hold in /beheer/ too; client-data roles
    are not given here at all (a network's coordinator gives them, the organisation confirms)."""

    class Meta:
        model = Membership
        fields = [
            "user",
            "role",
            "network",
            "region",
            "organisation",
            "mandate_status",
            "mandate",
            "bodies",
            "since",
            "until",
        ]

    def clean(self):
        data = super().clean()
        role = data.get("role")
        is_new = self.instance.pk is None
        if role in Membership.CLIENT_DATA_ROLES and (is_new or "role" in self.changed_data):
            raise forms.ValidationError(
                _(
                    "Een rol met toegang tot cliëntdossiers geeft een coördinator of voorzitter van het netwerk, "
                    "op de netwerkpagina; de organisatie bevestigt ze. Niet via het beheer."
                )
            )
        user = data.get("user")
        if user is not None and self.editor is not None and user.pk == self.editor.pk:
            raise forms.ValidationError(_("Je kan jezelf geen rol geven en je eigen rol niet wijzigen."))
        if user is not None and role:
            probe = Membership(
                user=user, role=role, network=data.get("network"), organisation=data.get("organisation")
            )
            check_grant(granter=None, membership=probe)
        return data


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    readonly_fields = ["granted_by", "granted_at", "confirmation", "confirmed_by", "confirmed_at"]
    list_display = ["user", "role", "network", "region", "organisation", "since", "until", "confirmation"]
    list_filter = ["role", "region", "network"]
    search_fields = ["user__username", "user__last_name", "network__name"]
    autocomplete_fields = ["user", "organisation", "network"]
    list_select_related = ["user", "network", "region", "organisation"]
    filter_horizontal = ["bodies"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editor = request.user
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
            obj.granted_at = timezone.now()
        super().save_model(request, obj, form, change)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "owner"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["body", "network", "starts_at", "location"]
    list_filter = ["network"]
    list_select_related = ["body", "network"]
    inlines = [AgendaItemInline]
    date_hierarchy = "starts_at"


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """Approved minutes are locked here as everywhere: read-only, not deletable."""

    list_display = ["meeting", "version", "status", "approved_at"]
    list_filter = ["status"]
    list_select_related = ["meeting__body"]
    readonly_fields = ["status", "circulated_at", "approved_at", "approved_by", "corrects"]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "owner", "due_on", "status"]
    list_filter = ["status", "network"]
    list_select_related = ["network", "owner"]
    search_fields = ["title"]


class GoalProgressInline(admin.TabularInline):
    model = GoalProgress
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "network", "level", "status", "deadline"]
    list_filter = ["kind", "level", "status", "network"]
    list_select_related = ["network"]
    inlines = [GoalProgressInline]


class AgreementSignatoryInline(admin.TabularInline):
    model = AgreementSignatory
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "network", "binding", "valid_from", "valid_until"]
    list_filter = ["kind", "binding", "network"]
    list_select_related = ["network"]
    inlines = [AgreementSignatoryInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "dimension", "position"]
    list_filter = ["dimension"]


@admin.register(SelfAssessmentRound)
class SelfAssessmentRoundAdmin(admin.ModelAdmin):
    """No score inline: individual scores are private to the member who gave them."""

    list_display = ["title", "network", "opened_on", "closes_on", "closed_at"]
    list_select_related = ["network"]
