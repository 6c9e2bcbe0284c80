"""Forms for the samenwerkingsoverleg, intervisie and support persons (issue 19 §3–§4). They only
parse: the rules (dates, consent for invitations, one anchor figure) live in
services/trajectory_meetings.py."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.forms.structure import DateInput
from networks.models import Organisation

from ..models import CaseTeamMember, Consent, SupportPerson, Trajectory, TrajectoryMeeting


def _organisations_of(trajectory: Trajectory):
    """The organisations a meeting form lists: those the trajectory's consent names and the case
    team's (the service refuses those the consent does not allow, with the reason)."""
    return Organisation.objects.filter(
        Q(
            pk__in=Consent.organisations.through.objects.filter(consent_id=trajectory.consent_id).values(
                "organisation_id"
            )
        )
        | Q(pk__in=CaseTeamMember.objects.filter(case_id=trajectory.case_id).values("organisation_id"))
    ).order_by("name")


ORGANISATION_ERRORS = {
    "invalid_choice": _("Kies organisaties uit de lijst."),
    "invalid_pk_value": _("Kies organisaties uit de lijst."),
}


class OpenMeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: TrajectoryMeeting) -> str:
        day = obj.expected_on
        return (
            f"{obj.get_kind_display()} ({day.strftime('%d/%m/%Y')})" if day else str(obj.get_kind_display())
        )


class MeetingForm(forms.Form):
    """Record a meeting that was held: a planned one (``meeting``) or one of the given kind."""

    meeting = OpenMeetingChoice(
        label=_("Gepland overleg"),
        queryset=TrajectoryMeeting.objects.none(),
        required=False,
        empty_label=_("— een overleg dat niet gepland was —"),
        error_messages={"invalid_choice": _("Kies een gepland overleg uit de lijst.")},
    )
    kind = forms.ChoiceField(
        label=_("Soort overleg"),
        choices=[("", "—"), *TrajectoryMeeting.Kind.choices],
        required=False,
        help_text=_("Alleen voor een overleg dat niet gepland was."),
        error_messages={
            "required": _("Kies de soort overleg."),
            "invalid_choice": _("Kies de soort overleg."),
        },
    )
    held_on = forms.DateField(
        label=_("Gehouden op"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={
            "required": _("Vul de datum van het overleg in."),
            "invalid": _("Vul een geldige datum in (dd/mm/jjjj)."),
        },
    )
    client_presence = forms.ChoiceField(
        label=_("De jongere"),
        choices=TrajectoryMeeting.ClientPresence.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Duid aan of de jongere erbij was of vooraf gehoord werd."),
            "invalid_choice": _("Duid aan of de jongere erbij was of vooraf gehoord werd."),
        },
    )
    family_presence = forms.ChoiceField(
        label=_("Het gezin"),
        choices=TrajectoryMeeting.FamilyPresence.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": _("Duid aan of het gezin erbij was of vooraf gehoord werd."),
        },
    )
    roles_agreed = forms.CharField(
        label=_("Afgesproken rollen en verwachtingen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    findings = forms.CharField(
        label=_("Gedeelde bevindingen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Uitgenodigde organisaties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen organisaties die de toestemming van dit traject noemt."),
        error_messages=ORGANISATION_ERRORS,
    )
    attended = forms.ModelMultipleChoiceField(
        label=_("Aanwezige organisaties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=ORGANISATION_ERRORS,
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        # It shares the trajectory page with the shared-plan form, which also has a "kind": own
        # ids, so each label points at its own field.
        kwargs.setdefault("auto_id", "meeting-%s")
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = _organisations_of(trajectory)
        self.fields["attended"].queryset = _organisations_of(trajectory)
        self.fields["meeting"].queryset = trajectory.meetings.filter(held_on__isnull=True)


class MeetingPlanForm(forms.Form):
    """Plan a meeting ahead, with its invitations."""

    kind = forms.ChoiceField(
        label=_("Soort overleg"),
        choices=TrajectoryMeeting.Kind.choices,
        error_messages={
            "required": _("Kies de soort overleg."),
            "invalid_choice": _("Kies de soort overleg."),
        },
    )
    planned_on = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        error_messages={
            "required": _("Vul de datum in waarop het overleg plaatsvindt."),
            "invalid": _("Vul een geldige datum in (dd/mm/jjjj)."),
        },
    )
    invite_client = forms.BooleanField(label=_("De jongere uitnodigen"), required=False)
    invite_family = forms.BooleanField(label=_("Het gezin uitnodigen"), required=False)
    invited = forms.ModelMultipleChoiceField(
        label=_("Uit te nodigen organisaties"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Alleen organisaties die de toestemming van dit traject noemt."),
        error_messages=ORGANISATION_ERRORS,
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        kwargs.setdefault("auto_id", "plan-meeting-%s")
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = _organisations_of(trajectory)


class MeetingReplanForm(forms.Form):
    planned_on = forms.DateField(
        label=_("Nieuwe datum"),
        widget=DateInput(),
        error_messages={
            "required": _("Vul de nieuwe datum in."),
            "invalid": _("Vul een geldige datum in (dd/mm/jjjj)."),
        },
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=200,
        error_messages={"required": _("Geef de reden waarom het overleg verplaatst wordt.")},
    )


class SupportPersonEndForm(forms.Form):
    until = forms.DateField(
        label=_("Laatste dag"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={
            "required": _("Vul de laatste dag in."),
            "invalid": _("Vul een geldige datum in (dd/mm/jjjj)."),
        },
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=300,
        error_messages={"required": _("Geef de reden waarom deze steunfiguur stopt.")},
    )


class IntervisieForm(forms.Form):
    text = forms.CharField(
        label=_("Hoe kunnen we verder?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Schrijf op hoe jullie verder kunnen.")},
    )

    def __init__(self, *args, **kwargs):
        # Shares its page with other forms that have fields of the same name: own ids.
        kwargs.setdefault("auto_id", "intervisie-%s")
        super().__init__(*args, **kwargs)


class SupportPersonForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200, error_messages={"required": _("Vul de naam in.")})
    role = forms.CharField(
        label=_("Rol"),
        max_length=200,
        help_text=_("bv. buddy, tante, leerkracht, coach"),
        error_messages={"required": _("Vul de rol in (bv. buddy, tante, coach).")},
    )
    circle = forms.ChoiceField(
        label=_("Netwerk"),
        choices=SupportPerson.Circle.choices,
        error_messages={
            "required": _("Kies het eigen of het professionele netwerk."),
            "invalid_choice": _("Kies het eigen of het professionele netwerk."),
        },
    )
    is_anchor = forms.BooleanField(
        label=_("Ankerfiguur: blijft wanneer de hulpverlening wisselt"), required=False
    )

    def __init__(self, *args, **kwargs):
        # Shares its page with other forms that have fields of the same name: own ids.
        kwargs.setdefault("auto_id", "support-%s")
        super().__init__(*args, **kwargs)


class AnchorForm(forms.Form):
    is_anchor = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        # Shares its page with other forms that have fields of the same name: own ids.
        kwargs.setdefault("auto_id", "anchor-%s")
        super().__init__(*args, **kwargs)
