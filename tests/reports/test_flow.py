"""Report runs: access, narrative lifecycle, requests (double clicks, bad periods), the task body,
exports and the schedule. The PDF and the figures have their own tests."""

import csv
import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from ijh.models import AuditEvent
from networks.models import Membership
from reports import exports, services, tasks
from reports.models import HalfYear, Narrative, ReportRun
from tests.factories import MembershipFactory, NetworkFactory, RegionFactory

pytestmark = pytest.mark.django_db

H1 = HalfYear(2026, 1)
FAKE_SNAPSHOT = {
    "schema": 1,
    "generated_from": "2026-07-01",
    "scope": {
        "type": "network",
        "id": 1,
        "name": "RTJ Testland",
        "kind": "rtj",
        "kind_label": "RTJ",
        "region": "Oost-Vlaanderen",
    },
    "period": {
        "year": 2026,
        "half": 1,
        "start": "2026-01-01",
        "end": "2026-06-30",
        "label": "januari–juni 2026",
    },
    "networks": [],
    "sections": [
        {
            "key": "members",
            "title": "Lidorganisaties",
            "intro": "",
            "definition": "",
            "facts": [],
            "tables": [
                {
                    "key": "by_sector",
                    "title": "Per sector",
                    "columns": ["Sector", "Leden"],
                    "rows": [['=HYPERLINK("http://x")', 3], ["CAW", 12], ["CLB", 7]],
                    "total": ["Totaal", 22],
                    "count_columns": [1],
                    "chart": None,
                }
            ],
        }
    ],
}


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
def frozen_after_h1():
    with time_machine.travel(datetime.datetime(2026, 7, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff(network):
    return MembershipFactory(regional_staff=True, region=network.region).user


@pytest.fixture
def chair(network):
    return MembershipFactory(network=network, chair=True).user


@pytest.fixture
def coordinator(network):
    return MembershipFactory(network=network, coordinator=True).user


@pytest.fixture
def fake_rendering(monkeypatch):
    from reports import document, figures

    monkeypatch.setattr(figures, "compute", lambda **kwargs: FAKE_SNAPSHOT)
    monkeypatch.setattr(document, "render_pdf", lambda **kwargs: b"%PDF-1.7 fake report")


def page(network):
    return reverse("reports:network", args=[network.pk])


class TestAccess:
    def test_staff_of_the_region_writes(self, client, network, staff, frozen_after_h1):
        client.force_login(staff)
        response = client.get(page(network))
        assert response.status_code == 200
        assert "Genereer rapport" in response.text
        assert client.get(reverse("reports:region", args=[network.region_id])).status_code == 200

    def test_chair_reads_only_final_reports(self, client, network, chair, staff, frozen_after_h1):
        draft = ReportRun.objects.create(
            network=network, year=2026, half=1, status=ReportRun.Status.DONE, figures=FAKE_SNAPSHOT
        )
        narrative = Narrative.objects.create(
            network=network, year=2026, half=1, conclusions="Klaar", status="final"
        )
        final = ReportRun.objects.create(
            network=network,
            year=2026,
            half=1,
            status=ReportRun.Status.DONE,
            narrative=narrative,
            is_final=True,
            figures=FAKE_SNAPSHOT,
        )
        client.force_login(chair)
        response = client.get(page(network))
        assert response.status_code == 200
        assert "Genereer rapport" not in response.text
        assert f'id="run-{final.pk}"' in response.text
        assert f'id="run-{draft.pk}"' not in response.text
        assert client.get(reverse("reports:run-export", args=[draft.pk, "csv"])).status_code == 404
        assert client.get(reverse("reports:run-export", args=[final.pk, "csv"])).status_code == 200
        long_csv = client.get(reverse("reports:run-export", args=[final.pk, "lang.csv"]))
        assert long_csv.status_code == 200 and "-lang.csv" in long_csv["Content-Disposition"]
        assert client.get(reverse("reports:run-export", args=[draft.pk, "lang.csv"])).status_code == 404
        assert client.get(reverse("reports:run-export", args=[final.pk, "pdf"])).status_code == 404
        assert (
            client.post(
                reverse("reports:network-run-create", args=[network.pk]), {"jaar": 2026, "semester": 1}
            ).status_code
            == 403
        )

    def test_coordinator_outsider_and_staff_of_another_region_get_404(
        self, client, network, coordinator, outsider
    ):
        other_staff = MembershipFactory(regional_staff=True, region=RegionFactory(code="limburg")).user
        for user in (coordinator, outsider.user, other_staff):
            client.force_login(user)
            assert client.get(page(network)).status_code == 404
        assert client.get(reverse("reports:region", args=[network.region_id])).status_code == 404

    def test_anonymous_goes_to_login(self, client, network):
        assert client.get(page(network)).status_code == 302


RENDER = "reports.tasks.render_report"


class TestRequest:
    def test_generate_queues_one_run_after_commit(
        self, client, network, staff, frozen_after_h1, fake_broker, django_capture_on_commit_callbacks
    ):
        client.force_login(staff)
        url = reverse("reports:network-run-create", args=[network.pk])
        with django_capture_on_commit_callbacks(execute=True):
            first = client.post(url, {"jaar": 2026, "semester": 1}, headers={"HX-Request": "true"})
            second = client.post(
                url, {"jaar": 2026, "semester": 1}, headers={"HX-Request": "true"}
            )  # double click
        run = ReportRun.objects.get()
        assert fake_broker.ids(RENDER) == [run.pk]
        assert first.status_code == 200 and 'hx-trigger="load delay:1s"' in first.text
        assert second["HX-Retarget"] == f"#run-{run.pk}"  # the same row is refreshed, no second run
        assert run.task_id == "t-1"
        assert AuditEvent.objects.filter(action="report.requested").count() == 1

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"jaar": 2027, "semester": 1}, "in de toekomst"),
            ({"jaar": 2026, "semester": 3}, "Kies januari–juni, juli–december of het hele kalenderjaar"),
            ({"jaar": "twintig", "semester": 1}, "Geef een jaartal."),
            ({"jaar": 1999, "semester": 1}, "vanaf 2004"),
        ],
    )
    def test_bad_periods_are_refused(self, client, network, staff, frozen_after_h1, data, message):
        client.force_login(staff)
        response = client.post(
            reverse("reports:network-run-create", args=[network.pk]), data, headers={"HX-Request": "true"}
        )
        assert response.status_code == 422
        assert message in response.text
        assert not ReportRun.objects.exists()

    def test_database_refuses_two_active_runs(self, network):
        ReportRun.objects.create(network=network, year=2026, half=1)
        with pytest.raises(IntegrityError):
            ReportRun.objects.create(network=network, year=2026, half=1)

    def test_broker_down_keeps_the_request(
        self, network, staff, frozen_after_h1, fake_broker, django_capture_on_commit_callbacks
    ):
        fake_broker.down = True
        with django_capture_on_commit_callbacks(execute=True):
            run = services.request_report(network=network, period=H1, by=staff)
        run.refresh_from_db()
        assert run.status == ReportRun.Status.PENDING
        assert "niet bereikbaar" in run.error
        # Once the broker is back, the safety net queues it again.
        fake_broker.down = False
        ReportRun.objects.filter(pk=run.pk).update(created_at=run.created_at - datetime.timedelta(minutes=30))
        assert services.requeue_stale_runs() == 1
        assert fake_broker.ids(RENDER) == [run.pk]

    def test_a_run_whose_worker_keeps_dying_stops_after_three_attempts(
        self, network, staff, frozen_after_h1, fake_broker, settings
    ):
        settings.JOB_MAX_ATTEMPTS = 3
        run = services.request_report(network=network, period=H1, by=staff)
        long_ago = timezone.now() - datetime.timedelta(hours=1)
        for attempt in (1, 2, 3):
            assert tasks._claim(run.pk, f"task-{attempt}") is not None
            ReportRun.objects.filter(pk=run.pk).update(started_at=long_ago)
            services.requeue_stale_runs()
        run.refresh_from_db()
        assert run.attempts == 3 and run.status == ReportRun.Status.FAILED
        assert "3 keer" in run.error
        assert fake_broker.ids(RENDER).count(run.pk) == 2  # requeued after attempts 1 and 2 only


