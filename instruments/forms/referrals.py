from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from networks.forms.structure import DateInput
from networks.models import Network, NetworkMembership, Organisation

from ..models import LifeDomain, ReferralAgreement, ReferralAgreementSignatory
from ..postcodes import format_ranges, parse_postcode, parse_postcode_ranges

NOT_A_MEMBER = _("Deze organisatie is geen lid van het netwerk.")
AGE_LIMIT = 30  # youth care runs to 25 at most (JAC); 30 leaves room without allowing typos like 150


def member_organisations(network: Network, *, broad_entry: bool = False):
    """Organisations that are members of the network today; ``broad_entry``: only those that form
    its broad entry (the draaiboek's self-checks and the referring side of agreements)."""
    members = NetworkMembership.objects.active().filter(network=network)
    if broad_entry:
        members = members.filter(is_broad_entry=True)
    return Organisation.objects.filter(pk__in=members.values("organisation_id")).order_by("name")


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return f"{organisation.name} ({organisation.municipality})"


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return f"{organisation.name} ({organisation.municipality})"


def _age_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=AGE_LIMIT,
        error_messages={
            "invalid": _("Geef een leeftijd in jaren, bv. 12."),
            "min_value": _("Een leeftijd kan niet negatief zijn."),
            "max_value": _("Geef een leeftijd tot en met %(limit_value)s jaar."),
        },
    )


class ReferralAgreementForm(forms.ModelForm):
    receiving_organisation = OrganisationField(
        label=_("Ontvangende organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("(kies een lidorganisatie)"),
        error_messages={
            "required": _("Kies de organisatie die het aanbod biedt."),
            "invalid_choice": NOT_A_MEMBER,
        },
    )
    referring_organisations = OrganisationsField(
        label=_("Verwijzende organisaties (brede instap)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_A_MEMBER, "invalid_pk_value": NOT_A_MEMBER},
    )
    domains = forms.ModelMultipleChoiceField(
        label=_("Levensdomeinen (noden)"),
        queryset=LifeDomain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies levensdomeinen uit de lijst."),
            "invalid_pk_value": _("Kies levensdomeinen uit de lijst."),
        },
    )
    age_min = _age_field(_("Leeftijd vanaf"))
    age_max = _age_field(_("Leeftijd tot en met"))
    areas = forms.CharField(
        label=_("Bediende postcodes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Postcodes en bereiken gescheiden door komma's, bv. 9100, 9150-9190. "
            "Leeg laten als het aanbod het hele werkingsgebied van het netwerk bedient."
        ),
    )

    class Meta:
        model = ReferralAgreement
        fields = [
            "title",
            "receiving_organisation",
            "offer",
            "target_group",
            "referring_organisations",
            "domains",
            "age_min",
            "age_max",
            "conditions",
            "letter_requirements",
            "contact_point",
            "contact_phone",
            "contact_email",
            "valid_from",
            "valid_until",
        ]
        widgets = {
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            "target_group": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "letter_requirements": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"valid_until": _("Leeg laten als de afspraak geen einddatum heeft.")}
        error_messages = {
            "title": {"required": _("Geef de titel van de verwijsafspraak.")},
            "offer": {"required": _("Beschrijf het aanbod.")},
            "target_group": {"required": _("Beschrijf de doelgroep.")},
            "contact_point": {"required": _("Geef het aanspreekpunt voor verwijzers.")},
            "contact_email": {"invalid": _("Geef een geldig e-mailadres.")},
            "valid_from": {
                "required": _("Geef de datum vanaf wanneer de afspraak geldt."),
                "invalid": _("Geef een geldige datum."),
            },
            "valid_until": {"invalid": _("Geef een geldige datum.")},
        }

    field_order = [
        "title",
        "receiving_organisation",
        "offer",
        "target_group",
        "domains",
        "age_min",
        "age_max",
        "areas",
        "referring_organisations",
    ]

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        members = member_organisations(network)
        self.fields["receiving_organisation"].queryset = members
        self.fields["referring_organisations"].queryset = member_organisations(network, broad_entry=True)
        self.fields["referring_organisations"].help_text = _(
            "De organisaties van de brede instap die onder deze afspraak verwijzen."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["areas"] = format_ranges(
                (area.postcode_from, area.postcode_to) for area in self.instance.areas.all()
            )

    def clean_areas(self) -> list[tuple[int, int]]:
        ranges = parse_postcode_ranges(self.cleaned_data.get("areas", ""))
        if len(ranges) > 200:
            raise ValidationError(_("Geef hoogstens 200 postcodes of bereiken; voeg nabije postcodes samen."))
        return ranges


class ReferralSignatoryForm(forms.ModelForm):
    """Adds a signatory or, for one already listed, records the date it signed."""

    organisation = OrganisationField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("(kies een lidorganisatie)"),
        error_messages={"required": _("Kies een organisatie."), "invalid_choice": NOT_A_MEMBER},
    )

    class Meta:
        model = ReferralAgreementSignatory
        fields = ["organisation", "signed_on"]
        widgets = {"signed_on": DateInput()}
        help_texts = {"signed_on": _("Leeg laten zolang de organisatie nog niet ondertekend heeft.")}
        error_messages = {"signed_on": {"invalid": _("Geef een geldige datum.")}}

    def __init__(self, *args, agreement: ReferralAgreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        self.fields["organisation"].queryset = member_organisations(agreement.network)

    def validate_unique(self):
        # An organisation already listed is updated (its signing date), not refused.
        pass


class DirectoryForm(forms.Form):
    """The referral directory's search. Every field optional; a bad value gets a Dutch message."""

    domain = forms.ModelChoiceField(
        label=_("Nood (levensdomein)"),
        queryset=LifeDomain.objects.all(),
        required=False,
        empty_label=_("Alle levensdomeinen"),
        error_messages={"invalid_choice": _("Kies een levensdomein uit de lijst.")},
    )
    age = forms.IntegerField(
        label=_("Leeftijd"),
        required=False,
        min_value=0,
        max_value=AGE_LIMIT,
        error_messages={
            "invalid": _("Geef de leeftijd in jaren, bv. 14."),
            "min_value": _("Een leeftijd kan niet negatief zijn."),
            "max_value": _("Geef een leeftijd tot en met %(limit_value)s jaar."),
        },
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=10)
    network = forms.ModelChoiceField(
        label=_("Netwerk"),
        queryset=Network.objects.none(),
        required=False,
        empty_label=_("Al mijn netwerken"),
        error_messages={"invalid_choice": _("Kies een van je netwerken.")},
    )
    q = forms.CharField(
        label=_("Zoeken"), required=False, max_length=100, help_text=_("Aanbod, doelgroep of organisatie.")
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        self.fields["age"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "postal-code"})

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "").strip()
        if value:
            parse_postcode(value)
        return value

    def clean_q(self) -> str:
        return self.cleaned_data.get("q", "").replace("\x00", "").strip()
