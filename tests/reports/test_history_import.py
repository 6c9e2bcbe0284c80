"""Importing history (issue 17 §6): upload → dry run (saves nothing) → import by the worker (once,
all or nothing) → counted in the reports of its own period. Bad input never gives a 500 and never
half an import."""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cases.models import ClientConference, Referral
from ijh.models import AuditEvent
from networks.models import Membership, Sector
from reports import history, history_services, tasks
from reports.figures import compute
from reports.models import HalfYear, HistoryImport, ImportedConferenceRequest, ImportedReferral
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
D = datetime.date

CONFERENCE_HEADER = (
    "referentie;aanvraagdatum;sector aanvrager;ontvankelijk;beslist op;eerste overleg;resultaat"
)
CLEAN_CONFERENCES = "\r\n".join(
    [
        CONFERENCE_HEADER,
        "CO-1;08/01/2024;CLB;ja;15/01/2024;29/01/2024;doelen bereikt",
        "CO-2;10/01/2024;CAW;ja;12/01/2024;20/02/2024;",
        "CO-3;01/02/2024;CLB;ja;05/02/2024;;",
        "CO-4;12/02/2024;CGG;nee;19/02/2024;;",
        "CO-5;01/03/2024;CLB;ja;;10/04/2024;",
        "CO-6;04/03/2024;CAW;ja;08/03/2024;15/07/2024;",  # first session in the next half year
        "CO-7;20/06/2024;CLB;;;;",
    ]
)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff(network):
    return MembershipFactory(regional_staff=True, region=network.region).user


@pytest.fixture
def quiet_broker(monkeypatch):
    monkeypatch.setattr("ijh.queue.publish", lambda name, *args: "t-1")


