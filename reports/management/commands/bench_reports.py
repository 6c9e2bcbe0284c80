"""Time one network's and one whole region's half-year report on Flanders-size steering data.

    manage.py bench_reports                 # generates the data once (idempotent per region), then times
    manage.py bench_reports --skip-generate # times on what is there

Targets (DESIGN.md §6): one network under 5 s, a region under 60 s. Prints a table; exits 1 when
a target is missed so it can gate a release.
"""

import io
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from networks.models import Network, Region
from networks.scale import Scale, generate
from reports import document, figures
from reports.models import HalfYear

TARGETS = {"network": 5.0, "region": 60.0}


def _page_count(pdf: bytes) -> int:
    # Page objects sit in compressed object streams; pypdf (a dev dependency) reads them.
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(io.BytesIO(pdf)).pages)


class Command(BaseCommand):
    help = "Benchmark report generation (figures + PDF) for one network and one region."

    def add_arguments(self, parser):
        parser.add_argument("--region", default="antwerpen", help="region code to fill and time")
        parser.add_argument("--networks", type=int, default=12, help="networks to add to the region")
        parser.add_argument("--skip-generate", action="store_true")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, **options):
        region = Region.objects.get(code=options["region"])
        if (
            not options["skip_generate"]
            and not Network.objects.filter(name__startswith=f"Bench {region.code}").exists()
        ):
            started = time.perf_counter()
            counts = generate(region=region, scale=Scale(networks_per_region=options["networks"]))
            self.stdout.write(f"generated {counts} in {time.perf_counter() - started:.1f} s")
        period = HalfYear.containing(timezone.localdate()).previous()
        network = (
            Network.objects.filter(region=region, name__startswith="Bench").order_by("pk").first()
            or Network.objects.filter(region=region).first()
        )
        rows = []
        missed = False
        for label, scope in (("network", {"network": network}), ("region", {"region": region})):
            durations, compute_times, query_counts, pages = [], [], [], 0
            for _ in range(options["repeat"]):
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
                    str(scope.get("network") or scope.get("region")),
                    median,
                    max(durations),
                    statistics.median(compute_times),
                    query_counts[-1],
                    pages,
                )
            )
        self.stdout.write(f"\nperiod {period}, database {connection.vendor}, {options['repeat']} runs each\n")
        self.stdout.write(
            f"{'scope':8} {'name':32} {'median s':>9} {'max s':>7} {'figures s':>10} {'queries':>8} {'pages':>6} target"
        )
        for label, name, median, worst, compute_median, queries, pages in rows:
            verdict = "ok" if median <= TARGETS[label] else "MISSED"
            self.stdout.write(
                f"{label:8} {name[:32]:32} {median:9.2f} {worst:7.2f} {compute_median:10.2f} {queries:8d} {pages:6d} < {TARGETS[label]:.0f} s {verdict}"
            )
        if missed:
            raise SystemExit(1)
