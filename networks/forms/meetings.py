import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.files import DOCUMENT_EXTENSIONS, validate_upload
from ijh.models import User

from ..models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Attendance,
    Decision,
    Goal,
    Meeting,
    Membership,
    Organisation,
)
from .structure import DateInput, HttpsURLField


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def network_people(network) -> "forms.models.QuerySet[User]":
    """People with an active role in the network: who can own an agenda item or an action."""
    return User.objects.filter(
        pk__in=Membership.objects.active().filter(network=network).values("user_id")
    ).order_by("last_name", "first_name")


class MeetingForm(forms.ModelForm):
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Eén agendapunt per regel. Je kan later punten toevoegen."),
        max_length=5000,
    )

    class Meta:
        model = Meeting
        fields = ["body", "starts_at", "location", "online_link"]
        widgets = {"starts_at": DateTimeInput()}
        field_classes = {"online_link": HttpsURLField}
        error_messages = {
            "body": {"required": _("Kies het orgaan dat vergadert.")},
            "starts_at": {
                "required": _("Geef datum en uur."),
                "invalid": _("Geef een geldige datum en uur."),
            },
            "online_link": {"invalid": _("Geef een volledige link, bv. https://…")},
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["body"].queryset = network.bodies.order_by("name")

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        # Far-away years are typos, and year 1 does not even survive the conversion to UTC.
        if not 2000 <= starts_at.year <= 2100:
            raise forms.ValidationError(_("Geef een datum tussen 2000 en 2100."))
        return starts_at

    def agenda_titles(self) -> list[str]:
        return [line[:200] for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()]


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description", "owner"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"title": {"required": _("Geef het agendapunt een titel.")}}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="agenda", **kwargs)
        self.instance.meeting = meeting
        self.instance.position = 0  # the service appends it at the end
        self.fields["owner"].queryset = network_people(meeting.network)
        self.fields["owner"].empty_label = _("(nog geen trekker)")


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Bijlage"), error_messages={"required": _("Kies een bestand.")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed=DOCUMENT_EXTENSIONS)
        return upload


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Aanwezigheid"), choices=Attendance.Status.choices)
    represented_by = forms.ModelChoiceField(
        label=_("Vertegenwoordigd door"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["represented_by"].queryset = network_people(meeting.network)

    def clean(self):
        data = super().clean()
        if data.get("status") == Attendance.Status.REPRESENTED and not data.get("represented_by"):
            self.add_error("represented_by", _("Kies wie deze persoon vertegenwoordigde."))
        return data


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Verslag"), widget=forms.Textarea(attrs={"rows": 10}), required=False, max_length=100_000
    )


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["agenda_item", "text", "method", "agreement", "goal", "link"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"link": HttpsURLField}
        error_messages = {
            "agenda_item": {"required": _("Kies het agendapunt waarover beslist werd.")},
            "text": {"required": _("Omschrijf het besluit.")},
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="decision", **kwargs)
        network = meeting.network
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["agreement"].queryset = Agreement.objects.filter(network=network)
        self.fields["goal"].queryset = Goal.objects.filter(network=network)
        self.fields["agreement"].empty_label = _("(geen)")
        self.fields["goal"].empty_label = _("(geen)")


class ActionItemForm(forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "agenda_item", "owner", "owner_organisation", "due_on"]
        widgets = {"due_on": DateInput()}
        error_messages = {
            "title": {"required": _("Omschrijf de actie.")},
            "owner": {"required": _("Kies wie de actie opneemt.")},
            "due_on": {"required": _("Geef een deadline."), "invalid": _("Geef een geldige datum.")},
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, prefix="action", **kwargs)
        self.instance.meeting = meeting
        self.instance.network = meeting.network
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.fields["agenda_item"].empty_label = _("(algemeen)")
        self.fields["owner"].queryset = network_people(meeting.network)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            network_memberships__network=meeting.network
        ).distinct()
        self.fields["owner_organisation"].empty_label = _("(geen organisatie)")
        self.fields["due_on"].initial = timezone.localdate(meeting.starts_at) + datetime.timedelta(days=30)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    dropped_reason = forms.CharField(label=_("Reden"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("status") == ActionItem.Status.DROPPED and not data.get("dropped_reason", "").strip():
            self.add_error("dropped_reason", _("Geef een reden waarom de actie geschrapt wordt."))
        return data
