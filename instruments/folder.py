"""The welcome folder (onthaalmap) of a prison as a document: the current offer per domain, in
Dutch, for detainees. Runs in the worker (instruments/tasks.py); WeasyPrint only through ijh.pdf.

"Current" means activities whose last session is today or later, as on the day it is made.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from networks.detention import DOMAINS
from networks.models import Network

from .models_offer import Activity, OfferFolder

ASSETS_BASE_URL = (settings.BASE_DIR / "static").as_uri() + "/"


def render_html(folder: OfferFolder, *, today: datetime.date | None = None) -> str:
    day = today or timezone.localdate()
    network = Network.objects.get(pk=folder.network_id)
    activities = list(
        Activity.objects.filter(network=network, ends_on__gte=day)
        .select_related("provider")
        .order_by("domain", "weekday", "start_time", "title")
    )
    domains = []
    for code, label in DOMAINS:
        rows = [activity for activity in activities if activity.domain == code]
        if rows:
            domains.append({"label": label, "activities": rows})
    with translation.override("nl-be"):
        return render_to_string(
            "instruments/offer/pdf/folder.html",
            {
                "network": network,
                "domains": domains,
                "generated": day,
                "generated_iso": day.isoformat(),
                "title": "Onthaalmap",
            },
        )


def render_pdf(folder: OfferFolder) -> bytes:
    from ijh.pdf import html_to_pdf

    return html_to_pdf(render_html(folder), base_url=ASSETS_BASE_URL)
