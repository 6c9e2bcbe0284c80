from django.contrib import admin

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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "network", "region", "organisation", "since", "until"]
    list_filter = ["role", "region", "network"]
    search_fields = ["user__username", "user__last_name", "network__name"]
    autocomplete_fields = ["user", "organisation", "network"]
    list_select_related = ["user", "network", "region", "organisation"]
    filter_horizontal = ["bodies"]


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
