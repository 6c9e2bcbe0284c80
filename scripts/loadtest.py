"""`make loadtest`: 50 simulated users for 60 s on the Flanders data set, mixing the roles' flows.

The app runs under gunicorn (production settings) exactly as for `make bench`; locust runs in a
second process on loopback (it monkey-patches the standard library, so it cannot share a process
with Django). Each simulated user takes one role and walks that role's pages with think time:
caseworkers (the most numerous) their cases, conferences and referrals; steering members and
coordinators their networks and meetings; regional staff the reports. Prints requests, failures
and the 95th percentile, writes var/bench/load-*.json, and fails when any request failed.

    python scripts/loadtest.py [--users 50] [--seconds 60]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

LOCUSTFILE = """
import json, os, random
from locust import HttpUser, between, task

FLOWS = json.loads(os.environ["IJH_FLOWS"])
COOKIES = json.loads(os.environ["IJH_COOKIES"])
# How many of each role among the simulated users: caseworkers do most of the daily work.
WEIGHTS = {"caseworker": 5, "chair": 1, "coordinator": 2, "member": 2, "staff": 1}


class Person(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        roles = [role for role in WEIGHTS if FLOWS.get(role)]
        self.role = random.choices(roles, [WEIGHTS[role] for role in roles])[0]
        self.client.cookies.set("sessionid", COOKIES[self.role])

    @task
    def walk(self):
        for label, path in FLOWS[self.role]:
            with self.client.get(path, name=f"{self.role}: {label}", catch_response=True,
                                 headers={"Accept-Language": "nl-BE"}) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ijh_bench"),
    )
    options = parser.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ijh.settings",
        "DATABASE_URL": options.database_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_COOKIES": "0",
        "OTP_REQUIRED": "0",  # the sessions below are made without the second step
        "VAR_DIR": str(ROOT / "var" / "bench-run"),
    }
    os.environ.update(env)
    import django

    django.setup()
    import bench  # scripts/bench.py: the same pages and sessions as the benchmark

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    flows: dict[str, list[tuple[str, str]]] = {}
    for label, role, path in bench.pages_per_role():
        flows.setdefault(role, []).append((label, path))
    cookies = bench.session_cookies()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "ijh.wsgi:application",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            "3",
            "--preload",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        time.sleep(3)
        with tempfile.TemporaryDirectory() as folder:
            locustfile = Path(folder) / "locustfile.py"
            locustfile.write_text(LOCUSTFILE)
            prefix = Path(folder) / "load"
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "locust"),
                    "-f",
                    str(locustfile),
                    "--headless",
                    "--users",
                    str(options.users),
                    "--spawn-rate",
                    "10",
                    "--run-time",
                    f"{options.seconds}s",
                    "--host",
                    f"http://127.0.0.1:{options.port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env={**os.environ, "IJH_FLOWS": json.dumps(flows), "IJH_COOKIES": json.dumps(cookies)},
                check=False,
            )
            with open(f"{prefix}_stats.csv", newline="") as handle:
                rows = list(csv.DictReader(handle))
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    summary = {
        "when": stamp,
        "users": options.users,
        "seconds": options.seconds,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "requests_per_s": round(float(total["Requests/s"]), 1),
        "per_page": [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p95_ms": float(row["95%"]),
            }
            for row in rows
            if row["Name"] != "Aggregated"
        ],
    }
    (out / f"load-{stamp}.json").write_text(json.dumps(summary, indent=2))
    print(
        f"\nload: {summary['users']} users, {summary['seconds']} s: {summary['requests']} requests "
        f"({summary['requests_per_s']}/s), {summary['failures']} failures, p50 {summary['p50_ms']:.0f} ms, "
        f"p95 {summary['p95_ms']:.0f} ms  → var/bench/load-{stamp}.json"
    )
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
