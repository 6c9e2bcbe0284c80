"""The functional administrators' /beheer/: Django's admin, with every edit in the audit log too.

Django's admin writes a LogEntry for each addition, change and deletion; the audit trail (issue 21
§6, DESIGN.md §5) is ``ijh.audit``, append-only and guarded by the database. This site mixes
``AuditedModelAdmin`` into every ModelAdmin registered on it, so every app's admin class (and
Django's own, for groups) records an AuditEvent beside its LogEntry, in the same transaction.
It is the default site through ``ijh.apps.AdminConfig`` (INSTALLED_APPS).
"""

from django.contrib import admin

from . import audit


class AuditedModelAdmin:
    """Mixin: ``admin.added`` / ``admin.changed`` / ``admin.deleted`` events, with the names (never
    the values) of the fields a change touched."""

    def construct_change_message(self, request, form, formsets, add=False):
        # Field names for the audit event; the admin's own message holds their labels.
        request._audit_changed_fields = [
            *getattr(form, "changed_data", []),
            *(
                f"{formset.prefix}.{name}"
                for formset in formsets or ()
                for inline_form in getattr(formset, "forms", ())
                for name in getattr(inline_form, "changed_data", ())
            ),
        ]
        return super().construct_change_message(request, form, formsets, add)

    def _audit(self, request, action: str, obj) -> None:
        audit.record(
            request.user,
            action,
            obj,
            network_id=getattr(obj, "network_id", None),
            changed_fields=getattr(request, "_audit_changed_fields", ()),
            detail="beheer",
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, "admin.added", obj)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, "admin.changed", obj)
        return entry

    def log_deletions(self, request, queryset):
        # Both the delete page and the "delete selected" action come here (log_deletion is
        # deprecated): one event per object, before they are deleted.
        entries = super().log_deletions(request, queryset)
        request._audit_changed_fields = ()
        for obj in queryset:
            self._audit(request, "admin.deleted", obj)
        return entries


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdmin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)
