"""A real Celery worker process for tests: its own queue on the real Redis, the test database."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.db import connection


@contextmanager
def running_worker(*, app: str = "ijh", pool: str = "solo", extra_env: dict | None = None):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "worker tests run against Redis"
    from ijh.celery import app as celery_app

    queue = f"ijh-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        app,
        "worker",
        f"--pool={pool}",
        "--loglevel=WARNING",
        "-Q",
        queue,
    ]
    if pool == "prefork":
        command += ["--concurrency=1"]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue  # the web side publishes to the same private queue
    try:
        yield process
    finally:
        celery_app.conf.task_default_queue = previous
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
