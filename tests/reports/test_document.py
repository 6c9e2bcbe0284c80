"""The practice report PDF: what a reader finds in it, what it must never show, and that the same
snapshot always gives the same document."""

import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from ijh.pdf import html_to_pdf
from reports import disclosure
from reports.charts import PLACEHOLDER_WIDTH, bar_chart, count_ticks
from reports.document import render_html, render_pdf

from .snapshots import sample_narrative, sample_snapshot

SVG = "{http://www.w3.org/2000/svg}"
SECTION_TITLES = [
    "Lidorganisaties",
    "Vergaderingen",
    "Beslissingen",
    "Acties",
    "Operationele doelstellingen",
    "Samenwerkingsafspraken",
    "Zelfevaluatie van de samenwerking",
    "Belasting van de partners",
]
VERSION = "Versie 2 – definitief"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(snapshot=sample_snapshot("rtj"), narrative=sample_narrative(), version_label=VERSION)


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def page_with(pages: list[str], text: str) -> tuple[int, str]:
    """(1-based page number, text) of the first page containing ``text``."""
    return next((number, page) for number, page in enumerate(pages, start=1) if text in page)


def toc(pages: list[str]) -> dict[str, int]:
    """The table of contents on page 2 as {entry: page number}."""
    entries = re.findall(r"^(?:\d+\s+)?(.+?)\s*\.{3,}\s*(\d+)$", pages[1], flags=re.MULTILINE)
    return {title: int(number) for title, number in entries}


# --- the pages ---------------------------------------------------------------------------------


def test_cover_names_the_report_scope_period_version_and_day_of_the_figures(pages):
    cover = pages[0]
    for text in [
        "IJH Netwerken",
        "Praktijkrapportage",
        "RTJ Waas en Dender",
        "RTJ-netwerk (rechtstreeks toegankelijke jeugdhulp)",
        "Oost-Vlaanderen",
        "juli–december 2026",
        "01/07/2026 – 31/12/2026",
        VERSION,
        "Gegenereerd op 04/01/2027",  # generated_from, d/m/Y
    ]:
        assert text in cover
    assert "pagina" not in cover  # no header or footer on the cover


def test_table_of_contents_gives_the_page_each_chapter_starts_on(pages):
    entries = toc(pages)
    chapters = [*SECTION_TITLES, "Verhalend deel"]
    assert list(entries) == [*chapters, "Bijlage: Definities"]
    headings = [f"{number} {title}" for number, title in enumerate(chapters, start=1)]
    for heading, page_number in zip([*headings, "Bijlage: Definities"], entries.values(), strict=True):
        assert flat(pages[page_number - 1]).startswith(heading), (
            f"{heading!r} does not open page {page_number}"
        )


def test_every_page_after_the_cover_says_which_page_of_how_many_and_what_it_is_about(pages):
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert f"pagina {number} van {total}" in text
        assert "RTJ Waas en Dender · juli–december 2026" in text  # running header


def test_small_counts_show_as_less_than_five_and_their_neighbours_are_hidden_too(pages):
    # members_by_sector holds 12, 3, 7, 0 under a total of 22: 3 is small, and 7 goes too,
    # because 22 − 12 − 0 would otherwise give away the 3.
    _number, page = page_with(pages, "Lidorganisaties per sector")
    assert "Centrum Algemeen Welzijnswerk 12 <5 0" in page
    assert "Centrum voor Leerlingenbegeleiding <5 <5 0" in page
    assert "OCMW en lokale besturen x 0 <5" in page  # 7 is hidden to protect the 3: "x", not "<5"
    assert "Politie en parket 0 0 0" in page
    assert "Totaal 22 <5 <5" in page
    # Nowhere on the page (table, chart, key figures) do the hidden numbers appear.
    body = "\n".join(
        line
        for line in page.splitlines()
        # not the footer, the running header or the chapter's number
        if "pagina" not in line and "juli–december 2026" not in line and flat(line) != "1 Lidorganisaties"
    )
    figures = set(re.findall(r"(?<![<\d])\d+", body))
    assert figures.isdisjoint({"1", "2", "3", "7"}), figures
    assert figures <= {"0", "5", "10", "12", "15", "22"}  # counts shown, axis ticks


def test_key_figures_are_suppressed_like_table_cells(pages):
    _number, page = page_with(pages, "Genomen zonder mandaat")
    assert "Genomen zonder mandaat\n<5" in page
    assert "Beslissingen\n25" in page


