"""Forms of the crisis programme: settings with the capacity key, providers, the on-call rota."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.models import User
from networks.forms.meetings import DateTimeInput, network_people
from networks.models import NetworkMembership, Organisation

from ..crisis_models import CrisisProgramme, CrisisProvider, OnCallShift
from ..crisis_services import check_capacity_key


def network_organisations(network):
    return Organisation.objects.filter(
        pk__in=NetworkMembership.objects.active().filter(network=network).values("organisation_id")
    ).order_by("name")


class ProgrammeForm(forms.ModelForm):
    """The settings, and one field per sector of the capacity key (``share_<sector id>``)."""

    class Meta:
        model = CrisisProgramme
        fields = [
            "meldpunt_organisation",
            "meldpunt_phone",
            "guidance_limit_days",
            "shelter_limit_days",
            "shelter_extension_days",
            "forfait_intervention",
            "forfait_guidance",
            "forfait_shelter",
        ]
        help_texts = {
            "guidance_limit_days": _("Onderzoek: hoogstens 28 dagen."),
            "shelter_limit_days": _("Onderzoek: 7 dagen, één keer te verlengen met 7."),
        }

    def __init__(self, *args, shares, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meldpunt_organisation"].queryset = network_organisations(self.instance.network)
        self.fields["meldpunt_organisation"].error_messages["invalid_choice"] = _(
            "Kies een organisatie van dit netwerk."
        )
        for name in ("guidance_limit_days", "shelter_limit_days", "shelter_extension_days"):
            self.fields[name].min_value = 0
            self.fields[name].widget.attrs.update(min=1, max=365)
            self.fields[name].validators.append(
                _at_least_one_day if name != "shelter_extension_days" else _days
            )
        for name in ("forfait_intervention", "forfait_guidance", "forfait_shelter"):
            self.fields[name].validators.append(_not_negative)
        self.share_fields = []
        for share in shares:
            name = f"share_{share.sector_id}"
            self.fields[name] = forms.IntegerField(
                label=_("Verdeelsleutel: %(sector)s (%%)") % {"sector": share.sector},
                min_value=0,
                max_value=100,
                initial=share.percent,
                error_messages={
                    "required": _("Geef het aandeel van deze sector (0 tot 100)."),
                    "invalid": _("Geef een geheel getal van 0 tot 100."),
                    "min_value": _("Een aandeel is niet negatief."),
                    "max_value": _("Een aandeel is hoogstens 100 %%."),
                },
            )
            self.share_fields.append((name, share.sector_id))

    def shares(self) -> dict[int, int]:
        return {sector_id: self.cleaned_data[name] for name, sector_id in self.share_fields}

    def clean(self):
        cleaned = super().clean()
        if all(self.cleaned_data.get(name) is not None for name, _sector in self.share_fields):
            try:
                check_capacity_key(self.shares().values())
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


def _at_least_one_day(value):
    if value is not None and not 1 <= value <= 365:
        raise ValidationError(_("Geef een termijn van 1 tot 365 dagen."))


def _days(value):
    if value is not None and value > 365:
        raise ValidationError(_("Geef hoogstens 365 dagen."))


def _not_negative(value):
    if value is not None and value < 0:
        raise ValidationError(_("Een forfait kan niet negatief zijn."))


class ProviderForm(forms.ModelForm):
    class Meta:
        model = CrisisProvider
        fields = ["organisation", "step", "contact_line", "email", "places", "reserved_places", "is_active"]
        error_messages = {
            "organisation": {
                "required": _("Kies de organisatie."),
                "invalid_choice": _("Kies een organisatie van dit netwerk."),
            },
            "step": {"required": _("Kies de stap."), "invalid_choice": _("Kies een stap uit de lijst.")},
            "contact_line": {
                "required": _("Geef het nummer waarop de aanbieder dag en nacht bereikbaar is.")
            },
            "places": {"min_value": _("Het aantal plaatsen kan niet negatief zijn.")},
            "reserved_places": {"min_value": _("Het aantal plaatsen kan niet negatief zijn.")},
        }

    def __init__(self, *args, programme: CrisisProgramme, capacity_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["organisation"].queryset = network_organisations(programme.network)
        for name in ("places", "reserved_places"):
            self.fields[name].widget.attrs.update(min=0, max=999)
            self.fields[name].max_value = 999
        if capacity_only:
            # The provider's own people declare their places; the rest is the coordinator's.
            for name in ("organisation", "step", "contact_line", "email", "is_active"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        places, reserved = cleaned.get("places"), cleaned.get("reserved_places")
        if places is not None and reserved is not None and reserved > places:
            self.add_error("reserved_places", _("Er zijn meer gereserveerde plaatsen dan plaatsen."))
        organisation, step = cleaned.get("organisation"), cleaned.get("step")
        if organisation and step:
            taken = CrisisProvider.objects.filter(
                programme=self.instance.programme, organisation=organisation, step=step
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("organisation", _("Deze organisatie neemt al deel aan deze stap."))
        return cleaned

    def validate_unique(self):
        # Checked in clean() with a Dutch message on a field the form shows.
        pass


class ShiftForm(forms.ModelForm):
    person = forms.ModelChoiceField(
        label=_("Medewerker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(iemand zonder account)"),
        error_messages={"invalid_choice": _("Kies iemand met een rol in dit netwerk.")},
    )

    class Meta:
        model = OnCallShift
        fields = ["person", "name", "phone", "starts_at", "ends_at"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        error_messages = {
            "name": {"required": _("Geef de naam van wie de lijn neemt.")},
            "phone": {"required": _("Geef het nummer waarop die persoon bereikbaar is.")},
            "starts_at": {"required": _("Geef het begin."), "invalid": _("Geef een geldig tijdstip.")},
            "ends_at": {"required": _("Geef het einde."), "invalid": _("Geef een geldig tijdstip.")},
        }

    def __init__(self, *args, programme: CrisisProgramme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["person"].queryset = network_people(programme.network)
        self.fields["name"].required = False

    def clean(self):
        cleaned = super().clean()
        person = cleaned.get("person")
        if person and not cleaned.get("name"):
            cleaned["name"] = person.get_full_name() or person.get_username()
            self.instance.name = cleaned["name"]
        if not cleaned.get("name"):
            self.add_error("name", _("Geef de naam van wie de lijn neemt."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends:
            if ends <= starts:
                self.add_error("ends_at", _("Het einde van de permanentie ligt niet na het begin."))
            elif ends - starts > timezone.timedelta(days=31):
                self.add_error("ends_at", _("Een permanentie duurt hoogstens 31 dagen."))
        return cleaned
