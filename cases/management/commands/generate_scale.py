"""A Flanders-size data set for benchmarks (DESIGN.md §6), deterministic from a seed.

    manage.py generate_scale --scale flanders   # 60 networks, 3,000 organisations, 10,000 users,
                                                # 200,000 cases, ~2 million timeline + audit events
    manage.py generate_scale --scale region     # one region: 10 networks, 20,000 cases
    manage.py generate_scale --scale network    # one network, 3,000 cases

Refuses to run twice on the same database (the data would double). Known logins for the
benchmark afterwards (password ``bench-ijh-2026``): bench-caseworker, bench-chair,
bench-coordinator, bench-member, bench-staff, bench-admin, bench-meldpunt (crisis), bench-planmaker,
bench-planmaker-coordinator, and in the busiest prison bench-guide (trajectbegeleider) and
bench-offer (organisatieondersteuner).
"""

import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from cases import scale as case_scale
from cases import scale_crisis as crisis_scale
from cases import scale_detention, scale_planmakers
from cases.models import Case, CaseTeamMember
from ijh.models import User
from networks import reference_data
from networks.models import Criterion, Membership, Network, Region, Sector
from networks.scale import Scale, generate

BENCH_PASSWORD = "bench-ijh-2026"
PRESETS = {
    # regions, networks per region, organisations per network, people per network, cases
    "flanders": (6, 10, 50, 167, 200_000),
    "region": (1, 10, 50, 167, 20_000),
    "network": (1, 1, 50, 167, 3_000),
}


