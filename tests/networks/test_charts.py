import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from networks.charts import format_number, nice_ticks, progress_chart

SVG = "{http://www.w3.org/2000/svg}"

POINTS = [
    (datetime.date(2025, 1, 15), Decimal("8")),
    (datetime.date(2025, 6, 30), Decimal("17.5")),
    (datetime.date(2025, 3, 31), Decimal("12")),  # out of order on purpose
]


def chart(**overrides):
    arguments = {
        "title": "Meer aanvragen cliëntoverleg",
        "target": Decimal("40"),
        "deadline": datetime.date(2026, 6, 30),
        "unit": "aanvragen",
        "chart_id": "goal-7-chart",
    }
    return progress_chart(POINTS, **{**arguments, **overrides})


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises on markup that is not well-formed XML


def test_is_valid_svg_with_an_accessible_name_and_description():
    root = parse(chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "goal-7-chart-title goal-7-chart-desc"
    assert root.find(f"{SVG}title").text == "Voortgang: Meer aanvragen cliëntoverleg"
    description = root.find(f"{SVG}desc").text
    assert "3 metingen van 15/01/2025 tot 30/06/2025." in description
    assert "Laatste waarde: 17,5 aanvragen." in description
    assert "Streefwaarde: 40 aanvragen." in description


def test_draws_the_target_as_a_dashed_line_with_its_label():
    root = parse(chart())
    target = root.find(f"{SVG}g[@class='target-line']")
    line = target.find(f"{SVG}line")
    assert line.get("stroke-dasharray") == "6 4"
    assert line.get("y1") == line.get("y2")  # horizontal
    assert target.find(f"{SVG}text").text == "Streefwaarde: 40 aanvragen"


def test_no_target_no_target_line():
    assert "target-line" not in chart(target=None)


def test_points_are_in_date_order_and_higher_values_sit_higher():
    root = parse(chart())
    points = [
        tuple(float(number) for number in pair.split(","))
        for pair in root.find(f"{SVG}polyline").get("points").split()
    ]
    xs = [x for x, _y in points]
    ys = [y for _x, y in points]
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # 8 < 12 < 17.5, and SVG's y grows downwards
    target_y = float(root.find(f"{SVG}g[@class='target-line']/{SVG}line").get("y1"))
    assert target_y < min(ys)  # 40 is above every measurement


def test_axis_labels_are_dutch_with_dates_as_d_m_y():
    texts = [element.text for element in parse(chart()).iter(f"{SVG}text")]
    assert "Datum van de meting" in texts
    assert "aanvragen" in texts  # the unit names the y axis
    assert "15/01/2025" in texts
    assert "Deadline 30/06/2026" in texts
    assert "Waarde" in [element.text for element in parse(chart(unit="")).iter(f"{SVG}text")]


def test_is_deterministic():
    assert chart() == chart()
    assert chart() == progress_chart(
        list(reversed(POINTS)),
        title="Meer aanvragen cliëntoverleg",
        target=Decimal("40"),
        deadline=datetime.date(2026, 6, 30),
        unit="aanvragen",
        chart_id="goal-7-chart",
    )


def test_escapes_text():
    svg = chart(title='<script>alert("x")</script>', unit="<b>")
    root = parse(svg)
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == 'Voortgang: <script>alert("x")</script>'


def test_no_points_says_so():
    root = parse(progress_chart([], title="Leeg", target=Decimal("5")))
    assert [element.text for element in root.iter(f"{SVG}text")] == ["Nog geen metingen."]


@pytest.mark.parametrize(
    "points",
    [
        [(datetime.date(2025, 1, 1), Decimal("0"))],  # one point, all zero
        [(datetime.date(2025, 1, 1), Decimal("-5")), (datetime.date(2025, 1, 1), Decimal("5"))],
        [(datetime.date(2025, 1, 1), Decimal("9999999999.99")), (datetime.date(2025, 2, 1), Decimal("0.01"))],
    ],
)
def test_edge_cases_still_give_valid_svg(points):
    parse(progress_chart(points, title="Randgeval", target=Decimal("0"), deadline=datetime.date(2020, 1, 1)))


def test_deadline_before_the_first_measurement_is_not_drawn():
    assert "deadline-line" not in chart(deadline=datetime.date(2024, 1, 1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(12, "12"), (Decimal("12.50"), "12,5"), (12.25, "12,25"), (Decimal("-3.00"), "-3"), (0.1, "0,1")],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0, 43.2) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(0, 0.3) == [0, 0.1, 0.2, 0.3]
    assert nice_ticks(-5, 7)[0] <= -5
    assert nice_ticks(3, 3) == [3, 3.2, 3.4, 3.6, 3.8, 4]
