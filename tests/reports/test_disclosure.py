from hypothesis import given, settings
from hypothesis import strategies as st

from reports.disclosure import HIDDEN, SUPPRESSED, apply, fact_masks, show_count, show_facts, suppression_mask
from reports.sections import fact

S = SUPPRESSED
X = HIDDEN


def test_counts_from_one_to_four_are_suppressed_zero_and_five_are_not():
    table = {"rows": [["a", 0], ["b", 1], ["c", 4], ["d", 5]], "count_columns": [1]}
    assert [row[1] for row in apply(table)["rows"]] == [0, S, S, 5]


def test_labels_and_non_count_columns_are_left_alone():
    table = {"rows": [["CLB", 3, "3,5"]], "count_columns": [1]}
    assert apply(table)["rows"] == [["CLB", S, "3,5"]]


def test_single_suppressed_cell_under_a_total_drags_the_next_smallest_along():
    # 12 + 3 + 7 + 20 = 42: with the total shown, 3 could be worked out from the others.
    table = {
        "rows": [["A", 12], ["B", 3], ["C", 7], ["D", 20]],
        "total": ["Totaal", 42],
        "count_columns": [1],
    }
    shown = apply(table)
    assert [row[1] for row in shown["rows"]] == [12, S, X, 20]  # 7 is the next smallest: shown as x, not <5
    assert shown["total"] == ["Totaal", 42]


def test_two_suppressed_cells_need_no_secondary_suppression():
    table = {"rows": [["A", 2], ["B", 3], ["C", 9]], "total": ["Totaal", 14], "count_columns": [1]}
    assert [row[1] for row in apply(table)["rows"]] == [S, S, 9]


def test_when_only_zeros_remain_the_total_is_hidden_instead():
    table = {"rows": [["A", 3], ["B", 0]], "total": ["Totaal", 3], "count_columns": [1]}
    shown = apply(table)
    assert [row[1] for row in shown["rows"]] == [S, 0]
    assert shown["total"] == ["Totaal", S]  # the total is 3 itself


def test_secondary_suppression_along_rows_with_a_row_total():
    # columns: label, total, part a, part b, part c; 2 alone in its row would be derivable.
    rows = [["X", 30, 2, 10, 18]]
    mask, _ = suppression_mask(rows, [1, 2, 3, 4], row_total_column=1)
    assert mask == [[False, False, True, True, False]]


def test_secondary_suppression_cascades_until_stable():
    # Column 1 hides B (3) → C (6) must go too; row totals then expose C's row → hide more.
    rows = [["A", 10, 5, 5], ["B", 3, 9, 12], ["C", 6, 8, 14]]
    mask, total_mask = suppression_mask(rows, [1, 2, 3], total=["T", 19, 22, 31], row_total_column=3)
    hidden = {(r, c) for r, row in enumerate(mask) for c, h in enumerate(row) if h}
    # every row and column with a hidden cell has at least two hidden cells (or a hidden total)
    for r in range(3):
        parts = [c for c in (1, 2) if (r, c) in hidden]
        assert len(parts) != 1 or (r, 3) in hidden
    for c in (1, 2, 3):
        column = [r for r in range(3) if (r, c) in hidden]
        assert len(column) != 1 or total_mask[c]


def test_input_is_not_modified():
    table = {"rows": [["A", 1]], "count_columns": [1]}
    apply(table)
    assert table["rows"] == [["A", 1]]


def test_show_count():
    assert [show_count(v) for v in (0, 1, 4, 5, "x", None, True)] == [0, S, S, 5, "x", None, True]


# --- key figures ---------------------------------------------------------------------------------


def _conference_facts(requests, admissible, not_admissible, held=9):
    return [
        fact("Aanvragen", requests, is_count=True, key="requests", parts=["admissible", "not_admissible"]),
        fact("Ontvankelijk verklaard", admissible, is_count=True, key="admissible"),
        fact("Niet ontvankelijk", not_admissible, is_count=True, key="not_admissible"),
        fact("Eerste overleggen gehouden", held, is_count=True),
        fact("Mediaan dagen tot eerste overleg", "12", is_count=False),
    ]


def test_a_small_key_figure_does_not_leak_through_the_sum_of_the_others():
    # 45 requests, 41 admissible, "<5" not admissible must not reveal 4.
    assert show_facts(_conference_facts(45, 41, 4)) == [45, X, S, 9, "12"]