class TestNarrative:
    def test_finalising_without_narrative_is_refused(self, network, staff, frozen_after_h1):
        narrative = services.save_narrative(network=network, period=H1, data={}, by=staff)
        with pytest.raises(ValidationError, match="Schrijf eerst"):
            services.finalise_narrative(narrative=narrative, by=staff)

    def test_final_narrative_is_locked_and_correction_keeps_the_old(
        self, network, staff, frozen_after_h1, django_capture_on_commit_callbacks, monkeypatch
    ):
        monkeypatch.setattr("ijh.queue.publish", lambda name, *args: "x")
        narrative = services.save_narrative(
            network=network, period=H1, data={"conclusions": "Wachtlijsten dalen."}, by=staff
        )
        with django_capture_on_commit_callbacks(execute=True):
            run = services.finalise_narrative(narrative=narrative, by=staff)
        assert run.narrative == narrative and run.is_final
        with pytest.raises(ValidationError, match="vergrendeld"):
            services.save_narrative(network=network, period=H1, data={"conclusions": "Anders"}, by=staff)
        correction = services.correct_narrative(narrative=narrative, by=staff)
        assert (correction.version, correction.corrects, correction.conclusions) == (
            2,
            narrative,
            "Wachtlijsten dalen.",
        )
        services.save_narrative(network=network, period=H1, data={"conclusions": "Verbeterd"}, by=staff)
        narrative.refresh_from_db()
        assert narrative.conclusions == "Wachtlijsten dalen."

    def test_view_saves_narrative(self, client, network, staff, frozen_after_h1):
        client.force_login(staff)
        response = client.post(
            reverse("reports:network-narrative", args=[network.pk]),
            {
                "jaar": 2026,
                "semester": 1,
                "bottlenecks": "Wachtlijst CGG",
                "good_practices": "",
                "conclusions": "",
            },
        )
        assert response.status_code == 302
        assert Narrative.objects.get().bottlenecks == "Wachtlijst CGG"

    def test_finalise_view_without_text_shows_message(self, client, network, staff, frozen_after_h1):
        narrative = Narrative.objects.create(network=network, year=2026, half=1)
        client.force_login(staff)
        response = client.post(reverse("reports:narrative-finalise", args=[narrative.pk]), follow=True)
        assert "Schrijf eerst het verhalende deel" in response.text
        narrative.refresh_from_db()
        assert narrative.status == Narrative.Status.DRAFT


