from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "instruments"
    verbose_name = _("Instrumenten")

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the crisis rota panel)
