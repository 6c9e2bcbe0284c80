"""Consent evidence without active content (issue 22 §4; the other upload paths: tests/test_uploads.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Consent
from tests.files import pdf_with_javascript

from .test_consent import consent_data

pytestmark = pytest.mark.django_db


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


class TestConsentEvidence:
    def test_consent_evidence(
        self, client, caseworker, case, case_organisation, partner_organisation, private_storage
    ):
        client.force_login(caseworker.user)
        upload = SimpleUploadedFile("toestemming.pdf", pdf_with_javascript(), content_type="application/pdf")
        data = consent_data(case_organisation, partner_organisation, **{"consent-evidence": upload})
        response = client.post(
            reverse("cases:consent-add", args=[case.pk]), data, headers={"HX-Request": "true"}
        )
        assert response.status_code == 422 and "actieve inhoud" in response.text
        assert not Consent.objects.exists()
        assert not list(private_storage.rglob("*.pdf"))
