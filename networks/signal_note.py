"""The signal note (signaalnota) as a document: rendered in the worker (networks/tasks.py) from the
snapshot stored on the row when it was requested, so the same note always gives the same PDF.
WeasyPrint only through ijh.pdf. No client data: the snapshot holds none (services_learning)."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .models import SignalNote

ASSETS_BASE_URL = (settings.BASE_DIR / "static").as_uri() + "/"


def render_html(note: SignalNote) -> str:
    snapshot = note.snapshot
    day = datetime.date.fromisoformat(snapshot["date"])
    with translation.override("nl-be"):
        return render_to_string(
            "networks/learning/pdf/signal_note.html",
            {
                "note": snapshot,
                "generated": day,
                "generated_iso": day.isoformat(),
                "meetings": [datetime.date.fromisoformat(d) for d in snapshot.get("meetings", [])],
                "number": note.pk,
            },
        )


def render_pdf(note: SignalNote) -> bytes:
    from ijh.pdf import html_to_pdf

    return html_to_pdf(render_html(note), base_url=ASSETS_BASE_URL)