class Command(BaseCommand):
    help = "Generate a benchmark data set (steering and case data) with bulk inserts."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(PRESETS), default="flanders")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        if Network.objects.filter(name__startswith="Bench").exists():
            raise CommandError("Er staan al benchmarkgegevens in deze databank; gebruik een lege databank.")
        regions_count, networks_per_region, organisations, people, cases = PRESETS[options["scale"]]
        seed = options["seed"]
        started = time.perf_counter()
        reference_data.ensure(Region, Sector)
        reference_data.ensure_criteria(Criterion)
        totals: dict[str, int] = {}
        # Antwerpen first: its first networks become the big-city ones (most cases).
        regions = sorted(Region.objects.all(), key=lambda region: (region.code != "antwerpen", region.code))
        for offset, region in enumerate(regions[:regions_count]):
            counts = generate(
                region=region,
                scale=Scale(
                    networks_per_region=networks_per_region,
                    organisations_per_network=organisations,
                    people_per_network=people,
                ),
                seed=seed + offset,
            )
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
        self.stdout.write(f"steering data: {totals} ({time.perf_counter() - started:.1f} s)")
        step = time.perf_counter()
        totals["case_roles"] = case_scale.ensure_case_roles(seed=seed)
        case_counts = case_scale.generate(cases=cases, seed=seed)
        # Crisis calls and episodes (issue 18): thousands of calls a year per crisis network.
        case_counts.update(
            crisis_scale.generate_crisis(calls_per_year=3000 if cases >= 20_000 else 500, seed=seed)
        )
        self.stdout.write(f"case data: {case_counts} ({time.perf_counter() - step:.1f} s)")
        step = time.perf_counter()
        detention_counts = scale_detention.generate(seed=seed)
        self.stdout.write(f"prisons: {detention_counts} ({time.perf_counter() - step:.1f} s)")
        self._known_users()
        step = time.perf_counter()
        planmaker_counts = scale_planmakers.generate(seed=seed, password=BENCH_PASSWORD)
        self.stdout.write(f"planmaker data: {planmaker_counts} ({time.perf_counter() - step:.1f} s)")
        step = time.perf_counter()
        case_scale.analyse()
        self.stdout.write(f"ANALYZE ({time.perf_counter() - step:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"done in {time.perf_counter() - started:.1f} s"))

    @transaction.atomic
    def _known_users(self) -> None:
        """Six logins the benchmark uses, each in the busiest network (the worst case)."""
        # The busiest network with conferences (RTJ), so every case page has data for them.
        busiest = (
            Case.objects.filter(network__kind=Network.Kind.RTJ)
            .values("network_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("network_id", flat=True)
            .first()
        )
        network = Network.objects.get(pk=busiest)
        lead_org = (
            CaseTeamMember.objects.filter(case__network=network)
            .values("organisation_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("organisation_id", flat=True)
            .first()
        )
        password = make_password(BENCH_PASSWORD)
        roles = {
            "bench-caseworker": {
                "role": Membership.Role.CASEWORKER,
                "network": network,
                "organisation_id": lead_org,
            },
            "bench-chair": {"role": Membership.Role.CHAIRPERSON_EXTERNAL, "network": network},
            "bench-coordinator": {"role": Membership.Role.COORDINATOR, "network": network},
            "bench-member": {
                "role": Membership.Role.STEERING_MEMBER,
                "network": network,
                "organisation_id": lead_org,
            },
            "bench-staff": {"role": Membership.Role.STAFF, "region": network.region},
            "bench-admin": {"role": Membership.Role.ADMIN, "region": network.region},
        }
        # The prison with the most guided detainees: its trajectbegeleider and organisatieondersteuner.
        from cases.models import Guidance

        prison_guide = (
            Guidance.objects.values("network_id", "guide_id").annotate(n=Count("pk")).order_by("-n").first()
        )
        if prison_guide:
            prison = Network.objects.get(pk=prison_guide["network_id"])
            guide_org = (
                Membership.objects.filter(network=prison, user_id=prison_guide["guide_id"])
                .values_list("organisation_id", flat=True)
                .first()
            )
            roles["bench-guide"] = {
                "role": Membership.Role.TRAJECTORY_GUIDE,
                "network": prison,
                "organisation_id": guide_org,
            }
            roles["bench-offer"] = {
                "role": Membership.Role.OFFER_COORDINATOR,
                "network": prison,
                "organisation_id": guide_org,
            }
        for username, membership in roles.items():
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"first_name": "Bench", "last_name": username[6:], "password": password},
            )
            Membership.objects.get_or_create(user=user, since="2016-01-01", **membership)
        # The chair gets the conferences of one of the pool's chairs, so their pages have data.
        from cases.models import ClientConference

        pool_chair = (
            ClientConference.objects.filter(network=network, chair__isnull=False)
            .values("chair_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("chair_id", flat=True)
            .first()
        )
        if pool_chair:
            ClientConference.objects.filter(network=network, chair_id=pool_chair).update(
                chair=User.objects.get(username="bench-chair")
            )
        if prison_guide:
            # bench-guide takes over that trajectbegeleider's caseload (guidance and team rows).
            bench_guide = User.objects.get(username="bench-guide")
            Guidance.objects.filter(network=prison, guide_id=prison_guide["guide_id"]).update(
                guide=bench_guide
            )
            CaseTeamMember.objects.filter(case__network=prison, user_id=prison_guide["guide_id"]).update(
                user=bench_guide
            )
        self._meldpunt(password)
        self.stdout.write(
            f"known users in {network} (lead organisation #{lead_org}); password {BENCH_PASSWORD}"
        )

    def _meldpunt(self, password: str) -> None:
        """bench-meldpunt answers the line of the crisis network with the most calls."""
        from cases.models import CrisisCall

        busiest = (
            CrisisCall.objects.values("network_id")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("network_id", flat=True)
            .first()
        )
        if busiest is None:
            return
        user, _ = User.objects.update_or_create(
            username="bench-meldpunt",
            defaults={"first_name": "Bench", "last_name": "meldpunt", "password": password},
        )
        Membership.objects.get_or_create(
            user=user, since="2016-01-01", role=Membership.Role.MELDPUNT, network_id=busiest
        )
