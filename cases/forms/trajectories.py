"""Forms of the planmaker pages: the aanmelding, the decision, a phase step, the shared plan and
bottlenecks. The rules themselves live in services/trajectories.py; these forms only parse."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.models import User
from instruments.models import LifeDomain
from networks.forms.structure import DateInput
from networks.models import Body, Bottleneck, Meeting

from ..models import Case, SharedPlanItem, Trajectory
from ..services.trajectories import planmaker_memberships, planmaker_networks_for
from .cases import OrganisationField, represented_organisations

FUTURE_DATE = _("Deze datum ligt in de toekomst.")


class TrajectoryReferForm(forms.Form):
    referring_organisation = OrganisationField(
        label=_("Je meldt aan namens"), queryset=None, empty_label=None
    )
    network = forms.ModelChoiceField(
        label=_("Planmakersnetwerk"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een planmakersnetwerk waar je organisatie lid van is.")},
    )
    question = forms.CharField(
        label=_("Concrete vraag aan de planmakers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Schrijf de concrete vraag aan de planmakers.")},
    )
    in_facility_going_badly = forms.BooleanField(
        label=_("De jongere verblijft in een voorziening waar het slecht loopt, maar herstel is mogelijk"),
        required=False,
    )
    difficult_from_start = forms.BooleanField(
        label=_("Het traject loopt van bij de start moeilijk"), required=False
    )
    involved = forms.CharField(
        label=_("Wie is betrokken (jongere, gezin, netwerk, hulpverleners)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Noteer wie betrokken is.")},
    )
    referrer_engaged = forms.BooleanField(
        label=_("Ik engageer me om deel te nemen aan de samenwerkingsoverleggen"),
        required=False,
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = represented_organisations(user, case.network_id)
        self.fields["referring_organisation"].queryset = organisations
        self.fields["network"].queryset = planmaker_networks_for(organisations)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslissing"),
        choices=[("accept", _("Aanvaarden")), ("decline", _("Niet aanvaarden"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies: aanvaarden of niet aanvaarden.")},
    )
    planmakers = forms.ModelMultipleChoiceField(
        label=_("Planmakers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies planmakers van dit netwerk.")},
    )
    reason = forms.CharField(
        label=_("Reden (bij niet aanvaarden)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    on = forms.DateField(label=_("Datum"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        memberships = list(planmaker_memberships(trajectory.network_id))
        self.fields["planmakers"].queryset = User.objects.filter(pk__in=[m.user_id for m in memberships])
        self.fields["planmakers"].label_from_instance = lambda user: user.get_full_name() or user.username


class PhaseForm(forms.Form):
    seen_phase = forms.ChoiceField(choices=Trajectory.Phase.choices, widget=forms.HiddenInput)
    on = forms.DateField(label=_("Datum"), widget=DateInput(), initial=timezone.localdate)
    outcome = forms.ChoiceField(
        label=_("Uitkomst"), choices=[("", "—"), *Trajectory.Outcome.choices], required=False
    )
    outcome_note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class PlanItemForm(forms.Form):
    domain = forms.ModelChoiceField(
        label=_("Levensdomein"),
        queryset=LifeDomain.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("Kies een levensdomein uit de lijst.")},
    )
    kind = forms.ChoiceField(label=_("Soort"), choices=SharedPlanItem.Kind.choices)
    text = forms.CharField(
        label=_("Doel of afspraak"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    owner = forms.CharField(label=_("Wie neemt het op"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Tegen"), widget=DateInput(), required=False)


class PlanItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SharedPlanItem.Status.choices)
    due_on = forms.DateField(label=_("Tegen"), widget=DateInput(), required=False)


class BottleneckSignalForm(forms.Form):
    existing = forms.ModelChoiceField(
        label=_("Bestaand knelpunt"),
        queryset=Bottleneck.objects.none(),
        required=False,
        empty_label=_("— een nieuw knelpunt —"),
    )
    title = forms.CharField(label=_("Knelpunt (kort)"), max_length=200, required=False)
    category = forms.ChoiceField(
        label=_("Categorie"), choices=[("", "—"), *Bottleneck.Category.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Niveau"), choices=[("", "—"), *Bottleneck.Level.choices], required=False
    )
    description = forms.CharField(
        label=_("Omschrijving, zonder cliëntgegevens"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    concerns = forms.CharField(label=_("Betrokken organisatie of regel"), max_length=250, required=False)

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing"].queryset = Bottleneck.objects.filter(
            network_id=trajectory.network_id
        ).exclude(status__in=Bottleneck.FINAL_STATUSES)


class BottleneckStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=Bottleneck.Status.choices[1:])
    on = forms.DateField(label=_("Datum"), widget=DateInput(), initial=timezone.localdate)
    meeting = forms.ModelChoiceField(
        label=_("Vergadering van het lerend netwerk"), queryset=Meeting.objects.none(), required=False
    )
    findings = forms.CharField(
        label=_("Bevindingen en advies"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    passed_to = forms.CharField(label=_("Doorgegeven aan"), max_length=200, required=False)
    answer = forms.CharField(
        label=_("Antwoord of toelichting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, bottleneck: Bottleneck, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            network_id=bottleneck.network_id, body__kind=Body.Kind.LEARNING_NETWORK
        ).select_related("body")
