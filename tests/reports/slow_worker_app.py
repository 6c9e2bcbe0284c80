"""Celery app for the fault drill: the real app, with rendering slowed down so the test can kill
the worker process in the middle of it. Used only as `celery -A tests.reports.slow_worker_app`."""

import os
import time

from celery.signals import worker_process_init

from ijh.celery import app  # noqa: F401  (the app the worker runs)


@worker_process_init.connect
def _slow_down_rendering(**kwargs) -> None:
    # Runs in each pool process once Django is set up.
    from reports import document

    render_pdf = document.render_pdf

    def slow_render_pdf(**render_kwargs):
        time.sleep(float(os.environ.get("IJH_TEST_RENDER_DELAY", "4")))
        return render_pdf(**render_kwargs)

    document.render_pdf = slow_render_pdf
