"""The results maths and the chart, without a database: criteria are unsaved instances."""

from decimal import Decimal

import pytest

from networks.assessment_chart import results_chart
from networks.assessment_results import (
    compare_rounds,
    group_by_dimension,
    summarise,
    tidy,
    values_by_criterion,
)
from networks.models import MIN_RESPONDENTS_FOR_RESULTS, Criterion

TRUST = Criterion(pk=1, code="vertrouwen", name="Vertrouwen", dimension=Criterion.Dimension.RELATIONAL)
GOAL = Criterion(pk=2, code="doel", name="Gezamenlijk doel", dimension=Criterion.Dimension.STRUCTURAL)
POLITICS = Criterion(
    pk=3, code="politiek", name="Politieke context", dimension=Criterion.Dimension.CONTEXTUAL
)


class TestSummarise:
    def test_the_small_number_rule_is_five(self):
        # The chart, the table and these tests all lean on this; changing it is a privacy decision
        # (DESIGN.md §5: with three answers, median plus min–max gives away every single score).
        assert MIN_RESPONDENTS_FOR_RESULTS == 5

    @pytest.mark.parametrize("values", [[], [4], [2, 5], [5, 1, 3], [1, 2, 4, 5]])
    def test_fewer_than_five_answers_give_no_figures(self, values):
        assert summarise(values) is None

    def test_four_answers_are_suppressed_and_five_are_shown(self):
        assert summarise([1, 2, 4, 5]) is None
        assert summarise([1, 2, 4, 5, 3]) is not None

    def test_five_answers_are_enough(self):
        summary = summarise([5, 1, 3, 2, 4])
        assert (summary.n, summary.median, summary.minimum, summary.maximum) == (5, 3, 1, 5)
        # inclusive quartiles of 1, 2, 3, 4, 5: positions (n-1)·p = 4·0.25 = 1 and 4·0.75 = 3,
        # so exactly the 2nd and 4th value
        assert (summary.q1, summary.q3, summary.iqr) == (2, 4, 2)

    def test_a_lower_minimum_can_be_passed_explicitly(self):
        summary = summarise([5, 1, 3], minimum_n=3)
        assert (summary.n, summary.median, summary.minimum, summary.maximum) == (3, 3, 1, 5)
        # inclusive quartiles of 1, 3, 5: positions 0.5 and 1.5, halfway between 1 and 3, and 3 and 5
        assert (summary.q1, summary.q3, summary.iqr) == (2, 4, 2)
        # a single answer has no spread (quantiles() is not called)
        summary = summarise([4], minimum_n=1)
        assert (summary.median, summary.q1, summary.q3, summary.iqr) == (4, 4, 4, 0)

    def test_even_count_takes_the_mean_of_the_middle_two(self):
        summary = summarise([5, 1, 4, 2, 3, 5])
        # sorted 1, 2, 3, 4, 5, 5: median (3 + 4) / 2 = 3.5
        assert summary.median == Decimal("3.5")
        # positions (n-1)·p = 5·0.25 = 1.25 → 2 + 0.25·(3 − 2) = 2.25
        #       and 5·0.75 = 3.75 → 4 + 0.75·(5 − 4) = 4.75
        assert (summary.q1, summary.q3) == (Decimal("2.25"), Decimal("4.75"))
        assert summary.iqr == Decimal("2.5")

    def test_skewed_scores(self):
        summary = summarise([5, 1, 5, 2, 1, 5])
        assert summary.median == Decimal("3.5")  # (2 + 5) / 2
        assert (summary.minimum, summary.maximum) == (1, 5)
        # sorted 1, 1, 2, 5, 5, 5: q1 at 1.25 → 1 + 0.25·(2 − 1); q3 at 3.75 → between 5 and 5
        assert (summary.q1, summary.q3) == (Decimal("1.25"), 5)

    def test_unanimous_scores_have_no_spread(self):
        summary = summarise([4, 4, 4, 4, 4])
        assert (summary.median, summary.minimum, summary.maximum, summary.iqr) == (4, 4, 4, 0)


