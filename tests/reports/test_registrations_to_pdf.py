"""From registrations to the PDF text: known meetings and actions, the figures they must give,
and those figures in the rendered report, suppression included."""

import datetime
import io

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from networks.models import ActionItem, Attendance
from reports import document, figures
from reports.models import HalfYear
from tests.factories import (
    ActionItemFactory,
    AttendanceFactory,
    BodyFactory,
    MeetingFactory,
    NetworkMembershipFactory,
)

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))


def test_known_registrations_give_exact_figures_in_snapshot_and_pdf(network):
    body = BodyFactory(network=network, name="Netwerkstuurgroep Testland")
    for _ in range(6):
        NetworkMembershipFactory(network=network, since=datetime.date(2020, 1, 1))
    first = MeetingFactory(network=network, body=body, starts_at=_at(datetime.date(2026, 2, 10)))
    second = MeetingFactory(network=network, body=body, starts_at=_at(datetime.date(2026, 5, 12)))
    MeetingFactory(network=network, body=body, starts_at=_at(datetime.date(2026, 7, 1)))  # next period
    for meeting, present in ((first, 5), (second, 3)):
        for index in range(6):
            status = Attendance.Status.PRESENT if index < present else Attendance.Status.EXCUSED
            AttendanceFactory(meeting=meeting, status=status)
    ActionItemFactory(meeting=first, due_on=datetime.date(2026, 3, 1), status=ActionItem.Status.DONE)
    ActionItemFactory(meeting=first, due_on=datetime.date(2026, 4, 1))  # open and overdue on 30/06

    with translation.override("nl-be"):
        snapshot = figures.compute(
            network=network, period=HalfYear(2026, 1), today=datetime.date(2026, 11, 1)
        )
        meetings = next(s for s in snapshot["sections"] if s["key"] == "meetings")
        table = meetings["tables"][0]
        assert table["rows"] == [["Netwerkstuurgroep Testland", 2, 12, 8, "67%"]]
        facts = {fact["label"]: fact["value"] for fact in meetings["facts"]}
        assert facts == {"Vergaderingen gehouden": 2, "Aanwezigheidsgraad": "67%"}
        actions = next(s for s in snapshot["sections"] if s["key"] == "actions")
        assert actions["tables"][0]["total"][1:] == [2, 1, 1, 1, 0]

        pdf = document.render_pdf(snapshot=snapshot, narrative=None, version_label="ontwerp")
        again = document.render_pdf(snapshot=snapshot, narrative=None, version_label="ontwerp")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Netwerkstuurgroep Testland 2 12 8 67%" in text
    assert "RTJ Testland" in text and "januari–juni 2026" in text
    assert pdf == again  # the same snapshot renders to the same document
