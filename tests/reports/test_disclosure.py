from reports.disclosure import HIDDEN, SUPPRESSED, apply, show_count, suppression_mask

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
