"""`make bench`: latency and query counts per page and role on the Flanders data set.

Serves the app with gunicorn (production settings: DEBUG off, compressed static, BENCH=1 for the
measuring headers), logs in the six bench users, requests every page 200 times per role in
sequence (after a warm-up) and, in the same run, a trivial page of the same size that touches no
database. Prints one table and writes it as JSON under var/bench/. Then times one network's and
one region's half-year report.

    python scripts/bench.py [--requests 200] [--database-url ...] [--port 8765]

The data set comes from `manage.py generate_scale --scale flanders` (make bench runs it once).
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 150.0


PRISON_ROLES = ("guide", "offer")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages_per_role() -> list[tuple[str, str, str]]:
    """(label, role user, path) for every important page; objects picked as each role's worst case."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from cases.access import chaired_conferences, visible_cases
    from cases.models import Referral
    from ijh.models import User
    from networks.models import Meeting, Membership

    users = {
        name: User.objects.get(username=f"bench-{name}")
        for name in ("caseworker", "chair", "coordinator", "member", "staff")
    }
    # The prison pages (issue 20), when the data set has them (older data sets do not).
    for name in PRISON_ROLES:
        user = User.objects.filter(username=f"bench-{name}").first()
        if user is not None:
            users[name] = user
    network = Membership.objects.filter(user=users["member"]).values_list("network_id", flat=True).first()
    # The case the caseworker sees with the longest timeline; a conference of the chair.
    case = visible_cases(users["caseworker"]).annotate(n=Count("timeline")).order_by("-n").first()
    conference = chaired_conferences(users["chair"]).order_by("-pk").first()
    meeting = Meeting.objects.filter(network_id=network).order_by("-starts_at").first()
    referral = Referral.objects.filter(case__in=visible_cases(users["caseworker"])).first()
    # Crisis (issue 18): the meldpunt's page, the capacity board and the episode with most steps.
    from cases.access import visible_crisis_episodes

    meldpunt = User.objects.filter(username="bench-meldpunt").first()
    crisis_network = (
        Membership.objects.filter(user=meldpunt).values_list("network_id", flat=True).first()
        if meldpunt
        else None
    )
    episode = (
        visible_crisis_episodes(meldpunt).annotate(n=Count("steps")).order_by("-n", "-pk").first()
        if meldpunt
        else None
    )
    # Planmakers (issue 19): the busiest planmaker's trajectory with the most plan items, and a
    # bottleneck of their network.
    from cases.access import assigned_flag, visible_trajectories
    from networks.models import Bottleneck

    planmaker = User.objects.filter(username="bench-planmaker").first()
    trajectory = bottleneck = None
    if planmaker is not None:
        trajectory = (
            visible_trajectories(planmaker)
            .filter(assigned_flag(planmaker))
            # The most plan items and meetings: the heaviest page.
            .annotate(n=Count("plan_items", distinct=True), m=Count("meetings", distinct=True))
            .order_by("-m", "-n")
            .first()
        )
        bottleneck = Bottleneck.objects.filter(network__people_memberships__user=planmaker).first()
    # Carousel signal and engagement catalogue (issue 19 §7, §8): the coordinator's planmaker network.
    from cases.access import carousel_networks

    pm_coordinator = User.objects.filter(username="bench-planmaker-coordinator").first()
    pm_network = (
        carousel_networks(pm_coordinator).values_list("pk", flat=True).first() if pm_coordinator else None
    )
    from networks.models import LearningTheme

    theme = (
        LearningTheme.objects.filter(network_id=pm_network)
        .annotate(n=Count("bottlenecks"))
        .order_by("-n")
        .first()
        if pm_network
        else None
    )
    wanted = [
        ("carousel signal", "planmaker-coordinator", "cases:carousel", [pm_network or 0]),
        ("engagement catalogue", "planmaker", "instruments:engagement-list", [pm_network or 0]),
        (
            "engagement catalogue filtered",
            "planmaker",
            "instruments:engagement-list",
            [pm_network or 0],
            "?age=14",
        ),
        ("trajectory list", "planmaker", "cases:trajectory-list", []),
        ("trajectory list", "planmaker-coordinator", "cases:trajectory-list", []),
        ("trajectory detail", "planmaker", "cases:trajectory-detail", [trajectory.pk if trajectory else 0]),
        (
            "trajectory detail",
            "planmaker-coordinator",
            "cases:trajectory-detail",
            [trajectory.pk if trajectory else 0],
        ),
        ("bottleneck list", "planmaker", "cases:bottleneck-list", []),
        ("bottleneck list", "planmaker-coordinator", "cases:bottleneck-list", []),
        ("bottleneck detail", "planmaker", "cases:bottleneck-detail", [bottleneck.pk if bottleneck else 0]),
        ("learning network", "planmaker-coordinator", "cases:learning-network", [pm_network or 0]),
        ("learning forum", "planmaker-coordinator", "cases:learning-forum", [pm_network or 0]),
        ("learning theme", "planmaker-coordinator", "cases:learning-theme", [theme.pk if theme else 0]),
        ("home", "caseworker", "home", []),
        ("home", "member", "home", []),
        ("home", "staff", "home", []),
        ("network list", "member", "networks:list", []),
        ("network list", "staff", "networks:list", []),
        ("network detail", "member", "networks:detail", [network]),
        ("network detail", "coordinator", "networks:detail", [network]),
        ("meeting detail", "coordinator", "networks:meeting-detail", [meeting.pk if meeting else 0]),
        ("partner load", "staff", "networks:partner-load", [network]),
        ("case list", "caseworker", "cases:list", []),
        ("case list filtered", "caseworker", "cases:list", [], "?status=all&q=CL-"),
        ("case detail", "caseworker", "cases:detail", [case.pk if case else 0]),
        ("case timeline", "caseworker", "cases:timeline", [case.pk if case else 0]),
        ("conference", "chair", "cases:conference-detail", [conference.pk if conference else 0]),
        ("conference inbox", "coordinator", "cases:conference-inbox", []),
        ("referral", "caseworker", "cases:referral-detail", [referral.pk if referral else 0]),
        ("referral inbox", "caseworker", "cases:referral-inbox", []),
        ("referral directory", "caseworker", "instruments:directory", [], "?postcode=2000&age=14"),
        ("report page", "staff", "reports:index", []),
        ("profile", "coordinator", "account:profile", []),
        ("invitation list", "coordinator", "networks:invitation-list", [network]),
        ("person search", "coordinator", "networks:person-search", [network], "?q=de"),
    ]
    if "guide" in users:
        from cases.access import visible_guidances
        from instruments.models import Activity

        prison = Membership.objects.filter(user=users["offer"]).values_list("network_id", flat=True).first()
        busiest = (
            Activity.objects.filter(network_id=prison).annotate(n=Count("enrolments")).order_by("-n").first()
        )
        guidance = visible_guidances(users["guide"]).annotate(n=Count("goals")).order_by("-n", "pk").first()
        wanted += [
            ("offer", "offer", "instruments:offer", [prison]),
            ("activity", "offer", "instruments:activity", [busiest.pk if busiest else 0]),
            ("caseload", "guide", "cases:caseload", []),
            ("guidance", "guide", "cases:guidance", [guidance.pk if guidance else 0]),
        ]
    if crisis_network:
        wanted += [
            ("meldpunt: call form and calls", "meldpunt", "cases:crisis-meldpunt", [crisis_network]),
            ("crisis capacity board", "meldpunt", "cases:crisis-board", [crisis_network]),
            ("crisis episode", "meldpunt", "cases:crisis-episode", [episode.pk if episode else 0]),
        ]
    pages = []
    for label, role, name, args, *query in wanted:
        try:
            path = reverse(name, args=args)
        except NoReverseMatch:
            print(f"  (skipped {label}: no URL named {name})")
            continue
        pages.append((label, role, path + (query[0] if query else "")))
    return pages


