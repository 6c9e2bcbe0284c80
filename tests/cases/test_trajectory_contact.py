# ruff: noqa: F811 (pm and referable are fixtures imported from .planmakers)
"""The coordinator's trajectory list: days since the last contact per trajectory (the last
meeting held or the last change of the shared plan), and the longest time without contact per
planmaker — in a fixed number of queries (issue 19 §9)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from cases.models import Trajectory
from cases.services import trajectories as services
from cases.services import trajectory_meetings as meetings
from instruments.models import LifeDomain

from ..factories import CaseFactory, ConsentFactory
from .planmakers import TODAY, accepted, pm, referable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0)), tick=False)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def another_trajectory(network, organisation, pm, caseworker):
    case = CaseFactory(network=network, lead_organisation=organisation, team=[caseworker.user])
    ConsentFactory(case=case, organisations=[organisation, pm.home])
    return accepted(case, pm, caseworker, on=days(-60))


def contact_cells(page: str) -> dict[str, str]:
    """Pseudonym → the days-since-contact cell of the coordinator's table."""
    rows = re.findall(r'<tr>\s*<th scope="row"><a [^>]*>([^<]+)</a></th>(.*?)</tr>', page, re.S)
    found = {}
    for pseudonym, cells in rows:
        match = re.search(r'data-days-since-contact="([^"]*)">(.*?)</td>', cells, re.S)
        if match:
            found[pseudonym] = match.group(1) or re.sub(r"<[^>]+>", "", match.group(2)).strip()
    return found


def test_days_since_last_contact_from_meetings_and_plan_changes(
    client, referable, pm, caseworker, network, case_organisation, django_assert_num_queries
):
    with at(days(-60)):
        met = accepted(referable, pm, caseworker, on=days(-60))
        planned = another_trajectory(network, case_organisation, pm, caseworker)
        silent = another_trajectory(network, case_organisation, pm, caseworker)
    # A meeting held 40 days ago, then one 12 days ago.
    with at(days(-40)):
        meetings.record_meeting(
            trajectory=met, by=pm.planmaker, kind="start", held_on=days(-40), client_presence="attended",
            roles_agreed="", findings="",
        )  # fmt: skip
    with at(days(-12)):
        meetings.record_meeting(
            trajectory=met, by=pm.planmaker, kind="ad_hoc", held_on=days(-12), client_presence="consulted",
            roles_agreed="", findings="",
        )  # fmt: skip
    # A meeting 50 days ago, but the shared plan changed 5 days ago: 5.
    with at(days(-50)):
        meetings.record_meeting(
            trajectory=planned, by=pm.planmaker, kind="start", held_on=days(-50), client_presence="attended",
            roles_agreed="", findings="",
        )  # fmt: skip
        planned = services.move_phase(
            trajectory=planned, by=pm.planmaker, seen_phase="connecting", on=days(-50)
        )
        assert planned.phase == "mandate"
    with at(days(-5)):
        services.add_plan_item(
            trajectory=planned, by=pm.planmaker, domain=LifeDomain.objects.order_by("pk").first(), kind="goal",
            text="Doel", owner="Jongere", due_on=None,
        )  # fmt: skip
    with at(TODAY):
        client.force_login(pm.coordinator)
        url = reverse("cases:trajectory-list")
        client.get(url)
        # session, user, the visible trajectories as plain values (flags, the two last-contact
        # subqueries), their planmaker names, the rows on the pages with their counts, the read log
        # (+ savepoints), the bottleneck link check, session save: 10 (11 with aanmeldingen waiting).
        with django_assert_num_queries(10):
            page = client.get(url).content.decode()
    cells = contact_cells(page)
    pseudonym = {t.pk: t.case.client.pseudonym for t in (met, planned, silent)}
    assert cells[pseudonym[met.pk]] == "12"
    assert cells[pseudonym[planned.pk]] == "5"
    assert cells[pseudonym[silent.pk]] == "nog geen contact"
    # The load per planmaker: three running trajectories, the longest without contact 12 days.
    assert re.search(r"Nele Test</th><td>3</td><td>12</td>", page)
    # The planmaker's own list has no such column (it is the coordinator's view).
    client.force_login(pm.planmaker)
    with at(TODAY):
        assert "data-days-since-contact" not in client.get(url).content.decode()


