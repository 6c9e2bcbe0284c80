"""Case registrations in the practice report: exact figures, suppression below 5, no client data."""

import datetime

import pytest

from reports import document
from reports.figures import compute
from reports.models import HalfYear

from ..factories import (
    CarePlanItemFactory,
    CaseFactory,
    ClientConferenceFactory,
    ConferenceSessionFactory,
    NetworkFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db
H1 = HalfYear(2026, 1)
TODAY = datetime.date(2026, 8, 1)


def section(snapshot, key):
    return next(s for s in snapshot["sections"] if s["key"] == key)


def facts(snapshot, key):
    return {fact["label"]: fact["value"] for fact in section(snapshot, key)["facts"]}


@pytest.fixture
def registrations(db):
    network = NetworkFactory(name="RTJ Rapport")
    # Seven cases opened in H1 (ages 4, 9, 9, 13, 13, 13, 16), one opened earlier and closed in H1.
    for birth_year in (2022, 2017, 2017, 2013, 2013, 2013, 2010):
        CaseFactory(
            network=network,
            opened_on=datetime.date(2026, 3, 1),
            client__birth_year=birth_year,
            client__birth_date=None,
            client__first_name="Geheimenaam",
        )
    CaseFactory(network=network, opened_on=datetime.date(2025, 5, 1), closed_on=datetime.date(2026, 2, 1))
    case = network.cases.first()
    conference = ClientConferenceFactory(
        case=case,
        network=network,
        requested_on=datetime.date(2026, 2, 1),
        admissible=True,
        decided_on=datetime.date(2026, 2, 5),
    )
    session = ConferenceSessionFactory(
        conference=conference,
        status="held",
        starts_at=datetime.datetime(2026, 2, 21, 10, tzinfo=datetime.UTC),
    )
    CarePlanItemFactory(
        made_in=session, conference=conference, due_on=datetime.date(2026, 4, 1), status="done"
    )
    ReferralFactory(
        case=case,
        network=network,
        sent_on=datetime.date(2026, 3, 2),
        status="declined",
        declined_on=datetime.date(2026, 3, 9),
        decline_reason="full",
    )
    return network


def test_case_sections_count_exactly(registrations):
    snapshot = compute(network=registrations, period=H1, today=TODAY)
    assert facts(snapshot, "cases") == {
        "Dossiers open op de einddatum": 7,
        "Dossiers geopend in de periode": 7,
        "Dossiers afgesloten in de periode": 1,
    }
    by_age = section(snapshot, "cases")["tables"][0]
    assert by_age["rows"] == [
        ["0 tot 5 jaar", 1],
        ["6 tot 11 jaar", 2],
        ["12 tot 17 jaar", 4],
        ["18 jaar en ouder", 0],
        ["leeftijd onbekend", 0],
    ]
    conference = facts(snapshot, "client_conference")
    assert conference["Aanvragen"] == 1 and conference["Ontvankelijk verklaard"] == 1
    assert conference["Eerste overleggen gehouden"] == 1
    assert conference["Mediaan dagen tot eerste overleg"] == "–"  # rests on fewer than 5
    referrals = facts(snapshot, "referrals")
    assert referrals["Verwijzingen verstuurd"] == 1 and referrals["Geweigerd"] == 1


def test_small_counts_are_suppressed_and_no_client_data_is_rendered(registrations):
    snapshot = compute(network=registrations, period=H1, today=TODAY)
    html = document.render_html(snapshot=snapshot, narrative=None, version_label="test")
    assert "Geheimenaam" not in html and "Vermeersch" not in html
    assert "CL-" not in html  # not even pseudonyms
    start = html.index("Cliëntoverleg")
    assert "&lt;5" in html[start:] or "<5" in html[start:]


def test_steering_only_networks_get_no_case_sections(db):
    network = NetworkFactory(name="Gevangenis Rapport", detention=True)
    keys = [s["key"] for s in compute(network=network, period=H1, today=TODAY)["sections"]]
    assert "cases" not in keys
