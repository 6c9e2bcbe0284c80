"""History import end to end in Chromium with a real Celery worker (issue 17 §6): regional staff
upload a file with mistakes and read every row's error, upload the corrected file and read the dry
run, import it (the progress bar polls until the worker is done), generate the report of that
past half year and download the PDF, whose figures include the imported requests. axe scans the
error page, the dry run and the finished import; screenshots in var/screenshots/.
"""

import io
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from networks import reference_data
from networks.models import Membership, Region, Sector
from reports.models import HistoryImport, ImportedConferenceRequest, ReportRun
from tests.factories import MembershipFactory, NetworkFactory, UserFactory
from tests.workers import running_worker

from .axe import check_accessibility, describe
from .conftest import login, screenshot, watch_csp

# The live server and the worker only see committed rows, hence transactional tests.
pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
HEADER = "referentie;aanvraagdatum;sector aanvrager;ontvankelijk;beslist op;eerste overleg;resultaat"
ROWS = [
    "CO-1;08/01/2024;CLB;ja;15/01/2024;29/01/2024;doelen bereikt",
    "CO-2;10/01/2024;CAW;ja;12/01/2024;20/02/2024;",
    "CO-3;01/02/2024;CLB;ja;05/02/2024;12/02/2024;",
    "CO-4;12/02/2024;CGG;nee;19/02/2024;;",
    "CO-5;01/03/2024;CLB;ja;04/03/2024;10/04/2024;",
    "CO-6;04/03/2024;CAW;ja;08/03/2024;22/03/2024;",
    "CO-7;20/05/2024;CLB;ja;24/05/2024;03/06/2024;",
]
WITH_MISTAKES = [*ROWS[:2], "CO-3;31/02/2024;Sterrenkunde;ja;;;", *ROWS[3:]]


def csv_file(rows: list[str]) -> dict:
    # Belgian Excel: semicolons, Windows-1252.
    return {
        "name": "historiek.csv",
        "mimeType": "text/csv",
        "buffer": "\r\n".join([HEADER, *rows]).encode("cp1252"),
    }


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


@pytest.fixture
def staff_and_network(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reference_data.ensure(Region, Sector)  # a transactional test's flush emptied the seeded sectors
    network = NetworkFactory(name="RTJ Historiekland", region=Region.objects.get(code="oost-vlaanderen"))
    user = UserFactory(username="staf-historiek", first_name="Sofie", last_name="Staf", password=PASSWORD)
    MembershipFactory(user=user, role=Membership.Role.STAFF, network=None, region=network.region)
    return user, network


def test_staff_import_history_then_report_it(browser, live_server, media, staff_and_network):
    user, network = staff_and_network
    context = browser.new_context(
        locale="nl-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp = watch_csp(page)
    problems = []

    with running_worker(extra_env={"MEDIA_ROOT": str(media)}):
        login(page, live_server, user.username, PASSWORD)
        page.get_by_role("link", name="Rapporten").click()
        page.get_by_role("link", name="RTJ Historiekland").click()
        page.get_by_role("link", name=re.compile("Historiek importeren")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Historiek importeren")

        # --- 1. A file with mistakes: every row's error, nothing saved --------------------------
        page.get_by_label("Wat staat erin?").select_option(label="aanvragen cliëntoverleg")
        page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(csv_file(WITH_MISTAKES))
        page.get_by_role("button", name="Controleren").click()
        errors = page.locator("#row-errors")
        expect(errors).to_contain_text("aanvraagdatum: 31/02/2024 bestaat niet.")
        expect(errors).to_contain_text("Onbekende sector 'Sterrenkunde'")
        expect(page.get_by_text("Er is niets opgeslagen")).to_be_visible()
        problems += [("errors", v) for v in check_accessibility(page, "history-1-errors")]
        assert not HistoryImport.objects.exists()

        # --- 2. The corrected file: the dry run shows what would be imported --------------------
        page.get_by_label("Wat staat erin?").select_option(label="aanvragen cliëntoverleg")
        page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(csv_file(ROWS))
        page.get_by_role("button", name="Controleren").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Import van aanvragen cliëntoverleg")
        expect(page.locator("#preview")).to_contain_text("CO-1")
        expect(page.locator("#preview")).to_contain_text("08/01/2024")
        problems += [("dry run", v) for v in check_accessibility(page, "history-2-dry-run")]
        assert not ImportedConferenceRequest.objects.exists()

        # --- 3. Import: the worker does it, the page polls until done ---------------------------
        page.get_by_role("button", name="Importeren").click()
        expect(page.locator("[data-import-status=done]")).to_contain_text(
            "7 rijen geïmporteerd", timeout=60_000
        )
        problems += [("imported", v) for v in check_accessibility(page, "history-3-imported")]
        assert ImportedConferenceRequest.objects.filter(network=network).count() == 7

        # --- 4. The report of that past half year, generated and downloaded ---------------------
        page.get_by_role("link", name="Naar de praktijkrapporten").click()
        page.get_by_label("Jaar").fill("2024")
        page.get_by_label("Periode").select_option(label="januari–juni")
        page.get_by_role("button", name="Toon").click()
        page.get_by_role("button", name="Genereer rapport").click()
        expect(page.locator("[data-run-status=done]")).to_be_visible(timeout=90_000)
        screenshot(page, "history-4-report-ready")
        run = ReportRun.objects.get(network=network)
        with page.expect_download() as download_info:
            page.locator(f"#run-{run.pk}").get_by_role("link", name="PDF").click()
        pdf = download_info.value.path().read_bytes()

    context.close()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Aanvragen 7" in text
    assert "waarvan aanvragen uit geïmporteerde historiek 7" in text
    assert "Eerste overleg gehouden 6 86%" in text  # the cohort of the imported requests
    assert run.period.label == "januari–juni 2024"
    assert reverse("reports:history", args=[network.pk])
    assert not csp, csp
    assert not problems, describe([violation for _page, violation in problems])
