"""The figures of a run as CSV or XLSX: the same tables and the same suppression as the PDF.

Text cells that a spreadsheet would read as a formula (= + - @, tab, carriage return) get a
leading apostrophe, so a name typed as "=HYPERLINK(…)" stays text.
"""

import csv
import io

from . import disclosure

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _tables(snapshot: dict):
    for section in snapshot.get("sections", []):
        for table in section.get("tables", []):
            yield section, disclosure.apply(table)


def _rows(snapshot: dict):
    """All tables one after another, each preceded by its title and header."""
    scope = snapshot["scope"]
    period = snapshot["period"]
    yield [safe_cell(f"{scope['name']} – {period['label']}")]
    for section, table in _tables(snapshot):
        yield []
        yield [safe_cell(f"{section['title']}: {table['title']}")]
        yield [safe_cell(column) for column in table["columns"]]
        for row in table["rows"]:
            yield [safe_cell(cell) for cell in row]
        if table.get("total"):
            yield [safe_cell(cell) for cell in table["total"]]


def to_csv(snapshot: dict) -> bytes:
    buffer = io.StringIO()
    # Semicolons: what a Belgian Excel expects; BOM so it opens the accents right.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in _rows(snapshot):
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
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
