"""Forms of the trajectory guidance of detainees (issue 20 §4, §5). Bad input: a Dutch message."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instruments.models import Activity, LifeDomain
from networks.forms.structure import DateInput
from networks.models import Network

from ..models import Client, Guidance

SANE_YEARS = (2000, 2100)


def _sane(form: forms.Form, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day and not (SANE_YEARS[0] <= day.year <= SANE_YEARS[1]):
        form.add_error(name, _("Kies een datum tussen 2000 en 2100."))


class RegisterDetaineeForm(forms.ModelForm):
    question = forms.CharField(
        label=_("Vraagverheldering"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat vraagt de gedetineerde? Alleen voor het begeleidingsteam."),
    )
    information = forms.CharField(
        label=_("Gegeven informatie"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    planned_release_on = forms.DateField(
        label=_("Geplande vrijlating"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Geef een geldige datum.")},
    )

    class Meta:
        model = Client
        fields = ["first_name", "last_name", "birth_year", "gender"]
        error_messages = {"birth_year": {"invalid": _("Geef het geboortejaar als een getal.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].error_messages["required"] = _("Geef de voornaam.")
        self.fields["last_name"].error_messages["required"] = _("Geef de familienaam.")

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not (1900 <= year <= timezone.localdate().year):
            raise forms.ValidationError(_("Geef een geldig geboortejaar."))
        return year

    def clean(self):
        data = super().clean()
        _sane(self, "planned_release_on")
        day = data.get("planned_release_on")
        if day and day < timezone.localdate():
            self.add_error("planned_release_on", _("De geplande vrijlating ligt in het verleden."))
        return data


class GuidancePageForm(forms.Form):
    """The guidance page holds several small forms: each gets ids of its own (``<key>_note``),
    so that labels and error messages point at one control (WCAG 1.3.1, 4.1.2)."""

    id_key = "form"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_key}_%s")
        super().__init__(*args, **kwargs)


class PlanGoalForm(GuidancePageForm):
    id_key = "goal"

    domain = forms.ModelChoiceField(
        label=_("Levensdomein"),
        queryset=LifeDomain.objects.all(),
        error_messages={
            "required": _("Kies het levensdomein."),
            "invalid_choice": _("Kies een levensdomein."),
        },
    )
    text = forms.CharField(
        label=_("Doel"), max_length=300, error_messages={"required": _("Omschrijf het doel.")}
    )
    after_release = forms.BooleanField(label=_("Voor na de vrijlating"), required=False)


class ActivityReferralForm(GuidancePageForm):
    id_key = "activity"

    activity = forms.ModelChoiceField(
        label=_("Activiteit"),
        queryset=Activity.objects.none(),
        error_messages={
            "required": _("Kies een activiteit."),
            "invalid_choice": _("Kies een lopende activiteit van deze gevangenis."),
        },
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)

    def __init__(self, *args, guidance: Guidance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(
            network_id=guidance.network_id, ends_on__gte=timezone.localdate()
        ).order_by("domain", "title")


class OutsideReferralForm(GuidancePageForm):
    id_key = "outside"

    service = forms.CharField(
        label=_("Dienst buiten de gevangenis"),
        max_length=200,
        error_messages={"required": _("Geef de dienst waarnaar je verwijst.")},
        help_text=_("Bijvoorbeeld het OCMW, een CAW of de VDAB, voor na de vrijlating."),
    )
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class ReleaseForm(GuidancePageForm):
    id_key = "release"

    planned_release_on = forms.DateField(
        label=_("Geplande vrijlating"),
        widget=DateInput(),
        error_messages={"required": _("Geef de datum."), "invalid": _("Geef een geldige datum.")},
    )

    def clean_planned_release_on(self):
        day = self.cleaned_data["planned_release_on"]
        if not (SANE_YEARS[0] <= day.year <= SANE_YEARS[1]):
            raise forms.ValidationError(_("Kies een datum tussen 2000 en 2100."))
        if day < timezone.localdate():
            raise forms.ValidationError(_("De geplande vrijlating ligt in het verleden."))
        return day


class TransferForm(GuidancePageForm):
    id_key = "transfer"

    to_network = forms.ModelChoiceField(
        label=_("Naar gevangenis"),
        queryset=Network.objects.none(),
        error_messages={
            "required": _("Kies de gevangenis."),
            "invalid_choice": _("Kies een andere gevangenis."),
        },
    )
    transfer_on = forms.DateField(
        label=_("Datum overplaatsing"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Geef de datum."), "invalid": _("Geef een geldige datum.")},
    )
    reason = forms.CharField(label=_("Reden"), max_length=300, required=False)

    def __init__(self, *args, guidance: Guidance, **kwargs):
        super().__init__(*args, **kwargs)
        # The own prison stays in the list: choosing it gets a clear message from the service.
        self.fields["to_network"].queryset = Network.objects.filter(kind=Network.Kind.DETENTION).order_by(
            "name"
        )

    def clean_transfer_on(self):
        day = self.cleaned_data["transfer_on"]
        if abs((day - timezone.localdate()).days) > 366:
            raise forms.ValidationError(_("Kies een datum binnen een jaar van vandaag."))
        return day


class DecideTransferForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslissing"),
        choices=[("accept", _("Aanvaarden en begeleiding overnemen")), ("refuse", _("Weigeren"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies aanvaarden of weigeren."),
            "invalid_choice": _("Kies aanvaarden of weigeren."),
        },
    )
    refusal_reason = forms.CharField(label=_("Reden van weigering"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("refusal_reason", "").strip():
            self.add_error("refusal_reason", _("Geef de reden van de weigering."))
        return data


class EndGuidanceForm(GuidancePageForm):
    id_key = "end"

    reason = forms.ChoiceField(
        label=_("Reden"),
        choices=Guidance.EndReason.choices,
        error_messages={
            "required": _("Kies waarom de begeleiding eindigt."),
            "invalid_choice": _("Kies een reden."),
        },
    )


class GoalOutcomeForm(GuidancePageForm):
    """Mark one goal of the plan reached or dropped; each goal's form gets its own ids."""

    status = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=[("reached", _("bereikt")), ("dropped", _("stopgezet"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies bereikt of stopgezet."),
            "invalid_choice": _("Kies bereikt of stopgezet."),
        },
    )
    on = forms.DateField(
        label=_("Op"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Geef de datum."), "invalid": _("Geef een geldige datum.")},
    )
    reason = forms.CharField(
        label=_("Reden (bij stopzetten)"),
        max_length=300,
        required=False,
        error_messages={"max_length": _("Hoogstens 300 tekens.")},
    )

    def __init__(self, *args, goal_id: int | None = None, **kwargs):
        if goal_id is not None:
            kwargs.setdefault("auto_id", f"outcome{goal_id}_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        _sane(self, "on")
        if data.get("status") == "dropped" and not data.get("reason", "").strip():
            self.add_error("reason", _("Geef de reden waarom het doel stopgezet wordt."))
        return data
