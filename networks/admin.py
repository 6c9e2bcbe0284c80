from django.contrib import admin

from .models import Body, Membership, Network, NetworkMembership, Organisation, Region, Sector


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
