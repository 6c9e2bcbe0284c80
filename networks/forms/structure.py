from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ijh.models import User

from ..access import check_grant
from ..models import Membership, Network, NetworkMembership, Organisation, Region


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FiniteDecimalField(forms.DecimalField):
    """Refuses NaN and infinity already when parsing: a signalling NaN would otherwise blow up
    the first comparison (has_changed) before validation gets a say."""

    def to_python(self, value):
        number = super().to_python(value)
        if number is not None and not number.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class HttpsURLField(forms.URLField):
    """A link typed without a scheme gets https:// (Django 6's default, chosen explicitly now)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class NetworkFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.all(), required=False, empty_label=_("Alle regio's")
    )
    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle soorten")), *Network.Kind.choices], required=False
    )
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["region"]:
            queryset = queryset.filter(region=data["region"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["q"]:
            queryset = queryset.filter(name__icontains=data["q"])
        return queryset


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "municipality", "postcode", "kbo_number"]
        error_messages = {
            "name": {"required": _("Geef de naam van de organisatie.")},
            "sector": {"required": _("Kies een sector.")},
            "municipality": {"required": _("Geef de gemeente.")},
        }


class NetworkMembershipForm(forms.ModelForm):
    """Adds an organisation to a network."""

    class Meta:
        model = NetworkMembership
        fields = ["organisation", "kind", "is_broad_entry", "since", "until"]
        widgets = {"since": DateInput(), "until": DateInput()}
        error_messages = {"organisation": {"required": _("Kies een organisatie.")}}

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).select_related(
            "sector"
        )


class PersonSearchWidget(forms.Widget):
    """Picks a person by searching (htmx): a search box whose answers are radio buttons named
    like the field. Never a list of everyone (issue 21 §1)."""

    template_name = "networks/widgets/person_search.html"

    def __init__(self, *, search_url: str = "", invite_url: str = "", attrs=None):
        super().__init__(attrs)
        self.search_url = search_url
        self.invite_url = invite_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = None
        # Only a plausible id reaches the database (fuzzed input may be anything).
        if isinstance(value, int) or (
            isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 18
        ):
            selected = User.objects.filter(pk=int(value)).first()
        context["widget"].update(
            {"search_url": self.search_url, "invite_url": self.invite_url, "selected": selected}
        )
        return context


class MembershipForm(forms.ModelForm):
    """Gives a person a role in a network, representing one of its member organisations."""

    class Meta:
        model = Membership
        fields = ["user", "role", "organisation", "mandate_status", "mandate", "bodies", "since", "until"]
        widgets = {
            "since": DateInput(),
            "until": DateInput(),
            "mandate": forms.Textarea(attrs={"rows": 3}),
            "bodies": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "user": {"required": _("Kies een persoon.")},
            "role": {"required": _("Kies een rol.")},
            "organisation": {
                "invalid_choice": _(
                    "Deze organisatie is geen lid van het netwerk. Voeg de organisatie eerst toe aan het netwerk."
                )
            },
        }

    def __init__(self, *args, network: Network, allowed_roles: tuple[str, ...], granter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.granter = granter
        self.instance.network = network
        if "user" in self.fields:
            # Any account, also one switched off because its last role ended: a new role
            # reactivates it (networks.leavers). The widget searches; it never lists everyone.
            self.fields["user"].queryset = User.objects.all()
            self.fields["user"].widget = PersonSearchWidget(
                search_url=reverse("networks:person-search", args=[network.pk]),
                invite_url=reverse("networks:invitation-create", args=[network.pk]),
            )
            self.fields["user"].help_text = _("Zoek op naam of e-mailadres.")
        self.fields["role"].choices = [
            ("", "---------"),
            *((value, label) for value, label in Membership.Role.choices if value in allowed_roles),
        ]
        # Offer the organisations that are (or were) in this network; the model re-checks the dates.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            network_memberships__network=network
        ).distinct()
        self.fields["organisation"].empty_label = _("(geen organisatie)")
        self.fields["bodies"].queryset = network.bodies.order_by("name")
        self.fields["mandate_status"].required = False  # unsaid means observer

    def clean_mandate_status(self) -> str:
        return self.cleaned_data.get("mandate_status") or Membership.MandateStatus.OBSERVER

    def _post_clean(self) -> None:
        super()._post_clean()
        # The grant rules (networks.access.check_grant) on the built instance, so their Dutch
        # messages land beside the fields and the typed input stays.
        if self.granter is not None and not self.errors:
            try:
                check_grant(granter=self.granter, membership=self.instance)
            except forms.ValidationError as error:
                self._update_errors(error)


class MembershipEditForm(forms.ModelForm):
    """Change what a representative may commit to, where they sit, or end the role."""

    class Meta:
        model = Membership
        fields = ["mandate_status", "mandate", "bodies", "until"]
        widgets = {
            "until": DateInput(),
            "mandate": forms.Textarea(attrs={"rows": 3}),
            "bodies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = self.instance.network.bodies.order_by("name")
