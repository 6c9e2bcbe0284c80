"""Cohort figures (reports/cohorts.py): the generic helper on hand-made rows, then a hand-made
history of cliëntoverleg requests and referrals where some requests of a period reach their first
session in the next one. Period figures and cohort figures are asserted separately, in the
snapshot, the PDF text and the long-format export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from cases.models import ClientConference, ConferenceSession, Referral
from reports import cohorts, disclosure, document, exports
from reports.cohorts import Cohort, Milestone
from reports.figures import compute
from reports.figures_cases import conference_cohorts, conference_milestones
from reports.models import HalfYear
from tests.factories import (
    ClientConferenceFactory,
    ConferenceSessionFactory,
    NetworkFactory,
    ReferralFactory,
)

D = datetime.date
H1 = HalfYear(2026, 1)
DAYS = cohorts.DAYS_30_60_90


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- the helper on plain rows ----------------------------------------------------------------


STEPS = [
    Milestone("decided", "Beslist", "decided_on", within=DAYS),
    Milestone("first", "Eerste overleg", "first_at", within=DAYS),
]


def test_counts_reached_by_now_within_limits_and_median_per_group():
    rows = [
        ("a", D(2026, 1, 1), D(2026, 1, 11), at(D(2026, 1, 31))),  # 10 and 30 days
        ("a", D(2026, 1, 1), D(2026, 1, 2), at(D(2026, 3, 2))),  # 1 and 60 days
        ("a", D(2026, 1, 1), None, None),
        (
            "b",
            D(2026, 2, 1),
            D(2026, 5, 2),
            at(
                D(
                    2026,
                    5,
                    3,
                )
            ),
        ),  # 90, 91 days
    ]
    result = cohorts.summarise(rows, milestones=STEPS)
    a, b = result["a"], result["b"]
    assert a.n == 3 and b.n == 1
    assert a.reached["decided"].count == 2 and a.reached["first"].count == 2
    assert list(a.reached["first"].within.values()) == [1, 2, 2]
    assert a.reached["first"].median == 45.0
    assert list(b.reached["first"].within.values()) == [0, 0, 0]  # 91 days: too late for every limit
    assert list(b.reached["decided"].within.values()) == [0, 0, 1]


def test_datetime_moments_count_local_days_and_sub_day_limits_count_hours():
    # 23:30 local on the day of the request, then 00:30 the next day: 1 day apart, 1 hour apart.
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30))
    reached = timezone.make_aware(datetime.datetime(2026, 3, 2, 0, 30))
    by_day = cohorts.summarise([(None, start, reached)], milestones=[Milestone("m", "M", "x", within=DAYS)])
    assert by_day[None].reached["m"].durations == [1.0]
    hourly = Milestone("m", "M", "x", within=[datetime.timedelta(hours=1), datetime.timedelta(hours=4)])
    by_hour = cohorts.summarise([(None, start, reached)], milestones=[hourly])
    assert by_hour[None].reached["m"].durations == [1.0]
    assert list(by_hour[None].reached["m"].within.values()) == [1, 1]
    # A date start counts as its local midnight: 00:30 is half an hour later.
    mixed = cohorts.summarise([(None, D(2026, 3, 2), reached)], milestones=[hourly])
    assert mixed[None].reached["m"].durations == [0.5]


def test_steps_after_the_as_of_day_are_not_counted_yet():
    rows = [(None, D(2026, 1, 1), D(2026, 1, 5), at(D(2026, 2, 1)))]
    early = cohorts.summarise(rows, milestones=STEPS, as_of=D(2026, 1, 31))[None]
    assert early.reached["decided"].count == 1 and early.reached["first"].count == 0


def test_cohort_figures_reads_one_query_with_annotations(db):
    network = NetworkFactory()
    conference = ClientConferenceFactory(
        case__network=network, requested_on=D(2026, 2, 1), decided_on=D(2026, 2, 3), status="admissible"
    )
    for day in (D(2026, 2, 20), D(2026, 2, 10)):
        ConferenceSessionFactory(conference=conference, status="held", starts_at=at(day))
    ConferenceSessionFactory(conference=conference, status="cancelled", starts_at=at(D(2026, 2, 5)))
    with CaptureQueriesContext(connection) as queries:
        result = conference_cohorts([network.pk], D(2026, 1, 1), D(2026, 6, 30), as_of=None)
    assert len(queries) == 1
    reached = result[network.pk].reached
    assert reached["admissible"].durations == [2.0]
    assert reached["first_session"].durations == [9.0]  # the earliest held session, not the cancelled one


@settings(max_examples=25, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.integers(0, 200),
            st.one_of(st.none(), st.integers(0, 150)),
            st.one_of(st.none(), st.integers(0, 150)),
        ),
        max_size=30,
    )
)
def test_counts_are_consistent_and_combining_groups_adds_up(entries):
    base = D(2026, 1, 1)
    rows = [
        (
            group,
            base + datetime.timedelta(days=start),
            None if first is None else base + datetime.timedelta(days=start + first),
            None if second is None else base + datetime.timedelta(days=start + second),
        )
        for group, start, first, second in entries
    ]
    result = cohorts.summarise(rows, milestones=STEPS)
    total = cohorts.combined(result.values(), STEPS)
    assert total.n == len(rows)
    for cohort in [*result.values(), total]:
        for reached in cohort.reached.values():
            within = list(reached.within.values())
            assert within == sorted(within) and (not within or within[-1] <= reached.count <= cohort.n)
    for step in STEPS:
        assert total.reached[step.key].count == sum(c.reached[step.key].count for c in result.values())


def test_funnel_table_hides_the_share_with_its_count_and_medians_under_five():
    cohort = cohorts.summarise(
        [(None, D(2026, 1, 1), D(2026, 1, 2), None)] * 3 + [(None, D(2026, 1, 1), None, None)] * 6,
        milestones=STEPS,
    )[None]
    table = cohorts.funnel_table("k", "Cohort", cohort, STEPS, start_label="Aanvragen")
    assert table["rows"][0][:3] == ["Aanvragen", 9, "100%"]
    assert table["rows"][1] == ["Beslist", 3, "33%", 3, 3, 3, "–"]  # median of 3: not shown
    shown = disclosure.apply(table)
    assert shown["rows"][1][:3] == ["Beslist", "<5", "x"]  # 33% of 9 would give the 3 away


def test_group_table_hides_a_second_network_when_the_total_would_give_one_away():
    result = {
        1: cohorts.summarise([(1, D(2026, 1, 1), D(2026, 1, 3), None)] * 12, milestones=STEPS)[1],
        2: cohorts.summarise([(2, D(2026, 1, 1), D(2026, 1, 3), None)] * 2, milestones=STEPS)[2],
    }
    table = cohorts.group_table(
        "k",
        "Per netwerk",
        result,
        [(1, "Een"), (2, "Twee"), (3, "Drie")],
        STEPS,
        start_label="Aanvragen",
        group_label="Netwerk",
    )
    assert [row[:4] for row in table["rows"]] == [["Een", 12, 12, 0], ["Twee", 2, 2, 0], ["Drie", 0, 0, 0]]
    assert table["total"][:4] == ["Totaal", 14, 14, 0]
    shown = disclosure.apply(table)
    assert shown["rows"][1][1] == "<5" and shown["rows"][0][1] == "x"


# --- a hand-made history: requests of H1 2026, some reaching their first session in H2 ----------


@pytest.fixture
def history(db):
    """Nine requests in H1 2026 and five from late 2025 whose first session falls in H1 2026.

    H1 requests (request → decision → first held session):
      r1 12/01 → 17/01 → 01/02 (20 days)      r6 08/06 → 13/06 → 21/09 (105 days, in H2)
      r2 02/02 → 07/02 → 14/03 (40 days)      r7 15/06 → 20/06 → none held (one cancelled)
      r3 04/05 → 09/05 → 03/07 (60, in H2)    r8 22/06 → 03/07 (decided in H2) → none
      r4 18/05 → 23/05 → 27/07 (70, in H2)    r9 29/06 withdrawn before a decision
      r5 01/06 → 06/06 → 20/08 (80, in H2)
    Earlier requests o1–o5 of 03/11/2025 with their first session on 12/01/2026 (70 days).

    Referrals sent in H1: s1–s5 on 01/06–05/06, accepted 10/06, 12/06, 02/07, 05/07, 20/07; help
    started 25/06 for s1 and 03/08–06/08 for s2–s5; s6 (06/06) declined on 20/06. Earlier
    referrals p1–p5 sent 01/12/2025, accepted 05/01/2026, started 01/02/2026.
    """
    network = NetworkFactory(name="RTJ Cohortland")
    sessions = {
        1: D(2026, 2, 1),
        2: D(2026, 3, 14),
        3: D(2026, 7, 3),
        4: D(2026, 7, 27),
        5: D(2026, 8, 20),
        6: D(2026, 9, 21),
    }
    requested = [
        D(2026, 1, 12),
        D(2026, 2, 2),
        D(2026, 5, 4),
        D(2026, 5, 18),
        D(2026, 6, 1),
        D(2026, 6, 8),
        D(2026, 6, 15),
        D(2026, 6, 22),
        D(2026, 6, 29),
    ]
    for number, day in enumerate(requested, start=1):
        status = ClientConference.Status.RUNNING
        decided = day + datetime.timedelta(days=5)
        if number == 8:
            decided = D(2026, 7, 3)
        if number == 9:
            status, decided = ClientConference.Status.WITHDRAWN, None
        conference = ClientConferenceFactory(
            case__network=network, requested_on=day, decided_on=decided, status=status
        )
        if number in sessions:
            ConferenceSessionFactory(conference=conference, status="held", starts_at=at(sessions[number]))
        if number == 7:
            ConferenceSessionFactory(conference=conference, status="cancelled", starts_at=at(D(2026, 7, 1)))
    for _ in range(5):
        conference = ClientConferenceFactory(
            case__network=network,
            requested_on=D(2025, 11, 3),
            decided_on=D(2025, 11, 10),
            status=ClientConference.Status.RUNNING,
        )
        ConferenceSessionFactory(conference=conference, status="held", starts_at=at(D(2026, 1, 12)))

    accepted = [D(2026, 6, 10), D(2026, 6, 12), D(2026, 7, 2), D(2026, 7, 5), D(2026, 7, 20)]
    started = [D(2026, 6, 25), D(2026, 8, 3), D(2026, 8, 4), D(2026, 8, 5), D(2026, 8, 6)]
    for index in range(5):
        ReferralFactory(
            case__network=network,
            sent_on=D(2026, 6, 1 + index),
            accepted_on=accepted[index],
            started_on=started[index],
            status=Referral.Status.STARTED,
        )
    ReferralFactory(
        case__network=network,
        sent_on=D(2026, 6, 6),
        declined_on=D(2026, 6, 20),
        status=Referral.Status.DECLINED,
        decline_reason="full",
    )
    for _ in range(5):
        ReferralFactory(
            case__network=network,
            sent_on=D(2025, 12, 1),
            accepted_on=D(2026, 1, 5),
            started_on=D(2026, 2, 1),
            status=Referral.Status.STARTED,
        )
    return network


def _section(snapshot, key):
    return next(s for s in snapshot["sections"] if s["key"] == key)


def _facts(snapshot, key):
    return {fact["label"]: fact["value"] for fact in _section(snapshot, key)["facts"]}


def _table(snapshot, key):
    return next(t for s in snapshot["sections"] for t in s["tables"] if t["key"] == key)


AS_OF = D(2026, 11, 1)


def test_period_and_cohort_figures_differ_as_the_history_says(history):
    snapshot = compute(network=history, period=H1, today=AS_OF)

    period = _facts(snapshot, "client_conference")
    assert period["Aanvragen"] == 9
    assert period["Ontvankelijk verklaard"] == 7  # r8 was decided in July
    assert period["Niet ontvankelijk"] == 0
    assert period["Eerste overleggen gehouden"] == 7  # r1, r2 and the five older requests
    assert period["Mediaan dagen tot eerste overleg"] == "70"

    cohort = _table(snapshot, "conference_cohort")
    assert cohort["rows"] == [
        ["Aanvragen in de periode", 9, "100%", "–", "–", "–", "–"],
        ["Ontvankelijk verklaard", 8, "89%", 8, 8, 8, 5.0],
        ["Eerste overleg gehouden", 6, "67%", 1, 3, 5, 65.0],  # 20, 40, 60, 70, 80, 105 days
    ]

    referrals = _facts(snapshot, "referrals")
    assert referrals["Verwijzingen verstuurd"] == 6
    assert referrals["Aanvaard"] == 7  # two of H1's own, five sent in 2025
    assert referrals["Hulp gestart"] == 6
    assert _table(snapshot, "referral_cohort")["rows"] == [
        ["Verwijzingen in de periode", 6, "100%", "–", "–", "–", "–"],
        ["Aanvaard", 5, "83%", 3, 5, 5, 29.0],  # 9, 10, 29, 31, 45 days
        ["Hulp gestart", 5, "83%", 1, 1, 5, 62.0],  # 24, 62, 62, 62, 62 days
    ]


def test_the_cohort_follows_up_to_the_day_it_is_computed(history):
    snapshot = compute(network=history, period=H1, today=D(2026, 8, 31))  # before r6's session
    cohort = _table(snapshot, "conference_cohort")
    assert cohort["rows"][2] == ["Eerste overleg gehouden", 5, "56%", 1, 3, 5, 60.0]
    # The period figures of a finished period do not move.
    assert _facts(snapshot, "client_conference")["Eerste overleggen gehouden"] == 7


def test_pdf_text_shows_period_and_cohort_figures_separately(history):
    with translation.override("nl-be"):
        snapshot = compute(network=history, period=H1, today=AS_OF)
        pdf = document.render_pdf(snapshot=snapshot, narrative=None, version_label="test")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Aanvragen 9" in text
    assert "Eerste overleggen gehouden 7" in text
    assert "Ontvankelijk verklaard 8 89% 8 8 8 5" in text
    assert "Eerste overleg gehouden 6 67% <5 <5 5 65" in text
    # Referrals: one declined hides the accepted key figure too (sent = accepted + declined).
    assert "Geweigerd <5" in text and "Aanvaard x" in text
    assert "Hulp gestart 5 83% <5 <5 5 62" in text
    assert "Cohort: de aanvragen ingediend in de periode" in text  # the definitions appendix


def test_long_export_holds_period_and_cohort_figures(history):
    snapshot = compute(network=history, period=H1, today=AS_OF)
    text = exports.to_long_csv(snapshot).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == list(exports.LONG_COLUMNS)
    lines = {tuple(row[2:5]): (row[5], row[6]) for row in rows[1:]}
    assert lines[("Cliëntoverleg", "Aanvragen", "")] == ("9", "0")
    assert lines[("Cliëntoverleg", "Eerste overleggen gehouden", "")] == ("7", "0")
    title = "Cohort: aanvragen van de periode en hun eerste overleg"
    assert lines[("Cliëntoverleg", f"{title}: Aantal", "Eerste overleg gehouden")] == ("6", "0")
    assert lines[("Cliëntoverleg", f"{title}: Binnen 30 dagen", "Eerste overleg gehouden")] == ("<5", "1")
    assert lines[("Cliëntoverleg", f"{title}: Mediaan dagen", "Eerste overleg gehouden")] == ("65.0", "0")
    assert lines[("Verwijzingen", "Aanvaard", "")] == ("x", "1")
    assert rows[1][:2] == ["RTJ Cohortland", "januari–juni 2026"]


def test_region_report_breaks_the_cohort_down_per_network(history):
    other = NetworkFactory(name="RTJ Anderland", region=history.region)
    for _ in range(2):
        ClientConferenceFactory(case__network=other, requested_on=D(2026, 3, 2))
    snapshot = compute(region=history.region, period=H1, today=AS_OF)
    table = _table(snapshot, "conference_cohort_by_network")
    assert [row[:4] for row in table["rows"]] == [
        ["RTJ Anderland", 2, 0, 0],
        ["RTJ Cohortland", 9, 8, 6],
    ]
    assert table["total"][:4] == ["Totaal", 11, 8, 6]
    shown = disclosure.apply(table)
    assert shown["rows"][0][1] == "<5" and shown["rows"][1][1] == "x"  # 11 − 9 would give the 2 away


def test_a_cohort_of_nothing_is_zero_not_an_error(db):
    network = NetworkFactory()
    snapshot = compute(network=network, period=H1, today=AS_OF)
    assert _table(snapshot, "conference_cohort")["rows"][1] == [
        "Ontvankelijk verklaard",
        0,
        "–",
        0,
        0,
        0,
        "–",
    ]
    assert conference_milestones()[1].field == "first_held"
    assert Cohort.empty(conference_milestones()).n == 0
    assert ConferenceSession.Status.HELD == "held"
