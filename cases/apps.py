from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from . import dashboard, dashboard_detention, dashboard_trajectories  # noqa: F401  (registers the home page panels)
