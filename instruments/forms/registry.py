from django import forms
from django.utils.translation import gettext_lazy as _

from ijh.models import User
from networks.forms.meetings import network_people
from networks.forms.structure import DateInput
from networks.models import Network

from ..models import Instrument


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class InstrumentForm(forms.ModelForm):
    contact_person = PersonField(
        label=_("Contactpersoon"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(geen contactpersoon)"),
        error_messages={"invalid_choice": _("Kies iemand met een rol in dit netwerk.")},
    )

    class Meta:
        model = Instrument
        fields = [
            "kind",
            "name",
            "binding",
            "origin",
            "version",
            "in_use_since",
            "contact_person",
            "description",
        ]
        widgets = {"in_use_since": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"version": _("Bv. 1.0 of 2026-1."), "binding": _("Hoe bindend is het voor de leden?")}
        error_messages = {
            "kind": {"required": _("Kies de soort instrument.")},
            "name": {"required": _("Geef de naam van het instrument.")},
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["contact_person"].queryset = network_people(network)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        # The (network, name) constraint names a field the form does not show; check it here.
        duplicates = Instrument.objects.filter(network=self.instance.network, name__iexact=name)
        if duplicates.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Dit netwerk heeft al een instrument met deze naam."))
        return name
