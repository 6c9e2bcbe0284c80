from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import indicators
from .history import MAX_BYTES
from .models import PERIOD_CHOICES, HistoryImport, Narrative, period_of


class PeriodForm(forms.Form):
    jaar = forms.IntegerField(
        label=_("Jaar"),
        min_value=2004,  # the decree on Integrale Jeugdhulp
        max_value=2100,
        error_messages={"invalid": _("Geef een jaartal."), "min_value": _("Geef een jaar vanaf 2004.")},
    )
    # 1 and 2: a half year; 0: the whole calendar year (a yearly overview).
    semester = forms.TypedChoiceField(
        label=_("Periode"),
        coerce=int,
        choices=PERIOD_CHOICES,
        error_messages={"invalid_choice": _("Kies januari–juni, juli–december of het hele kalenderjaar.")},
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        period = period_of(data["jaar"], data["semester"])
        if period.start > timezone.localdate():
            raise forms.ValidationError(
                _("Deze periode ligt in de toekomst: er valt nog niets te rapporteren.")
            )
        data["period"] = period
        return data


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Narrative
        fields = ["bottlenecks", "good_practices", "conclusions"]
        widgets = {field: forms.Textarea(attrs={"rows": 6}) for field in fields}


class HistoryUploadForm(forms.Form):
    """A spreadsheet of past registrations: which kind, and the file (checked in reports/history.py)."""

    kind = forms.ChoiceField(
        label=_("Wat staat erin?"),
        choices=HistoryImport.Kind.choices,
        error_messages={"invalid_choice": _("Kies aanvragen cliëntoverleg of verwijzingen.")},
    )
    file = forms.FileField(
        label=_("Bestand (.xlsx of .csv)"),
        help_text=_(
            "Eén rij per aanvraag of verwijzing, de kolomnamen op de eerste rij, zoals in het sjabloon."
        ),
        error_messages={
            "required": _("Kies een bestand."),
            "empty": _("Het bestand is leeg."),
            "invalid": _("Er is geen bestand ontvangen. Kies het opnieuw."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)s MB. Splits het op, bijvoorbeeld per jaar.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload


class GoalIndicatorForm(forms.Form):
    figure = forms.ChoiceField(label=_("Waarde van de indicator"), required=False)
    counts_people = forms.BooleanField(
        label=_("De indicator telt personen (jongeren, gezinnen, aanvragen …)"),
        required=False,
        help_text=_(
            "Dan staat een waarde van 1 tot 4 in het rapport als <5. Cijfers uit de registraties weten dit zelf."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure"].choices = indicators.choices()
        self.fields["figure"].error_messages["invalid_choice"] = _("Kies een cijfer uit de lijst.")
