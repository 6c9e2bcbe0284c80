"""Django's minimum-length check with its message in Dutch: Django's own Dutch catalogue lacks the
wording Django 5.2 uses, so people saw English on the invitation and password pages."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("Dit wachtwoord is te kort: het moet minstens %(count)s tekens bevatten.") % {
            "count": self.min_length
        }

    def get_help_text(self) -> str:
        return _("Je wachtwoord moet minstens %(count)s tekens bevatten.") % {"count": self.min_length}