def test_contact_column_queries_do_not_grow(
    client, referable, pm, caseworker, network, case_organisation, django_assert_num_queries
):
    with at(days(-60)):
        accepted(referable, pm, caseworker, on=days(-60))
        for _ in range(6):
            trajectory = another_trajectory(network, case_organisation, pm, caseworker)
            meetings.record_meeting(
                trajectory=trajectory, by=pm.planmaker, kind="start", held_on=days(-60),
                client_presence="attended", roles_agreed="", findings="",
            )  # fmt: skip
    with at(TODAY):
        client.force_login(pm.coordinator)
        url = reverse("cases:trajectory-list")
        client.get(url)
        with django_assert_num_queries(10):
            page = client.get(url).content.decode()
    assert list(contact_cells(page).values()).count("60") == 6


def test_the_coordinators_table_by_page_the_load_over_all(
    client, referable, pm, caseworker, network, case_organisation, django_assert_num_queries, monkeypatch
):
    """A network with many trajectories: the table shows a page (htmx swaps the next one in), the
    ended ones only behind the filter; the load per planmaker counts every running trajectory."""
    from cases.views import trajectories as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    with at(days(-60)):
        running = [accepted(referable, pm, caseworker, on=days(-60))]
        running += [another_trajectory(network, case_organisation, pm, caseworker) for _ in range(4)]
        ended = another_trajectory(network, case_organisation, pm, caseworker)
        # Contact with the first one only: whichever page shows it, the load knows it.
        meetings.record_meeting(
            trajectory=running[0], by=pm.planmaker, kind="start", held_on=days(-60),
            client_presence="attended", roles_agreed="", findings="",
        )  # fmt: skip
        # Ended as the phase rules would end it (tested in test_trajectories.py).
        Trajectory.objects.filter(pk=ended.pk).update(phase="closed", outcome="unblocked", closed_on=days(-1))
    pseudonyms = {t.pk: t.case.client.pseudonym for t in [*running, ended]}
    with at(TODAY):
        client.force_login(pm.coordinator)
        url = reverse("cases:trajectory-list")
        first = client.get(url).content.decode()
        with django_assert_num_queries(10):
            client.get(url + "?page=3")
        third = client.get(
            url + "?page=3", headers={"HX-Request": "true", "HX-Target": "coordinated"}
        ).content.decode()
        closed = client.get(url + "?afgesloten=1").content.decode()
        garbage = client.get(url + "?page=x&afgesloten=%00")
    shown_first = set(contact_cells(first))
    assert len(shown_first) == 2 and "Pagina 1 van 3" in first
    assert re.search(r"Nele Test</th><td>5</td><td>60</td>", first)  # all five, not the page's two
    assert pseudonyms[ended.pk] not in shown_first
    # The htmx answer is the table alone: the fifth running trajectory, no page around it.
    assert "<html" not in third and 'id="coordinated"' in third and "Pagina 3 van 3" in third
    assert len(contact_cells(third)) == 1 and set(contact_cells(third)) <= {pseudonyms[t.pk] for t in running}
    assert set(contact_cells(closed)) == {pseudonyms[ended.pk]}
    assert garbage.status_code == 200
    # The planmaker's own table has its own page parameter.
    client.force_login(pm.planmaker)
    with at(TODAY):
        mine = client.get(url).content.decode().split('id="mine"')[1].split("</section>")[0]
        mine_third = client.get(url + "?mijn=3", headers={"HX-Request": "true", "HX-Target": "mine"})
    assert mine.count('<th scope="row">') == 2 and "mijn=2" in mine and "Pagina 1 van 3" in mine
    assert mine_third.content.decode().count('<th scope="row">') == 1


def test_the_inbox_shows_the_oldest_aanmeldingen_and_counts_the_rest(
    client, pm, caseworker, network, case_organisation, django_assert_num_queries, monkeypatch
):
    from cases.views import trajectories as views

    from .planmakers import referred

    monkeypatch.setattr(views, "INBOX_SIZE", 2)
    waiting = []
    for offset in (-3, -9, -6):
        with at(days(offset)):
            case = CaseFactory(network=network, lead_organisation=case_organisation, team=[caseworker.user])
            ConsentFactory(case=case, organisations=[case_organisation, pm.home])
            waiting.append(referred(case, pm, caseworker))
    with at(TODAY):
        client.force_login(pm.coordinator)
        url = reverse("cases:trajectory-list")
        client.get(url)
        with django_assert_num_queries(11):  # the inbox's rows: one more
            page = client.get(url).content.decode()
    inbox = page.split('id="inbox-title"')[1].split("</section>")[0]
    oldest, middle, newest = waiting[1], waiting[2], waiting[0]
    assert inbox.index(oldest.case.client.pseudonym) < inbox.index(middle.case.client.pseudonym)
    assert newest.case.client.pseudonym not in inbox
    assert "En nog 1 aanmelding: ze staat ook in de tabel hieronder" in inbox
    assert newest.case.client.pseudonym in contact_cells(page)
