"""Issue 20 §7: the practice report section of prison networks, in a fixed number of queries,
suppressed below 5 like the other sections."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases.models import Client
from cases.services import detention as guidance_services
from instruments import services_offer
from instruments.models import LifeDomain, SecurityEvent
from instruments.reference_data import ensure as ensure_domains
from reports import disclosure, document, figures
from reports.figures_detention import detention_sections
from reports.models import HalfYear
from tests.factories import ConsentFactory
from tests.factories_detention import ActivityFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)


def _world(prison, provider, jww, guide, other_prison, other_jww, other_guide, n: int, security: bool = True):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC), tick=False):
        activity = ActivityFactory(
            network=prison,
            provider=provider,
            domain="sport",
            places=3,
            starts_on=datetime.date(2026, 7, 7),
            ends_on=datetime.date(2026, 12, 29),
        )
        for i in range(n):
            services_offer.enrol(activity=activity, detainee_code=f"GD-{prison.pk}-{i:03d}", by=None)
        for i in range(n):
            guidance = guidance_services.register_detainee(
                client=Client(first_name=f"P{i}", last_name="X"),
                network=prison,
                organisation=jww,
                by=guide.user,
            )
            guidance_services.add_plan_goal(
                guidance=guidance,
                domain=LifeDomain.objects.first(),
                text="Werk",
                after_release=True,
                by=guide.user,
            )
        ConsentFactory(case=guidance.case, organisations=[jww, other_jww])
        transfer = guidance_services.propose_transfer(
            guidance=guidance,
            to_network=other_prison,
            transfer_on=datetime.date(2026, 9, 1),
            reason="",
            by=guide.user,
        )
        guidance_services.decide_transfer(transfer=transfer, by=other_guide.user, accept=True)
    if not security:
        return
    with time_machine.travel(datetime.datetime(2026, 9, 14, 9, tzinfo=datetime.UTC), tick=False):
        services_offer.register_security_event(
            event=SecurityEvent(
                network=prison,
                kind="lockdown",
                starts_at=datetime.datetime(2026, 9, 15, 0, tzinfo=datetime.UTC),
                ends_at=datetime.datetime(2026, 9, 16, 0, tzinfo=datetime.UTC),
            ),
            by=None,
        )


@pytest.fixture
def everyone(prison, provider, jww, guide, other_prison, other_jww, other_guide):
    ensure_domains(LifeDomain)
    return prison, provider, jww, guide, other_prison, other_jww, other_guide


def test_section_counts_and_suppression(everyone):
    prison = everyone[0]
    _world(*everyone, n=6)
    with translation.override("nl-be"):
        snapshot = figures.compute(network=prison, period=HalfYear(2026, 2), today=datetime.date(2026, 11, 1))
        offer = next(s for s in snapshot["sections"] if s["key"] == "detention_offer")
        sport = next(row for row in offer["tables"][0]["rows"] if row[0] == "Sport")
        # 1 activity, 3 places, 3 participants, sessions held up to 1 November, 1 lost, 3 waiting
        assert sport[1:4] == [1, 3, 3] and sport[5] == 1 and sport[6] == 3
        guided = next(s for s in snapshot["sections"] if s["key"] == "detention_guidance")
        facts = {f["label"]: f["value"] for f in guided["facts"]}
        assert facts["Begeleidingen gestart"] == 6
        assert facts["Overplaatsingen naar een andere gevangenis"] == 1
        pdf = document.render_pdf(snapshot=snapshot, narrative=None, version_label="ontwerp")
    import io

    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Aanbod in de gevangenis" in text and "Trajectbegeleiding van gedetineerden" in text
    assert "Sport 1 3 <5" in text  # three participants: suppressed
    assert "P0" not in text  # no client names in a report


def test_section_queries_do_not_grow(everyone):
    prison, other_prison = everyone[0], everyone[4]
    _world(*everyone, n=2)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            detention_sections([prison, other_prison], START, END, as_of=datetime.date(2026, 11, 1))
        return len(ctx)

    first = count()
    # activities, sessions and enrolments per domain, guidance counts, releases, transfers, the
    # cohort; and, two prisons in the report, the breakdown per prison
    assert first == 8
    with CaptureQueriesContext(connection) as ctx:
        detention_sections([prison], START, END, as_of=datetime.date(2026, 11, 1))
    assert len(ctx) == 7  # one prison: no breakdown
    _world(*everyone[:4], everyone[4], everyone[5], everyone[6], n=5, security=False)
    assert count() == first


def test_region_report_breaks_the_section_down_per_prison(everyone):
    prison, other_prison = everyone[0], everyone[4]
    _world(*everyone, n=6)
    with translation.override("nl-be"):
        sections = detention_sections([prison, other_prison], START, END, as_of=datetime.date(2026, 11, 1))
        alone = detention_sections([prison], START, END, as_of=datetime.date(2026, 11, 1))
    offer = next(s for s in sections if s["key"] == "detention_offer")
    table = next(t for t in offer["tables"] if t["key"] == "detention_per_prison")
    assert [t["key"] for t in next(s for s in alone if s["key"] == "detention_offer")["tables"]] == [
        "detention_offer_by_domain"
    ]
    rows = {row[0]: row for row in table["rows"]}
    # activities, places, participants, held, lost, waiting, guided, transfers in, transfers out
    here, there = rows["Gevangenis Testgem"], rows["Gevangenis Elders"]
    assert here[1:3] == [1, 3] and here[3] == 3 and here[5] == 1 and here[6] == 3
    assert here[7] == 6 and here[8] == 0 and here[9] == 1
    assert there[1:4] == [0, 0, 0] and there[7] == 1 and there[8] == 1 and there[9] == 0
    assert table["total"][7] == 7
    # suppressed as the other sections: people counts under 5 show "<5", and no single hidden
    # cell can be worked out from the total
    shown = disclosure.apply(table)
    shown_rows = {row[0]: row for row in shown["rows"]}
    assert shown_rows["Gevangenis Testgem"][3] == "<5"
    # one guided detainee in Elders: "<5"; the 6 of Testgem would give it away under the total of
    # 7, so it is hidden too ("x")
    assert shown_rows["Gevangenis Elders"][7] == "<5" and shown_rows["Gevangenis Testgem"][7] == "x"
    assert shown_rows["Gevangenis Testgem"][1] == 1  # activities identify nobody
    for column in table["count_columns"]:
        hidden = [row[column] for row in shown["rows"] if row[column] in ("<5", "x")]
        assert len(hidden) != 1 or shown["total"][column] in ("<5", "x"), column
