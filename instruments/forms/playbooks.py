from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Playbook, PlaybookStep, PlaybookTask


class NewVersionForm(forms.Form):
    """A new draft version of a playbook, copied from ``source``."""

    version = forms.CharField(
        label=_("Nieuw versienummer"),
        max_length=20,
        help_text=_("Bv. 2.0. Stappen en taken worden overgenomen uit de gekozen versie."),
        error_messages={"required": _("Geef het nieuwe versienummer.")},
    )

    def __init__(self, *args, source: Playbook, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.network = network
        if not self.is_bound:
            self.initial["version"] = suggest_version(source.version)

    def clean_version(self) -> str:
        version = self.cleaned_data["version"].strip()
        if not version:
            raise forms.ValidationError(_("Geef het nieuwe versienummer."))
        if Playbook.objects.filter(network=self.network, title=self.source.title, version=version).exists():
            raise forms.ValidationError(_("Deze versie van het draaiboek bestaat al in dit netwerk."))
        return version


def suggest_version(version: str) -> str:
    """'1' → '2', '1.3' → '2.0'; anything else gets a suffix the user will likely overwrite."""
    head = version.split(".", 1)[0]
    if head.isascii() and head.isdigit():
        return f"{int(head) + 1}.0" if "." in version else str(int(head) + 1)
    return f"{version}-nieuw"[:20]


class StepForm(forms.ModelForm):
    class Meta:
        model = PlaybookStep
        fields = ["description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TaskForm(forms.ModelForm):
    order = forms.IntegerField(
        label=_("Volgorde"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Plaats binnen de stap; leeg laten om de taak achteraan toe te voegen."),
        error_messages={
            "invalid": _("Geef een volgnummer, bv. 3."),
            "min_value": _("Het volgnummer begint bij 1."),
            "max_value": _("Geef een volgnummer tot en met 999."),
        },
    )

    class Meta:
        model = PlaybookTask
        fields = ["title", "expected_result", "quality_check", "supporting_instruments", "order"]
        widgets = {
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "quality_check": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "title": {"required": _("Geef de taak.")},
            "expected_result": {"required": _("Beschrijf het verwachte resultaat.")},
            "quality_check": {"required": _("Beschrijf de kwaliteitstoets.")},
        }

    def __init__(self, *args, step: PlaybookStep, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.step = step

    def clean_order(self) -> int:
        order = self.cleaned_data.get("order")
        if order is None:
            if self.instance.pk:
                return self.instance.order
            last = self.instance.step.tasks.order_by("-order").values_list("order", flat=True).first()
            return (last or 0) + 1
        return order