class TestTaskBody:
    def test_renders_stores_and_is_idempotent(self, network, fake_rendering, tmp_path):
        run = ReportRun.objects.create(network=network, year=2026, half=1)
        tasks.render_report.apply(args=[run.pk], task_id="task-1")
        run.refresh_from_db()
        assert (run.status, run.progress) == (ReportRun.Status.DONE, 100)
        assert run.figures == FAKE_SNAPSHOT
        assert run.file.read() == b"%PDF-1.7 fake report"
        stored = list(tmp_path.rglob("*"))
        tasks.render_report.apply(args=[run.pk], task_id="task-2")  # redelivery: nothing happens
        assert list(tmp_path.rglob("*")) == stored
        assert not list(tmp_path.rglob("*.part"))

    def test_failure_is_recorded_with_a_short_reason_and_retry_makes_a_new_run(
        self, network, staff, monkeypatch, frozen_after_h1
    ):
        from reports import document, figures

        monkeypatch.setattr(figures, "compute", lambda **kwargs: FAKE_SNAPSHOT)

        def broken(**kwargs):
            raise RuntimeError("font missing")

        monkeypatch.setattr(document, "render_pdf", broken)
        run = ReportRun.objects.create(network=network, year=2026, half=1)
        tasks.render_report.apply(args=[run.pk])
        run.refresh_from_db()
        assert run.status == ReportRun.Status.FAILED
        assert "RuntimeError" in run.error and "font missing" not in run.error
        monkeypatch.setattr("ijh.queue.publish", lambda name, *args: "r")
        again = services.retry_report(run=run, by=staff)
        assert again.pk != run.pk and again.status == ReportRun.Status.PENDING

    def test_a_live_run_of_another_task_is_left_alone(self, network, fake_rendering):

        run = ReportRun.objects.create(
            network=network,
            year=2026,
            half=1,
            status=ReportRun.Status.RUNNING,
            task_id="other",
            started_at=timezone.now(),
        )
        tasks.render_report.apply(args=[run.pk], task_id="mine")
        run.refresh_from_db()
        assert (run.status, run.task_id) == (ReportRun.Status.RUNNING, "other")


class TestExports:
    def test_csv_is_suppressed_and_formula_safe(self):
        text = exports.to_csv(FAKE_SNAPSHOT).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert ['\'=HYPERLINK("http://x")', "<5"] in rows
        assert ["CLB", "x"] in rows  # secondary suppression: 7 would reveal the 3 via the total
        assert ["Totaal", "22"] in rows
        assert "3" not in [cell for row in rows for cell in row]

    def test_long_csv_has_one_line_per_figure_with_a_suppressed_flag(self):
        text = exports.to_long_csv(FAKE_SNAPSHOT).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[0] == ["scope", "periode", "sectie", "cijfer", "dimensie", "waarde", "onderdrukt"]
        body = [row[2:] for row in rows[1:]]
        assert ["Lidorganisaties", "Per sector: Leden", '\'=HYPERLINK("http://x")', "<5", "1"] in body
        assert ["Lidorganisaties", "Per sector: Leden", "CLB", "x", "1"] in body
        assert ["Lidorganisaties", "Per sector: Leden", "CAW", "12", "0"] in body
        assert ["Lidorganisaties", "Per sector: Leden", "Totaal", "22", "0"] in body
        assert len(body) == 4

    def test_xlsx_matches_the_csv(self):
        workbook = load_workbook(io.BytesIO(exports.to_xlsx(FAKE_SNAPSHOT)))
        values = [
            [cell for cell in row if cell is not None] for row in workbook.active.iter_rows(values_only=True)
        ]
        assert ['\'=HYPERLINK("http://x")', "<5"] in values
        assert ["CAW", 12] in values
        long_values = list(workbook["Lang formaat"].iter_rows(values_only=True))
        assert long_values[0] == tuple(exports.LONG_COLUMNS)
        assert (
            "RTJ Testland",
            "januari–juni 2026",
            "Lidorganisaties",
            "Per sector: Leden",
            "CAW",
            12,
            0,
        ) in long_values


