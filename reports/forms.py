from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PERIOD_CHOICES, Narrative, period_of


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
