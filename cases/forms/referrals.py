"""Forms for sending a referral and for moving its status along."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.models import User
from instruments.models import ReferralAgreement
from networks.forms.structure import DateInput
from networks.models import Membership, NetworkMembership, Organisation

from ..models import Case, Referral
from ..services.referrals import RECEIVER_STATUSES, SENDER_STATUSES


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return f"{organisation.name} ({organisation.municipality})"


class AgreementField(forms.ModelChoiceField):
    def label_from_instance(self, agreement: ReferralAgreement) -> str:
        label = f"{agreement.title} – {agreement.receiving_organisation.name}"
        if not agreement.is_valid_on(timezone.localdate()):
            label += " " + str(_("(vandaag niet geldig)"))
        return label


def team_organisations_of(user: User, case: Case):
    """The organisations the user is on this case's team for: the ones they can refer from."""
    team = case.team.active()
    works_for = Membership.objects.active().filter(
        user=user,
        network_id=case.network_id,
        role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER),
        organisation__isnull=False,
    )
    return Organisation.objects.filter(
        Q(
            pk__in=team.filter(organisation_id__in=works_for.values("organisation_id")).values(
                "organisation_id"
            )
        )
        | Q(pk__in=team.filter(user=user).values("organisation_id"))
    ).order_by("name")


class ReferralForm(forms.Form):
    to_organisation = OrganisationField(
        label=_("Naar organisatie"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("(kies een lidorganisatie van het netwerk)"),
        error_messages={"invalid_choice": _("Deze organisatie is geen lid van het netwerk.")},
    )
    agreement = AgreementField(
        label=_("Verwijsafspraak"),
        queryset=ReferralAgreement.objects.none(),
        required=False,
        empty_label=_("(geen verwijsafspraak)"),
        help_text=_(
            "Zonder passende, geldige verwijsafspraak kan je toch verwijzen; de verwijzing wordt dan "
            "gemarkeerd als buiten verwijsafspraak."
        ),
        error_messages={"invalid_choice": _("Deze verwijsafspraak hoort niet bij dit netwerk.")},
    )
    question = forms.CharField(
        label=_("Verwijsvraag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat vraag je aan de ontvangende organisatie? De ontvanger leest deze vraag."),
        error_messages={"required": _("Omschrijf de verwijsvraag.")},
    )
    letter_note = forms.CharField(
        label=_("Aanvullende informatie voor de verwijsbrief"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    from_organisation = OrganisationField(
        label=_("Verwijzende organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        required=False,
        error_messages={
            "invalid_choice": _("Je staat niet voor deze organisatie in het dossierteam."),
        },
    )
    sent_on = forms.DateField(
        label=_("Verstuurd op"),
        widget=DateInput(),
        error_messages={"required": _("Geef de verzenddatum."), "invalid": _("Geef een geldige datum.")},
    )

    def __init__(self, *args, case: Case, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        members = NetworkMembership.objects.active().filter(network_id=case.network_id)
        self.fields["to_organisation"].queryset = Organisation.objects.filter(
            pk__in=members.values("organisation_id")
        ).order_by("name")
        self.fields["agreement"].queryset = (
            ReferralAgreement.objects.filter(network_id=case.network_id)
            .select_related("receiving_organisation")
            .order_by("receiving_organisation__name", "title")
        )
        self.fields["from_organisation"].queryset = team_organisations_of(user, case)
        self.fields["sent_on"].initial = timezone.localdate()

    def clean_from_organisation(self):
        organisation = self.cleaned_data.get("from_organisation")
        if organisation is None:
            # Most people work for one organisation on the team: that one, without asking.
            choices = list(self.fields["from_organisation"].queryset[:2])
            if len(choices) != 1:
                raise forms.ValidationError(_("Kies de organisatie waarvoor je verwijst."))
            organisation = choices[0]
        return organisation

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"]
        if sent_on > timezone.localdate():
            raise forms.ValidationError(_("Een verwijzing registreer je op de dag zelf of achteraf."))
        if sent_on < self.case.opened_on:
            raise forms.ValidationError(
                _("Deze datum ligt vóór de opening van het dossier (%(day)s).")
                % {"day": self.case.opened_on.strftime("%d/%m/%Y")}
            )
        return sent_on

    def clean(self):
        data = super().clean()
        agreement = data.get("agreement")
        if not data.get("to_organisation") and "to_organisation" not in self.errors:
            if agreement is None:
                self.add_error("to_organisation", _("Kies de organisatie waarnaar je verwijst."))
            # Choosing an agreement is enough: it names its receiving organisation.
            elif (
                self.fields["to_organisation"]
                .queryset.filter(pk=agreement.receiving_organisation_id)
                .exists()
            ):
                data["to_organisation"] = agreement.receiving_organisation
            else:
                self.add_error(
                    "to_organisation",
                    _("De ontvangende organisatie van deze afspraak is geen lid meer van het netwerk."),
                )
        return data


class ReferralStatusForm(forms.Form):
    """One step: the receiver answers (received, accepted, declined, started) or the team withdraws.

    The view shows one small form per step the viewer may take; the transition itself is checked
    again in ``services.referrals.move_referral`` (under a row lock).
    """

    status = forms.ChoiceField(
        choices=[(value, label) for value, label in Referral.Status.choices if value != Referral.Status.SENT],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies de nieuwe status."),
            "invalid_choice": _("Onbekende status."),
        },
    )
    on = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        error_messages={"required": _("Geef de datum."), "invalid": _("Geef een geldige datum.")},
    )
    decline_reason = forms.ChoiceField(
        label=_("Reden weigering"),
        choices=[("", _("(kies een reden)")), *Referral.DeclineReason.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies een reden uit de lijst.")},
    )
    decline_note = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, referral: Referral, step: str | None = None, **kwargs):
        if step is not None:
            kwargs.setdefault("auto_id", f"id_{step}_%s")
            kwargs.setdefault("initial", {"status": step, "on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.referral = referral
        self.step = step
        if step != Referral.Status.DECLINED:
            del self.fields["decline_reason"]
            del self.fields["decline_note"]

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status and not self.referral.can_move_to(status):
            self.add_error(
                None,
                _("Een verwijzing met status „%(current)s” kan niet naar „%(new)s”.")
                % {"current": self.referral.get_status_display(), "new": Referral.Status(status).label},
            )
        if status == Referral.Status.DECLINED and not data.get("decline_reason"):
            self.add_error("decline_reason", _("Geef de reden van de weigering."))
        return data


def status_steps(referral: Referral, *, receives: bool, on_team: bool) -> list[str]:
    """The steps this viewer may take now, in the order of Referral.TRANSITIONS."""
    allowed = (RECEIVER_STATUSES if receives else ()) + (SENDER_STATUSES if on_team else ())
    return [status for status in Referral.TRANSITIONS[Referral.Status(referral.status)] if status in allowed]