class TestCompareRounds:
    def test_delta_against_the_previous_round(self):
        # given: trust now 2, 3, 4, 4, 5 (median 4), before 1, 2, 2, 2, 3 (median 2);
        # goal now 1, 1, 2, 2, 3, 3 (median (2 + 2) / 2 = 2), before 2, 3, 3, 3, 4 (median 3)
        current = values_by_criterion(
            [(1, 3), (1, 4), (1, 4), (1, 5), (1, 2), (2, 2), (2, 2), (2, 3), (2, 1), (2, 1), (2, 3)]
        )
        previous = values_by_criterion(
            [(1, 2), (1, 2), (1, 3), (1, 1), (1, 2), (2, 3), (2, 3), (2, 3), (2, 4), (2, 2)]
        )
        # when
        trust, goal, politics = compare_rounds([TRUST, GOAL, POLITICS], current, previous)
        # then
        assert (trust.n, trust.median, trust.previous_n, trust.previous_median) == (5, 4, 5, 2)
        assert (trust.delta, trust.trend) == (2, "up")
        assert (goal.n, goal.median, goal.previous_median) == (6, 2, 3)
        assert (goal.delta, goal.trend) == (-1, "down")
        assert (politics.n, politics.suppressed, politics.previous_n, politics.delta) == (0, True, 0, None)

    def test_same_median_is_a_zero_delta(self):
        # now 2, 3, 3, 3, 4 and before 1, 2, 3, 4, 5: both medians 3
        (trust,) = compare_rounds([TRUST], {1: [3, 3, 4, 2, 3]}, {1: [2, 3, 5, 1, 4]})
        assert (trust.delta, trust.trend) == (0, "same")

    def test_half_point_delta(self):
        # sorted 3, 4, 4, 4, 5, 5: the middle two are both 4
        (trust,) = compare_rounds([TRUST], {1: [3, 4, 4, 5, 4, 5]}, {1: [4, 4, 4, 4, 4]})
        assert trust.median == Decimal("4")
        # sorted 3, 3, 3, 4, 4, 4: median (3 + 4) / 2 = 3.5, against 4 before → −0.5
        (goal,) = compare_rounds([GOAL], {2: [3, 3, 4, 4, 3, 4]}, {2: [4, 4, 4, 4, 4]})
        assert goal.delta == Decimal("-0.5")

    def test_too_few_answers_now_hide_the_figures_and_the_delta(self):
        (trust,) = compare_rounds([TRUST], {1: [1, 5, 2, 4]}, {1: [3, 3, 3, 3, 3]})
        assert trust.suppressed
        assert (trust.n, trust.summary, trust.median, trust.delta, trust.trend) == (4, None, None, None, None)
        # the previous median is not secret, but there is nothing to compare it with
        assert trust.previous_median == 3

    def test_too_few_answers_before_hide_the_previous_median(self):
        (trust,) = compare_rounds([TRUST], {1: [3, 3, 3, 3, 3]}, {1: [1, 5, 2, 4]})
        assert (trust.median, trust.previous_n, trust.previous_median, trust.delta) == (3, 4, None, None)

    def test_first_round_has_nothing_to_compare(self):
        (trust,) = compare_rounds([TRUST], {1: [3, 4, 5, 4, 3]})
        assert trust.median == 4
        assert (trust.previous_n, trust.previous_median, trust.delta) == (None, None, None)

    def test_groups_follow_the_dimension_order_not_the_criteria_order(self):
        results = compare_rounds([POLITICS, TRUST, GOAL], {})
        groups = group_by_dimension(results)
        assert [group.dimension for group in groups] == ["structural", "relational", "contextual"]
        assert [group.label for group in groups] == ["structureel", "relationeel", "contextueel"]
        assert [result.criterion for result in groups[0].items] == [GOAL]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3.0, "3"), (2.5, "2.5"), (1.75, "1.75"), (Decimal("4.50"), "4.5"), (0, "0"), (-1.5, "-1.5")],
)
def test_tidy_numbers(value, expected):
    assert str(tidy(value)) == expected


class TestChart:
    def results(self):
        # trust: sorted 3, 3, 4, 4, 4, 4, 5 → median 4; quartile positions 6·0.25 = 1.5 and 6·0.75 = 4.5
        #        → q1 = (3 + 4) / 2 = 3.5, q3 = (4 + 4) / 2 = 4; before 1, 2, 2, 2, 3 → median 2
        # goal: five answers now, but only four before; politics: only four answers
        return compare_rounds(
            [TRUST, GOAL, POLITICS],
            {1: [3, 4, 4, 3, 4, 5, 4], 2: [1, 2, 2, 5, 2], 3: [5, 5, 5, 5]},
            {1: [2, 2, 3, 2, 1], 2: [2, 3, 3, 4]},
        )

    def test_is_an_accessible_svg_with_dutch_labels(self):
        svg = str(results_chart(self.results(), title="Resultaten van Zelfevaluatie 2026"))
        assert svg.startswith("<svg ") and svg.endswith("</svg>")
        assert 'role="img"' in svg
        assert '<title id="assessment-chart-title">Resultaten van Zelfevaluatie 2026</title>' in svg
        assert '<desc id="assessment-chart-desc">' in svg
        assert 'aria-labelledby="assessment-chart-title assessment-chart-desc"' in svg
        for label in (
            "Structureel",
            "Relationeel",
            "Contextueel",
            "mediaan deze ronde",
            "mediaan vorige ronde",
        ):
            assert label in svg
        assert "<script" not in svg

    def test_draws_a_dot_per_shown_criterion_and_a_diamond_per_previous_median(self):
        svg = str(results_chart(self.results(), title="t"))
        # legend dot + trust + goal (politics has only four answers)
        assert svg.count("<circle") == 3
        # legend diamond + trust (goal's previous round had only four answers)
        assert svg.count("<path") == 2
        assert "te weinig antwoorden (4)" in svg
        assert (
            "Vertrouwen: mediaan 4, middelste helft 3,5–4, 7 antwoorden; vorige ronde 2 (verschil +2)." in svg
        )

    def test_without_previous_round_there_is_no_diamond_legend(self):
        results = compare_rounds([TRUST], {1: [3, 4, 4, 5, 4]})
        svg = str(results_chart(results, title="t"))
        assert svg.count("<circle") == 2  # legend + trust: the criterion is drawn
        assert "mediaan vorige ronde" not in svg
        assert "<path" not in svg

    def test_names_are_escaped(self):
        sneaky = Criterion(pk=9, name="<script>alert(1)</script>", dimension=Criterion.Dimension.RELATIONAL)
        svg = str(results_chart(compare_rounds([sneaky], {9: [1, 2, 3, 4, 5]}), title="<b>t</b>"))
        assert "<script>" not in svg and "<b>" not in svg
        assert "&lt;script&gt;" in svg
