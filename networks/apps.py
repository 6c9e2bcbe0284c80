from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Netwerken")

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the home page panels)
