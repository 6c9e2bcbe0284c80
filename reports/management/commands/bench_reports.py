"""Time one network's, one region's and the Flanders report (figures + PDF) at Flanders scale.

    manage.py bench_reports                 # generates the Flanders data set once (generate_scale
                                            # --scale flanders, about 75 s), then times
    manage.py bench_reports --skip-generate # times on what is there
    manage.py bench_reports --only flanders # one scope

Targets (DESIGN.md §6, issue 17): one network under 5 s, a region under 60 s, all of Flanders
under 120 s. The network is the busiest RTJ network (most cases), the region its region. Prints a
table; exits 1 when a target is missed so it can gate a release.
"""

import io
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from cases.models import Case
from networks.models import Network
from reports import document, figures
from reports.models import HalfYear

TARGETS = {"network": 5.0, "region": 60.0, "flanders": 120.0}


def _page_count(pdf: bytes) -> int:
    # Page objects sit in compressed object streams; pypdf (a dev dependency) reads them.
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(io.BytesIO(pdf)).pages)


class Command(BaseCommand):
    help = "Benchmark report generation (figures + PDF) for a network, a region and Flanders."

    def add_arguments(self, parser):
        parser.add_argument("--skip-generate", action="store_true")
        parser.add_argument("--repeat", type=int, default=3, help="runs per scope (Flanders: at most 2)")
        parser.add_argument("--only", choices=sorted(TARGETS), action="append")

    def handle(self, *args, **options):
        if not options["skip_generate"] and not Network.objects.filter(name__startswith="Bench").exists():
            started = time.perf_counter()
            call_command("generate_scale", scale="flanders", stdout=self.stdout)
            self.stdout.write(f"generated the Flanders data set in {time.perf_counter() - started:.1f} s")
        period = HalfYear.containing(timezone.localdate()).previous()
        busiest = (
            Case.objects.filter(network__kind=Network.Kind.RTJ)
            .values("network_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("network_id", flat=True)
            .first()
        )
        network = (
            Network.objects.select_related("region").get(pk=busiest) if busiest else Network.objects.first()
        )
        scopes = [
            ("network", {"network": network}, str(network)),
            ("region", {"region": network.region}, str(network.region)),
            ("flanders", {"flanders": True}, f"Vlaanderen ({Network.objects.count()} netwerken)"),
        ]
        only = set(options["only"] or TARGETS)
        rows, missed = [], False
        for label, scope, name in scopes:
            if label not in only:
                continue
            repeat = min(options["repeat"], 2) if label == "flanders" else options["repeat"]
            durations, compute_times, query_counts, pages = [], [], [], 0
            for _ in range(repeat):
                reset_queries()
                with translation.override("nl-be"), CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    snapshot = figures.compute(**scope, period=period)
                    computed = time.perf_counter()
                    pdf = document.render_pdf(snapshot=snapshot, narrative=None, version_label="benchmark")
                    end = time.perf_counter()
                durations.append(end - start)
                compute_times.append(computed - start)
                query_counts.append(len(queries))
                pages = _page_count(pdf)
            median = statistics.median(durations)
            missed |= median > TARGETS[label]
            rows.append(
                (
                    label,
                    name,
                    median,
                    max(durations),
                    statistics.median(compute_times),
                    query_counts[-1],
                    pages,
                )
            )
            self.stdout.write(f"{label}: {median:.2f} s")
        self.stdout.write(
            f"\nperiod {period}, database {connection.vendor}, "
            f"{Case.objects.count():,} cases in {Network.objects.count()} networks\n".replace(",", ".")
        )
        self.stdout.write(
            f"{'scope':9} {'name':34} {'median s':>9} {'max s':>7} {'figures s':>10} {'queries':>8} {'pages':>6} target"
        )
        for label, name, median, worst, compute_median, queries, pages in rows:
            verdict = "ok" if median <= TARGETS[label] else "MISSED"
            self.stdout.write(
                f"{label:9} {name[:34]:34} {median:9.2f} {worst:7.2f} {compute_median:10.2f} {queries:8d} "
                f"{pages:6d} < {TARGETS[label]:.0f} s {verdict}"
            )
        if missed:
            raise SystemExit(1)
