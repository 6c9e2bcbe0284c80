from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .accounts import end_sessions
from .models import AuditEvent, OutgoingMail, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Contact", {"fields": ("phone",)}),
        (
            gettext_lazy("Account en mails"),
            {
                "fields": (
                    "left_on",
                    "mail_meeting_invitations",
                    "mail_agreement_reminders",
                    "mail_action_reminders",
                )
            },
        ),
    )
    readonly_fields = ("left_on",)
    actions = ["reset_totp"]

    @admin.action(description=gettext_lazy("Authenticator-app ontkoppelen (toestel kwijt)"))
    def reset_totp(self, request, queryset) -> None:
        """A person lost their phone: their TOTP device goes, their sessions end, and the next
        login asks them to link an app again. Audited per person (issue 21 §2)."""
        count = 0
        for user in queryset:
            with transaction.atomic():
                deleted, _per_model = TOTPDevice.objects.filter(user=user).delete()
                if not deleted:
                    continue
                end_sessions(user)
                audit.record(request.user, "account.totp_reset", user, changed_fields=["totp_device"])
                count += 1
        messages.success(
            request, _("Authenticator-app ontkoppeld voor %(count)s persoon/personen.") % {"count": count}
        )


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
