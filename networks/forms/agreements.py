from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ijh.files import validate_upload

from ..models import Agreement, AgreementSignatory, Network, NetworkMembership, Organisation
from .structure import DateInput

# An agreement is a PDF or an office document; images (scans) are not a text people can search.
AGREEMENT_DOCUMENT_TYPES = (".pdf", ".docx", ".odt", ".xlsx")

NOT_A_MEMBER = _("Deze organisatie is geen lid van het netwerk en kan niet ondertekenen.")


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "kind", "version", "binding", "valid_from", "valid_until", "document"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}
        help_texts = {
            "version": _("Bv. 1.0 of 2026-1."),
            "valid_until": _("Leeg laten als de overeenkomst geen einddatum heeft."),
            "document": _("De ondertekende tekst: PDF, DOCX, ODT of XLSX, hoogstens 10 MB."),
        }
        error_messages = {
            "title": {"required": _("Geef de titel van de overeenkomst.")},
            "kind": {"required": _("Kies de soort overeenkomst.")},
            "version": {"required": _("Geef het versienummer.")},
            "valid_from": {"required": _("Geef de datum vanaf wanneer de overeenkomst geldt.")},
        }

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        self.fields["document"].widget.attrs["accept"] = ",".join(AGREEMENT_DOCUMENT_TYPES)

    def clean(self):
        data = super().clean()
        # The (network, title, version) constraint involves a field the form does not show, so
        # Django skips it here; check it ourselves rather than fail on the database.
        title, version = data.get("title"), data.get("version")
        if title and version:
            duplicates = Agreement.objects.filter(network=self.instance.network, title=title, version=version)
            if duplicates.exclude(pk=self.instance.pk).exists():
                self.add_error("version", _("Deze versie van deze overeenkomst bestaat al in dit netwerk."))
        return data

    def clean_document(self):
        document = self.cleaned_data.get("document")
        # Only a new upload is checked; a stored file was checked when it came in.
        if isinstance(document, UploadedFile):
            validate_upload(document, allowed=AGREEMENT_DOCUMENT_TYPES)
        return document


class MemberOrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, organisation: Organisation) -> str:
        return f"{organisation.name} ({organisation.municipality})"


class SignatoryForm(forms.ModelForm):
    """Adds an organisation to the signatories. Only organisations that are members today qualify."""

    organisation = MemberOrganisationField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        empty_label=_("(kies een lidorganisatie)"),
        error_messages={"required": _("Kies een organisatie."), "invalid_choice": NOT_A_MEMBER},
    )

    class Meta:
        model = AgreementSignatory
        fields = ["organisation", "signed_on"]
        widgets = {"signed_on": DateInput()}
        help_texts = {"signed_on": _("Leeg laten zolang de organisatie nog niet ondertekend heeft.")}

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agreement = agreement
        members = NetworkMembership.objects.active().filter(network_id=agreement.network_id)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=members.values("organisation_id")
        ).order_by("name")

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        # The unique constraint names the agreement, which is not a form field, so ModelForm skips it.
        if AgreementSignatory.objects.filter(
            agreement_id=self.instance.agreement_id, organisation=organisation
        ).exists():
            raise ValidationError(_("Deze organisatie staat al bij de ondertekenaars."))
        return organisation
