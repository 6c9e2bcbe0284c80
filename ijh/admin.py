from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import AuditEvent, OutgoingMail, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Contact", {"fields": ("phone",)}))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, also for superusers."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "network_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "action", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """For operations: what went out, what is waiting, what failed and why. Bodies are not shown
    (cleared once sent; they may hold one-time links)."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at", "error"]
    list_filter = ["status"]
    search_fields = ["to", "key", "subject"]
    date_hierarchy = "created_at"
    fields = [
        "key",
        "to",
        "subject",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
