"""Report periods (half year, calendar year, a period still running) and the Flanders view for
the Flemish administration (issue 17 §2, §5; issue 18 §8 asks for calendar-year reports)."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from networks.models import Membership
from networks.second_factor import requires_second_factor
from reports import disclosure, document, exports, services, tasks
from reports.figures import compute
from reports.models import CalendarYear, HalfYear, Narrative, ReportRun, period_of
from tests.factories import (
    CaseFactory,
    ClientConferenceFactory,
    MembershipFactory,
    NetworkFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
H1 = HalfYear(2026, 1)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.fixture
def in_may():
    with time_machine.travel(datetime.datetime(2026, 5, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def in_july():
    with time_machine.travel(datetime.datetime(2026, 7, 15, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff(network):
    return MembershipFactory(regional_staff=True, region=network.region).user


@pytest.fixture
def agency(db):
    return MembershipFactory(role=Membership.Role.AGENCY, network=None, region=None).user


@pytest.fixture
def quiet_broker(monkeypatch):
    monkeypatch.setattr("ijh.queue.publish", lambda name, *args: "t")


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


# --- periods ---------------------------------------------------------------------------------------


class TestPeriods:
    def test_period_of_gives_half_years_and_calendar_years(self):
        assert period_of(2026, 1) == H1 and period_of(2026, 0) == CalendarYear(2026)
        year = CalendarYear(2025)
        assert (year.start, year.end, str(year), year.kind) == (
            D(2025, 1, 1),
            D(2025, 12, 31),
            "2025",
            "year",
        )
        assert str(year.label) == "kalenderjaar 2025" and year.previous() == CalendarYear(2024)
        assert H1.is_running(D(2026, 6, 30)) and not H1.is_running(D(2026, 7, 1))

    def test_finalising_a_running_period_is_refused_with_a_dutch_message(
        self, client, network, staff, in_may, quiet_broker
    ):
        narrative = services.save_narrative(network=network, period=H1, data={"conclusions": "Al"}, by=staff)
        with pytest.raises(ValidationError, match="loopt nog tot en met 30/06/2026"):
            services.finalise_narrative(narrative=narrative, by=staff)
        with pytest.raises(ValidationError, match="loopt nog"):
            services.request_report(network=network, period=H1, by=staff, final=True)
        client.force_login(staff)
        page = client.get(reverse("reports:network", args=[network.pk]) + "?jaar=2026&semester=1")
        assert "Definitief maken" not in page.text and 'id="period-running"' in page.text
        response = client.post(reverse("reports:narrative-finalise", args=[narrative.pk]), follow=True)
        assert "loopt nog tot en met 30/06/2026" in response.text
        narrative.refresh_from_db()
        assert narrative.status == Narrative.Status.DRAFT
        assert not ReportRun.objects.filter(is_final=True).exists()
        # A draft may be made at any time.
        assert services.request_report(network=network, period=H1, by=staff).pk

    def test_a_finished_period_can_be_finalised(self, network, staff, in_july, quiet_broker):
        narrative = services.save_narrative(network=network, period=H1, data={"conclusions": "Af"}, by=staff)
        run = services.finalise_narrative(narrative=narrative, by=staff)
        assert run.is_final

    def test_a_draft_of_a_running_period_says_so_on_every_page(self, network):
        with translation.override("nl-be"):
            running = compute(network=network, period=H1, today=D(2026, 5, 15))
            pdf = document.render_pdf(snapshot=running, narrative=None, version_label="ontwerp")
            finished = compute(network=network, period=H1, today=D(2026, 7, 1))
            final_pdf = document.render_pdf(snapshot=finished, narrative=None, version_label="ontwerp")
        pages = pdf_pages(pdf)
        assert len(pages) > 3
        assert all("voorlopig — periode loopt nog" in page for page in pages)
        assert not any("voorlopig" in page for page in pdf_pages(final_pdf))

    def test_the_page_opens_on_the_running_half_year_once_the_last_one_is_final(
        self, client, network, staff, in_july
    ):
        client.force_login(staff)
        url = reverse("reports:network", args=[network.pk])
        assert "Verhalend deel – januari–juni 2026" in client.get(url).text
        Narrative.objects.create(network=network, year=2026, half=1, conclusions="Klaar", status="final")
        assert "Verhalend deel – juli–december 2026" in client.get(url).text

    def test_staff_ask_for_a_calendar_year_report(self, client, network, staff, in_july, quiet_broker):
        client.force_login(staff)
        response = client.post(
            reverse("reports:network-run-create", args=[network.pk]), {"jaar": 2025, "semester": 0}
        )
        assert response.status_code == 302
        run = ReportRun.objects.get()
        assert (run.year, run.half, run.period) == (2025, 0, CalendarYear(2025))
        page = client.get(reverse("reports:network", args=[network.pk]) + "?jaar=2025&semester=0")
        assert "kalenderjaar 2025" in page.text
        # The year's narrative is its own, beside the half years'.
        services.save_narrative(
            network=network, period=CalendarYear(2025), data={"conclusions": "J"}, by=staff
        )
        services.save_narrative(
            network=network, period=HalfYear(2025, 2), data={"conclusions": "H"}, by=staff
        )
        assert Narrative.objects.filter(network=network, year=2025).count() == 2

    def test_a_calendar_year_report_counts_the_whole_year(self, network):
        for day in (D(2025, 1, 1), D(2025, 8, 1), D(2025, 12, 31), D(2026, 1, 1)):
            ClientConferenceFactory(case__network=network, requested_on=day)
        snapshot = compute(network=network, period=CalendarYear(2025), today=D(2026, 2, 1))
        assert snapshot["period"]["kind"] == "year" and snapshot["period"]["label"] == "kalenderjaar 2025"
        conference = next(s for s in snapshot["sections"] if s["key"] == "client_conference")
        assert {f["label"]: f["value"] for f in conference["facts"]}["Aanvragen"] == 3

    def test_the_worker_renders_a_calendar_year_run(self, network, quiet_broker, in_july):
        run = ReportRun.objects.create(network=network, year=2025, half=0)
        tasks.render_report.apply(args=[run.pk])
        run.refresh_from_db()
        assert run.status == ReportRun.Status.DONE and run.file.name.startswith("reports/2025/")


# --- the Flanders view ---------------------------------------------------------------------------


@pytest.fixture
def flanders(db):
    """Two regions; Antwerpen with two RTJ networks and a crisis network, Limburg with one RTJ
    network. Requests in H1 2026: Noord 12, Zuid 3, Hasselt 7."""
    antwerpen, limburg = (
        RegionFactory(code="antwerpen", name="Antwerpen"),
        RegionFactory(code="limburg", name="Limburg"),
    )
    networks = {
        "noord": NetworkFactory(name="RTJ Noord", region=antwerpen),
        "zuid": NetworkFactory(name="RTJ Zuid", region=antwerpen),
        "crisis": NetworkFactory(name="Crisisnetwerk Antwerpen", region=antwerpen, kind="crisis"),
        "hasselt": NetworkFactory(name="RTJ Hasselt", region=limburg),
    }
    for key, count in (("noord", 12), ("zuid", 3), ("hasselt", 7)):
        case = CaseFactory(network=networks[key], opened_on=D(2026, 1, 5))
        for _ in range(count):
            ClientConferenceFactory(case=case, network=networks[key], requested_on=D(2026, 3, 2))
    return networks


def _table(snapshot, key):
    return next(t for s in snapshot["sections"] for t in s["tables"] if t["key"] == key)


class TestFlandersFigures:
    def test_networks_side_by_side_per_kind_with_region_totals(self, flanders):
        snapshot = compute(flanders=True, period=H1, today=D(2026, 8, 1))
        assert snapshot["scope"]["type"] == "flanders"
        keys = [s["key"] for s in snapshot["sections"]]
        assert keys[:3] == ["flanders_networks", "compare_rtj", "compare_crisis"]
        assert _table(snapshot, "flanders_networks")["rows"] == [["Antwerpen", 2, 1, 3], ["Limburg", 1, 0, 1]]
        by_network = _table(snapshot, "conference_by_network")
        # Every network, those without case work too (0), region by region with its total.
        assert [row[:2] for row in by_network["rows"]] == [
            ["Crisisnetwerk Antwerpen", 0],
            ["RTJ Noord", 12],
            ["RTJ Zuid", 3],
            ["Totaal Antwerpen", 15],
            ["RTJ Hasselt", 7],
            ["Totaal Limburg", 7],
        ]
        assert by_network["total"][:2] == ["Totaal", 22]
        shown = disclosure.apply(by_network)
        # Zuid's 3 is hidden, and Noord with it: Antwerpen's 15 would otherwise give the 3 away.
        assert [row[1] for row in shown["rows"]] == [0, disclosure.HIDDEN, "<5", 15, 7, 7]
        cohort = _table(snapshot, "conference_cohort_by_network")
        assert [row[:2] for row in cohort["rows"]][3] == ["Totaal Antwerpen", 15]

    def test_the_region_report_breaks_its_figures_down_per_network(self, flanders):
        region = flanders["noord"].region
        snapshot = compute(region=region, period=H1, today=D(2026, 8, 1))
        by_network = _table(snapshot, "conference_by_network")
        assert [row[:2] for row in by_network["rows"]] == [
            ["Crisisnetwerk Antwerpen", 0],
            ["RTJ Noord", 12],
            ["RTJ Zuid", 3],
        ]
        assert by_network["total"][:2] == ["Totaal", 15]
        assert _table(snapshot, "referrals_by_network")["total"][0] == "Totaal"
        assert _table(snapshot, "cases_by_network")["rows"][1][:3] == ["RTJ Noord", 1, 1]

    def test_the_flanders_pdf_and_exports_render_with_subtotals(self, flanders):
        with translation.override("nl-be"):
            snapshot = compute(flanders=True, period=H1, today=D(2026, 8, 1))
            pages = pdf_pages(document.render_pdf(snapshot=snapshot, narrative=None, version_label="ontwerp"))
        text = " ".join(pages)
        assert "Vlaanderen" in pages[0] and "4 netwerken" in pages[0]
        assert "RTJ-netwerken naast elkaar" in text
        assert "Totaal Antwerpen 15" in text
        long_rows = list(exports.long_rows(snapshot))
        assert long_rows[0][:2] == ("Vlaanderen", "januari–juni 2026")
        assert any(row[4] == "Totaal Limburg" for row in long_rows)


class TestAgencyAccess:
    def test_agency_opens_flanders_every_network_and_region_read_only(self, client, agency, flanders):
        client.force_login(agency)
        assert "Vlaams overzicht" in client.get(reverse("reports:index")).text
        assert client.get(reverse("reports:flanders")).status_code == 200
        network_page = client.get(reverse("reports:network", args=[flanders["hasselt"].pk]))
        assert network_page.status_code == 200 and "Genereer rapport" not in network_page.text
        assert client.get(reverse("reports:region", args=[flanders["noord"].region_id])).status_code == 200
        assert (
            client.post(
                reverse("reports:network-run-create", args=[flanders["noord"].pk]),
                {"jaar": 2026, "semester": 1},
            ).status_code
            == 403
        )

    def test_agency_reads_final_runs_of_networks_and_every_flanders_run(self, client, agency, flanders):
        network = flanders["noord"]
        narrative = Narrative.objects.create(
            network=network, year=2025, half=2, conclusions="X", status="final"
        )
        snapshot = {
            "schema": 1,
            "generated_from": "2026-01-05",
            "scope": {"name": "n"},
            "period": {"label": "p"},
            "sections": [],
        }
        final = ReportRun.objects.create(
            network=network,
            year=2025,
            half=2,
            status="done",
            is_final=True,
            narrative=narrative,
            figures=snapshot,
        )
        draft = ReportRun.objects.create(network=network, year=2025, half=2, status="done", figures=snapshot)
        mine = ReportRun.objects.create(year=2025, half=2, status="done", figures=snapshot)
        client.force_login(agency)
        export = "reports:run-export"
        assert client.get(reverse(export, args=[final.pk, "csv"])).status_code == 200
        assert client.get(reverse(export, args=[draft.pk, "csv"])).status_code == 404
        assert client.get(reverse(export, args=[mine.pk, "lang.csv"])).status_code == 200
        assert client.post(reverse("reports:run-retry", args=[final.pk])).status_code == 403

    def test_agency_generates_a_flanders_run(
        self, client, agency, flanders, in_july, fake_broker, django_capture_on_commit_callbacks
    ):
        client.force_login(agency)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:flanders-run-create"), {"jaar": 2026, "semester": 1})
        assert response.status_code == 302
        run = ReportRun.objects.get()
        assert run.is_flanders and fake_broker.ids(services.RENDER_TASK) == [run.pk]
        tasks.render_report.apply(args=[run.pk])
        run.refresh_from_db()
        assert (
            run.status == ReportRun.Status.DONE
            and run.file.name == f"reports/2026-H1/flanders/run-{run.pk}.pdf"
        )
        assert client.get(reverse("reports:run-download", args=[run.pk])).status_code == 200

    def test_agency_sees_no_case_page(self, client, agency, flanders):
        case = flanders["noord"].cases.first()
        client.force_login(agency)
        assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
        assert client.get(reverse("cases:list")).status_code in (200, 404)
        assert "Lotte" not in client.get(reverse("cases:list")).text

    def test_others_get_404_for_flanders(self, client, network, staff, flanders):
        chair = MembershipFactory(network=network, chair=True).user
        for user in (staff, chair):
            client.force_login(user)
            assert client.get(reverse("reports:flanders")).status_code == 404
            assert (
                client.post(reverse("reports:flanders-run-create"), {"jaar": 2026, "semester": 1}).status_code
                == 404
            )
        flanders_run = ReportRun.objects.create(year=2026, half=1, status="done", figures={})
        assert client.get(reverse("reports:run-download", args=[flanders_run.pk])).status_code == 404

    def test_agency_needs_the_second_factor(self, settings, agency):
        settings.OTP_REQUIRED = True
        assert requires_second_factor(agency)

    @pytest.mark.parametrize("extra", [0, 10])
    def test_flanders_page_queries_do_not_grow(
        self, client, agency, flanders, extra, django_assert_num_queries
    ):
        region = RegionFactory(code=f"r{extra}")
        for index in range(extra):
            NetworkFactory(region=region)
            ReportRun.objects.create(year=2020 - index, half=1, status="done", requested_by=agency)
        client.force_login(agency)
        # session, user, agency role, the previous half year's narrative, current narrative, runs
        # with narrative and requester, then the session save (savepoint, update, release)
        with django_assert_num_queries(9):
            response = client.get(reverse("reports:flanders"))
        assert response.status_code == 200


def test_a_figure_shown_twice_is_hidden_in_both_places(flanders):
    # West-Vlaanderen has 2 requests in all: its subtotal is "<5", so the Flanders total of the
    # table is hidden rather than another region's subtotal (which that region's own report
    # shows) — and then the same total as key figure and as cohort start is hidden too.
    west = NetworkFactory(
        name="RTJ Brugge", region=RegionFactory(code="west-vlaanderen", name="West-Vlaanderen")
    )
    case = CaseFactory(network=west, opened_on=D(2026, 1, 5))
    for _ in range(2):
        ClientConferenceFactory(case=case, network=west, requested_on=D(2026, 3, 2))
    snapshot = compute(flanders=True, period=H1, today=D(2026, 8, 1))
    conference = next(s for s in snapshot["sections"] if s["key"] == "client_conference")
    fact_mask, masks = disclosure.section_masks(conference)
    tables = {table["key"]: (table, mask) for table, mask in zip(conference["tables"], masks, strict=True)}
    facts = {fact.get("key"): hidden for fact, hidden in zip(conference["facts"], fact_mask, strict=True)}
    by_network, (_rows_mask, total_mask) = tables["conference_by_network"]
    assert by_network["total"][1] == 24 and total_mask[1] and facts["requests"]
    funnel, (funnel_mask, _none) = tables["conference_cohort"]
    assert funnel["rows"][0][1] == 24 and funnel_mask[0][1]
    # Every figure shown twice: hidden in both places or in neither.
    for table, (_mask, total) in tables.values():
        for column, target in table.get("total_same_as", []):
            if "fact" in target:
                assert total[column] == facts[target["fact"]], (table["key"], column)
            else:
                other_mask = tables[target["table"]][1][0]
                assert total[column] == other_mask[target["row"]][target["column"]], (table["key"], column)
    # And nothing of it leaks into the exports.
    long_rows = list(exports.long_rows(snapshot))
    assert not [row for row in long_rows if row[2] == "Cliëntoverleg" and row[5] == 24]
