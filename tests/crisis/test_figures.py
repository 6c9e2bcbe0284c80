"""The crisis section of the practice report (issue 18 §6, §8) against a hand-made set of calls:
counts, percentages, forfaits, the cohort, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest

from cases.models import Client, CrisisCall, CrisisEpisode, CrisisStep
from reports.figures_crisis import crisis_figures, crisis_section

from .conftest import local

pytestmark = pytest.mark.django_db


def _call(crisis, at, *, admissible=True, outcome="dispatched", caller="parent"):
    return CrisisCall.objects.create(
        network=crisis.network,
        programme=crisis.programme,
        received_at=at,
        caller=caller,
        question="x",
        admissible=admissible,
        outcome=outcome,
        registered_by=crisis.meldpunt,
    )


def _episode(crisis, call, *, minutes, shelter=False, guidance=False, overdue=False):
    episode = CrisisEpisode.objects.create(
        call=call, network=crisis.network, client=Client.objects.create(), opened_at=call.received_at
    )
    start = call.received_at + datetime.timedelta(minutes=minutes)
    CrisisStep.objects.create(
        episode=episode,
        kind="intervention",
        provider=crisis.intervention,
        started_at=start,
        started_by=crisis.meldpunt,
    )
    if shelter:
        due = start + datetime.timedelta(days=7)
        CrisisStep.objects.create(
            episode=episode,
            kind="shelter",
            provider=crisis.shelter,
            started_at=start,
            limit_days=7,
            due_at=due,
            ended_at=due + datetime.timedelta(days=1 if overdue else -1),
            started_by=crisis.meldpunt,
        )
    if guidance:
        CrisisStep.objects.create(
            episode=episode,
            kind="guidance",
            provider=crisis.guidance,
            started_at=start,
            limit_days=28,
            due_at=start + datetime.timedelta(days=28),
            extension_days=0,
            started_by=crisis.meldpunt,
        )


@pytest.fixture
def calls(crisis):
    # Ten calls in the second half of 2026, seven of them in the evening (19–22h):
    # 8 admissible (6 dispatched, 1 by the meldpunt, 1 referred), 2 not admissible (handled).
    evening = [local(2026, 9, day, 20, 15) for day in range(1, 8)]
    day_calls = [local(2026, 10, 1, 10, 0), local(2026, 10, 2, 14, 0), local(2026, 10, 3, 3, 0)]
    moments = evening + day_calls
    dispatched = [_call(crisis, at) for at in moments[:6]]
    _call(crisis, moments[6], outcome="meldpunt", caller="school")
    _call(crisis, moments[7], outcome="referred", caller="police")
    _call(crisis, moments[8], admissible=False, outcome="meldpunt", caller="young_person")
    _call(crisis, moments[9], admissible=False, outcome="meldpunt", caller="young_person")
    # Interventions 20, 30, 40, 50, 55 and 90 minutes after the call: 5 within the hour.
    for call, minutes in zip(dispatched, (20, 30, 40, 50, 55, 90), strict=True):
        _episode(
            crisis,
            call,
            minutes=minutes,
            shelter=minutes in (20, 30),
            guidance=minutes == 40,
            overdue=minutes == 20,
        )
    # A call of the first half does not count.
    _call(crisis, local(2026, 6, 30, 23, 0))


def test_counts_percentages_and_forfaits_match_the_hand_made_set(crisis, calls, django_assert_num_queries):
    with django_assert_num_queries(5):
        figures = crisis_figures(
            [crisis.network.pk],
            datetime.date(2026, 7, 1),
            datetime.date(2026, 12, 31),
            as_of=datetime.date(2026, 12, 1),
        )
    assert (figures["calls"], figures["admissible"], figures["not_admissible"]) == (10, 8, 2)
    assert (figures["dispatched"], figures["meldpunt"], figures["referred"]) == (6, 3, 1)
    assert figures["callers"] == {
        "parent": 6,
        "young_person": 2,
        "school": 1,
        "police": 1,
        "clb": 0,
        "other": 0,
    }
    assert figures["per_hour"][20] == 7 and sum(figures["per_hour"].values()) == 10
    assert figures["started"] == {"intervention": 6, "guidance": 1, "shelter": 2}
    # 6 × €50 + 1 × €100 + 2 × €100
    assert sum(figures["forfaits"].values()) == 600
    # The shelter that ended a day late, and the guidance still running on 1/12 (due 29/9).
    assert figures["overdue"] == 2
    assert figures["median_minutes_to_intervention"] == 45
    cohort = figures["cohort"]
    assert cohort.n == 10
    assert cohort.reached["admissible"].count == 8 and cohort.reached["dispatched"].count == 6
    assert cohort.reached["intervention"].count == 6
    assert cohort.reached["intervention"].within[datetime.timedelta(hours=1)] == 5


def test_section_shows_percent_of_calls(crisis, calls):
    result = crisis_section(
        [crisis.network.pk],
        datetime.date(2026, 7, 1),
        datetime.date(2026, 12, 31),
        as_of=datetime.date(2026, 12, 1),
    )
    outcomes = next(t for t in result["tables"] if t["key"] == "crisis_calls")
    assert outcomes["rows"][0] == ["Ontvankelijk", 8, "80 %"]
    assert outcomes["rows"][1] == ["Doorgeschakeld binnen het netwerk", 6, "60 %"]
    facts = {f["label"]: f["value"] for f in result["facts"]}
    assert facts["Oproepen bij het meldpunt"] == 10


def test_report_of_a_crisis_network_carries_the_section(crisis, calls):
    from reports.figures import compute
    from reports.models.runs import HalfYear

    snapshot = compute(network=crisis.network, period=HalfYear(2026, 2), today=datetime.date(2026, 12, 1))
    assert "crisis" in [s["key"] for s in snapshot["sections"]]


def test_forfait_overview_matches_a_hand_computed_example(client, crisis, calls):
    from django.urls import reverse

    # Mobiel Crisisteam: 6 interventions × €50 = €300; CKG De Wieg: 2 shelters × €100 = €200;
    # VAPH De Horizon: 1 guidance × €100 = €100; together €600.
    crisis.intervention.organisation.name = "=Mobiel Crisisteam"  # a formula must stay text
    crisis.intervention.organisation.save()
    client.force_login(crisis.coordinator)
    url = reverse("cases:crisis-forfaits", args=[crisis.network.pk])
    text = client.get(url, {"jaar": "2026", "half": "2", "fmt": "csv"}).content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "Organisatie;Crisisinterventies;Crisisbegeleidingen;Crisisopvangen;Forfaits (€)"
    assert "'=Mobiel Crisisteam;6;0;0;300.0" in lines
    assert "CKG De Wieg;0;0;2;200.0" in lines
    assert "VAPH De Horizon;0;1;0;100.0" in lines
    assert lines[-1] == "Totaal;6;1;2;600.0"
    assert client.get(url, {"jaar": "2026", "half": "2", "fmt": "xlsx"}).status_code == 200
    assert client.get(url, {"jaar": "²", "half": "x"}).status_code == 200
    # Counts per provider, but not for everyone: a steering member and a provider get 404.
    for user in (crisis.steering, crisis.provider_worker):
        client.force_login(user)
        assert client.get(url).status_code == 404


# --- per network in the region and Flanders reports ---------------------------------------------------


@pytest.fixture
def second(crisis):
    """A second crisis network in the same region with two calls: one dispatched, one not."""
    from .conftest import build_crisis_world

    other = build_crisis_world(prefix="B")
    _episode(other, _call(other, local(2026, 9, 10, 21, 0)), minutes=15)
    _call(other, local(2026, 9, 11, 22, 0), admissible=False, outcome="meldpunt")
    return other


def _by_network(snapshot):
    section = next(s for s in snapshot["sections"] if s["key"] == "crisis")
    return section, next(t for t in section["tables"] if t["key"] == "crisis_by_network")


def test_region_report_has_one_row_per_crisis_network_suppressed_as_the_others(crisis, calls, second):
    from reports import disclosure
    from reports.figures import compute
    from reports.models.runs import HalfYear

    snapshot = compute(
        region=crisis.network.region, period=HalfYear(2026, 2), today=datetime.date(2026, 12, 1)
    )
    section, by_network = _by_network(snapshot)
    # network, calls, admissible, % admissible, dispatched, episodes, overdue steps, forfaits
    assert by_network["rows"] == [
        ["BCrisisnetwerk Testland", 2, 1, "50 %", 1, 1, 0, 50.0],
        ["Crisisnetwerk Testland", 10, 8, "80 %", 6, 6, 2, 600.0],
    ]
    assert by_network["total"] == ["Totaal", 12, 9, "75 %", 7, 7, 2, 650.0]
    # The total row is the section's key figures.
    facts = {f.get("key"): f["value"] for f in section["facts"]}
    assert [facts["calls"], facts["admissible"], facts["dispatched"], facts["overdue"]] == [12, 9, 7, 2]
    # Shown: the small network's counts as "<5", its share and forfaits with them; the other
    # network's calls hidden too, or the total would give the small one away.
    _hidden_facts, masks = disclosure.section_masks(section)
    shown = disclosure.apply(by_network, masks[section["tables"].index(by_network)])
    small, large = shown["rows"]
    assert small[1:] == ["<5", "<5", "x", "<5", "<5", 0, "x"]
    # In every count column the small cell cannot be worked out: the other row or the total hides too.
    for column in (1, 2, 4, 5):
        assert large[column] == "x" or shown["total"][column] == "x", column


def test_flanders_report_groups_crisis_networks_per_region(crisis, calls, second):
    from reports.figures import compute
    from reports.models.runs import HalfYear

    snapshot = compute(flanders=True, period=HalfYear(2026, 2), today=datetime.date(2026, 12, 1))
    _section, by_network = _by_network(snapshot)
    region = crisis.network.region.name
    assert [row[0] for row in by_network["rows"]] == [
        "BCrisisnetwerk Testland",
        "Crisisnetwerk Testland",
        f"Totaal {region}",
    ]
    assert by_network["row_groups"] == [[2, [0, 1]]]
    assert by_network["rows"][2][1:3] == [12, 9] and by_network["total"][1] == 12


def test_per_network_figures_take_a_fixed_number_of_queries(crisis, calls, second, django_assert_num_queries):
    from reports.figures_cases import Breakdown

    ids = [crisis.network.pk, second.network.pk]
    breakdown = Breakdown(groups=[(pk, str(pk)) for pk in ids])
    # The section's five, and two for the rows per network: calls, steps.
    with django_assert_num_queries(7):
        crisis_section(
            ids,
            datetime.date(2026, 7, 1),
            datetime.date(2026, 12, 31),
            as_of=datetime.date(2026, 12, 1),
            breakdown=breakdown,
        )
    with django_assert_num_queries(7):
        crisis_section(
            ids[:1],
            datetime.date(2026, 7, 1),
            datetime.date(2026, 12, 31),
            as_of=datetime.date(2026, 12, 1),
            breakdown=Breakdown(groups=[(ids[0], "A")]),
        )


# --- goal indicators ------------------------------------------------------------------------------


H2 = (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))


def test_crisis_figures_are_registered_as_goal_indicators():
    from reports.indicators import REGISTRY, choices

    keys = {
        "crisis.calls",
        "crisis.dispatched_share",
        "crisis.median_minutes_to_intervention",
        "crisis.shelter_within_limit",
    }
    assert keys <= set(REGISTRY)
    assert keys <= {key for key, _label in choices()}
    assert REGISTRY["crisis.calls"].counts_people and not REGISTRY["crisis.dispatched_share"].counts_people


def test_crisis_indicators_compute_on_the_hand_made_set(crisis, calls, second, django_assert_num_queries):
    from reports.indicators import REGISTRY

    ids = [crisis.network.pk, second.network.pk]
    with django_assert_num_queries(4):
        values = {key: REGISTRY[key].compute(ids, *H2) for key in REGISTRY if key.startswith("crisis.")}
    a, b = crisis.network.pk, second.network.pk
    assert values["crisis.calls"] == {a: 10, b: 2}
    # 8 admissible calls, 6 of them dispatched; the second network has one admissible call: no figure.
    assert values["crisis.dispatched_share"] == {a: Decimal("75.0"), b: None}
    # Interventions 20, 30, 40, 50, 55 and 90 minutes after the call; a single one is no figure.
    assert values["crisis.median_minutes_to_intervention"] == {a: Decimal("45.0"), b: None}
    # Two shelter stays ended: fewer than five, no figure.
    assert values["crisis.shelter_within_limit"] == {a: None}


def test_share_of_shelter_stays_within_their_limit(crisis):
    # Six stays ended in the second half: four within the limit (one of them extended), two after.
    for n, (days, extended) in enumerate([(3, 0), (6, 0), (7, 0), (12, 7), (8, 0), (15, 7)]):
        call = _call(crisis, local(2026, 8, 1 + n, 20, 0))
        episode = CrisisEpisode.objects.create(
            call=call, network=crisis.network, client=Client.objects.create(), opened_at=call.received_at
        )
        start = call.received_at + datetime.timedelta(hours=1)
        CrisisStep.objects.create(
            episode=episode,
            kind="shelter",
            provider=crisis.shelter,
            started_at=start,
            limit_days=7,
            extension_days=extended,
            extension_reason="nodig" if extended else "",
            due_at=start + datetime.timedelta(days=7 + extended),
            ended_at=start + datetime.timedelta(days=days),
            started_by=crisis.meldpunt,
        )
    from reports.indicators import REGISTRY

    values = REGISTRY["crisis.shelter_within_limit"].compute([crisis.network.pk], *H2)
    assert values == {crisis.network.pk: Decimal("66.7")}
    # A first-half period holds none of them.
    assert (
        REGISTRY["crisis.shelter_within_limit"].compute(
            [crisis.network.pk], datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
        )
        == {}
    )


# --- the calendar-year report ---------------------------------------------------------------------


def test_calendar_year_report_counts_both_halves(crisis, calls, second):
    """Issue 18 §8: the staff can ask for a calendar year as well as a half year. The year's
    crisis figures are those of both halves together, per network too."""
    from reports import disclosure
    from reports.document import render_html
    from reports.figures import compute
    from reports.models import CalendarYear, HalfYear

    # A first-half episode with an intervention (25 min) and a shelter stay within its limit,
    # beside the first-half call of the fixture (30/6, 23:00, dispatched, no step yet).
    _episode(crisis, _call(crisis, local(2026, 3, 3, 19, 0)), minutes=25, shelter=True)
    today = datetime.date(2027, 1, 10)

    def crisis_of(period, **scope):
        snapshot = compute(period=period, today=today, **scope)
        return snapshot, next(s for s in snapshot["sections"] if s["key"] == "crisis")

    snapshot, year = crisis_of(CalendarYear(2026), network=crisis.network)
    assert snapshot["period"]["kind"] == CalendarYear(2026).kind and snapshot["period"]["half"] == 0
    assert (snapshot["period"]["start"], snapshot["period"]["end"]) == ("2026-01-01", "2026-12-31")
    facts = {f.get("key") or f["label"]: f["value"] for f in year["facts"]}
    # 10 calls in the second half, 2 in the first: 12; admissible 8 + 2; dispatched 6 + 2.
    assert (facts["calls"], facts["admissible"], facts["dispatched"]) == (12, 10, 8)
    # Interventions after 20, 25, 30, 40, 50, 55 and 90 minutes.
    assert facts["Mediaan minuten van oproep tot interventie"] == 40
    steps = next(t for t in year["tables"] if t["key"] == "crisis_steps")
    # 7 interventions × €50 + 1 guidance × €100 + 3 shelters × €100 = €750
    assert [row[1] for row in steps["rows"]] == [7, 1, 3] and sum(row[2] for row in steps["rows"]) == 750
    outcomes = next(t for t in year["tables"] if t["key"] == "crisis_calls")
    assert outcomes["rows"][0] == ["Ontvankelijk", 10, "83 %"]
    hours = next(t for t in year["tables"] if t["key"] == "crisis_hours")
    assert hours["rows"][23][1] == 1 and hours["rows"][19][1] == 1 and hours["rows"][20][1] == 7
    cohort = next(t for t in year["tables"] if t["key"] == "crisis_cohort")
    assert cohort["rows"][0][1] == 12  # the year's calls are the cohort's start

    # The two halves add up to the year.
    halves = [crisis_of(HalfYear(2026, half), network=crisis.network)[1] for half in (1, 2)]
    for key in ("calls", "admissible", "dispatched"):
        assert sum(next(f["value"] for f in h["facts"] if f.get("key") == key) for h in halves) == facts[key]

    # Region: the per-network rows over the year; the report renders with the year in its title.
    region_snapshot, region_year = crisis_of(CalendarYear(2026), region=crisis.network.region)
    by_network = next(t for t in region_year["tables"] if t["key"] == "crisis_by_network")
    assert by_network["rows"] == [
        ["BCrisisnetwerk Testland", 2, 1, "50 %", 1, 1, 0, 50.0],
        # 8 dispatched, 7 episodes: the fixture's call of 30/6 is dispatched without an episode.
        ["Crisisnetwerk Testland", 12, 10, "83 %", 8, 7, 2, 750.0],
    ]
    html = render_html(snapshot=region_snapshot, narrative=None, version_label="Ontwerp")
    assert "kalenderjaar 2026" in html and "Crisishulpprogramma per netwerk" in html
    # Suppressed as in the half-year report: the small network's calls show as "<5".
    _hidden, masks = disclosure.section_masks(region_year)
    shown = disclosure.apply(by_network, masks[region_year["tables"].index(by_network)])
    assert shown["rows"][0][1] == "<5"
