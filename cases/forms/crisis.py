"""Forms of the meldpunt and the crisis providers (issue 18).

The call form is built for a phone on the shoulder: the time defaults to now (a call from the
night can be backdated), the most common answers are preselected, the first field has focus and
the order of the fields follows the conversation. Radio buttons keep it keyboard-only (arrows).
"""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instruments.models import CrisisProgramme, CrisisProvider, CrisisStepKind
from networks.forms.structure import DateInput

from ..models import Consent, CrisisCall, CrisisConflict, CrisisEpisode
from .conferences import DateTimeInput

MOMENT_ERRORS = {
    "required": _("Geef het tijdstip."),
    "invalid": _("Geef een geldig tijdstip, bv. 22/11/2026 23:40."),
}


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, provider: CrisisProvider) -> str:
        free = getattr(provider, "free_places", None)
        if free is None or provider.step == CrisisStepKind.INTERVENTION:
            return f"{provider.organisation} · {provider.contact_line}"
        return _("%(org)s · %(line)s · %(free)s vrij") % {
            "org": provider.organisation,
            "line": provider.contact_line,
            "free": free,
        }


def _now_local() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class CallForm(forms.Form):
    token = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"invalid": _("Laad het formulier opnieuw.")}
    )
    received_at = forms.DateTimeField(
        label=_("Oproep ontvangen om"),
        widget=DateTimeInput(),
        error_messages=MOMENT_ERRORS,
        help_text=_("Staat op nu; een oproep van vannacht vul je met het echte uur in."),
    )
    caller = forms.ChoiceField(
        label=_("Wie belt"),
        choices=CrisisCall.Caller.choices,
        initial=CrisisCall.Caller.PARENT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie belde."),
            "invalid_choice": _("Kies wie belde uit de lijst."),
        },
    )
    urgency = forms.ChoiceField(
        label=_("Urgentie"),
        choices=CrisisCall.Urgency.choices,
        initial=CrisisCall.Urgency.NOW,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies de urgentie."),
            "invalid_choice": _("Kies de urgentie uit de lijst."),
        },
    )
    question = forms.CharField(
        label=_("Korte vraag"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Vat de vraag in een paar woorden samen."),
            "max_length": _("Hou de vraag kort: hoogstens 1000 tekens."),
        },
    )
    admissible = forms.TypedChoiceField(
        label=_("Ontvankelijk (crisis, maatschappelijke noodzaak)?"),
        choices=[("1", _("ja")), ("0", _("nee"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Zeg of de oproep ontvankelijk is."),
            "invalid_choice": _("Kies ja of nee."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Wat deed het meldpunt"),
        choices=CrisisCall.Outcome.choices,
        initial=CrisisCall.Outcome.DISPATCHED,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wat het meldpunt deed."),
            "invalid_choice": _("Kies uit de lijst."),
        },
    )
    provider = ProviderChoiceField(
        label=_("Crisisinterventie door"),
        queryset=CrisisProvider.objects.none(),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een aanbieder van crisisinterventie uit de lijst.")},
    )
    handed_over_at = forms.DateTimeField(
        label=_("Overgedragen om"),
        widget=DateTimeInput(),
        required=False,
        error_messages=MOMENT_ERRORS,
        help_text=_("Leeg: nu."),
    )
    referred_to = forms.CharField(label=_("Doorverwezen naar"), max_length=200, required=False)

    def __init__(self, *args, programme: CrisisProgramme, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", uuid.uuid4())
        kwargs["initial"].setdefault("received_at", _now_local())
        super().__init__(*args, **kwargs)
        self.fields["received_at"].widget.attrs["autofocus"] = True
        providers = programme.providers.filter(
            step=CrisisStepKind.INTERVENTION, is_active=True
        ).select_related("organisation")
        self.fields["provider"].queryset = providers

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome == CrisisCall.Outcome.DISPATCHED:
            if cleaned.get("admissible") is False:
                self.add_error(
                    "outcome", _("Alleen een ontvankelijke oproep wordt doorgeschakeld binnen het netwerk.")
                )
            if not cleaned.get("provider") and "provider" not in self.errors:
                self.add_error("provider", _("Kies de aanbieder die de crisisinterventie doet."))
            received, handed = cleaned.get("received_at"), cleaned.get("handed_over_at")
            if received and handed and handed < received:
                self.add_error("handed_over_at", _("De overdracht ligt vóór de oproep."))
        if outcome == CrisisCall.Outcome.REFERRED and not cleaned.get("referred_to", "").strip():
            self.add_error("referred_to", _("Zeg naar wie het meldpunt doorverwees."))
        return cleaned


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Stap"),
        choices=CrisisStepKind.choices,
        error_messages={"required": _("Kies de stap."), "invalid_choice": _("Kies een stap uit de lijst.")},
    )
    provider = ProviderChoiceField(
        label=_("Aanbieder"),
        queryset=CrisisProvider.objects.none(),
        error_messages={
            "required": _("Kies de aanbieder."),
            "invalid_choice": _("Kies een aanbieder van het programma uit de lijst."),
        },
    )
    started_at = forms.DateTimeField(
        label=_("Overgedragen om"),
        widget=DateTimeInput(),
        required=False,
        error_messages=MOMENT_ERRORS,
        help_text=_("Leeg: nu."),
    )

    def __init__(self, *args, episode: CrisisEpisode, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is None:
            providers = episode.call.programme.providers.filter(is_active=True).select_related("organisation")
        self.fields["provider"].queryset = CrisisProvider.objects.filter(pk__in=[p.pk for p in providers])
        self.fields["provider"].choices = [("", "---------")] + [
            (p.pk, f"{p.get_step_display()}: {self.fields['provider'].label_from_instance(p)}")
            for p in providers
        ]

    def clean(self):
        cleaned = super().clean()
        provider, kind = cleaned.get("provider"), cleaned.get("kind")
        if provider and kind and provider.step != kind:
            self.add_error("provider", _("Deze aanbieder doet een andere stap."))
        return cleaned


class EndStepForm(forms.Form):
    ended_at = forms.DateTimeField(
        label=_("Beëindigd om"),
        widget=DateTimeInput(),
        required=False,
        error_messages=MOMENT_ERRORS,
    )


class ExtendForm(forms.Form):
    extension_reason = forms.CharField(
        label=_("Reden van de verlenging"),
        max_length=300,
        error_messages={
            "required": _("Geef de reden van de verlenging."),
            "max_length": _("Hoogstens 300 tekens."),
        },
    )


class CloseEpisodeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=CrisisEpisode.Outcome.choices,
        error_messages={
            "required": _("Kies de uitkomst."),
            "invalid_choice": _("Kies de uitkomst uit de lijst."),
        },
    )
    closed_at = forms.DateTimeField(
        label=_("Afgesloten om"),
        widget=DateTimeInput(),
        required=False,
        error_messages=MOMENT_ERRORS,
        help_text=_("Leeg: nu."),
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation) -> str:
        return str(organisation)


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Over welke stap"),
        choices=CrisisStepKind.choices,
        error_messages={"required": _("Kies de stap."), "invalid_choice": _("Kies een stap uit de lijst.")},
    )
    first_organisation = OrganisationChoiceField(
        label=_("Eerste organisatie"),
        queryset=None,
        error_messages={
            "required": _("Kies de eerste organisatie."),
            "invalid_choice": _("Kies een aanbieder van het programma."),
        },
    )
    second_organisation = OrganisationChoiceField(
        label=_("Tweede organisatie"),
        queryset=None,
        error_messages={
            "required": _("Kies de tweede organisatie."),
            "invalid_choice": _("Kies een aanbieder van het programma."),
        },
    )
    question = forms.CharField(
        label=_("Waarover zijn ze het oneens?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Zeg kort waarover het gaat."),
            "max_length": _("Hoogstens 1000 tekens."),
        },
    )

    def __init__(self, *args, episode: CrisisEpisode, **kwargs):
        super().__init__(*args, prefix="conflict", **kwargs)
        from networks.models import Organisation

        organisations = (
            Organisation.objects.filter(crisis_roles__programme_id=episode.call.programme_id)
            .distinct()
            .order_by("name")
        )
        self.fields["first_organisation"].queryset = organisations
        self.fields["second_organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("first_organisation"), cleaned.get("second_organisation")
        if first and second and first == second:
            self.add_error("second_organisation", _("Kies twee verschillende organisaties."))
        return cleaned


class ResolveConflictForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Beslissing"),
        choices=CrisisConflict.Resolution.choices,
        error_messages={
            "required": _("Kies de beslissing."),
            "invalid_choice": _("Kies de beslissing uit de lijst."),
        },
    )
    note = forms.CharField(label=_("Toelichting (zonder cliëntgegevens)"), max_length=500, required=False)


# --- a case for the episode's client ----------------------------------------------------------------


class OpenCaseForm(forms.Form):
    """A new case for the episode's (pseudonymous) client. The lead is one of the episode's
    providers; names are taken only together with the consent (or legal ground) recorded on the
    same form (DESIGN.md §5: no name before consent is on record)."""

    NO_CONSENT = ""

    lead_organisation = forms.TypedChoiceField(
        label=_("Trekkende organisatie"),
        coerce=int,
        help_text=_("Een aanbieder van deze episode; zijn hulpverleners vormen het dossierteam."),
        error_messages={
            "required": _("Kies de trekkende organisatie."),
            "invalid_choice": _("Kies een aanbieder van deze episode."),
        },
    )
    basis = forms.ChoiceField(
        label=_("Toestemming voor het dossierteam"),
        choices=[(NO_CONSENT, _("nog geen: dossier met pseudoniem, zonder naam")), *Consent.Basis.choices],
        required=False,
        help_text=_(
            "Met een toestemming of wettelijke grond komen ook de andere aanbieders van de episode in het "
            "dossierteam en mag je de naam bewaren."
        ),
        error_messages={"invalid_choice": _("Kies uit de lijst.")},
    )
    given_by = forms.ChoiceField(
        label=_("Gegeven door"),
        choices=[("", "---------"), *Consent.GivenBy.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies uit de lijst.")},
    )
    given_on = forms.DateField(
        label=_("Gegeven op"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": _("Geef een geldige datum, bv. 22/11/2026.")},
    )
    evidence_note = forms.CharField(
        label=_("Hoe werd de toestemming gegeven"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Hoogstens 1000 tekens.")},
    )
    legal_ground = forms.CharField(
        label=_("Wettelijke grond"),
        max_length=250,
        required=False,
        error_messages={"max_length": _("Hoogstens 250 tekens.")},
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Familienaam"), max_length=100, required=False)
    birth_year = forms.IntegerField(
        label=_("Geboortejaar"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": _("Geef een jaartal, bv. 2011."),
            "min_value": _("Geef een jaartal na 1900."),
            "max_value": _("Geef een jaartal vóór 2100."),
        },
    )

    def __init__(self, *args, organisations, default=None, **kwargs):
        """``organisations``: the episode's provider organisations (already loaded)."""
        super().__init__(*args, prefix="case", **kwargs)
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        self.fields["lead_organisation"].choices = [
            (organisation.pk, str(organisation)) for organisation in self.organisations.values()
        ]
        if default is not None:
            self.fields["lead_organisation"].initial = default.pk

    def clean(self):
        cleaned = super().clean()
        lead = cleaned.get("lead_organisation")
        cleaned["lead_organisation"] = self.organisations.get(lead) if lead is not None else None
        if lead is not None and cleaned["lead_organisation"] is None:
            self.add_error("lead_organisation", _("Kies een aanbieder van deze episode."))
        basis = cleaned.get("basis")
        named = any((cleaned.get(field) or "").strip() for field in ("first_name", "last_name"))
        if not basis and "basis" not in self.errors:
            if named:
                self.add_error(
                    "first_name",
                    _(
                        "Een naam bewaar je pas als de toestemming of wettelijke grond geregistreerd is: "
                        "vul die in, of laat de naam leeg."
                    ),
                )
        elif basis and not cleaned.get("given_on") and "given_on" not in self.errors:
            self.add_error("given_on", _("Geef de datum van de toestemming of de wettelijke grond."))
        return cleaned

    def consent_data(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("basis"):
            return None
        return {
            "basis": data["basis"],
            "given_by": data["given_by"] if data["basis"] == Consent.Basis.CONSENT else "",
            "given_on": data["given_on"],
            "evidence_note": data["evidence_note"].strip(),
            "legal_ground": data["legal_ground"].strip()
            if data["basis"] == Consent.Basis.LEGAL_GROUND
            else "",
        }


class LinkCaseForm(forms.Form):
    """An existing case the user sees: by its pseudonym (as on the case page) or its number."""

    reference = forms.CharField(
        label=_("Pseudoniem of dossiernummer"),
        max_length=40,
        help_text=_("Bv. CL-AB23-CD45: het pseudoniem bovenaan het dossier."),
        error_messages={
            "required": _("Geef het pseudoniem of het nummer van het dossier."),
            "max_length": _("Dat is geen pseudoniem of dossiernummer."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="link", **kwargs)

    def clean_reference(self) -> dict:
        import re

        raw = self.cleaned_data["reference"].strip().upper()
        if re.fullmatch(r"[0-9]{1,9}", raw, flags=re.ASCII):
            return {"pk": int(raw)}
        if re.fullmatch(r"CL-[0-9A-Z]{4}-[0-9A-Z]{4}", raw, flags=re.ASCII):
            return {"client__pseudonym": raw}
        raise forms.ValidationError(
            _("Geef een pseudoniem zoals CL-AB23-CD45 of een dossiernummer."), code="invalid"
        )
