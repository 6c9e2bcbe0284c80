from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Engagement, LifeDomain
from ..models_engagements import MAX_AGE


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = [
            "organisation", "title", "method", "contact_person", "contact_details", "place", "time",
            "domains", "age_from", "age_to", "valid_from", "valid_until",
        ]  # fmt: skip
        widgets = {
            "domains": forms.CheckboxSelectMultiple,
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "method": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "domains": {"required": _("Kies minstens één levensdomein.")},
            "organisation": {"required": _("Kies de organisatie die zich engageert.")},
            "title": {"required": _("Beschrijf het engagement in een paar woorden.")},
            "method": {"required": _("Beschrijf de werkwijze.")},
            "contact_person": {"required": _("Vul een contactpersoon in.")},
            "contact_details": {"required": _("Vul een telefoonnummer of e-mailadres in.")},
            "place": {"required": _("Vul de plaats in.")},
            "time": {"required": _("Vul in wanneer of hoe snel.")},
            "valid_from": {"required": _("Vul de datum in vanaf wanneer het engagement geldt.")},
        }

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["domains"].queryset = LifeDomain.objects.order_by("order", "name")
        for name in ("age_from", "age_to"):
            self.fields[name].min_value = 0
            self.fields[name].max_value = MAX_AGE
            self.fields[name].error_messages.update(
                {
                    "invalid": _("Vul een leeftijd in jaren in."),
                    "required": _("Vul een leeftijd in."),
                    "max_value": _("Kies een leeftijd tot %(limit_value)s jaar."),
                    "min_value": _("Een leeftijd is niet negatief."),
                }
            )
            self.fields[name].validators = []
        # The model default is callable: no hidden initial (a no-op edit must stay a no-op).
        self.fields["valid_from"].show_hidden_initial = False
        for name in ("valid_from", "valid_until"):
            self.fields[name].error_messages["invalid"] = _("Vul een geldige datum in.")

    def clean_age_from(self):
        return self._age("age_from")

    def clean_age_to(self):
        return self._age("age_to")

    def _age(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not 0 <= value <= MAX_AGE:
            raise forms.ValidationError(_("Kies een leeftijd van 0 tot %(max)s jaar.") % {"max": MAX_AGE})
        return value

    def clean(self):
        cleaned = super().clean()
        age_from, age_to = cleaned.get("age_from"), cleaned.get("age_to")
        if age_from is not None and age_to is not None and age_from > age_to:
            self.add_error("age_to", _("De leeftijd 'tot en met' ligt vóór de leeftijd 'van'."))
        valid_from, valid_until = cleaned.get("valid_from"), cleaned.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("'Geldig tot en met' ligt vóór 'geldig vanaf'."))
        return cleaned


class EngagementSearchForm(forms.Form):
    STATUS_CHOICES = [("active", _("actief")), ("expired", _("verlopen")), ("all", _("alle"))]

    domain = forms.ModelChoiceField(
        label=_("Levensdomein"), queryset=LifeDomain.objects.order_by("order", "name"), required=False,
        empty_label=_("alle levensdomeinen"),
    )  # fmt: skip
    age = forms.IntegerField(label=_("Leeftijd"), min_value=0, max_value=MAX_AGE, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
