"""The figures of a run as CSV or XLSX: the same tables, key figures and suppression as the PDF.

Two shapes:

* **Tables** (``to_csv``, the first sheet of ``to_xlsx``): every section's key figures and tables
  one after another, as they are printed, for people.
* **Long format** (``to_long_csv``, the sheet "Lang formaat" of ``to_xlsx``): one line per figure
  — scope, period, section, figure, dimension, value, suppressed — for spreadsheets and scripts
  that compare reports. Every figure of the PDF is in it: key figures (dimension empty), every
  table cell that is not a row label (figure = "table title: column", dimension = the row's
  label, "Totaal" for the total row), cohorts included. A suppressed cell keeps its mark ("<5"
  or "x") as value and has suppressed = 1.

Text cells that a spreadsheet would read as a formula (= + - @, tab, carriage return) get a
leading apostrophe, so a name typed as "=HYPERLINK(…)" stays text.
"""

import csv
import io

from django.utils.translation import gettext as _

from . import disclosure

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _shown_facts(section: dict) -> list[tuple[dict, object, bool]]:
    facts = section.get("facts", [])
    masks, _tables = disclosure.section_masks(section)
    shown = disclosure.show_facts(facts, masks)
    return list(zip(facts, shown, masks, strict=True))


def _shown_tables(section: dict) -> list[tuple[dict, dict, tuple]]:
    """(table, table as shown, its masks), suppressed consistently with the rest of the section."""
    _facts, masks = disclosure.section_masks(section)
    return [
        (table, disclosure.apply(table, table_masks), table_masks)
        for table, table_masks in zip(section.get("tables", []), masks, strict=True)
    ]


def _title(snapshot: dict) -> str:
    return f"{snapshot['scope']['name']} – {snapshot['period']['label']}"


def _rows(snapshot: dict):
    """Per section its key figures, then its tables, each preceded by its title and header."""
    yield [safe_cell(_title(snapshot))]
    for section in snapshot.get("sections", []):
        facts = _shown_facts(section)
        if facts:
            yield []
            yield [safe_cell(f"{section['title']}: {_('Kerncijfers')}")]
            for fact, shown, _hidden in facts:
                yield [safe_cell(fact["label"]), safe_cell(shown)]
        for _raw, table, _masks in _shown_tables(section):
            yield []
            yield [safe_cell(f"{section['title']}: {table['title']}")]
            yield [safe_cell(column) for column in table["columns"]]
            for row in table["rows"]:
                yield [safe_cell(cell) for cell in row]
            if table.get("total"):
                yield [safe_cell(cell) for cell in table["total"]]


LONG_COLUMNS = ("scope", "periode", "sectie", "cijfer", "dimensie", "waarde", "onderdrukt")


def long_rows(snapshot: dict):
    """The long format as plain values (not yet formula-safe): one tuple per figure."""
    scope, period = snapshot["scope"]["name"], snapshot["period"]["label"]
    for section in snapshot.get("sections", []):
        title = section["title"]
        for fact, shown, hidden in _shown_facts(section):
            yield (scope, period, title, fact["label"], "", _value(shown), int(hidden))
        for table, shown_table, (mask, total_mask) in _shown_tables(section):
            labels = table.get("label_columns") or [0]
            lines = list(zip(shown_table["rows"], mask, strict=True))
            if shown_table.get("total"):
                lines.append((shown_table["total"], total_mask))
            for row, row_mask in lines:
                dimension = " / ".join(str(row[column]) for column in labels)
                for column, name in enumerate(table["columns"]):
                    if column in labels:
                        continue
                    yield (
                        scope,
                        period,
                        title,
                        f"{table['title']}: {name}",
                        dimension,
                        _value(row[column]),
                        int(bool(row_mask[column])),
                    )


def _value(value):
    return "" if value is None else value


def to_csv(snapshot: dict) -> bytes:
    return _csv(_rows(snapshot))


def to_long_csv(snapshot: dict) -> bytes:
    rows = [list(LONG_COLUMNS), *([safe_cell(cell) for cell in row] for row in long_rows(snapshot))]
    return _csv(rows)


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    # Semicolons: what a Belgian Excel expects; BOM so it opens the accents right.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(snapshot: dict) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cijfers"
    bold = Font(bold=True)
    for row in _rows(snapshot):
        sheet.append(row)
        if len(row) == 1 and row[0]:
            sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.column_dimensions["A"].width = 45

    long_sheet = workbook.create_sheet("Lang formaat")
    long_sheet.append(list(LONG_COLUMNS))
    for cell in long_sheet[1]:
        cell.font = bold
    for row in long_rows(snapshot):
        long_sheet.append([safe_cell(cell) for cell in row])
    long_sheet.freeze_panes = "A2"
    long_sheet.auto_filter.ref = long_sheet.dimensions
    for column, width in zip("ABCDEFG", (30, 20, 24, 50, 30, 10, 11), strict=True):
        long_sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
