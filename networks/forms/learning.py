"""Forms of the learning network (issue 19 §6). They only parse; the rules are in
networks/services_learning.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Body, Bottleneck, LearningTheme, Meeting, Network, Organisation, ThemeExpert

TEXT = {"rows": 3}


class OwnIds:
    """Several forms share a page: each its own id prefix keeps labels and ARIA references unique."""

    default_auto_id = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.default_auto_id)
        super().__init__(*args, **kwargs)


def _bottlenecks(network: Network):
    return Bottleneck.objects.filter(network=network).order_by("category", "level", "title")


class ThemeProposeForm(OwnIds, forms.Form):
    default_auto_id = "f-propose-%s"
    title = forms.CharField(label=_("Thema"), max_length=200)
    question = forms.CharField(
        label=_("Aanleiding (zonder cliëntgegevens)"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=4000,
    )
    bottlenecks = forms.ModelMultipleChoiceField(
        label=_("Knelpunten"),
        queryset=Bottleneck.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bottlenecks"].queryset = _bottlenecks(network).exclude(
            status__in=Bottleneck.FINAL_STATUSES
        )


class ThemeForm(ThemeProposeForm):
    default_auto_id = "f-theme-%s"
    findings = forms.CharField(
        label=_("Bevindingen"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=8000
    )
    advice = forms.CharField(
        label=_("Advies"), widget=forms.Textarea(attrs=TEXT), required=False, max_length=8000
    )

    def __init__(self, *args, theme: LearningTheme, **kwargs):
        super().__init__(*args, network=theme.network, **kwargs)
        # The theme's own bottlenecks stay choosable once answered.
        self.fields["bottlenecks"].queryset = _bottlenecks(theme.network)


class ExpertForm(OwnIds, forms.Form):
    default_auto_id = "f-expert-%s"
    kind = forms.ChoiceField(label=_("Soort"), choices=ThemeExpert.Kind.choices)
    name = forms.CharField(label=_("Naam (optioneel)"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(), required=False
    )
    organisation_name = forms.CharField(
        label=_("Andere organisatie (niet in de lijst)"), max_length=200, required=False
    )
    expertise = forms.CharField(label=_("Inbreng"), max_length=250)
    meeting = forms.ModelChoiceField(
        label=_("Uitgenodigd op"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args, theme: LearningTheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            network_memberships__network_id=theme.network_id
        ).distinct()
        self.fields["meeting"].queryset = Meeting.objects.filter(
            network_id=theme.network_id, body__kind=Body.Kind.LEARNING_NETWORK
        ).select_related("body")

    def clean(self):
        data = super().clean()
        if not (
            data.get("name", "").strip()
            or data.get("organisation")
            or data.get("organisation_name", "").strip()
        ):
            raise forms.ValidationError(_("Geef een naam of een organisatie."))
        return data


class DiscussForm(OwnIds, forms.Form):
    default_auto_id = "f-discuss-%s"
    meeting = forms.ModelChoiceField(
        label=_("Vergadering van het lerend netwerk"), queryset=Meeting.objects.none()
    )
    findings = forms.CharField(
        label=_("Bevindingen van deze bespreking"),
        widget=forms.Textarea(attrs=TEXT),
        required=False,
        max_length=8000,
    )

    def __init__(self, *args, theme: LearningTheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            network_id=theme.network_id, body__kind=Body.Kind.LEARNING_NETWORK
        ).select_related("body")


ADDRESSEE = _("Agentschap Opgroeien – afdeling beleid")


class SignalNoteForm(OwnIds, forms.Form):
    default_auto_id = "f-note-%s"
    addressed_to = forms.CharField(label=_("Gericht aan"), max_length=200, initial=ADDRESSEE)


class SelectionSignalNoteForm(SignalNoteForm):
    default_auto_id = "f-selection-%s"
    title = forms.CharField(label=_("Titel"), max_length=200)
    advice = forms.CharField(label=_("Advies"), widget=forms.Textarea(attrs=TEXT), max_length=8000)
    bottlenecks = forms.ModelMultipleChoiceField(
        label=_("Knelpunten (besproken in het lerend netwerk)"),
        queryset=Bottleneck.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bottlenecks"].queryset = _bottlenecks(network).filter(
            status__in=(Bottleneck.Status.DISCUSSED, Bottleneck.Status.PASSED_ON)
        )


class PresentForm(OwnIds, forms.Form):
    default_auto_id = "f-present-%s"
    meeting = forms.ModelChoiceField(label=_("Forum"), queryset=Meeting.objects.none(), required=False)

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            network=network, body__kind=Body.Kind.FORUM
        ).select_related("body")
