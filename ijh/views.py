import logging
import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import audit, dashboard, services
from .celery import app as celery_app
from .http import AuthedRequest
from .models import WorkerPing

logger = logging.getLogger(__name__)


def _require_operations_staff(user) -> None:
    # The system page is for operations (Django staff flag), not for a network role.
    if not user.is_staff:
        raise PermissionDenied


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    panels = dashboard.panels_for(request.user)
    deadlines = dashboard.deadlines_for(request.user)
    if dashboard.shows_client_data(panels, deadlines):
        # Names or agreements of clients on the home page: a read, logged once (DESIGN.md §5).
        audit.record(request.user, "dashboard.viewed", detail="home")
    return render(request, "ijh/home.html", {"panels": panels, "deadlines": deadlines})


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" for a health check
        logger.warning("Health check: database unreachable: %s", exc)
        return "error"
    return "ok"


def _check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        logger.warning("Health check: broker unreachable: %s", exc)
        return "error"
    return "ok"


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 200 when the database and the broker answer, else 503."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


@login_required
def system(request: AuthedRequest) -> HttpResponse:
    _require_operations_staff(request.user)
    recent_pings = WorkerPing.objects.select_related("requested_by")[:5]
    return render(request, "ijh/system.html", {"recent_pings": recent_pings})


@login_required
@require_POST
def ping_create(request: AuthedRequest) -> HttpResponse:
    _require_operations_staff(request.user)
    worker_ping = services.request_worker_ping(by=request.user)
    if not request.htmx:
        messages.info(request, _("Ping verstuurd naar de worker."))
    return render(request, "ijh/system.html#ping-status", {"ping": worker_ping})


@login_required
@require_GET
def ping_status(request: AuthedRequest, ping_id: int) -> HttpResponse:
    _require_operations_staff(request.user)
    worker_ping = get_object_or_404(WorkerPing, pk=ping_id)
    return render(request, "ijh/system.html#ping-status", {"ping": worker_ping})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database that refuses connections is an outage, not a bug: answer 503 with a
    page that needs no database (no session, no user, no context processors) and says so.

    Django calls this inside the ``except`` of whatever failed, in a view or in a middleware (the
    session load is usually the first thing to hit the database), so the exception is at hand.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, (DatabaseOperationalError, DatabaseInterfaceError)):
        logger.warning("Database unavailable: %s", exception)
        response = HttpResponse(loader.get_template("503_database.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
