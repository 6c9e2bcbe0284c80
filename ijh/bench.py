"""Measuring hooks for ``make bench`` (never active unless the BENCH environment variable is set).

``QueryCountMiddleware`` adds three response headers: the number of SQL queries, the time spent
in the database and the time spent in Django. ``trivial`` is the baseline: a page of the requested
size that touches neither the database nor the session, so page time / trivial time is the
overhead that is ours (queries, templates) rather than the server's and the network's.
"""

import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stats = {"queries": 0, "db": 0.0}

        def timed(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["queries"] += 1
                stats["db"] += time.perf_counter() - start

        start = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
            # Session saving happens in SessionMiddleware, inside this wrapper: counted too.
        response["X-Bench-Queries"] = str(stats["queries"])
        response["X-Bench-DB-ms"] = f"{stats['db'] * 1000:.2f}"
        response["X-Bench-App-ms"] = f"{(time.perf_counter() - start) * 1000:.2f}"
        return response


def trivial(request: HttpRequest) -> HttpResponse:
    """An HTML page of ``?bytes=N`` bytes built without the database, templates or the session."""
    try:
        size = max(0, min(int(request.GET.get("bytes", "20000")), 5_000_000))
    except ValueError:
        size = 20000
    head, tail = "<!doctype html><html lang=nl><title>bench</title><body><p>", "</p></body></html>"
    return HttpResponse(head + "x" * max(0, size - len(head) - len(tail)) + tail)
