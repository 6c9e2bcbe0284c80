"""Before the suite runs: are PostgreSQL and Redis reachable? One clear line each if not; exit 1."""

import os
import sys

import psycopg
import redis

problems = []
database_url = os.environ.get("DATABASE_URL", "")
broker_url = os.environ.get("CELERY_BROKER_URL", "")

if not database_url.startswith("postgres"):
    problems.append(f"DATABASE_URL must point at PostgreSQL for the test suite (got {database_url!r}).")
else:
    try:
        # The test run creates its own database; reaching the server's maintenance db is enough.
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            pass
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        problems.append(
            f"PostgreSQL unreachable at {database_url} ({reason}). Start it with: "
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )

try:
    redis.Redis.from_url(broker_url, socket_connect_timeout=2, socket_timeout=2).ping()
except (redis.RedisError, ValueError) as exc:
    problems.append(
        f"Redis unreachable at {broker_url} ({exc}). Start it with: "
        'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
    )

for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