class TestSchedule:
    def test_half_year_schedule_fans_out_one_run_per_scope(
        self, network, other_network, monkeypatch, django_capture_on_commit_callbacks
    ):
        NetworkFactory(region=network.region, status="ended")
        created = []
        monkeypatch.setattr(tasks.create_scheduled_run, "delay", lambda *args: created.append(args))
        # 1 January: the second half year and the calendar year just ended, per network, per
        # region and for Flanders.
        assert tasks.schedule_half_year_reports("2027-01-01") == 4
        expected = [
            (scope, scope_id, 2026, half)
            for half in (2, 0)
            for scope, scope_id in (
                ("network", network.pk),
                ("network", other_network.pk),
                ("region", network.region_id),
                ("region", other_network.region_id),
                ("flanders", 0),
            )
        ]
        assert sorted(created) == sorted(expected)
        created.clear()
        tasks.schedule_half_year_reports("2027-07-01")  # 1 July: the first half year only
        assert {args[3] for args in created} == {1}

    def test_scheduled_run_is_created_once(self, network, monkeypatch):
        monkeypatch.setattr("ijh.queue.publish", lambda name, *args: "s")
        with time_machine.travel(datetime.datetime(2027, 1, 1, 2, 0, tzinfo=datetime.UTC), tick=False):
            tasks.create_scheduled_run("network", network.pk, 2026, 2)
            tasks.create_scheduled_run("network", network.pk, 2026, 2)
        run = ReportRun.objects.get()
        assert run.scheduled and run.requested_by is None

    def test_beat_schedule_is_configured(self, settings):
        entry = settings.CELERY_BEAT_SCHEDULE["half-year-reports"]
        assert entry["task"] == "reports.tasks.schedule_half_year_reports"
        assert entry["schedule"].hour == {2} and entry["schedule"].day_of_month == {1}
        assert entry["schedule"].month_of_year == {1, 7}


def test_membership_roles_used_for_access_exist():
    assert Membership.Role.STAFF in Membership.REGION_ROLES


class TestQueryCounts:
    @pytest.mark.parametrize("runs", [1, 12])
    def test_scope_page_queries_do_not_grow(
        self, client, network, staff, frozen_after_h1, runs, django_assert_num_queries
    ):
        narrative = Narrative.objects.create(network=network, year=2026, half=1, conclusions="Tekst")
        for index in range(runs):
            ReportRun.objects.create(
                network=network,
                year=2025 - index,
                half=1,
                status=ReportRun.Status.DONE,
                narrative=narrative,
                requested_by=staff,
            )
        client.force_login(staff)
        # session, user, network with region, staff regions, the previous half year's narrative
        # (is it final? then the page opens on the running one), current narrative, runs with
        # narrative and requester, then the session save (savepoint, update, release)
        with django_assert_num_queries(10):
            response = client.get(page(network))
        assert response.status_code == 200

    @pytest.mark.parametrize("networks", [1, 8])
    def test_index_queries_do_not_grow(self, client, network, staff, networks, django_assert_num_queries):
        for _ in range(networks):
            NetworkFactory(region=network.region)
        client.force_login(staff)
        # session, user, agency role, staff regions, reader networks, regions, networks with
        # region, then the session save (savepoint, update, release)
        with django_assert_num_queries(10):
            client.get(reverse("reports:index"))


def test_a_draft_run_stays_hidden_from_readers_after_finalising(
    client, network, staff, chair, frozen_after_h1, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("ijh.queue.publish", lambda name, *args: "x")
    narrative = services.save_narrative(network=network, period=H1, data={"conclusions": "Eerst"}, by=staff)
    draft = services.request_report(network=network, period=H1, by=staff)  # still pending
    with django_capture_on_commit_callbacks(execute=True):
        final = services.finalise_narrative(narrative=narrative, by=staff)
    assert final.pk != draft.pk and final.is_final and not draft.is_final  # an in-flight draft is not reused
    ReportRun.objects.filter(pk__in=[draft.pk, final.pk]).update(
        status=ReportRun.Status.DONE, figures=FAKE_SNAPSHOT
    )
    client.force_login(chair)
    assert client.get(reverse("reports:run-export", args=[draft.pk, "csv"])).status_code == 404
    assert client.get(reverse("reports:run-export", args=[final.pk, "csv"])).status_code == 200
    assert client.post(reverse("reports:narrative-finalise", args=[narrative.pk])).status_code == 404
