"""A case document through a real Celery worker and Redis: request, poll, download, read."""

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases.models import CaseDocument
from tests.workers import running_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


def test_conference_request_poll_download_read(client, media, conference, caseworker):
    client.force_login(caseworker.user)
    with running_worker(extra_env={"MEDIA_ROOT": str(media)}):
        response = client.post(
            reverse("cases:document-create"),
            {"kind": CaseDocument.Kind.CONFERENCE_REQUEST, "source": f"conference:{conference.pk}"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        document = CaseDocument.objects.get()
        # Poll the way the panel does, until the row stops polling.
        deadline = time.monotonic() + 90
        while 'hx-trigger="load delay:1s"' in (
            row := client.get(reverse("cases:document-status", args=[document.pk])).text
        ):
            assert time.monotonic() < deadline, "the document was never made"
            time.sleep(0.5)
    assert 'data-document-status="done"' in row
    download = client.get(reverse("cases:document-download", args=[document.pk]))
    assert download.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Aanvraagformulier cliëntoverleg" in text
    assert conference.case.client.pseudonym in text
    assert [path.name for path in media.rglob("*.pdf")] == [f"document-{document.pk}.pdf"]
