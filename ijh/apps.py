from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IjhConfig(AppConfig):
    name = "ijh"
    verbose_name = _("Kern")
