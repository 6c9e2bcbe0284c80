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


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort overleg"),
        choices=TrajectoryMeeting.Kind.choices,
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
        error_messages={
            "invalid_choice": _("Kies organisaties uit de lijst."),
            "invalid_pk_value": _("Kies organisaties uit de lijst."),
        },
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        # It shares the trajectory page with the shared-plan form, which also has a "kind": own
        # ids, so each label points at its own field.
        kwargs.setdefault("auto_id", "meeting-%s")
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = Organisation.objects.filter(
            Q(
                pk__in=Consent.organisations.through.objects.filter(consent_id=trajectory.consent_id).values(
                    "organisation_id"
                )
            )
            | Q(pk__in=CaseTeamMember.objects.filter(case_id=trajectory.case_id).values("organisation_id"))
        ).order_by("name")


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
