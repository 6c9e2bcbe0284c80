from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ijh.models import User
from networks.forms.meetings import network_people
from networks.forms.structure import DateInput
from networks.models import Membership, Network, Organisation

from ..models import ImprovementAction, Playbook, PlaybookAdoption, PlaybookTask, TaskCheck
from .referrals import OrganisationField, member_organisations
from .registry import PersonField


def organisations_for_self_check(user: User, network: Network, *, manage: bool):
    """Self-checks are for the broad entry (the draaiboek brede instap): managers start one for any
    of its organisations, others for the ones they represent."""
    organisations = member_organisations(network, broad_entry=True)
    if manage:
        return organisations
    represented = Membership.objects.active().filter(user=user, network=network, organisation__isnull=False)
    return organisations.filter(pk__in=represented.values("organisation_id"))


def published_playbooks(network: Network):
    return (
        Playbook.objects.filter(
            Q(network=network) | Q(network__isnull=True), status=Playbook.Status.PUBLISHED
        )
        .select_related("network")
        .order_by("title", "-published_on", "-pk")
    )


class PlaybookField(forms.ModelChoiceField):
    def label_from_instance(self, playbook: Playbook) -> str:
        scope = _("Vlaams") if playbook.network_id is None else _("eigen netwerk")
        return f"{playbook.title} v{playbook.version} ({scope})"


class StartSelfCheckForm(forms.ModelForm):
    organisation = OrganisationField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("(kies de organisatie)"),
        error_messages={
            "required": _("Kies de organisatie die de zelftoets doet."),
            "invalid_choice": _("Je kan geen zelftoets starten voor deze organisatie."),
        },
    )
    playbook = PlaybookField(
        label=_("Draaiboek"),
        queryset=Playbook.objects.none(),
        empty_label=_("(kies een gepubliceerde versie)"),
        error_messages={
            "required": _("Kies het draaiboek."),
            "invalid_choice": _("Kies een gepubliceerde versie van het draaiboek."),
        },
    )

    class Meta:
        model = PlaybookAdoption
        fields = ["organisation", "playbook"]

    def __init__(self, *args, network: Network, user: User, manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["organisation"].queryset = organisations_for_self_check(user, network, manage=manage)
        self.fields["playbook"].queryset = published_playbooks(network)

    def clean(self):
        data = super().clean()
        organisation, playbook = data.get("organisation"), data.get("playbook")
        if organisation and playbook:
            running = PlaybookAdoption.objects.filter(
                network=self.instance.network,
                organisation=organisation,
                playbook=playbook,
                status=PlaybookAdoption.Status.IN_PROGRESS,
            )
            if running.exists():
                self.add_error(
                    None,
                    _("Deze organisatie heeft al een lopende zelftoets voor deze versie; werk die eerst af."),
                )
        return data


class RatingsForm(forms.Form):
    """One rating and one note per task of the playbook. Saving may leave tasks open; completing not."""

    def __init__(self, *args, tasks: list[PlaybookTask], checks: dict[int, TaskCheck], **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = tasks
        for task in tasks:
            check = checks.get(task.pk)
            self.fields[f"rating_{task.pk}"] = forms.ChoiceField(
                label=_("Beoordeling"),
                choices=TaskCheck.Rating.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=check.rating if check else None,
                error_messages={"invalid_choice": _("Kies voldaan, deels voldaan of niet voldaan.")},
            )
            self.fields[f"note_{task.pk}"] = forms.CharField(
                label=_("Toelichting"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=check.note if check else "",
            )

    def clean(self):
        data = super().clean()
        for task in self.tasks:
            name = f"rating_{task.pk}"
            if data.get(f"note_{task.pk}", "").strip() and not data.get(name) and name not in self.errors:
                self.add_error(f"rating_{task.pk}", _("Kies een beoordeling bij deze toelichting."))
        return data

    def ratings(self) -> dict[int, tuple[str, str]]:
        """task id → (rating, note) for every rated task."""
        return {
            task.pk: (self.cleaned_data[f"rating_{task.pk}"], self.cleaned_data[f"note_{task.pk}"].strip())
            for task in self.tasks
            if self.cleaned_data.get(f"rating_{task.pk}")
        }

    def require_all_rated(self) -> bool:
        """For completion: every task rated, or an error on each open one (and a summary)."""
        missing = [task for task in self.tasks if not self.cleaned_data.get(f"rating_{task.pk}")]
        for task in missing:
            self.add_error(f"rating_{task.pk}", _("Beoordeel deze taak."))
        if missing:
            self.add_error(
                None,
                ngettext(
                    "De zelftoets is niet afgerond: beoordeel eerst alle taken (nog %(count)d taak open).",
                    "De zelftoets is niet afgerond: beoordeel eerst alle taken (nog %(count)d taken open).",
                    len(missing),
                )
                % {"count": len(missing)},
            )
        return not missing

    def field_pair(self, task: PlaybookTask):
        return self[f"rating_{task.pk}"], self[f"note_{task.pk}"]


class ImprovementActionForm(forms.ModelForm):
    task = forms.ModelChoiceField(
        label=_("Taak (knelpunt)"),
        queryset=PlaybookTask.objects.none(),
        required=False,
        empty_label=_("(geen specifieke taak)"),
        error_messages={"invalid_choice": _("Kies een taak die als deels of niet voldaan beoordeeld werd.")},
    )
    owner = PersonField(
        label=_("Trekker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(nog geen trekker)"),
        error_messages={"invalid_choice": _("Kies iemand met een rol in dit netwerk.")},
    )

    class Meta:
        model = ImprovementAction
        fields = ["task", "level", "description", "owner", "due_on"]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "level": {"required": _("Kies het niveau dat kan handelen.")},
            "description": {"required": _("Beschrijf de verbeteractie.")},
            "due_on": {"invalid": _("Geef een geldige datum.")},
        }

    def __init__(self, *args, adoption: PlaybookAdoption, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.adoption = adoption
        gaps = TaskCheck.objects.filter(adoption=adoption).exclude(rating=TaskCheck.Rating.MET)
        self.fields["task"].queryset = PlaybookTask.objects.filter(pk__in=gaps.values("task_id")).order_by(
            "step__order", "order"
        )
        self.fields["owner"].queryset = network_people(adoption.network)
        self.fields["level"].choices = [("", _("(kies het niveau)")), *ImprovementAction.Level.choices]


class ImprovementStatusForm(forms.ModelForm):
    class Meta:
        model = ImprovementAction
        fields = ["status", "status_note"]
        widgets = {"status_note": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "status": {"required": _("Kies een status."), "invalid_choice": _("Kies een status.")}
        }

    def clean(self):
        data = super().clean()
        if data.get("status") == ImprovementAction.Status.DROPPED and not data.get("status_note", "").strip():
            self.add_error("status_note", _("Geef aan waarom de verbeteractie geschrapt wordt."))
        return data