def test_non_count_columns_are_shown_as_they_are(pages):
    _number, page = page_with(pages, "Doelstellingen en indicatoren")
    assert "40 31 78 %" in page
    assert "10 12,5 63 %" in page  # decimal comma


def test_narrative_chapter_has_the_three_parts(pages):
    _number, page = page_with(pages, "Versie 2 van het verhalend deel")
    for text in [
        "Knelpunten en hiaten in de regio",
        "Wachttijden bij de brede instap liepen in het najaar op tot zes weken.",
        "Goede praktijken",
        "Het gezamenlijke onthaalmoment in Sint-Niklaas",
        "Conclusies en volgende stappen",
        "plant het overleg voortaan na 16 uur.",
        "Versie 2 van het verhalend deel (definitief).",
    ]:
        assert text in page


def test_appendix_defines_every_section_and_explains_the_small_numbers(pages):
    appendix = pages[-1]
    assert "Bijlage: Definities" in appendix
    for number, title in enumerate(SECTION_TITLES, start=1):
        assert f"{number}. {title}" in appendix
    assert "Een lidorganisatie is een organisatie met een lidmaatschap" in appendix
    assert "van 1 tot 4 tonen we als <5" in " ".join(appendix.split())


def test_draft_without_narrative_says_so_visibly():
    for narrative in [
        None,
        {**sample_narrative(), "bottlenecks": " ", "good_practices": "", "conclusions": "\n"},
    ]:
        html = render_html(snapshot=sample_snapshot(), narrative=narrative, version_label="Ontwerp")
        assert "Er is nog geen verhalend deel toegevoegd" in html
        assert "Knelpunten en hiaten in de regio" not in html


def test_a_part_left_empty_is_marked_as_such():
    narrative = {**sample_narrative(), "good_practices": ""}
    html = render_html(snapshot=sample_snapshot(), narrative=narrative, version_label="Versie 2")
    assert "Niet ingevuld." in html
    assert "Er is nog geen verhalend deel toegevoegd" not in html


def test_region_report_lists_its_networks_on_the_cover():
    html = render_html(snapshot=sample_snapshot(scope_type="region"), narrative=None, version_label="Ontwerp")
    assert "Alle netwerken in de regio" in html
    assert "RTJ Waas en Dender, Crisisnetwerk Oost-Vlaanderen" in html


def test_narrative_text_is_escaped():
    narrative = {**sample_narrative(), "conclusions": '<img src="file:///etc/passwd"> & meer'}
    html = render_html(snapshot=sample_snapshot(), narrative=narrative, version_label="Versie 2")
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; meer" in html


def test_iso_dates_from_the_snapshot_are_written_d_m_y():
    snapshot = sample_snapshot()
    goals = snapshot["sections"][4]["tables"][0]
    goals["columns"].append("Gemeten op")
    for row in goals["rows"]:
        row.append("2026-11-19")
    html = render_html(snapshot=snapshot, narrative=None, version_label="Ontwerp")
    assert "19/11/2026" in html
    assert "2026-11-19" not in html


def test_a_chart_with_only_zeros_and_hidden_counts_is_left_out():
    snapshot = sample_snapshot()
    decisions = snapshot["sections"][2]["tables"][0]
    decisions["rows"], decisions["total"] = [["Consensus", 3], ["Stemming", 0], ["Schriftelijk", 2]], None
    html = render_html(snapshot=snapshot, narrative=None, version_label="Ontwerp")
    assert 'id="hoofdstuk-1-tabel-1-grafiek"' in html  # members still has one
    assert 'id="hoofdstuk-3-tabel-1-grafiek"' not in html  # a chart of grey placeholders says nothing


def test_unknown_snapshot_schema_is_refused():
    with pytest.raises(ValueError, match="schema"):
        render_html(snapshot={**sample_snapshot(), "schema": 2}, narrative=None, version_label="Ontwerp")


# --- the file ------------------------------------------------------------------------------------


def test_same_snapshot_gives_the_same_document(pdf, pages):
    again = render_pdf(snapshot=sample_snapshot("rtj"), narrative=sample_narrative(), version_label=VERSION)
    assert [page.extract_text() for page in PdfReader(io.BytesIO(again)).pages] == pages
    assert again == pdf  # byte for byte: no clock time, no random identifiers


def test_pdf_dates_are_the_day_of_the_figures(pdf):
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20270104"
    assert info.title == "Praktijkrapportage RTJ Waas en Dender – juli–december 2026"


