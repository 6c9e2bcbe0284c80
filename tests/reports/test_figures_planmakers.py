"""The planmakers section of the practice report (issue 19): counts of the period, the cohort,
bottlenecks by category and level, small counts suppressed when rendered, a fixed number of
queries whatever the number of trajectories."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Trajectory
from networks.models import Bottleneck, Network
from reports import document
from reports.figures import compute
from reports.models import HalfYear

from ..factories import CaseFactory, ConsentFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db

H1 = HalfYear(2026, 1)
TODAY = datetime.date(2026, 8, 1)
D = datetime.date


def section(snapshot, key):
    return next(s for s in snapshot["sections"] if s["key"] == key)


def facts(snapshot, key):
    return {f["label"]: f["value"] for f in section(snapshot, key)["facts"]}


def table(snapshot, key):
    return next(t for s in snapshot["sections"] for t in s["tables"] if t["key"] == key)


def _trajectories(network, count, *, closed=0):
    user = UserFactory()
    bottleneck = Bottleneck.objects.create(
        network=network, title="Wachtlijst", category="waiting_list", level="meso", description="x",
        signalled_on=D(2026, 2, 1),
    )  # fmt: skip
    for number in range(count):
        case = CaseFactory(network=network, client__first_name="Geheimenaam")
        phase = "closed" if number < closed else "plan"
        trajectory = Trajectory.objects.create(
            case=case, network=network, referring_organisation=case.lead_organisation, referred_by=user,
            question="Vraag over Geheimenaam", involved="Mama", referrer_engaged=True,
            consent=ConsentFactory(case=case), phase=phase, referred_on=D(2026, 1, 10),
            decided_on=D(2026, 1, 15), connecting_on=D(2026, 1, 15), mandate_on=D(2026, 2, 20),
            plan_on=D(2026, 3, 10), closed_on=D(2026, 5, 1) if phase == "closed" else None,
            outcome="unblocked" if phase == "closed" else "",
        )  # fmt: skip
        trajectory.bottlenecks.add(bottleneck)


def test_planmaker_section_counts_exactly_and_suppresses_small_counts():
    network = NetworkFactory(kind=Network.Kind.PLANMAKER)
    _trajectories(network, 6, closed=2)
    snapshot = compute(network=network, period=H1, today=TODAY)
    assert facts(snapshot, "planmakers") == {
        "Aanmeldingen": 6,
        "Aanvaard": 6,
        "Niet aanvaard": 0,
        "Lopend op de einddatum": 4,
        "Afgesloten": 2,
    }
    cohort = table(snapshot, "planmaker_cohort")
    assert [row[1] for row in cohort["rows"]] == [6, 6, 6, 6]
    assert cohort["rows"][2][-1] == 41.0  # median days to the mandate, on 6 trajectories
    assert table(snapshot, "planmaker_bottlenecks")["rows"] == [
        ["wachtlijst", "meso: de diensten in deze regio", 1, 1, 6]
    ]
    html = document.render_html(snapshot=snapshot, narrative=None, version_label="test")
    assert "Geheimenaam" not in html and "CL-" not in html
    assert "&lt;5" in html or "<5" in html  # the two closed trajectories


def test_planmaker_section_queries_do_not_grow():
    small, large = NetworkFactory(kind=Network.Kind.PLANMAKER), NetworkFactory(kind=Network.Kind.PLANMAKER)
    _trajectories(small, 1)
    _trajectories(large, 12, closed=5)
    counted = []
    for network in (small, large):
        with CaptureQueriesContext(connection) as queries:
            compute(network=network, period=H1, today=TODAY)
        counted.append(len(queries))
    assert counted[0] == counted[1]


def test_rtj_networks_have_no_planmaker_section():
    keys = [s["key"] for s in compute(network=NetworkFactory(), period=H1, today=TODAY)["sections"]]
    assert "planmakers" not in keys
