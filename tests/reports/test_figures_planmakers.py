"""The planmakers section of the practice report (issue 19): counts of the period, the cohort,
bottlenecks by category and level, small counts suppressed when rendered, a fixed number of
queries whatever the number of trajectories."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Trajectory, TrajectoryMeeting
from networks.models import Bottleneck, Network
from reports import disclosure, document
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


def test_bottlenecks_by_their_status_on_the_period_end():
    network = NetworkFactory(kind=Network.Kind.PLANMAKER)

    def bottleneck(title, **dates):
        dates.setdefault("signalled_on", D(2026, 1, 5))
        return Bottleneck.objects.create(
            network=network, title=title, category="capacity", level="meso", description="x", **dates
        )

    bottleneck("open")
    bottleneck("besproken", status="discussed", discussed_on=D(2026, 2, 1))
    # passed on in the period, answered only after it: passed on at the period's end
    bottleneck(
        "doorgegeven", status="answered", discussed_on=D(2026, 2, 1), passed_on_on=D(2026, 3, 1),
        answered_on=D(2026, 7, 10), answer="Ja",
    )  # fmt: skip
    bottleneck(
        "opgelost", status="answered", discussed_on=D(2026, 2, 1), answered_on=D(2026, 4, 1), answer="Ja"
    )
    bottleneck(
        "niet oplosbaar", status="unresolvable", discussed_on=D(2026, 2, 1), passed_on_on=D(2026, 3, 1),
        answered_on=D(2026, 5, 1), answer="Vlaamse regel",
    )  # fmt: skip
    bottleneck("later", signalled_on=D(2026, 7, 2))  # after the period: not counted
    snapshot = compute(network=network, period=H1, today=TODAY)
    assert table(snapshot, "planmaker_bottleneck_status")["rows"] == [
        ["gesignaleerd, nog niet besproken", 1],
        ["besproken in het lerend netwerk", 1],
        ["doorgegeven aan de overheid", 1],
        ["opgelost", 1],
        ["niet oplosbaar", 1],
    ]


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


def _meetings_set(network):
    """A hand-made set for H1 2026: start meetings due in the period — 5 held on time, 1 late
    (within the period), 1 not held; three-month meetings due — 1 on time, 1 held only after the
    period (not held by its end); and what does not count: a start meeting due in July, a
    three-month meeting of a trajectory closed before it was due, an ad hoc meeting."""
    user = UserFactory()

    def trajectory(**fields):
        case = CaseFactory(network=network)
        return Trajectory.objects.create(
            case=case, network=network, referring_organisation=case.lead_organisation, referred_by=user,
            question="V", involved="M", referrer_engaged=True, consent=ConsentFactory(case=case),
            phase=fields.pop("phase", "connecting"), referred_on=D(2026, 1, 2), decided_on=D(2026, 1, 5),
            connecting_on=D(2026, 1, 5), **fields,
        )  # fmt: skip

    def meeting(t, kind, due, held=None):
        return TrajectoryMeeting.objects.create(
            trajectory=t, kind=kind, due_on=due, held_on=held, client_presence="attended" if held else ""
        )

    for number in range(5):
        due = D(2026, 2, 1 + number)
        # On time: on the due day (the first) or before it.
        meeting(trajectory(), "start", due, due - datetime.timedelta(days=number))
    meeting(trajectory(), "start", D(2026, 3, 1), D(2026, 3, 20))  # late
    meeting(trajectory(), "start", D(2026, 6, 1))  # not held
    t = trajectory()
    meeting(t, "start", D(2026, 1, 10), D(2026, 1, 9))  # on time: the sixth
    meeting(t, "three_months", D(2026, 4, 10), D(2026, 4, 10))  # on time
    meeting(trajectory(), "three_months", D(2026, 6, 20), D(2026, 7, 3))  # held after the period
    meeting(trajectory(), "start", D(2026, 7, 5))  # due after the period
    closed = trajectory(phase="closed", closed_on=D(2026, 4, 1), outcome="unblocked")
    meeting(closed, "three_months", D(2026, 5, 1))  # the trajectory closed before it was due
    meeting(t, "ad_hoc", None, D(2026, 2, 2))


def test_meetings_held_vs_due_on_a_hand_made_set():
    network = NetworkFactory(kind=Network.Kind.PLANMAKER)
    _meetings_set(network)
    snapshot = compute(network=network, period=H1, today=TODAY)
    meetings = table(snapshot, "planmaker_meetings")
    assert meetings["columns"][1:] == [
        "Te houden in de periode",
        "Gehouden",
        "Op tijd",
        "Te laat",
        "Niet gehouden",
    ]
    assert meetings["rows"] == [
        ["startoverleg", 8, 7, 6, 1, 1],
        ["overleg na drie maanden", 2, 1, 1, 0, 1],
    ]
    assert meetings["total"] == ["Totaal", 10, 8, 7, 1, 2]
    # Suppressed as the other sections are: counts of 1–4 show as "<5", and a sum never gives a
    # hidden part away (due = held + not held, held = on time + late).
    shown = disclosure.apply(meetings)
    assert shown["rows"] == [
        ["startoverleg", "x", "x", "x", "<5", "<5"],
        ["overleg na drie maanden", "<5", "<5", "<5", 0, "<5"],
    ]
    assert shown["total"] == ["Totaal", 10, "x", 7, "<5", "<5"]
    for raw, row in zip(
        meetings["rows"] + [meetings["total"]], shown["rows"] + [shown["total"]], strict=True
    ):
        for value, cell in zip(raw[1:], row[1:], strict=True):
            assert not (1 <= value <= 4 and cell == value), row  # no small count shows
    for row in shown["rows"] + [shown["total"]]:
        due, held, on_time, late, not_held = row[1:]
        # Never exactly one hidden cell in an equation.
        for whole, parts in ((due, (held, not_held)), (held, (on_time, late))):
            cells = (whole, *parts)
            assert sum(1 for cell in cells if not isinstance(cell, int)) != 1, row
    html = document.render_html(snapshot=snapshot, narrative=None, version_label="test")
    assert "Samenwerkingsoverleg: te houden en gehouden" in html


def test_meetings_table_adds_no_query_per_meeting():
    small, large = NetworkFactory(kind=Network.Kind.PLANMAKER), NetworkFactory(kind=Network.Kind.PLANMAKER)
    _trajectories(small, 1)
    _meetings_set(large)
    counted = []
    for network in (small, large):
        with CaptureQueriesContext(connection) as queries:
            compute(network=network, period=H1, today=TODAY)
        counted.append(len(queries))
    assert counted[0] == counted[1]
