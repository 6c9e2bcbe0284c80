from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Netwerken")

    def ready(self) -> None:
        # A UserSession row per login (ijh.accounts' signal receivers): registered here, where the
        # account pages live, so that ijh's own AppConfig stays as it is.
        from ijh import accounts  # noqa: F401

        from . import dashboard, dashboard_learning  # noqa: F401  (register the home page panels)