def _struct_tags(node, found: list) -> list:
    node = node.get_object() if isinstance(node, IndirectObject) else node
    if isinstance(node, ArrayObject):
        for child in node:
            _struct_tags(child, found)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        found.append((str(node["/S"]), node))
        if "/K" in node:
            _struct_tags(node["/K"], found)
    return found


def test_pdf_is_tagged_with_headings_tables_and_described_figures(pdf):
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "nl-BE"
    tags = _struct_tags(catalog["/StructTreeRoot"]["/K"], [])
    names = {name for name, _element in tags}
    assert {"/Document", "/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure"} <= names
    figures = [element for name, element in tags if name == "/Figure"]
    assert figures and all(element["/Alt"].startswith("Grafiek: ") for element in figures)


def test_pdf_uses_only_the_fonts_we_ship(pdf):
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
    # "IJH Sans" is the @font-face family of static/fonts/DejaVuSans*.ttf; no system has it.
    assert fonts <= {"IJH-Sans", "IJH-Sans-Bold", "IJH-Sans-Oblique"}


def test_weasyprint_reports_no_problems(caplog):
    with caplog.at_level("WARNING", logger="weasyprint"):
        render_pdf(snapshot=sample_snapshot("crisis"), narrative=None, version_label="Ontwerp")
    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []


def test_fonts_and_license_are_in_the_repository():
    fonts = settings.BASE_DIR / "static" / "fonts"
    for name in ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"]:
        assert (fonts / name).stat().st_size > 100_000
    assert "Bitstream Vera Fonts Copyright" in (fonts / "LICENSE-DejaVu.txt").read_text()


def _png(path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4, 4), "red").save(path)


def test_pdf_reads_no_file_outside_its_folder(tmp_path):
    # given an image inside the folder and one beside it
    _png(tmp_path / "assets" / "inside.png")
    _png(tmp_path / "outside.png")
    html = (
        '<html lang="nl"><title>t</title><body>'
        '<img src="inside.png" alt="BINNEN-NIET-GELADEN">'
        '<img src="../outside.png" alt="BUITEN-NIET-GELADEN">'
        f'<img src="{(tmp_path / "outside.png").as_uri()}" alt="ABSOLUUT-NIET-GELADEN">'
        "</body></html>"
    )
    # when
    text = PdfReader(io.BytesIO(html_to_pdf(html, base_url=(tmp_path / "assets").as_uri() + "/"))).pages[0]
    # then only the image inside is drawn; the others fall back to their alt text
    shown = text.extract_text()
    assert "BINNEN-NIET-GELADEN" not in shown
    assert "BUITEN-NIET-GELADEN" in shown
    assert "ABSOLUUT-NIET-GELADEN" in shown


def test_base_url_must_be_a_local_folder():
    with pytest.raises(ValueError):
        html_to_pdf("<p>x</p>", base_url="https://example.org/")
    with pytest.raises(ValueError):
        html_to_pdf("<p>x</p>", base_url="file:///tmp/no-trailing-slash")


