"""The figures snapshot (reports/SNAPSHOT.md): a known set of registrations in, exact tables out.

Period under test: January–June 2026, computed on 23/11/2026 (a finished period). Every boundary
is tested on both sides: 1 January and 30 June count, 31 December and 1 July do not.
"""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from networks.models import ActionItem, Agreement, Attendance, Body, Criterion, Decision, Goal
from reports.figures import compute
from reports.models import HalfYear
from tests.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    AttendanceFactory,
    BodyFactory,
    DecisionFactory,
    GoalFactory,
    GoalProgressFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    RegionFactory,
    ScoreFactory,
    SectorFactory,
    SelfAssessmentRoundFactory,
    UserFactory,
)

H1 = HalfYear(2026, 1)
TODAY = datetime.date(2026, 11, 23)
D = datetime.date
SECRET = "GEHEIM"  # in every comment and respondent name: must never reach a snapshot
LONG_AGO = D(2020, 1, 1)

STATUS = Attendance.Status
PRESENT, EXCUSED, ABSENT = STATUS.PRESENT, STATUS.EXCUSED, STATUS.ABSENT


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every factory user gets a hashed password; the real hasher would make up most of the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day: datetime.date, hour: int = 14, minute: int = 0) -> datetime.datetime:
    """A moment in Belgian local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def section(snapshot: dict, key: str) -> dict:
    (found,) = [s for s in snapshot["sections"] if s["key"] == key]
    return found


def table(snapshot: dict, key: str) -> dict:
    (found,) = [t for s in snapshot["sections"] for t in s["tables"] if t["key"] == key]
    return found


def facts(snapshot: dict, key: str) -> dict:
    return {fact["label"]: (fact["value"], fact["is_count"]) for fact in section(snapshot, key)["facts"]}


def rows_and_total(snapshot: dict, key: str) -> tuple[list, list | None]:
    found = table(snapshot, key)
    return found["rows"], found["total"]


# --- the known registrations --------------------------------------------------------------------


def _members(network, other_network) -> dict:
    alfa = SectorFactory(code="fig-alfa", name="Alfa-sector", abbreviation="Alfa")
    beta = SectorFactory(code="fig-beta", name="Bèta-sector", abbreviation="Bèta")
    gamma = SectorFactory(code="fig-gamma", name="Gamma-sector", abbreviation="Gamma")
    delta = SectorFactory(code="fig-delta", name="Delta-sector", abbreviation="Delta")
    orgs = {}

    def member(name, sector, since=LONG_AGO, until=None, in_network=network):
        orgs.setdefault(name, OrganisationFactory(name=name, sector=sector))
        NetworkMembershipFactory(network=in_network, organisation=orgs[name], since=since, until=until)

    for n in range(1, 6):
        member(f"Alfa {n}", alfa)
    member("Alfa 6", alfa, since=D(2026, 1, 1))  # joined on the first day: counts
    member("Alfa 7", alfa, since=D(2026, 6, 30))  # joined on the last day: counts
    member("Alfa 8", alfa, since=D(2026, 7, 1))  # joins the day after: not in H1 at all
    member("Bèta 1", beta)
    member("Bèta 2", beta, until=D(2026, 6, 30))  # leaves on the last day: member at end AND left
    member("Bèta 3", beta, until=D(2026, 1, 1))  # leaves on the first day: left
    member("Bèta 4", beta, until=D(2025, 12, 31))  # left in the previous half year
    member("Gamma 1", gamma, until=D(2026, 3, 15))  # the sector's only member left
    member("Delta 1", delta, since=D(2019, 1, 1), until=D(2025, 6, 1))  # nothing in H1: no row
    member("Alfa 1", alfa, in_network=other_network)  # elsewhere: counts for partner load only
    member("Elders 1", alfa, in_network=other_network)  # not a member here
    return orgs


def _meetings(network, other_network, orgs) -> SimpleNamespace:
    steering = BodyFactory(network=network, name="Stuurgroep Testland", kind=Body.Kind.STEERING_GROUP)
    working = BodyFactory(network=network, name="Werkgroep Testland", kind=Body.Kind.WORKING_GROUP)
    BodyFactory(network=network, name="Kerngroep Testland", kind=Body.Kind.CORE_GROUP)  # never met
    elsewhere = BodyFactory(network=other_network, name="Stuurgroep Elders")
    m = SimpleNamespace(
        old=MeetingFactory(body=steering, starts_at=at(D(2025, 10, 1))),
        m0=MeetingFactory(body=steering, starts_at=at(D(2025, 12, 31), 23, 59)),  # just before
        m1=MeetingFactory(body=steering, starts_at=at(D(2026, 1, 1), 0, 0)),  # the first moment
        m2=MeetingFactory(body=steering, starts_at=at(D(2026, 3, 10))),
        m3=MeetingFactory(body=working, starts_at=at(D(2026, 6, 30), 23, 30)),  # late on the last day
        m4=MeetingFactory(body=working, starts_at=at(D(2026, 7, 1), 0, 0)),  # the first moment after
        elsewhere=MeetingFactory(body=elsewhere, starts_at=at(D(2026, 4, 1))),
        steering=steering,
        working=working,
        elsewhere_body=elsewhere,
    )
    people = {name: UserFactory(username=f"fig-{name}") for name in ("a1", "a1b", "b", "c", "d", "b2", "x")}
    alfa1, beta2 = orgs["Alfa 1"], orgs["Bèta 2"]
    invitations = [
        # 9 invitations in the period, 7 present
        (m.m1, "a1", alfa1, PRESENT),
        (m.m1, "b", None, PRESENT),
        (m.m1, "c", None, PRESENT),
        (m.m1, "d", None, EXCUSED),
        (m.m2, "a1", alfa1, PRESENT),
        (m.m2, "a1b", alfa1, PRESENT),  # a colleague of the same organisation
        (m.m2, "c", None, PRESENT),
        (m.m3, "b2", beta2, PRESENT),
        (m.m3, "d", None, ABSENT),
        # outside the period or the network
        (m.m0, "a1", alfa1, PRESENT),
        (m.m0, "x", None, PRESENT),
        (m.m4, "a1", alfa1, PRESENT),
        (m.m4, "x", None, PRESENT),
        (m.elsewhere, "a1", alfa1, PRESENT),
    ]
    for meeting, person, organisation, status in invitations:
        AttendanceFactory(meeting=meeting, user=people[person], organisation=organisation, status=status)
    return m


def _decisions(m, orgs) -> None:
    def decide(meeting, method, without=()):
        decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting), method=method)
        decision.organisations_without_mandate.set([orgs[name] for name in without])

    decide(m.m1, Decision.Method.CONSENSUS, without=["Alfa 2", "Bèta 1"])  # two organisations, one decision
    decide(m.m1, Decision.Method.CONSENSUS)
    decide(m.m2, Decision.Method.MAJORITY, without=["Alfa 3"])
    decide(m.m3, Decision.Method.ESCALATED)
    decide(m.m0, Decision.Method.MAJORITY, without=["Alfa 2"])  # before the period
    decide(m.m4, Decision.Method.CONSENSUS, without=["Alfa 2"])  # after the period


def _actions(m) -> None:
    S = ActionItem.Status

    def action(meeting, status, due_on, completed_on=None):
        ActionItemFactory(
            meeting=meeting,
            status=status,
            due_on=due_on,
            completed_on=completed_on,
            dropped_reason="Niet meer nodig" if status == S.DROPPED else "",
        )

    # agreed in the period
    action(m.m1, S.DONE, D(2026, 5, 1), D(2026, 5, 1))  # done
    action(m.m1, S.DONE, D(2026, 6, 1), D(2026, 8, 1))  # done after the end: open and overdue at the end
    action(m.m2, S.OPEN, D(2026, 6, 29))  # open, overdue
    action(m.m2, S.IN_PROGRESS, D(2026, 6, 30))  # open, due on the last day: not overdue
    action(m.m3, S.OPEN, D(2026, 9, 1))  # open
    action(m.m3, S.DROPPED, D(2026, 9, 1))  # dropped
    # carried over from before
    action(m.m0, S.OPEN, D(2025, 12, 31))  # still open: open, overdue
    action(m.old, S.DONE, D(2025, 11, 1), D(2026, 2, 1))  # done in the period
    action(m.m0, S.DONE, D(2026, 1, 1), D(2026, 1, 1))  # done on the first day
    action(m.old, S.DONE, D(2025, 11, 1), D(2025, 12, 20))  # done before: not carried over
    action(m.old, S.DROPPED, D(2025, 11, 1))  # dropped earlier: not counted
    # agreed after the period
    action(m.m4, S.OPEN, D(2026, 7, 10))


def _goals(network, other_network) -> None:
    end_goal = GoalFactory(network=network, title="Betere toegang")
    on_track = GoalFactory(
        network=network,
        parent=end_goal,
        kind=Goal.Kind.OPERATIONAL,
        title="Aanmeldingen verhogen",
        indicator="Aanmeldingen per kwartaal",
        unit="aanmeldingen",
        baseline_value=10,
        target_value=40,
        deadline=D(2027, 6, 30),
        status=Goal.Status.ON_TRACK,
    )
    GoalProgressFactory(goal=on_track, measured_on=D(2026, 1, 15), value=16)
    GoalProgressFactory(goal=on_track, measured_on=D(2026, 6, 30), value=25)  # the last day: latest
    GoalProgressFactory(goal=on_track, measured_on=D(2026, 7, 1), value=35)  # after the period
    at_risk = GoalFactory(
        network=network,
        parent=end_goal,
        kind=Goal.Kind.OPERATIONAL,
        title="Wachttijd halveren",
        indicator="Wachttijd in dagen",
        target_value=20,
        deadline=D(2027, 6, 30),
        status=Goal.Status.AT_RISK,
    )
    GoalProgressFactory(goal=at_risk, measured_on=D(2026, 7, 2), value=30)  # only after the period
    GoalFactory(network=other_network, operational=True, title="Elders")


def _agreements(network, other_network) -> None:
    B = Agreement.Binding
    for title, binding, valid_from, valid_until in [
        ("Huishoudelijk reglement", B.MANDATORY, D(2024, 1, 1), None),  # valid
        ("Convenant wachtlijsten", B.DESIRED, D(2025, 1, 1), D(2026, 8, 29)),  # valid, 60th day: expiring
        ("Samenwerkingsprotocol", B.MANDATORY, D(2024, 1, 1), D(2026, 8, 30)),  # valid, 61st day
        ("Oud protocol", B.OPTIONAL, D(2024, 1, 1), D(2026, 6, 29)),  # expired the day before
        ("Nieuw protocol", B.MANDATORY, D(2026, 7, 1), None),  # not yet valid
        ("Afsprakennota", B.OPTIONAL, D(2025, 1, 1), D(2026, 6, 30)),  # last day: valid and expiring
    ]:
        AgreementFactory(
            network=network, title=title, binding=binding, valid_from=valid_from, valid_until=valid_until
        )
    AgreementFactory(network=other_network, title="Elders", valid_until=D(2026, 7, 15))


def _assessment(network) -> None:
    shared_goal = Criterion.objects.get(code="gezamenlijk-doel")
    trust = Criterion.objects.get(code="vertrouwen")
    communication = Criterion.objects.get(code="communicatie")
    respondents = [
        UserFactory(username=f"fig-r{n}", first_name=f"{SECRET}voornaam", last_name=f"{SECRET}naam{n}")
        for n in range(6)
    ]
    previous = SelfAssessmentRoundFactory(
        network=network,
        title="Ronde 2025",
        opened_on=D(2025, 5, 1),
        closes_on=D(2025, 5, 31),
        closed_at=at(D(2025, 5, 31), 17),
    )
    # Closed automatically: its closing day lies before today.
    latest = SelfAssessmentRoundFactory(
        network=network, title="Ronde voorjaar 2026", opened_on=D(2026, 3, 1), closes_on=D(2026, 3, 31)
    )
    # Closed after the period: not used.
    later = SelfAssessmentRoundFactory(
        network=network,
        title="Ronde zomer 2026",
        opened_on=D(2026, 6, 15),
        closes_on=D(2026, 7, 10),
        closed_at=at(D(2026, 7, 10), 17),
    )

    def scores(assessment_round, criterion, values):
        for respondent, value in zip(respondents, values, strict=False):
            ScoreFactory(
                round=assessment_round,
                criterion=criterion,
                respondent=respondent,
                value=value,
                comment=f"{SECRET}-opmerking van {respondent.last_name}",
            )

    scores(latest, shared_goal, [2, 3, 4, 4, 5])
    scores(previous, shared_goal, [1, 2, 3, 3, 3])
    scores(latest, trust, [3, 3, 3, 4, 4, 5])
    scores(previous, trust, [4, 4, 4, 4])  # too few last time: no previous median
    scores(latest, communication, [5, 5, 5, 1])  # too few: the count only
    scores(previous, communication, [2, 2, 2, 2, 2])
    scores(later, shared_goal, [1, 1, 1, 1, 1])


def _seats(network, other_network, orgs, m) -> None:
    def seat(organisation, bodies, in_network=network, since=LONG_AGO, until=None):
        role = MembershipFactory(
            network=in_network, organisation=orgs[organisation], since=since, until=until
        )
        role.bodies.set(bodies)

    seat("Alfa 1", [m.steering, m.working])
    seat("Alfa 1", [m.elsewhere_body], in_network=other_network)
    seat("Alfa 2", [m.steering], until=D(2026, 6, 29))  # ended the day before the end
    seat("Alfa 3", [m.steering], since=D(2026, 7, 1))  # starts after the period
    seat("Bèta 2", [m.working])


@pytest.fixture
def registrations(network, other_network):
    orgs = _members(network, other_network)
    meetings = _meetings(network, other_network, orgs)
    _decisions(meetings, orgs)
    _actions(meetings)
    _goals(network, other_network)
    _agreements(network, other_network)
    _assessment(network)
    _seats(network, other_network, orgs, meetings)
    return SimpleNamespace(network=network, orgs=orgs, meetings=meetings)


@pytest.fixture
def snapshot(registrations):
    return compute(network=registrations.network, period=H1, today=TODAY)


# --- one network --------------------------------------------------------------------------------


def test_snapshot_head_scope_period_and_section_order(snapshot, network):
    assert snapshot["schema"] == 1
    assert snapshot["generated_from"] == "2026-11-23"
    assert snapshot["scope"] == {
        "type": "network",
        "id": network.pk,
        "name": "RTJ Testland",
        "kind": "rtj",
        "kind_label": "RTJ-netwerk (rechtstreeks toegankelijke jeugdhulp)",
        "region": "Oost-Vlaanderen",
    }
    assert snapshot["period"] == {
        "year": 2026,
        "half": 1,
        "kind": "half",
        "start": "2026-01-01",
        "end": "2026-06-30",
        "label": "januari–juni 2026",
    }
    assert snapshot["networks"] == [{"id": network.pk, "name": "RTJ Testland", "kind": "rtj"}]
    assert [s["key"] for s in snapshot["sections"]] == [
        "members",
        "meetings",
        "decisions",
        "actions",
        "goals",
        "agreements",
        "assessment",
        "partner_load",
        "cases",
        "client_conference",
        "referrals",
    ]
    for s in snapshot["sections"]:
        assert s["title"] and s["intro"] and s["definition"]
        for t in s["tables"]:
            assert {"key", "title", "columns", "rows", "total", "count_columns", "chart"} <= set(t)
            assert set(t) <= {"key", "title", "columns", "rows", "total", "count_columns", "chart"} | {
                "derived_columns",  # cohorts: a share hidden with its count
                "label_columns",
                "row_groups",
                "row_sums",
                "total_same_as",  # a total that is also a key figure or another table's cell
            }
            for row in [*t["rows"], *([t["total"]] if t["total"] else [])]:
                assert len(row) == len(t["columns"])
                for column in t["count_columns"]:
                    # An int, or "–" where the figure does not apply (a cohort's start row has no
                    # "within 30 days"); goal values are floats unless they count people.
                    allowed = (int, float) if t["key"] == "goals" else (int,)
                    assert type(row[column]) in allowed or row[column] == "–", (t["key"], row)


def test_members_by_sector_with_inclusive_boundaries(snapshot):
    members = table(snapshot, "members_by_sector")
    assert members["columns"] == ["Sector", "Leden op einddatum", "Nieuw in periode", "Vertrokken in periode"]
    assert members["rows"] == [["Alfa", 7, 2, 0], ["Bèta", 2, 0, 2], ["Gamma", 0, 0, 1]]
    assert members["total"] == ["Totaal", 9, 2, 3]
    assert members["count_columns"] == []  # organisations identify nobody: not suppressed
    assert members["chart"] == {"type": "bar", "label_column": 0, "value_column": 1}
    assert facts(snapshot, "members")["Lidorganisaties op einddatum"] == (9, False)


def test_meetings_by_body_with_attendance_rate(snapshot):
    meetings = table(snapshot, "meetings_by_body")
    assert meetings["columns"] == [
        "Orgaan",
        "Vergaderingen",
        "Uitnodigingen",
        "Aanwezig",
        "Aanwezigheidsgraad",
    ]
    assert meetings["rows"] == [
        ["Kerngroep Testland", 0, 0, 0, "–"],
        ["Stuurgroep Testland", 2, 7, 6, "86%"],
        ["Werkgroep Testland", 1, 2, 1, "–"],  # 1 of 2: a rate would give the hidden counts away
    ]
    assert meetings["total"] == ["Totaal", 3, 9, 7, "78%"]
    assert meetings["count_columns"] == [2, 3]  # people invited and present; not meetings, not the rate
    assert facts(snapshot, "meetings") == {
        "Vergaderingen gehouden": (3, False),
        "Aanwezigheidsgraad": ("78%", False),
    }


def test_decisions_by_method_and_without_mandate(snapshot):
    decisions = table(snapshot, "decisions_by_method")
    assert decisions["rows"] == [
        ["Consensus", 2],
        ["Doorverwezen naar de regionale stuurgroep", 1],
        ["Meerderheid", 1],
    ]
    assert decisions["total"] == ["Totaal", 4]
    assert decisions["count_columns"] == []
    assert facts(snapshot, "decisions") == {
        "Besluiten genomen": (4, False),
        "Besluiten zonder gemandateerde vertegenwoordiger van een deelnemende organisatie": (2, False),
    }


def test_actions_created_and_carried_over_as_they_stood_at_the_end(snapshot):
    actions = table(snapshot, "actions")
    assert actions["columns"] == ["Actiepunten", "Aantal", "Afgerond", "Open", "Te laat", "Geschrapt"]
    assert actions["rows"] == [
        ["Aangemaakt in de periode", 6, 1, 4, 2, 1],
        ["Overgedragen uit een vorige periode", 3, 2, 1, 1, 0],
    ]
    assert actions["total"] == ["Totaal", 9, 3, 5, 3, 1]
    assert actions["count_columns"] == []
    assert facts(snapshot, "actions") == {
        "Actiepunten aangemaakt in de periode": (6, False),
        "Actiepunten te laat op de einddatum": (3, False),
    }


def test_goals_with_latest_value_up_to_the_end_and_progress(snapshot):
    goals = table(snapshot, "goals")
    assert goals["columns"] == [
        "Doel",
        "Indicator",
        "Streefwaarde",
        "Laatste waarde",
        "Gemeten op",
        "Voortgang",
        "Status",
    ]
    assert goals["rows"] == [
        # (25 - 10) / (40 - 10): half way
        [
            "Aanmeldingen verhogen",
            "Aanmeldingen per kwartaal (aanmeldingen)",
            40.0,
            25.0,
            "2026-06-30",
            "50%",
            "Op schema",
        ],
        ["Wachttijd halveren", "Wachttijd in dagen", 20.0, "–", "–", "–", "In gevaar"],
    ]
    # The value column is marked, but only values that count people are ints (suppressed);
    # these goals measure no people, so their values are floats and shown as they are.
    assert goals["count_columns"] == [3] and goals["derived_columns"] == [[5, 3]]
    assert goals["total"] is None
    by_status = table(snapshot, "goals_by_status")
    assert by_status["rows"] == [
        ["Bereikt", 0],
        ["In gevaar", 1],
        ["Niet gestart", 0],
        ["Op schema", 1],
        ["Stopgezet", 0],
    ]
    assert by_status["total"] == ["Totaal", 2]
    assert by_status["count_columns"] == []


def test_agreements_valid_at_the_end_and_expiring_within_60_days(snapshot):
    by_binding = table(snapshot, "agreements_by_binding")
    assert by_binding["rows"] == [["Gewenst", 1], ["Verplicht", 2], ["Vrijblijvend", 1]]
    assert by_binding["total"] == ["Totaal", 4]
    assert by_binding["count_columns"] == []
    expiring = table(snapshot, "agreements_expiring")
    assert expiring["columns"] == ["Overeenkomst", "Geldig tot en met"]
    assert expiring["rows"] == [
        ["Afsprakennota (v1.0)", "2026-06-30"],
        ["Convenant wachtlijsten (v1.0)", "2026-08-29"],
    ]
    assert expiring["count_columns"] == []
    assert facts(snapshot, "agreements") == {
        "Geldende overeenkomsten": (4, False),
        "Vervallen binnen 60 dagen": (2, False),
    }


def test_assessment_latest_closed_round_against_the_previous_with_small_numbers_hidden(snapshot):
    rounds = table(snapshot, "assessment_rounds")
    assert rounds["rows"] == [["RTJ Testland", "Ronde voorjaar 2026", "2026-03-31", 6, "Ronde 2025"]]
    assert rounds["count_columns"] == [3]
    criteria = table(snapshot, "assessment_by_criterion")
    assert criteria["columns"] == [
        "Dimensie",
        "Criterium",
        "Antwoorden",
        "Mediaan",
        "Vorige mediaan",
        "Verschil",
    ]
    assert criteria["rows"] == [
        ["Structureel", "Gezamenlijk doel", 5, 4.0, 3.0, 1.0],
        ["Relationeel", "Vertrouwen", 6, 3.5, "–", "–"],  # 4 answers last time: no comparison
        ["Relationeel", "Communicatie", 4, "–", "–", "–"],  # 4 answers: the count only
    ]
    assert criteria["count_columns"] == [2]  # n only; medians and changes are not counts
    assert facts(snapshot, "assessment") == {"Gebruikte rondes": (1, False)}


def test_partner_load_of_member_organisations_across_all_networks(snapshot):
    load = table(snapshot, "partner_load")
    assert load["columns"] == ["Organisatie", "Sector", "Netwerken", "Organen", "Vergaderingen"]
    assert load["rows"] == [
        ["Alfa 1", "Alfa", 2, 3, 3],  # two networks; three seats; M1, M2 and a meeting elsewhere
        ["Alfa 2", "Alfa", 1, 0, 0],  # its seat ended before the end of the period
        ["Alfa 3", "Alfa", 1, 0, 0],  # its seat starts after the period
        ["Alfa 4", "Alfa", 1, 0, 0],
        ["Alfa 5", "Alfa", 1, 0, 0],
        ["Alfa 6", "Alfa", 1, 0, 0],
        ["Alfa 7", "Alfa", 1, 0, 0],
        ["Bèta 1", "Bèta", 1, 0, 0],
        ["Bèta 2", "Bèta", 1, 1, 1],
    ]
    assert load["count_columns"] == []  # per organisation, not per person
    assert facts(snapshot, "partner_load") == {"Verschillende lidorganisaties": (9, False)}


def test_snapshot_survives_a_json_round_trip(snapshot):
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_no_comment_score_or_respondent_name_in_the_snapshot(snapshot):
    text = json.dumps(snapshot, ensure_ascii=False)
    assert SECRET not in text
    assert "fig-r" not in text  # usernames
    assert "-opmerking van" not in text


def test_the_same_registrations_give_the_same_snapshot(registrations, snapshot):
    assert compute(network=registrations.network, period=H1, today=TODAY) == snapshot


def test_a_running_period_counts_up_to_today(network):
    """While the period runs, "the end" is today: later meetings are planned, not held."""
    body = BodyFactory(network=network, name="Stuurgroep")
    held = MeetingFactory(body=body, starts_at=at(D(2026, 9, 15)))
    MeetingFactory(body=body, starts_at=at(D(2026, 12, 10)))
    AttendanceFactory(meeting=held, status=PRESENT)
    ActionItemFactory(meeting=held, due_on=D(2026, 11, 20))  # overdue on 23/11
    ActionItemFactory(meeting=held, due_on=D(2026, 12, 1))  # not yet due
    NetworkMembershipFactory(network=network, since=D(2026, 12, 1))  # joins later
    snapshot = compute(network=network, period=HalfYear(2026, 2), today=TODAY)
    assert table(snapshot, "meetings_by_body")["rows"] == [["Stuurgroep", 1, 1, 1, "–"]]
    assert facts(snapshot, "meetings")["Nog geplande vergaderingen in de periode"] == (1, False)
    assert table(snapshot, "actions")["rows"][0] == ["Aangemaakt in de periode", 2, 0, 2, 1, 0]
    assert table(snapshot, "members_by_sector")["rows"] == []


def test_scope_must_be_one_network_or_one_region(network):
    with pytest.raises(ValueError):
        compute(period=H1)
    with pytest.raises(ValueError):
        compute(network=network, region=network.region, period=H1)


# --- a region -----------------------------------------------------------------------------------


def _small_network(
    region, name: str, *, members, meetings: list[tuple], criterion_scores=(), started_on=None
):
    """A network with one member per (sector, since) in ``sector`` and steering meetings given as
    (day, invited, present)."""
    network = NetworkFactory(name=name, region=region, started_on=started_on or D(2015, 1, 1))
    for sector, since in members:
        NetworkMembershipFactory(
            network=network, organisation=OrganisationFactory(sector=sector), since=since
        )
    body = BodyFactory(network=network, name=f"Stuurgroep {name}")
    for day, invited, present in meetings:
        meeting = MeetingFactory(body=body, starts_at=at(day))
        for n in range(invited):
            AttendanceFactory(meeting=meeting, status=PRESENT if n < present else ABSENT)
    if criterion_scores:
        assessment_round = SelfAssessmentRoundFactory(
            network=network, title=f"Ronde {name}", opened_on=D(2026, 2, 1), closes_on=D(2026, 2, 28)
        )
        criterion = Criterion.objects.get(code="vertrouwen")
        for value in criterion_scores:
            ScoreFactory(round=assessment_round, criterion=criterion, value=value, comment=SECRET)
    return network, body


def test_region_sums_its_networks_and_lists_them(db):
    west = RegionFactory(code="west-vlaanderen")
    x = SectorFactory(code="fig-x", name="X-sector", abbreviation="X")
    y = SectorFactory(code="fig-y", name="Y-sector", abbreviation="Y")
    north, north_body = _small_network(
        west,
        "Netwerk Noord",
        members=[(x, D(2020, 1, 1)), (x, D(2026, 2, 1))],
        meetings=[(D(2026, 2, 1), 2, 2)],
        criterion_scores=[1, 2, 3],
    )
    south, south_body = _small_network(
        west,
        "Netwerk Zuid",
        members=[(x, D(2020, 1, 1)), (y, D(2020, 1, 1))],
        meetings=[(D(2026, 3, 1), 2, 1), (D(2026, 5, 1), 1, 0)],
        criterion_scores=[4, 5, 5],
    )
    south.kind = "detention"
    south.save()
    BodyFactory(network=south, name="Werkgroep Zuid", kind=Body.Kind.WORKING_GROUP)
    ActionItemFactory(
        meeting=north_body.meetings.get(), status=ActionItem.Status.DONE, completed_on=D(2026, 3, 1)
    )
    ActionItemFactory(meeting=south_body.meetings.first(), due_on=D(2026, 6, 1))  # overdue at the end
    # Not part of the region's figures: another region, and a network that starts after the period.
    _small_network(
        RegionFactory(code="antwerpen"),
        "Netwerk Elders",
        members=[(x, D(2020, 1, 1))],
        meetings=[(D(2026, 2, 1), 5, 5)],
    )
    _small_network(west, "Netwerk Later", members=[(x, D(2020, 1, 1))], meetings=[], started_on=D(2026, 7, 1))

    snapshot = compute(region=west, period=H1, today=TODAY)

    assert snapshot["scope"] == {
        "type": "region",
        "id": west.pk,
        "name": "West-Vlaanderen",
        "kind": None,
        "kind_label": None,
        "region": "West-Vlaanderen",
    }
    assert snapshot["networks"] == [
        {"id": north.pk, "name": "Netwerk Noord", "kind": "rtj"},
        {"id": south.pk, "name": "Netwerk Zuid", "kind": "detention"},
    ]
    assert snapshot["sections"][0]["key"] == "networks"
    networks = table(snapshot, "networks")
    assert networks["columns"] == [
        "Netwerk",
        "Soort",
        "Lidorganisaties",
        "Vergaderingen gehouden",
        "Actiepunten afgerond",
        "Actiepunten te laat",
    ]
    assert networks["rows"] == [
        ["Netwerk Noord", "RTJ", 2, 1, 1, 0],
        ["Netwerk Zuid", "gedetineerden", 2, 2, 0, 1],
    ]
    assert networks["total"] == ["Totaal", "", 4, 3, 1, 1]
    assert networks["count_columns"] == []
    assert rows_and_total(snapshot, "members_by_sector") == (
        [["X", 3, 1, 0], ["Y", 1, 0, 0]],
        ["Totaal", 4, 1, 0],
    )
    meetings = table(snapshot, "meetings_by_body_kind")
    assert meetings["columns"][0] == "Soort orgaan"
    assert meetings["rows"] == [["Netwerkstuurgroep", 3, 5, 3, "–"], ["Werkgroep", 0, 0, 0, "–"]]
    assert meetings["total"] == ["Totaal", 3, 5, 3, "–"]
    assert table(snapshot, "actions")["total"] == ["Totaal", 2, 1, 1, 1, 0]
    # The latest round of each network, pooled: 1 2 3 4 5 5 → median 3.5.
    assert table(snapshot, "assessment_rounds")["rows"] == [
        ["Netwerk Noord", "Ronde Netwerk Noord", "2026-02-28", 3, "–"],
        ["Netwerk Zuid", "Ronde Netwerk Zuid", "2026-02-28", 3, "–"],
    ]
    assert table(snapshot, "assessment_by_criterion")["rows"] == [
        ["Relationeel", "Vertrouwen", 6, 3.5, "–", "–"]
    ]
    assert table(snapshot, "goals")["columns"][:2] == ["Doel", "Netwerk"]
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert SECRET not in json.dumps(snapshot, ensure_ascii=False)


# --- a fixed number of queries ------------------------------------------------------------------


def _busy_network(region, n: int) -> None:
    """A network with something in every section."""
    network = NetworkFactory(name=f"Netwerk {region.code} {n}", region=region)
    organisation = NetworkMembershipFactory(network=network).organisation
    body = BodyFactory(network=network)
    role = MembershipFactory(network=network, organisation=organisation)
    role.bodies.set([body])
    meeting = MeetingFactory(body=body, starts_at=at(D(2026, 3, 1)))
    AttendanceFactory(meeting=meeting, organisation=organisation, status=PRESENT)
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting))
    decision.organisations_without_mandate.set([organisation])
    ActionItemFactory(meeting=meeting, due_on=D(2026, 4, 1))
    goal = GoalFactory(network=network, operational=True)
    GoalProgressFactory(goal=goal, measured_on=D(2026, 4, 1))
    AgreementFactory(network=network, valid_until=D(2026, 7, 15))
    criterion = Criterion.objects.get(code="vertrouwen")
    for opened_on in (D(2025, 3, 1), D(2026, 3, 1)):
        assessment_round = SelfAssessmentRoundFactory(
            network=network, opened_on=opened_on, closes_on=opened_on + datetime.timedelta(days=20)
        )
        for value in (1, 2, 3, 4, 5):
            ScoreFactory(round=assessment_round, criterion=criterion, value=value)


# The scope, then one per steering section (the region table is built from the others); then for
# networks with case work (RTJ): cases (1), cliëntoverleg (4 + 1 cohort), referrals (2 + 1 cohort),
# imported history (1 per kind).
QUERIES = 21
# A region adds the case figures per network: cases, conference counts, first sessions, referrals.
REGION_QUERIES = QUERIES + 4


def test_query_count_does_not_grow_with_the_number_of_networks(db, django_assert_num_queries):
    one, six = RegionFactory(code="limburg"), RegionFactory(code="antwerpen")
    _busy_network(one, 1)
    for n in range(6):
        _busy_network(six, n)

    counted = {}
    for label, region in (("one", one), ("six", six)):
        with CaptureQueriesContext(connection) as queries:
            snapshot = compute(region=region, period=H1, today=TODAY)
        counted[label] = len(queries)
        assert len(snapshot["networks"]) == (1 if label == "one" else 6)
        assert table(snapshot, "networks")["total"][3] == len(snapshot["networks"])  # data was read
    assert counted["one"] == counted["six"] == REGION_QUERIES

    network = one.networks.get()
    with django_assert_num_queries(QUERIES):
        compute(network=network, period=H1, today=TODAY)
