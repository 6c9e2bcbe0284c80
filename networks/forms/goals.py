from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Goal, GoalProgress, Network
from .structure import DateInput, FiniteDecimalField

SMART_HELP = _("Verplicht voor een operationeel doel (SMART).")


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, goal: Goal) -> str:
        return f"{goal.get_kind_display()}: {goal.title}"


class GoalForm(forms.ModelForm):
    """An end goal, an operational (SMART) goal or an action, always inside one network.

    The model checks the tree rules and the SMART fields; the form limits the parent to goals of
    the same network that can carry children, so a forged id gets a clear message too.
    """

    parent = ParentChoiceField(
        label=_("Valt onder"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("(geen: dit is een einddoel)"),
        error_messages={
            "invalid_choice": _("Kies een einddoel of operationeel doel van dit netwerk."),
        },
    )

    class Meta:
        model = Goal
        fields = [
            "kind",
            "parent",
            "title",
            "description",
            "level",
            "status",
            "indicator",
            "unit",
            "baseline_value",
            "target_value",
            "deadline",
            "preconditions",
        ]
        # Belgian users type "12,5"; localized fields accept the comma (and the dot).
        localized_fields = ["baseline_value", "target_value"]
        field_classes = {"baseline_value": FiniteDecimalField, "target_value": FiniteDecimalField}
        widgets = {
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "preconditions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "kind": _(
                "Een operationeel doel valt onder een einddoel, een actie onder een operationeel doel."
            ),
            "indicator": SMART_HELP,
            "target_value": SMART_HELP,
            "deadline": SMART_HELP,
            "preconditions": _("Wat moet er zijn opdat het doel haalbaar is (middelen, mandaat, partners)?"),
        }
        error_messages = {
            "kind": {"required": _("Kies de soort: einddoel, operationeel doel of actie.")},
            "title": {"required": _("Geef een titel.")},
            "baseline_value": {"invalid": _("Geef de beginwaarde als getal, bv. 12 of 12,5.")},
            "target_value": {"invalid": _("Geef de streefwaarde als getal, bv. 40 of 12,5.")},
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        parents = (
            Goal.objects.filter(network=network).exclude(kind=Goal.Kind.ACTION).order_by("kind", "title")
        )
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        for name in ("baseline_value", "target_value"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean(self):
        cleaned_data = super().clean()
        # The model checks a goal against its parent, not against its children: changing the kind
        # of a goal that already has children would leave them hanging at the wrong level.
        if self.instance.pk and "kind" in self.changed_data and self.instance.children.exists():
            self.add_error(
                "kind",
                _("Dit doel heeft onderliggende doelen of acties; de soort kan niet meer wijzigen."),
            )
        return cleaned_data


class GoalProgressForm(forms.ModelForm):
    class Meta:
        model = GoalProgress
        fields = ["measured_on", "value", "note"]
        localized_fields = ["value"]
        field_classes = {"value": FiniteDecimalField}
        widgets = {"measured_on": DateInput()}
        error_messages = {
            "measured_on": {"required": _("Geef de datum van de meting.")},
            "value": {
                "required": _("Geef de gemeten waarde."),
                "invalid": _("Geef de waarde als getal, bv. 12 of 12,5."),
            },
        }

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.goal = goal
        self.fields["value"].widget.attrs["inputmode"] = "decimal"