def test_importing_the_report_modules_does_not_load_weasyprint():
    code = (
        "import django, sys; django.setup(); "
        "import reports.document, ijh.pdf, reports.charts; "
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported at module level'"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ijh.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --- the charts ----------------------------------------------------------------------------------


def chart_for(rows: list, *, total=None) -> str:
    table = {
        "key": "t",
        "title": "Lidorganisaties per sector",
        "columns": ["Sector", "Leden"],
        "rows": rows,
        "total": total,
        "count_columns": [1],
        "chart": {"type": "bar", "label_column": 0, "value_column": 1},
    }
    return bar_chart(disclosure.apply(table), chart_id="c")


def bars(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {
        rect.find(f"{SVG}title").text.split(":")[0]: rect
        for rect in root.iter(f"{SVG}rect")
        if "bar" in (rect.get("class") or "")
    }


def test_a_suppressed_count_is_a_fixed_placeholder_whatever_it_hides():
    one = chart_for([["CAW", 20], ["CLB", 1]])
    four = chart_for([["CAW", 20], ["CLB", 4]])
    assert one == four  # the hidden value leaves no trace at all
    placeholder = bars(one)["CLB"]
    assert placeholder.get("class") == "bar suppressed"
    assert float(placeholder.get("width")) == PLACEHOLDER_WIDTH
    assert placeholder.get("fill") == "url(#c-hatch)"
    assert "<5" in [text.text for text in ET.fromstring(one).iter(f"{SVG}text")]


def test_a_count_hidden_by_secondary_suppression_is_drawn_the_same_way():
    # 3 is small; with the total shown, 7 is hidden too.
    svg = chart_for([["CAW", 12], ["CLB", 3], ["OCMW", 7], ["Politie", 0]], total=["Totaal", 22])
    drawn = bars(svg)
    assert float(drawn["CLB"].get("width")) == float(drawn["OCMW"].get("width")) == PLACEHOLDER_WIDTH
    assert "Politie" not in drawn  # 0: no bar, only the figure
    assert "7" not in [text.text for text in ET.fromstring(svg).iter(f"{SVG}text")]


def test_a_raw_small_count_that_skipped_disclosure_still_is_not_drawn_to_scale():
    table = {
        "title": "T",
        "columns": ["Sector", "Leden"],
        "rows": [["CAW", 20], ["CLB", 3]],
        "chart": {"type": "bar", "label_column": 0, "value_column": 1},
    }
    assert float(bars(bar_chart(table, chart_id="c"))["CLB"].get("width")) == PLACEHOLDER_WIDTH


def test_visible_counts_are_drawn_to_scale():
    drawn = bars(chart_for([["CAW", 20], ["CLB", 10], ["OCMW", 5]]))
    assert float(drawn["CAW"].get("width")) == pytest.approx(2 * float(drawn["CLB"].get("width")), abs=0.1)
    assert float(drawn["CLB"].get("width")) == pytest.approx(2 * float(drawn["OCMW"].get("width")), abs=0.1)


def test_chart_is_accessible_and_dutch():
    root = ET.fromstring(chart_for([["CAW", 20], ["CLB", 2], ["OCMW", 9]]))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").text == "Grafiek: Lidorganisaties per sector"
    description = root.find(f"{SVG}desc").text
    assert "Leden per rij: CAW: 20; CLB: <5; OCMW: 9." in description
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "<5 of x: verborgen aantal, niet op schaal getekend" in texts
    assert "Leden" in texts  # the value column names the axis


def test_chart_markup_is_the_same_every_time():
    rows = [["CAW", 20], ["CLB", 2], ["OCMW", 9]]
    assert chart_for(rows) == chart_for(rows)


@pytest.mark.parametrize(
    ("high", "ticks"),
    [
        (12, [0, 5, 10, 15]),
        (22, [0, 5, 10, 15, 20, 25]),
        (5, [0, 1, 2, 3, 4, 5]),
        (0, [0, 1]),
        (140, [0, 50, 100, 150]),
    ],
)
def test_count_axis_has_round_ticks(high, ticks):
    assert count_ticks(high) == ticks


# --- layout over page breaks (issue 17 §8) ------------------------------------------------------


@pytest.mark.parametrize("rows", [31, 32, 33, 66])
def test_a_long_table_never_leaves_one_row_or_the_total_alone_and_repeats_its_header(rows):
    # Lengths around a page's capacity (31 rows on the first page, 34 on the next): without the
    # rules in document.css one row, or the total, would land alone on the next page.
    snapshot = sample_snapshot("rtj")
    snapshot["sections"] = [
        {
            "key": "long",
            "title": "Lange tabel",
            "intro": "",
            "definition": "",
            "facts": [],
            "tables": [
                {
                    "key": "long",
                    "title": "Per netwerk",
                    "columns": ["Netwerk", "Aanvragen"],
                    "rows": [[f"Netwerk {index:03d}", 10 + index] for index in range(rows)],
                    "total": ["Totaal", sum(10 + index for index in range(rows))],
                    "count_columns": [1],
                    "chart": None,
                }
            ],
        }
    ]
    text_pages = [
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(render_pdf(snapshot=snapshot, narrative=None, version_label="v"))
        ).pages
    ]
    table_pages = [page for page in text_pages if re.search(r"Netwerk \d{3}|^Totaal \d", page, re.M)]
    assert len(table_pages) >= 2, "the table should run over a page break in this test"
    for page in table_pages:
        assert "Netwerk Aanvragen" in page  # the header, on every page the table runs over
        assert len(re.findall(r"^Netwerk \d{3} ", page, re.M)) >= 2, page
    assert re.search(r"^Netwerk \d{3} \d+\nTotaal \d", table_pages[-1], re.M)  # the total with rows
