"""Forms of the case pages: the list filter, client + case, the team, consent, closing."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.files import PDF_OR_IMAGE, validate_upload
from ijh.models import User
from networks.forms.structure import DateInput
from networks.models import Membership, Network, NetworkMembership, Organisation

from ..models import Case, CaseTeamMember, Client, Consent, DataField

UNKNOWN_POSTCODE = _("Onbekende postcode: een Belgische postcode heeft 4 cijfers, van 1000 tot 9999.")
FUTURE_DATE = _("Deze datum ligt in de toekomst.")

# Roles through which a person works on cases for an organisation.
ORGANISATION_CASE_ROLES = (Membership.Role.CASEWORKER, Membership.Role.PLANMAKER)


def represented_organisations(user: User, network: Network | int | None = None):
    """Organisations ``user`` works for as caseworker or planmaker (in ``network`` if given)."""
    memberships = Membership.objects.active().filter(
        user=user, role__in=ORGANISATION_CASE_ROLES, organisation__isnull=False
    )
    if network is not None:
        memberships = memberships.filter(network=network)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id")).order_by("name")


def member_organisations(network_id: int):
    members = NetworkMembership.objects.active().filter(network_id=network_id)
    return Organisation.objects.filter(pk__in=members.values("organisation_id")).order_by("name")


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return (
            f"{organisation.name} ({organisation.municipality})"
            if organisation.municipality
            else organisation.name
        )


# --- the list --------------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    class Status:
        OPEN = "open"
        CLOSED = "closed"
        ALL = "all"

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Status.OPEN, _("Lopend")), (Status.CLOSED, _("Afgesloten")), (Status.ALL, _("Alle"))],
        required=False,
    )
    network = forms.ModelChoiceField(
        label=_("Netwerk"), queryset=Network.objects.none(), required=False, empty_label=_("Alle netwerken")
    )
    q = forms.CharField(
        label=_("Zoeken"),
        required=False,
        max_length=100,
        help_text=_("Pseudoniem, of de naam voor dossiers waarvan je in het team zit."),
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        # Only networks where the user sees a case: the filter reveals nothing new.
        self.fields["network"].queryset = Network.objects.filter(
            pk__in=cases.order_by().values("network_id")
        ).order_by("name")

    def filter(self, queryset):
        """``queryset`` holds the user's cases only (``cases.access.visible_cases``)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or self.Status.OPEN
        if status == self.Status.OPEN:
            queryset = queryset.filter(closed_on__isnull=True)
        elif status == self.Status.CLOSED:
            queryset = queryset.filter(closed_on__isnull=False)
        if data.get("network"):
            queryset = queryset.filter(network=data["network"])
        # Names are searchable: the list holds only the cases of the user's own teams.
        for term in (data.get("q") or "").split()[:5]:
            names = Q(client__first_name__icontains=term) | Q(client__last_name__icontains=term)
            queryset = queryset.filter(Q(client__pseudonym__icontains=term) | names)
        return queryset


# --- client and case --------------------------------------------------------------------------------