def test_key_figures_without_a_small_part_are_shown_as_they_are():
    assert show_facts(_conference_facts(45, 40, 5)) == [45, 40, 5, 9, "12"]
    assert show_facts(_conference_facts(45, 45, 0)) == [45, 45, 0, 9, "12"]


def test_when_no_other_part_can_be_hidden_the_sum_is():
    assert show_facts(_conference_facts(3, 0, 3)) == [S, 0, S, 9, "12"]
    assert show_facts(_conference_facts(7, 0, 3)) == [X, 0, S, 9, "12"]


def test_facts_without_keys_behave_as_before():
    facts = [{"label": "a", "value": 3, "is_count": True}, {"label": "b", "value": 3, "is_count": False}]
    assert show_facts(facts) == [S, 3]


@settings(max_examples=60, deadline=None, database=None)
@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 20))
def test_no_hidden_key_figure_can_be_worked_out_from_the_shown_ones(admissible, not_admissible, undecided):
    facts = _conference_facts(admissible + not_admissible + undecided, admissible, not_admissible)
    hidden = fact_masks(facts)
    total_hidden, parts_hidden = hidden[0], hidden[1:3]
    # Shown: the sum and all but one part would give that part away by subtraction.
    if not total_hidden:
        assert sum(parts_hidden) != 1
    # Every count from 1 to 4 is hidden, whatever else happens.
    for position, item in enumerate(facts[:4]):
        if 0 < item["value"] < 5:
            assert hidden[position]


# --- region subtotals and sums within a row ------------------------------------------------------


def test_a_network_hidden_under_its_region_subtotal_drags_a_neighbour_along():
    # Antwerpen: A 3, B 9 → subtotal 12; Limburg: C 20 → subtotal 20; Flanders 32.
    table = {
        "rows": [["A", 3], ["B", 9], ["Antwerpen", 12], ["C", 20], ["Limburg", 20]],
        "total": ["Vlaanderen", 32],
        "count_columns": [1],
        "row_groups": [[2, [0, 1]], [4, [3]]],
    }
    shown = apply(table)
    assert [row[1] for row in shown["rows"]] == [S, X, 12, 20, 20]
    assert shown["total"] == ["Vlaanderen", 32]


def test_a_small_region_subtotal_hides_the_flanders_total_not_another_region():
    # Limburg has 2 in all: its own report shows "<5"; hiding Antwerpen's 12 here instead would
    # let Antwerpen's report (which shows 12) give Limburg's 2 away.
    table = {
        "rows": [["A", 7], ["B", 5], ["Antwerpen", 12], ["C", 2], ["Limburg", 2]],
        "total": ["Vlaanderen", 14],
        "count_columns": [1],
        "row_groups": [[2, [0, 1]], [4, [3]]],
    }
    shown = apply(table)
    assert [row[1] for row in shown["rows"]] == [7, 5, 12, S, S]
    assert shown["total"] == ["Vlaanderen", X]


def test_a_sum_within_a_row_hides_a_second_part():
    table = {"rows": [["A", 45, 41, 4]], "count_columns": [1, 2, 3], "row_sums": [[1, [2, 3]]]}
    assert apply(table)["rows"] == [["A", 45, X, S]]


@settings(max_examples=40, deadline=None, database=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=3), min_size=1, max_size=4))
def test_no_equation_ever_has_exactly_one_hidden_cell(regions):
    rows, groups = [], []
    for index, networks in enumerate(regions):
        parts = []
        for value in networks:
            parts.append(len(rows))
            rows.append([f"n{len(rows)}", value])
        groups.append([len(rows), parts])
        rows.append([f"r{index}", sum(networks)])
    total = ["Vlaanderen", sum(sum(networks) for networks in regions)]
    mask, total_mask = suppression_mask(rows, [1], total=total, row_groups=groups)
    for subtotal, parts in groups:
        assert sum(mask[r][1] for r in [subtotal, *parts]) != 1
    assert sum([total_mask[1], *(mask[subtotal][1] for subtotal, _parts in groups)]) != 1
    for r, row in enumerate(rows):
        if 0 < row[1] < 5:
            assert mask[r][1]
