"""Forms of the cliëntoverleg: the request, the cell's decision, the chair's work, the closing."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.models import User
from instruments.models import LifeDomain
from networks.forms.structure import DateInput
from networks.models import Organisation

from ..models import (
    CarePlanItem,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    SessionInvitation,
)
from ..services import conferences as services


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return user.get_full_name() or user.get_username()


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return organisation.name


TEXT_LIMIT = 5000


class RequestForm(forms.Form):
    requesting_organisation = OrganisationField(
        label=_("Aanvragende organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Kies namens welke organisatie je aanvraagt."),
            "invalid_choice": _("Je kan enkel aanvragen namens een organisatie van het dossierteam."),
        },
    )
    question = forms.CharField(
        label=_("Vraag aan het cliëntoverleg"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Omschrijf de vraag aan het cliëntoverleg.")},
    )
    complexity = forms.CharField(
        label=_("Waarom is de situatie complex?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Leg uit waarom de situatie complex is.")},
    )
    involved = forms.CharField(
        label=_("Wie is betrokken?"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Gezin, netwerk en hulpverleners."),
        error_messages={"required": _("Geef aan wie betrokken is.")},
    )

    def __init__(self, *args, case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requesting_organisation"].queryset = services.requesting_organisations(
            case=case, user=user
        )


class DecisionForm(forms.Form):
    admissible = forms.TypedChoiceField(
        label=_("Beslissing"),
        choices=[("1", _("ontvankelijk")), ("0", _("niet ontvankelijk"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of de aanvraag ontvankelijk is.")},
    )
    reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht als de aanvraag niet ontvankelijk is."),
    )

    def clean(self):
        data = super().clean()
        if data.get("admissible") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Motiveer waarom de aanvraag niet ontvankelijk is."))
        return data


class ChairForm(forms.Form):
    chair = PersonField(
        label=_("Onafhankelijk voorzitter"),
        queryset=User.objects.none(),
        empty_label=_("(kies uit de pool van het netwerk)"),
        error_messages={
            "required": _("Kies een voorzitter."),
            "invalid_choice": _(
                "Deze persoon staat niet in de pool van onafhankelijke voorzitters van het netwerk."
            ),
        },
    )

    def __init__(self, *args, conference: ClientConference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = services.chair_pool(conference.network_id)


class SessionForm(forms.ModelForm):
    class Meta:
        model = ConferenceSession
        fields = ["kind", "starts_at", "location"]
        widgets = {"starts_at": DateTimeInput()}
        error_messages = {
            "kind": {"required": _("Kies de soort overleg.")},
            "starts_at": {
                "required": _("Geef datum en uur."),
                "invalid": _("Geef een geldige datum en uur."),
            },
            "location": {"required": _("Geef de plaats van het overleg.")},
        }

    def __init__(self, *args, conference: ClientConference, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.conference = conference

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at.year < 2000 or starts_at.year > timezone.localdate().year + 5:
            raise forms.ValidationError(_("Geef een datum tussen 2000 en vijf jaar na vandaag."))
        return starts_at


class InvitationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wie"),
        choices=SessionInvitation.Kind.choices,
        error_messages={"required": _("Kies wie je uitnodigt.")},
    )
    name = forms.CharField(
        label=_("Naam"), max_length=200, error_messages={"required": _("Geef de naam van wie je uitnodigt.")}
    )
    organisation = OrganisationField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("(geen)"),
        help_text=_("Voor een hulpverlener: de organisatie die in de toestemming genoemd moet zijn."),
        error_messages={"invalid_choice": _("Kies een organisatie uit de lijst.")},
    )
    bound_by_secrecy = forms.BooleanField(
        label=_("Gebonden door het beroepsgeheim"),
        required=False,
        initial=True,
        help_text=_("Wie niet gebonden is door het beroepsgeheim, moet in de toestemming genoemd zijn."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if data.get("kind") == SessionInvitation.Kind.PROFESSIONAL and not data.get("organisation"):
            self.add_error("organisation", _("Kies de organisatie van de hulpverlener."))
        return data


class SessionNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Verslag"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )


class PlanItemForm(forms.Form):
    domain = forms.ModelChoiceField(
        label=_("Levensdomein"),
        queryset=LifeDomain.objects.all(),
        empty_label=_("(kies een levensdomein)"),
        error_messages={
            "required": _("Kies het levensdomein."),
            "invalid_choice": _("Kies een levensdomein."),
        },
    )
    description = forms.CharField(
        label=_("Afspraak"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Omschrijf de afspraak.")},
    )
    owner = PersonField(
        label=_("Wie (persoon uit het dossierteam)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(niemand)"),
        error_messages={"invalid_choice": _("Kies iemand uit het dossierteam.")},
    )
    owner_organisation = OrganisationField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("(geen)"),
        error_messages={"invalid_choice": _("Kies een organisatie uit de lijst.")},
    )
    owner_label = forms.CharField(
        label=_("Wie (zonder account)"),
        max_length=200,
        required=False,
        help_text=_("Bv. de jongere, moeder, de buurvrouw."),
    )
    due_on = forms.DateField(
        label=_("Tegen"),
        widget=DateInput(),
        error_messages={"required": _("Geef de termijn."), "invalid": _("Geef een geldige datum.")},
    )

    def __init__(self, *args, conference: ClientConference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = services.team_people(conference.case)
        self.fields["owner_organisation"].queryset = services.plan_owner_organisations(conference)

    def clean(self):
        data = super().clean()
        has_owner = (
            data.get("owner") or data.get("owner_organisation") or (data.get("owner_label") or "").strip()
        )
        if not has_owner and not self.has_error("owner") and not self.has_error("owner_organisation"):
            self.add_error("owner", _("Duid aan wie de afspraak opneemt."))
        return data


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Opvolging"),
        choices=CarePlanItem.Status.choices,
        error_messages={"required": _("Kies de opvolging.")},
    )
    not_done_reason = forms.ChoiceField(
        label=_("Reden niet gerealiseerd"),
        choices=[("", _("(kies een reden)")), *CarePlanItem.NotDoneReason.choices],
        required=False,
    )
    note = forms.CharField(label=_("Toelichting"), max_length=TEXT_LIMIT, required=False)
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("status") == CarePlanItem.Status.NOT_DONE and not data.get("not_done_reason"):
            self.add_error("not_done_reason", _("Geef aan waarom de afspraak niet gerealiseerd werd."))
        return data


class CaseManagerForm(forms.Form):
    case_manager = PersonField(
        label=_("Casemanager"),
        queryset=User.objects.none(),
        empty_label=_("(kies iemand uit het dossierteam)"),
        error_messages={
            "required": _("Kies de casemanager."),
            "invalid_choice": _("De casemanager moet deel uitmaken van het dossierteam."),
        },
    )

    def __init__(self, *args, conference: ClientConference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = services.team_people(conference.case)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Resultaat"),
        choices=[("", _("(kies het resultaat)")), *ClientConference.Outcome.choices],
        error_messages={"required": _("Kies het resultaat.")},
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    closed_on = forms.DateField(
        label=_("Afgesloten op"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={
            "required": _("Geef de datum van afsluiting."),
            "invalid": _("Geef een geldige datum."),
        },
    )


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = ConferenceEvaluation
        fields = ["heard", "clear_agreements", "helped", "would_recommend", "comment"]
        widgets = {
            "heard": forms.RadioSelect,
            "clear_agreements": forms.RadioSelect,
            "helped": forms.RadioSelect,
            "would_recommend": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"heard": _("1 = helemaal niet akkoord, 5 = helemaal akkoord.")}

    def __init__(self, *args, conference: ClientConference, respondent: str, **kwargs):
        super().__init__(*args, prefix=respondent, **kwargs)
        self.instance.conference = conference
        self.instance.respondent = respondent
        for name in ("heard", "clear_agreements", "helped", "would_recommend"):
            field = self.fields[name]
            field.choices = ConferenceEvaluation.SCALE
            field.error_messages["required"] = _("Kies een score van 1 tot 5.")
            field.error_messages["invalid_choice"] = _("Kies een score van 1 tot 5.")
        self.fields["comment"].max_length = TEXT_LIMIT