def session_cookies() -> dict[str, str]:
    from django.conf import settings
    from django.test import Client

    from ijh.models import User

    cookies = {}
    for role in (
        "caseworker",
        "chair",
        "coordinator",
        "member",
        "staff",
        "meldpunt",
        "planmaker",
        "planmaker-coordinator",
        *PRISON_ROLES,
    ):
        user = User.objects.filter(username=f"bench-{role}").first()
        if user is None:
            continue  # a data set made before these pages existed
        client = Client()
        client.force_login(user)
        cookies[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def measure(port: int, path: str, cookie: str | None, count: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "localhost", "Accept-Language": "nl-BE"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    timings, queries, size, statuses = [], 0, 0, set()
    for index in range(count + 10):
        start = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        statuses.add(response.status)
        if index >= 10:  # warm-up: imports, template caches, connection
            timings.append(elapsed)
            queries = int(response.getheader("X-Bench-Queries") or 0)
            size = len(body)
    connection.close()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "queries": queries,
        "bytes": size,
        "status": sorted(statuses),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ijh_bench"),
    )
    parser.add_argument("--skip-reports", action="store_true")
    options = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijh.settings",
        "DATABASE_URL": options.database_url,
        "DEBUG": "0",
        "BENCH": "1",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_COOKIES": "0",  # plain http on loopback
        # The sessions are made in this process without the TOTP step; a verified session costs
        # one more query (the device) on the pages of staff and admins.
        "OTP_REQUIRED": "0",
        "VAR_DIR": str(ROOT / "var" / "bench-run"),
    }
    os.environ.update(env)
    import django

    django.setup()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    pages = pages_per_role()
    cookies = session_cookies()
    # Two workers on two cores, preloaded (the production image runs 3 on more cores).
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ijh.wsgi:application",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            "2",
            "--preload",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", options.port, timeout=1).request("GET", "/health/")
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for label, role, path in pages:
            if role not in cookies:
                print(f"  (skipped {label}: no bench-{role} login in this data set)")
                continue
            page = measure(options.port, path, cookies[role], options.requests)
            trivial = measure(options.port, f"/bench/trivial/?bytes={page['bytes']}", None, options.requests)
            row = {
                "page": label,
                "role": role,
                "path": path,
                **page,
                "trivial_p50_ms": trivial["p50_ms"],
                "trivial_p95_ms": trivial["p95_ms"],
                "overhead_ratio": round(page["p50_ms"] / trivial["p50_ms"], 1) if trivial["p50_ms"] else None,
                "meets_target": page["p95_ms"] < TARGET_P95_MS and page["status"] == [200],
            }
            rows.append(row)
            print(
                f"  {label:20} {role:11} p50 {row['p50_ms']:6.1f} p95 {row['p95_ms']:6.1f} q {row['queries']:3d}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    reports = []
    if not options.skip_reports:
        result = subprocess.run(
            [sys.executable, "manage.py", "bench_reports", "--skip-generate", "--repeat", "2"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        reports = [line for line in result.stdout.splitlines() if line.startswith(("network ", "region "))]

    header = f"{'page':20} {'role':11} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'KB':>6} {'trivial p50':>11} {'ratio':>6}  status"
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        verdict = "ok" if row["meets_target"] else f"MISSED ({row['status']})"
        print(
            f"{row['page']:20} {row['role']:11} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['queries']:7d} "
            f"{row['bytes'] / 1024:6.1f} {row['trivial_p50_ms']:11.1f} {row['overhead_ratio']:6.1f}  {verdict}"
        )
    if reports:
        print("\nreports:\n" + "\n".join(reports))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    payload = {
        "when": stamp,
        "requests_per_page": options.requests,
        "target_p95_ms": TARGET_P95_MS,
        "pages": rows,
        "reports": reports,
    }
    (out / f"bench-{stamp}.json").write_text(json.dumps(payload, indent=2))
    (out / "latest.json").write_text(json.dumps(payload, indent=2))
    print(f"\nwritten to var/bench/bench-{stamp}.json")
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