def upload(client, network, content: bytes | str, name: str = "historiek.csv", kind: str = "conferences"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        reverse("reports:history-check", args=[network.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def nothing_saved() -> bool:
    return not (
        HistoryImport.objects.exists()
        or ImportedConferenceRequest.objects.exists()
        or ImportedReferral.objects.exists()
        or ClientConference.objects.exists()
    )


def run_job(batch: HistoryImport) -> HistoryImport:
    tasks.import_history.apply(args=[batch.pk])
    batch.refresh_from_db()
    return batch


class TestDryRun:
    def test_a_clean_file_is_checked_and_nothing_is_imported_yet(self, client, network, staff):
        client.force_login(staff)
        response = upload(client, network, CLEAN_CONFERENCES)
        assert response.status_code == 302
        batch = HistoryImport.objects.get()
        assert (batch.status, batch.rows_total, batch.rows_known) == ("checked", 7, 0)
        assert not ImportedConferenceRequest.objects.exists() and not ClientConference.objects.exists()
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "CO-1" in page.text and "08/01/2024" in page.text and "Importeren" in page.text
        assert AuditEvent.objects.filter(action="report.history_checked").count() == 1

    def test_every_row_error_is_listed_in_dutch_and_nothing_is_saved(self, client, network, staff):
        content = "\r\n".join(
            [
                CONFERENCE_HEADER,
                "CO-1;08/01/2024;CLB;ja;15/01/2024;29/01/2024;",
                "CO-2;10/01/2024;Sterrenkunde;ja;;;",  # unknown sector
                "CO-3;01/02/2027;CLB;;;;",  # in the future
                "CO-4;12/02/2024;CLB;ja;;01/02/2024;",  # first session before the request
                "CO-5;31/02/2024;CLB;;;;",  # no such day
                "CO-1;08/01/2024;CLB;ja;15/01/2024;29/01/2024;",  # the same row again
                "CO-7;20/06/2024;CLB;nee;;25/06/2024;",  # not admissible but a first session
            ]
        )
        client.force_login(staff)
        response = upload(client, network, content)
        assert response.status_code == 422
        text = response.text
        assert "Onbekende sector &#x27;Sterrenkunde&#x27;" in text
        assert "aanvraagdatum: 01/02/2027 ligt in de toekomst" in text
        assert "Het eerste overleg ligt vóór de aanvraag." in text
        assert "aanvraagdatum: 31/02/2024 bestaat niet." in text
        assert "Referentie CO-1 staat ook op rij 2" in text
        assert "Een niet-ontvankelijke aanvraag heeft geen eerste overleg." in text
        assert "6 van de 7 rijen hebben een fout" in text
        for line in (3, 4, 5, 6, 7, 8):
            assert f"rij {line}</th>" in text
        assert "rij 2</th>" not in text
        assert nothing_saved()

    def test_a_name_column_refuses_the_file(self, client, network, staff):
        client.force_login(staff)
        response = upload(
            client, network, "referentie;aanvraagdatum;sector aanvrager;Naam\r\nCO-1;08/01/2024;CLB;Lotte"
        )
        assert response.status_code == 422
        assert "Het bestand heeft een kolom &#x27;Naam&#x27;" in response.text
        assert "Lotte" not in response.text
        assert nothing_saved()

    @pytest.mark.parametrize(
        ("content", "name", "message"),
        [
            (b"", "leeg.csv", "Het bestand is leeg."),
            (b"   \r\n", "leeg.csv", "Het bestand is leeg."),
            (CONFERENCE_HEADER.encode(), "kop.csv", "alleen kolomnamen"),
            (b"%PDF-1.7", "nota.pdf", "Laad een .csv- of .xlsx-bestand op."),
            (b"PK\x03\x04kapot", "kapot.xlsx", "geen geldig Excel-bestand"),
            (b"not a zip", "nep.xlsx", "geen geldig Excel-bestand"),
            (b"oud", "oud.xls", "Bewaar het bestand als .xlsx"),
            (b"referentie;datum\r\nCO-1;08/01/2024", "mist.csv", "Deze kolommen ontbreken: sector aanvrager"),
        ],
    )
    def test_files_that_cannot_be_read_get_a_clear_message(
        self, client, network, staff, content, name, message
    ):
        client.force_login(staff)
        response = upload(client, network, content, name=name)
        assert response.status_code == 422
        assert message in response.text
        assert nothing_saved()

    def test_an_xlsx_with_macros_is_refused(self, client, network, staff):
        from tests.files import xlsx_with_macro

        client.force_login(staff)
        response = upload(client, network, xlsx_with_macro(), name="historiek.xlsx")
        assert response.status_code == 422
        assert "actieve inhoud" in response.text
        assert nothing_saved()

    def test_a_50_mb_file_is_refused_before_it_is_read(self, client, network, staff):
        client.force_login(staff)
        response = upload(client, network, b"a" * (50 * 1024 * 1024), name="groot.csv")
        assert response.status_code == 422
        assert "groter dan 5 MB" in response.text
        assert nothing_saved()

    def test_formulas_in_an_xlsx_are_refused(self, client, network, staff):
        content = xlsx(
            [
                CONFERENCE_HEADER.split(";"),
                ["CO-1", "=TODAY()", "CLB", "ja", "", "", ""],
                ["CO-2", datetime.datetime(2024, 1, 10), "CAW", "ja", "", "", ""],
            ]
        )
        client.force_login(staff)
        response = upload(client, network, content, name="formules.xlsx")
        assert response.status_code == 422
        assert "bevat een formule (=TODAY())" in response.text
        assert nothing_saved()

    def test_belgian_excel_csv_in_windows_1252_with_semicolons_is_read(self, client, network, staff):
        # Excel in Belgium saves "CSV (puntkomma's)" in Windows-1252: é is one byte, not UTF-8.
        content = "\r\n".join(
            [
                CONFERENCE_HEADER + ";opmerking",
                "CO-1;08/01/2024;Centrum voor Leerlingenbegeleiding;ja;;;doelen deels bereikt;café",
                "CO-2;09/01/2024;Centrum Algemeen Welzijnswerk;;;;;",
                "CO-3;10/01/2024;Kinder- en jeugdpsychiatrie;;;;;",
            ]
        ).encode("cp1252")
        client.force_login(staff)
        response = upload(client, network, content)
        assert response.status_code == 302
        page = client.get(response["Location"]).text
        assert "Windows-1252" in page and "opmerking" in page  # read as such, and the free text not at all
        assert "café" not in page
        assert HistoryImport.objects.get().rows_total == 3

    def test_utf16_and_comma_separated_files_are_read(self, client, network, staff):
        text = CLEAN_CONFERENCES.replace(";", ",")
        client.force_login(staff)
        assert upload(client, network, text.encode("utf-16")).status_code == 302

    def test_accents_in_cp1252_are_read_right(self, network):
        # "Sector" with an accented value that only matches when the bytes are read as cp1252.
        Sector.objects.create(code="jeugd", name="Jeugdhulp Vlaanderen", abbreviation="Jeugd-é")
        content = (CONFERENCE_HEADER + "\r\nCO-1;08/01/2024;Jeugd-é;;;;").encode("cp1252")
        checked = history.check(content, "a.csv", kind="conferences", network=network)
        assert checked.is_importable, checked.errors_shown()

    def test_the_template_file_itself_passes_the_check(self, client, network, staff):
        OrganisationFactory(name="CGG Waas en Dender")
        OrganisationFactory(name="CAW Oost-Vlaanderen")
        client.force_login(staff)
        for kind in ("conferences", "referrals"):
            for fmt in ("xlsx", "csv"):
                response = client.get(reverse("reports:history-template", args=[kind, fmt]))
                assert response.status_code == 200
                checked = history.check(response.content, f"sjabloon.{fmt}", kind=kind, network=network)
                assert checked.is_importable, (kind, fmt, checked.problem, checked.errors_shown())
        workbook = load_workbook(
            io.BytesIO(client.get(reverse("reports:history-template", args=["conferences", "xlsx"])).content)
        )
        assert workbook.sheetnames == ["Historiek", "Uitleg"]
        assert client.get(reverse("reports:history-template", args=["cases", "csv"])).status_code == 404


class TestImport:
    def test_a_clean_file_imports_once_and_counts_in_its_own_period(
        self, client, network, staff, quiet_broker, django_capture_on_commit_callbacks
    ):
        client.force_login(staff)
        upload(client, network, CLEAN_CONFERENCES)
        batch = HistoryImport.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:history-import", args=[batch.pk]))
        assert response.status_code == 302
        batch.refresh_from_db()
        assert batch.status == "pending"
        batch = run_job(batch)
        assert (batch.status, batch.rows_imported, batch.progress) == ("done", 7, 100)
        assert ImportedConferenceRequest.objects.filter(batch=batch).count() == 7
        assert not ClientConference.objects.exists()  # history is not case work
        event = AuditEvent.objects.get(action="report.history_imported")
        assert event.object_id == str(batch.pk) and event.actor == staff and "7 rijen" in event.detail
        assert "7 rijen geïmporteerd" in client.get(reverse("reports:history-detail", args=[batch.pk])).text

        # The same job again (redelivered) and the same file again: nothing twice.
        HistoryImport.objects.filter(pk=batch.pk).update(status="pending")
        run_job(batch)
        response = upload(client, network, CLEAN_CONFERENCES)
        assert response.status_code == 422 and "al geïmporteerd" in response.text
        assert ImportedConferenceRequest.objects.count() == 7

        snapshot = compute(network=network, period=HalfYear(2024, 1), today=D(2026, 3, 10))
        conference = next(s for s in snapshot["sections"] if s["key"] == "client_conference")
        facts = {fact["label"]: fact["value"] for fact in conference["facts"]}
        assert facts["Aanvragen"] == 7
        assert facts["Ontvankelijk verklaard"] == 5  # CO-1, 2, 3, 6 with a day; CO-5 without one counts in H1
        assert facts["Niet ontvankelijk"] == 1
        assert facts["Eerste overleggen gehouden"] == 3  # CO-1, CO-2, CO-5; CO-6 held in H2
        assert facts["waarvan aanvragen uit geïmporteerde historiek"] == 7
        cohort = next(t for t in conference["tables"] if t["key"] == "conference_cohort")
        assert cohort["rows"][1][:3] == ["Ontvankelijk verklaard", 5, "71%"]
        # CO-5 has no decision day: reached, but not timed (4 of the 5 within 30 days).
        assert cohort["rows"][1][3:6] == [4, 4, 4]
        assert cohort["rows"][2][:6] == ["Eerste overleg gehouden", 4, "57%", 1, 3, 3]
        later = compute(network=network, period=HalfYear(2024, 2), today=D(2026, 3, 10))
        conference = next(s for s in later["sections"] if s["key"] == "client_conference")
        assert {f["label"]: f["value"] for f in conference["facts"]}["Eerste overleggen gehouden"] == 1

    def test_a_failing_insert_leaves_nothing_half_imported(
        self, client, network, staff, quiet_broker, monkeypatch
    ):
        client.force_login(staff)
        upload(client, network, CLEAN_CONFERENCES)
        batch = HistoryImport.objects.get()
        history_services.start_import(batch=batch, by=staff)
        original = ImportedConferenceRequest.objects.bulk_create

        def half_then_crash(objects, **kwargs):
            original(objects[:3], **kwargs)
            raise RuntimeError("worker killed")

        monkeypatch.setattr(ImportedConferenceRequest.objects, "bulk_create", half_then_crash)
        batch = run_job(batch)
        assert batch.status == "failed" and "Er is niets geïmporteerd" in batch.error
        assert not ImportedConferenceRequest.objects.exists()

    def test_referrals_are_matched_to_organisations_and_counted(self, client, network, staff, quiet_broker):
        OrganisationFactory(name="CGG Waas en Dender")
        OrganisationFactory(name="Thuisbegeleiding", kbo_number="0123456749")
        content = "\r\n".join(
            [
                "referentie;verstuurd op;ontvangende organisatie;buiten verwijsafspraak;aanvaard op;geweigerd op;reden weigering;hulp gestart op",
                "VW-1;10/01/2024;cgg waas en dender;nee;15/01/2024;;;01/02/2024",
                "VW-2;11/01/2024;0123.456.749;ja;;20/01/2024;geen plaats (wachtlijst);",
                "VW-3;12/01/2024;Onbekende dienst;nee;;;;",
            ]
        )
        client.force_login(staff)
        response = upload(client, network, content, kind="referrals")
        assert (
            response.status_code == 422
            and "Onbekende organisatie &#x27;Onbekende dienst&#x27;" in response.text
        )
        response = upload(client, network, content.rsplit("\r\n", 1)[0], kind="referrals")
        assert response.status_code == 302
        batch = HistoryImport.objects.get()
        history_services.start_import(batch=batch, by=staff)
        assert run_job(batch).rows_imported == 2
        declined = ImportedReferral.objects.get(reference="VW-2")
        assert declined.decline_reason == Referral.DeclineReason.FULL and declined.outside_agreement
        snapshot = compute(network=network, period=HalfYear(2024, 1), today=D(2026, 3, 10))
        referrals = next(s for s in snapshot["sections"] if s["key"] == "referrals")
        facts = {fact["label"]: fact["value"] for fact in referrals["facts"]}
        assert (
            facts["Verwijzingen verstuurd"],
            facts["Aanvaard"],
            facts["Geweigerd"],
            facts["Hulp gestart"],
        ) == (2, 1, 1, 1)
        assert referrals["tables"][-1]["total"] == ["Totaal", 1]

    def test_one_import_at_a_time_per_network(self, client, network, staff, quiet_broker):
        client.force_login(staff)
        upload(client, network, CLEAN_CONFERENCES)
        upload(client, network, CLEAN_CONFERENCES.replace("CO-", "CX-"))
        first, second = HistoryImport.objects.order_by("pk")
        history_services.start_import(batch=first, by=staff)
        response = client.post(reverse("reports:history-import", args=[second.pk]), follow=True)
        assert "Er loopt al een import" in response.text
        second.refresh_from_db()
        assert second.status == "checked"

    def test_a_lost_import_is_queued_again_and_given_up_after_its_attempts(
        self, network, staff, settings, monkeypatch
    ):
        sent = []
        monkeypatch.setattr("ijh.queue.publish", lambda name, *args: sent.append((name, *args)) or "t")
        checked_batch = HistoryImport.objects.create(
            network=network,
            kind="conferences",
            original_name="a.csv",
            sha256="x",
            status="pending",
            queued_at=datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC),
        )
        tired = HistoryImport.objects.create(
            network=network,
            kind="referrals",
            original_name="b.csv",
            sha256="y",
            status="running",
            started_at=datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC),
            attempts=settings.JOB_MAX_ATTEMPTS,
        )
        assert history_services.requeue_stale_imports() == 1
        assert sent == [(history_services.IMPORT_TASK, checked_batch.pk)]
        tired.refresh_from_db()
        assert tired.status == "failed"


class TestAccess:
    def test_only_staff_of_the_region_import(self, client, network, other_network):
        chair = MembershipFactory(network=network, chair=True).user
        agency = MembershipFactory(role=Membership.Role.AGENCY, network=None, region=None).user
        other_staff = MembershipFactory(regional_staff=True, region=other_network.region).user
        for user, status in ((chair, 403), (agency, 403), (other_staff, 404)):
            client.force_login(user)
            assert client.get(reverse("reports:history", args=[network.pk])).status_code == status
            assert upload(client, network, CLEAN_CONFERENCES).status_code == status
        assert nothing_saved()

    def test_someone_elses_batch_is_not_found(self, client, network, other_network, staff):
        client.force_login(staff)
        upload(client, network, CLEAN_CONFERENCES)
        batch = HistoryImport.objects.get()
        other_staff = MembershipFactory(regional_staff=True, region=other_network.region).user
        client.force_login(other_staff)
        assert client.get(reverse("reports:history-detail", args=[batch.pk])).status_code == 404
        assert client.post(reverse("reports:history-import", args=[batch.pk])).status_code == 404

    def test_history_page_queries_do_not_grow(self, client, network, staff, django_assert_num_queries):
        for index in range(5):
            HistoryImport.objects.create(
                network=network, kind="conferences", original_name=f"{index}.csv", sha256="x"
            )
        client.force_login(staff)
        # session, user, network with region, staff regions, imports with uploader, then the
        # session save (savepoint, update, release)
        with django_assert_num_queries(8):
            assert client.get(reverse("reports:history", args=[network.pk])).status_code == 200