class ClientCaseForm(forms.ModelForm):
    """The client (a ModelForm, so ``Client.clean`` checks the dates) plus the case's own fields."""

    summary = forms.CharField(
        label=_("Hulpvraag en context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        help_text=_("Alleen het dossierteam en de voorzitter van een cliëntoverleg lezen dit."),
    )
    opened_on = forms.DateField(label=_("Geopend op"), widget=DateInput())

    class Meta:
        model = Client
        fields = ["first_name", "last_name", "birth_date", "birth_year", "gender", "postcode"]
        widgets = {"birth_date": DateInput()}
        labels = {
            "first_name": _("Voornaam"),
            "last_name": _("Familienaam"),
            "birth_date": _("Geboortedatum"),
            "birth_year": _("Geboortejaar"),
            "gender": _("Gender"),
            "postcode": _("Postcode"),
        }
        help_texts = {
            "first_name": _("Niet verplicht. Buiten het dossierteam zie je alleen het pseudoniem."),
            "birth_year": _(
                "Als je de geboortedatum niet kent. Bij een geboortedatum mag je dit leeg laten."
            ),
            "postcode": _("Van de woonplaats, bv. 9100."),
        }
        error_messages = {
            "birth_year": {"invalid": _("Geef een jaartal, bv. 2011.")},
            "postcode": {"max_length": UNKNOWN_POSTCODE},
        }

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if case is not None:
            self.fields["summary"].initial = case.summary
            self.fields["opened_on"].initial = case.opened_on
        else:
            self.fields["opened_on"].initial = timezone.localdate()
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "max": 2100})
        self.fields["postcode"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_postcode(self) -> str:
        postcode = (self.cleaned_data.get("postcode") or "").strip()
        if postcode and not re.fullmatch(r"[1-9]\d{3}", postcode, flags=re.ASCII):
            raise ValidationError(UNKNOWN_POSTCODE, code="postcode")
        return postcode

    def clean_opened_on(self):
        opened_on = self.cleaned_data["opened_on"]
        if opened_on > timezone.localdate():
            raise ValidationError(_("Een dossier open je vandaag of achteraf, niet vooraf."))
        if self.case is not None and self.case.closed_on and opened_on > self.case.closed_on:
            raise ValidationError(_("De openingsdatum ligt na de afsluitdatum."))
        return opened_on

    def clean(self):
        data = super().clean()
        birth_date, opened_on = data.get("birth_date"), data.get("opened_on")
        if birth_date and opened_on and opened_on < birth_date:
            self.add_error("opened_on", _("De openingsdatum ligt vóór de geboortedatum."))
        return data

    def case_changed_fields(self) -> list[str]:
        """Changed field names, client and case together (for the audit log: names, never values)."""
        return list(self.changed_data)

    def apply_to_case(self, case: Case) -> None:
        case.summary = self.cleaned_data["summary"]
        case.opened_on = self.cleaned_data["opened_on"]


class CaseCreateForm(ClientCaseForm):
    network = forms.ModelChoiceField(
        label=_("Netwerk"),
        queryset=Network.objects.none(),
        empty_label=_("(kies een netwerk)"),
        error_messages={
            "required": _("Kies het netwerk van het dossier."),
            "invalid_choice": _("In dit netwerk kan je geen dossier openen."),
        },
    )
    lead_organisation = OrganisationField(
        label=_("Trekkende organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("(kies een organisatie)"),
        help_text=_("De organisatie waarvoor jij in dit netwerk werkt en die het dossier trekt."),
        error_messages={
            "required": _("Kies de trekkende organisatie."),
            "invalid_choice": _("Voor deze organisatie werk je niet in dit netwerk."),
        },
    )

    field_order = ["network", "lead_organisation"]

    def __init__(self, *args, user: User, networks, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["network"].queryset = networks.order_by("name")
        networks = list(self.fields["network"].queryset)
        network_id = self._chosen_network_id(networks)
        if network_id is not None:
            self.fields["network"].initial = network_id
            organisations = list(represented_organisations(user, network_id))
            self.fields["lead_organisation"].queryset = represented_organisations(user, network_id)
            if len(organisations) == 1:
                self.fields["lead_organisation"].initial = organisations[0].pk
        else:
            self.fields["lead_organisation"].queryset = represented_organisations(user)

    def _chosen_network_id(self, networks) -> int | None:
        if len(networks) == 1:
            return networks[0].pk
        raw = self.data.get("network") if self.is_bound else self.initial.get("network")
        try:
            wanted = int(raw)
        except (TypeError, ValueError):
            return None
        return wanted if any(network.pk == wanted for network in networks) else None


# --- the team ------------------------------------------------------------------------------------------


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.get_full_name() or user.get_username()


class TeamMemberForm(forms.Form):
    organisation = OrganisationField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("(kies een lidorganisatie)"),
        error_messages={
            "required": _("Kies een organisatie."),
            "invalid_choice": _("Deze organisatie is geen lid van het netwerk."),
        },
    )
    user = PersonField(
        label=_("Persoon"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(de organisatie, zonder naam)"),
        help_text=_("Een hulpverlener of planmaker van die organisatie in dit netwerk."),
        error_messages={"invalid_choice": _("Deze persoon werkt niet in dit netwerk.")},
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        choices=[(value, label) for value, label in CaseTeamMember.Role.choices if value != "lead"],
        initial=CaseTeamMember.Role.CASEWORKER,
    )
    since = forms.DateField(label=_("Vanaf"), widget=DateInput())

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("prefix", "team")
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["since"].initial = timezone.localdate()
        self.fields["organisation"].queryset = member_organisations(case.network_id)
        self.fields["user"].queryset = User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(network_id=case.network_id, role__in=ORGANISATION_CASE_ROLES, organisation__isnull=False)
            .values("user_id")
        ).order_by("last_name", "first_name", "username")

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since < self.case.opened_on:
            raise ValidationError(_("Deze datum ligt vóór de opening van het dossier."))
        if since > timezone.localdate():
            raise ValidationError(_("Voeg iemand toe vanaf vandaag of een dag in het verleden."))
        return since

    def clean(self):
        data = super().clean()
        if not self.case.is_open:
            raise ValidationError(_("Dit dossier is afgesloten: het team verandert niet meer."))
        organisation, user = data.get("organisation"), data.get("user")
        if organisation and user:
            works_there = Membership.objects.active().filter(
                user=user,
                network_id=self.case.network_id,
                organisation=organisation,
                role__in=ORGANISATION_CASE_ROLES,
            )
            if not works_there.exists():
                self.add_error(
                    "user",
                    _("%(person)s werkt in dit netwerk niet voor %(org)s.")
                    % {"person": user.get_full_name() or user.get_username(), "org": organisation.name},
                )
            elif self.case.team.active().filter(user=user).exists():
                self.add_error("user", _("Deze persoon staat al in het dossierteam."))
        elif organisation and self.case.team.active().filter(organisation=organisation, user=None).exists():
            self.add_error("organisation", _("Deze organisatie staat al in het dossierteam."))
        return data


class EndTeamMemberForm(forms.Form):
    until = forms.DateField(label=_("Tot en met"), widget=DateInput())

    def __init__(self, *args, member: CaseTeamMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["until"].initial = timezone.localdate()

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until > timezone.localdate():
            raise ValidationError(_("Beëindig vandaag of met een datum in het verleden."))
        if until < self.member.since:
            raise ValidationError(_("De einddatum ligt vóór de begindatum."))
        if self.member.until is not None:
            raise ValidationError(_("Deze rij is al beëindigd."))
        return until


# --- consent -------------------------------------------------------------------------------------------


class ConsentForm(forms.ModelForm):
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisaties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Met welke organisaties gegevens gedeeld mogen worden. Een wettelijke grond zonder "
            "organisaties geldt voor alle organisaties."
        ),
        error_messages={"invalid_choice": _("Deze organisatie is geen lid van het netwerk.")},
    )
    data_fields = forms.MultipleChoiceField(
        label=_("Gegevens die gedeeld mogen worden"),
        choices=DataField.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Onbekend gegeven.")},
    )

    class Meta:
        model = Consent
        fields = [
            "basis",
            "given_by",
            "giver_name",
            "legal_ground",
            "covers_case_team",
            "covers_referrals",
            "covers_conference",
            "covers_prison_staff",
            "organisations",
            "data_fields",
            "named_people",
            "given_on",
            "valid_until",
            "evidence",
            "evidence_note",
        ]
        widgets = {
            "given_on": DateInput(),
            "valid_until": DateInput(),
            "named_people": forms.Textarea(attrs={"rows": 2}),
            "evidence_note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "basis": _("Grond"),
            "given_by": _("Gegeven door"),
            "giver_name": _("Naam van wie toestemt"),
            "legal_ground": _("Wettelijke grond"),
            "covers_case_team": _("Geldt voor het dossierteam"),
            "covers_referrals": _("Geldt voor verwijzingen"),
            "covers_conference": _("Geldt voor het cliëntoverleg"),
            "covers_prison_staff": _("Geldt voor inzage door gevangenispersoneel"),
            "named_people": _("Genoemde personen zonder beroepsgeheim"),
            "given_on": _("Gegeven op"),
            "valid_until": _("Geldig tot en met"),
            "evidence": _("Bewijsstuk"),
            "evidence_note": _("Notitie als bewijs"),
        }
        help_texts = {
            "valid_until": _("Leeg laten als de toestemming geen einddatum heeft."),
            "evidence": _("Het ondertekende formulier: PDF, PNG of JPG, hoogstens 10 MB."),
            "evidence_note": _("Als er (nog) geen formulier is: hoe en wanneer werd de toestemming gegeven?"),
        }
        error_messages = {"given_on": {"required": _("Geef de datum van de toestemming.")}}

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("prefix", "consent")
        super().__init__(*args, **kwargs)
        self.instance.case = case
        self.fields["given_on"].initial = timezone.localdate()
        self.fields["organisations"].queryset = member_organisations(case.network_id)
        if case.network.kind == Network.Kind.DETENTION:
            # A detainee's file may move to another prison (issue 20 §5): the consent can name the
            # guidance services of every prison, not only this prison's members.
            prisons = NetworkMembership.objects.active().filter(network__kind=Network.Kind.DETENTION)
            self.fields["organisations"].queryset = Organisation.objects.filter(
                pk__in=prisons.values("organisation_id")
            ).order_by("name")
            self.fields["covers_prison_staff"].help_text = _(
                "De psychosociale dienst of de directie van de gevangenis ziet de begeleiding alleen als de "
                "gedetineerde dat wil: vink dit aan en kies hun dienst bij de organisaties."
            )
        else:
            del self.fields["covers_prison_staff"]
        self.fields["evidence"].widget.attrs["accept"] = ",".join(PDF_OR_IMAGE)

    def clean_evidence(self):
        evidence = self.cleaned_data.get("evidence")
        if isinstance(evidence, UploadedFile):
            validate_upload(evidence, allowed=PDF_OR_IMAGE)
        return evidence

    def clean(self):
        data = super().clean()
        if data.get("basis") == Consent.Basis.LEGAL_GROUND:
            # A legal ground is not given by someone: drop a choice left over from the form.
            self.instance.given_by = ""
        return data


class WithdrawConsentForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Ingetrokken op"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bv. hoe de intrekking gemeld werd."),
    )

    def __init__(self, *args, consent: Consent, **kwargs):
        kwargs.setdefault("prefix", f"withdraw-{consent.pk}")
        super().__init__(*args, **kwargs)
        self.consent = consent
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean_withdrawn_on(self):
        withdrawn_on = self.cleaned_data["withdrawn_on"]
        if self.consent.withdrawn_on is not None:
            raise ValidationError(_("Deze toestemming is al ingetrokken."))
        if withdrawn_on > timezone.localdate():
            raise ValidationError(_("Een intrekking registreer je op de dag zelf of achteraf, niet vooraf."))
        if withdrawn_on < self.consent.given_on:
            raise ValidationError(_("De intrekking ligt vóór de datum van de toestemming."))
        return withdrawn_on


# --- closing -------------------------------------------------------------------------------------------


class CloseCaseForm(forms.Form):
    closed_on = forms.DateField(label=_("Afgesloten op"), widget=DateInput())

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["closed_on"].initial = timezone.localdate()

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if not self.case.is_open:
            raise ValidationError(_("Dit dossier is al afgesloten."))
        if closed_on < self.case.opened_on:
            raise ValidationError(_("De afsluitdatum ligt vóór de openingsdatum."))
        if closed_on > timezone.localdate():
            raise ValidationError(_("Een dossier sluit je vandaag of achteraf af, niet vooraf."))
        return closed_on
