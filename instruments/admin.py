from django.contrib import admin

from .models import (
    ImprovementAction,
    Instrument,
    LifeDomain,
    Playbook,
    PlaybookAdoption,
    PlaybookStep,
    PlaybookTask,
    ReferralAgreement,
    ReferralAgreementSignatory,
    ReferralArea,
    TaskCheck,
)


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "kind", "binding", "origin", "version"]
    list_filter = ["kind", "binding", "origin"]
    search_fields = ["name", "network__name"]
    list_select_related = ["network"]
    raw_id_fields = ["contact_person"]


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


class ReferralAreaInline(admin.TabularInline):
    model = ReferralArea
    extra = 0


class ReferralSignatoryInline(admin.TabularInline):
    model = ReferralAgreementSignatory
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(ReferralAgreement)
class ReferralAgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "receiving_organisation", "valid_from", "valid_until"]
    list_filter = ["network"]
    search_fields = ["title", "offer", "receiving_organisation__name"]
    list_select_related = ["network", "receiving_organisation"]
    raw_id_fields = ["receiving_organisation", "referring_organisations", "created_by"]
    inlines = [ReferralAreaInline, ReferralSignatoryInline]


class PlaybookStepInline(admin.TabularInline):
    model = PlaybookStep
    extra = 0


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "network", "status", "published_on"]
    list_filter = ["status"]
    list_select_related = ["network"]
    inlines = [PlaybookStepInline]


@admin.register(PlaybookTask)
class PlaybookTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "step", "order"]
    list_select_related = ["step__playbook"]


class TaskCheckInline(admin.TabularInline):
    model = TaskCheck
    extra = 0
    raw_id_fields = ["task"]


@admin.register(PlaybookAdoption)
class PlaybookAdoptionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "playbook", "network", "status", "started_on", "completed_on"]
    list_filter = ["status"]
    list_select_related = ["organisation", "playbook", "network"]
    raw_id_fields = ["organisation", "performed_by"]
    inlines = [TaskCheckInline]


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["description", "level", "status", "due_on"]
    list_filter = ["level", "status"]
    raw_id_fields = ["adoption", "task", "owner"]
