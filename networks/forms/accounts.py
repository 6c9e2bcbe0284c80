from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.mail import normalise_address
from ijh.models import User

from ..invitations import email_problem
from .structure import MembershipForm


class InvitationForm(MembershipForm):
    """A role for someone without an account: name, e-mail and the role itself."""

    first_name = forms.CharField(
        label=_("Voornaam"), max_length=150, error_messages={"required": _("Geef de voornaam.")}
    )
    last_name = forms.CharField(
        label=_("Familienaam"), max_length=150, error_messages={"required": _("Geef de familienaam.")}
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=150,
        error_messages={
            "required": _("Geef het e-mailadres."),
            "invalid": _("Dit is geen geldig e-mailadres."),
            "max_length": _("Dit e-mailadres is te lang (hoogstens 150 tekens)."),
        },
        help_text=_("Hierheen gaat de uitnodiging; het wordt ook de gebruikersnaam."),
    )

    class Meta(MembershipForm.Meta):
        fields = ["role", "organisation", "mandate_status", "mandate", "bodies", "since", "until"]

    field_order = ["first_name", "last_name", "email", "role", "organisation"]

    def clean_email(self) -> str:
        address = normalise_address(self.cleaned_data["email"])
        problem = email_problem(address)
        if problem:
            raise forms.ValidationError(problem)
        return address


class ReminderPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["mail_meeting_invitations", "mail_agreement_reminders", "mail_action_reminders"]
        labels = {
            "mail_meeting_invitations": _("Uitnodigingen voor vergaderingen van mijn organen"),
            "mail_agreement_reminders": _(
                "Herinnering wanneer een afspraak van mijn netwerk binnenkort vervalt"
            ),
            "mail_action_reminders": _("Herinnering wanneer een actiepunt van mij over tijd is"),
        }

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if "mail_meeting_invitations" in self.changed_data and user.mail_meeting_invitations:
            # Switched (back) on: invitations from before now are not mailed afterwards.
            user.mail_meeting_invitations_since = timezone.now()
        if commit:
            user.save()
        return user
