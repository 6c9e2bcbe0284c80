"""Uploads without active content (issue 22 §4): a PDF with JavaScript, an OpenAction or Launch
action, or embedded files — and an Office file with macros — is refused with a Dutch message on
every upload path (consent evidence, agenda attachments, agreement documents), and nothing is
stored. A PDF with JavaScript renamed .png is refused by its content."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ijh.files import check_active_content, validate_upload
from networks.models import Agreement, Attachment

from .factories import AgendaItemFactory, MeetingFactory
from .files import clean_pdf, pdf_with_attachment, pdf_with_javascript, pdf_with_open_action, xlsx_with_macro
from .networks.test_agreements import agreement_data

ACTIVE_PDFS = {
    "javascript": pdf_with_javascript,
    "embedded file": pdf_with_attachment,
    "launch on opening": lambda: pdf_with_open_action("/Launch"),
    "javascript on opening": lambda: pdf_with_open_action("/JavaScript"),
}


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def test_a_clean_pdf_passes():
    check_active_content(io.BytesIO(clean_pdf("Verslag")), ".pdf")


@pytest.mark.parametrize("kind", sorted(ACTIVE_PDFS))
def test_active_pdfs_are_refused(kind):
    upload = SimpleUploadedFile("nota.pdf", ACTIVE_PDFS[kind]())
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload)
    assert "actieve inhoud" in refused.value.messages[0]


def test_a_damaged_pdf_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="kan niet gelezen worden"):
        validate_upload(SimpleUploadedFile("nota.pdf", b"%PDF-1.7 kapot"))


def test_a_javascript_pdf_renamed_png_is_refused_by_its_content():
    with pytest.raises(ValidationError, match="past niet bij de extensie"):
        validate_upload(SimpleUploadedFile("foto.png", pdf_with_javascript()))


def test_an_office_file_with_macros_is_refused():
    with pytest.raises(ValidationError, match="actieve inhoud"):
        validate_upload(SimpleUploadedFile("lijst.xlsx", xlsx_with_macro()))


@pytest.mark.django_db
class TestEveryUploadPath:
    def test_agenda_attachment(self, client, manager, network, private_storage):
        item = AgendaItemFactory(meeting=MeetingFactory(body__network=network))
        client.force_login(manager.user)
        upload = SimpleUploadedFile("nota.pdf", pdf_with_attachment(), content_type="application/pdf")
        response = client.post(reverse("networks:attachment-add", args=[item.pk]), {"file": upload})
        assert response.status_code == 422 and "actieve inhoud" in response.text
        assert not Attachment.objects.exists()

    def test_agreement_document(self, client, manager, network, private_storage):
        client.force_login(manager.user)
        upload = SimpleUploadedFile("protocol.pdf", pdf_with_open_action(), content_type="application/pdf")
        response = client.post(
            reverse("networks:agreement-create", args=[network.pk]), {**agreement_data(), "document": upload}
        )
        assert response.status_code == 422 and "actieve inhoud" in response.text
        assert not Agreement.objects.exists()
