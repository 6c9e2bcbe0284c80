from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import HalfYear, Narrative


class PeriodForm(forms.Form):
    jaar = forms.IntegerField(
        label=_("Jaar"),
        min_value=2004,  # the decree on Integrale Jeugdhulp
        max_value=2100,
        error_messages={"invalid": _("Geef een jaartal."), "min_value": _("Geef een jaar vanaf 2004.")},
    )
    semester = forms.TypedChoiceField(
        label=_("Semester"),
        coerce=int,
        choices=[(1, _("januari–juni")), (2, _("juli–december"))],
        error_messages={"invalid_choice": _("Kies semester 1 (januari–juni) of 2 (juli–december).")},
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        period = HalfYear(data["jaar"], data["semester"])
        if period.start > timezone.localdate():
            raise forms.ValidationError(
                _("Deze periode ligt in de toekomst: er valt nog niets te rapporteren.")
            )
        data["period"] = period
        return data

    @classmethod
    def default_period(cls) -> HalfYear:
        return HalfYear.containing(timezone.localdate()).previous()


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = Narrative
        fields = ["bottlenecks", "good_practices", "conclusions"]
        widgets = {field: forms.Textarea(attrs={"rows": 6}) for field in fields}
