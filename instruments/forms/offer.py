"""Forms of a prison's offer (issue 20 §2, §3). Bad input gets a Dutch message, never a 500."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.forms.meetings import DateTimeInput
from networks.forms.structure import DateInput
from networks.models import Network, NetworkMembership, Organisation

from ..models_offer import Activity, SecurityEvent, normalise_detainee_code, validate_detainee_code


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ActivityForm(forms.ModelForm):
    provider = forms.ModelChoiceField(
        label=_("Aanbieder"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Kies de organisatie die de activiteit aanbiedt."),
            "invalid_choice": _("Kies een lidorganisatie van dit netwerk."),
        },
    )
    places = forms.IntegerField(
        label=_("Plaatsen"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("Geef het aantal plaatsen."),
            "invalid": _("Geef het aantal plaatsen als een getal."),
            "min_value": _("Een activiteit heeft minstens één plaats."),
            "max_value": _("Hoogstens 500 plaatsen per activiteit."),
        },
    )

    class Meta:
        model = Activity
        fields = [
            "domain",
            "title",
            "provider",
            "target_group",
            "places",
            "weekday",
            "start_time",
            "end_time",
            "starts_on",
            "ends_on",
            "location",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "domain": {
                "required": _("Kies het domein."),
                "invalid_choice": _("Kies een van de zes domeinen."),
            },
            "title": {"required": _("Geef de titel van de activiteit.")},
            "target_group": {"required": _("Omschrijf de doelgroep.")},
            "weekday": {"required": _("Kies de weekdag."), "invalid_choice": _("Kies een weekdag.")},
            "start_time": {"required": _("Geef het beginuur."), "invalid": _("Geef het beginuur als 09:30.")},
            "end_time": {"required": _("Geef het einduur."), "invalid": _("Geef het einduur als 11:00.")},
            "starts_on": {
                "required": _("Geef de datum van de eerste sessie."),
                "invalid": _("Geef een geldige datum."),
            },
            "ends_on": {
                "required": _("Geef de datum van de laatste sessie."),
                "invalid": _("Geef een geldige datum."),
            },
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["provider"].queryset = Organisation.objects.filter(
            pk__in=NetworkMembership.objects.active().filter(network=network).values("organisation_id")
        ).order_by("name")

    def clean(self):
        data = super().clean()
        for name in ("starts_on", "ends_on"):
            day = data.get(name)
            if day and not (datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31)):
                self.add_error(name, _("Kies een datum tussen 2000 en 2100."))
        return data


class EnrolForm(forms.Form):
    detainee_code = forms.CharField(
        label=_("Gedetineerdencode"),
        max_length=40,
        help_text=_("De pseudoniemcode van de gedetineerde, nooit een naam."),
        error_messages={"required": _("Geef de code van de gedetineerde.")},
    )

    def clean_detainee_code(self):
        code = normalise_detainee_code(self.cleaned_data["detainee_code"])
        validate_detainee_code(code)
        return code


class SecurityEventForm(forms.ModelForm):
    class Meta:
        model = SecurityEvent
        fields = ["kind", "starts_at", "ends_at", "note"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        help_texts = {"note": _("Zonder namen of gegevens van gedetineerden.")}
        error_messages = {
            "kind": {
                "required": _("Kies de soort."),
                "invalid_choice": _("Kies lockdown, incident of staking."),
            },
            "starts_at": {"required": _("Geef het begin."), "invalid": _("Geef een geldig tijdstip.")},
            "ends_at": {"required": _("Geef het einde."), "invalid": _("Geef een geldig tijdstip.")},
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        for name in ("starts_at", "ends_at"):
            moment = data.get(name)
            if moment and not (2000 <= moment.year <= 2100):
                self.add_error(name, _("Kies een tijdstip tussen 2000 en 2100."))
        if start and end and end <= start:
            self.add_error("ends_at", _("Het einde ligt niet na het begin."))
        if start and start > timezone.now() + datetime.timedelta(days=366):
            self.add_error(
                "starts_at", _("Registreer een veiligheidsincident niet meer dan een jaar vooraf.")
            )
        return data
