from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class IjhConfig(AppConfig):
    name = "ijh"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with ijh.admin_site.AuditedAdminSite as the default site (``admin.site``)."""

    # Not the ijh app's own config: Django picks IjhConfig for "ijh".
    default = False
    default_site = "ijh.admin_site.AuditedAdminSite"
