"""The crisis section of the practice report (issue 18 §6, §8) against a hand-made set of calls:
counts, percentages, forfaits, the cohort, in a fixed number of queries."""

import datetime

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
