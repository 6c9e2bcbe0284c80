"""Reading and checking a history file (issue 17 §6): CSV or XLSX of past cliëntoverleg requests
or referrals, row by row, with every problem in Dutch. Nothing here writes: the dry run shows
what ``check`` found; the import job (reports/history_services.py) runs the same check again on
the stored file and only then inserts.

What a file may hold: pseudonymous rows only. A column whose name suggests client data (naam,
geboortedatum, adres, rijksregisternummer …) refuses the whole file; other unknown columns are
not read (and said so). Every row needs the network's own reference (a dossier or request
number), so that importing the same file twice adds nothing.

Bad input handled here: an empty file, a file too large, an XLSX with formulas or that is no
XLSX at all, a CSV in another encoding (UTF-16 and Windows-1252 are read, with a notice) or with
semicolons, tabs or commas, duplicate references, impossible dates (31/02/2024), dates in the
future, steps before the request, unknown sectors or organisations.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import ClientConference, Referral
from ijh.files import check_active_content
from networks.models import Network, Organisation, Sector

from .models import HistoryImport, ImportedConferenceRequest, ImportedReferral

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a ZIP: a few kilobytes can unpack to gigabytes. Refuse before openpyxl reads it.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
PREVIEW_ROWS = 20
SHOWN_ERRORS = 300
EARLIEST = datetime.date(2000, 1, 1)

# Column names that mean client data: the file is refused (names normalised as below).
FORBIDDEN = {
    "naam",
    "voornaam",
    "familienaam",
    "achternaam",
    "name",
    "client",
    "naam client",
    "naam jongere",
    "jongere",
    "geboortedatum",
    "geboortedag",
    "rijksregisternummer",
    "insz",
    "adres",
    "straat",
    "telefoon",
    "gsm",
    "e-mail",
    "email",
    "ouders",
    "naam ouder",
}


class FileProblem(Exception):
    """The file as a whole cannot be read: nothing of it is checked further."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise(text: Any) -> str:
    """ "Sector aanvrager", "sector_aanvrager " and "SECTOR  AANVRÄGER" all read the same."""
    plain = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\s_]+", " ", plain).strip().casefold()


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Cell:
    value: Any
    formula: bool = False


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (line in the spreadsheet, cells)
    notices: list[str] = field(default_factory=list)


def read_table(content: bytes, filename: str) -> Table:
    """The first sheet (or the CSV) as header and rows. Raises FileProblem in Dutch."""
    if not content or not content.strip():
        raise FileProblem(_("Het bestand is leeg."))
    if len(content) > MAX_BYTES:
        raise FileProblem(
            _("Het bestand is groter dan %(mb)s MB. Splits het op, bijvoorbeeld per jaar.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _read_xlsx(content)
    if extension in ("csv", "txt"):
        return _read_csv(content)
    if extension in ("xls", "ods", "numbers"):
        raise FileProblem(
            _("Bewaar het bestand als .xlsx (Excel-werkmap) of als .csv en laad het opnieuw op.")
        )
    raise FileProblem(_("Laad een .csv- of .xlsx-bestand op."))


def _decode(content: bytes) -> tuple[str, list[str]]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), [
                _("Het bestand is in UTF-16 bewaard; we lazen het als zodanig.")
            ]
        except UnicodeDecodeError as exc:
            raise FileProblem(_("Het bestand kon niet gelezen worden. Bewaar het als CSV UTF-8.")) from exc
    if b"\x00" in content:
        raise FileProblem(_("Dit is geen tekstbestand. Laad een .csv- of .xlsx-bestand op."))
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _("De tekens in het bestand zijn niet te lezen. Bewaar het in Excel als 'CSV UTF-8'.")
        ) from exc
    return text, [
        _(
            "Het bestand is niet in UTF-8 bewaard; we lazen het als Windows-1252, zoals Excel in België "
            "bewaart. Kijk in het voorbeeld na of letters met accenten goed staan."
        )
    ]


def _read_csv(content: bytes) -> Table:
    text, notices = _decode(content)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    # Belgian Excel writes semicolons; others commas or tabs. The header decides.
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ";"
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem(_("Het CSV-bestand is niet goed gevormd (%(reason)s).") % {"reason": exc}) from exc
    return _table(records, notices, lambda value: Cell(value))


def _read_xlsx(content: bytes) -> Table:
    if not content.startswith(b"PK\x03\x04"):
        raise FileProblem(_("Dit is geen geldig Excel-bestand (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise FileProblem(_("Dit is geen geldig Excel-bestand (.xlsx).")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(_("Het Excel-bestand is uitgepakt te groot. Splits het op, bijvoorbeeld per jaar."))
    try:
        # Macros, embedded objects, links to other workbooks: refused like every upload (issue 22).
        check_active_content(io.BytesIO(content), ".xlsx")
    except ValidationError as exc:
        raise FileProblem(" ".join(exc.messages)) from exc
    from openpyxl import load_workbook  # only when an XLSX is uploaded

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(
            _("Dit Excel-bestand kon niet gelezen worden. Bewaar het opnieuw als .xlsx.")
        ) from exc
    notices = []
    if len(workbook.sheetnames) > 1:
        notices.append(
            _("Het bestand heeft meerdere tabbladen; we lazen alleen het eerste (%(sheet)s).")
            % {"sheet": workbook.sheetnames[0]}
        )
    sheet = workbook.worksheets[0]
    records = []
    for row in sheet.iter_rows():
        records.append([Cell(cell.value, formula=cell.data_type == "f") for cell in row])
        if len(records) > MAX_ROWS + 1:
            break
    workbook.close()
    return _table(records, notices, None)


def _table(records: list, notices: list[str], wrap: Callable | None) -> Table:
    cells = [[wrap(value) for value in record] if wrap else record for record in records]
    lines = [(line, row) for line, row in enumerate(cells, start=1) if any(_filled(c.value) for c in row)]
    if not lines:
        raise FileProblem(_("Het bestand is leeg."))
    _header_line, header = lines[0]
    rows = lines[1:]
    if not rows:
        raise FileProblem(_("Het bestand bevat alleen kolomnamen en geen rijen."))
    if len(rows) > MAX_ROWS:
        raise FileProblem(
            _("Het bestand heeft meer dan %(max)s rijen. Splits het op, bijvoorbeeld per jaar.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    return Table(headers=[str(c.value or "").strip() for c in header], rows=rows, notices=list(notices))


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


# --- the columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the template (Dutch)
    aliases: Sequence[str] = ()
    required: bool = False
    help: str = ""


def conference_columns() -> list[Column]:
    return [
        Column(
            "reference",
            _("referentie"),
            ("ref", "nummer", "dossiernummer", "id"),
            True,
            _("Jullie eigen nummer van de aanvraag, uniek per rij (geen naam)."),
        ),
        Column(
            "requested_on",
            _("aanvraagdatum"),
            ("aangevraagd op", "datum aanvraag", "datum"),
            True,
            _("dd/mm/jjjj"),
        ),
        Column(
            "sector",
            _("sector aanvrager"),
            ("sector", "sector van de aanvrager"),
            True,
            _("De sector van de aanvragende organisatie, bv. CLB of CAW."),
        ),
        Column(
            "admissible",
            _("ontvankelijk"),
            ("ontvankelijkheid",),
            False,
            _("ja, nee, of de datum van de beslissing (= ja); leeg: nog niet beslist."),
        ),
        Column(
            "decided_on", _("beslist op"), ("beslissingsdatum", "datum beslissing"), False, _("dd/mm/jjjj")
        ),
        Column(
            "first_session_on",
            _("eerste overleg"),
            ("datum eerste overleg", "eerste overleg op"),
            False,
            _("dd/mm/jjjj"),
        ),
        Column(
            "outcome",
            _("resultaat"),
            ("uitkomst",),
            False,
            _("Een van: %(values)s.")
            % {"values": ", ".join(str(v) for v in ClientConference.Outcome.labels)},
        ),
    ]


def referral_columns() -> list[Column]:
    return [
        Column(
            "reference",
            _("referentie"),
            ("ref", "nummer", "id"),
            True,
            _("Jullie eigen nummer van de verwijzing, uniek per rij (geen naam)."),
        ),
        Column(
            "sent_on", _("verstuurd op"), ("verzonden op", "datum verwijzing", "datum"), True, _("dd/mm/jjjj")
        ),
        Column(
            "organisation",
            _("ontvangende organisatie"),
            ("organisatie", "naar"),
            True,
            _("De naam zoals in IJH Netwerken, of het KBO-nummer."),
        ),
        Column(
            "outside_agreement",
            _("buiten verwijsafspraak"),
            ("zonder verwijsafspraak",),
            False,
            _("ja of nee"),
        ),
        Column("received_on", _("ontvangen op"), (), False, _("dd/mm/jjjj")),
        Column("accepted_on", _("aanvaard op"), (), False, _("dd/mm/jjjj")),
        Column("declined_on", _("geweigerd op"), (), False, _("dd/mm/jjjj")),
        Column(
            "decline_reason",
            _("reden weigering"),
            ("reden",),
            False,
            _("Een van: %(values)s.") % {"values": ", ".join(str(v) for v in Referral.DeclineReason.labels)},
        ),
        Column("started_on", _("hulp gestart op"), ("gestart op",), False, _("dd/mm/jjjj")),
        Column("withdrawn_on", _("ingetrokken op"), (), False, _("dd/mm/jjjj")),
    ]


def columns_for(kind: str) -> list[Column]:
    return conference_columns() if kind == HistoryImport.Kind.CONFERENCES else referral_columns()


TEMPLATE_EXAMPLES = {
    HistoryImport.Kind.CONFERENCES: [
        ["CO-2024-001", "15/01/2024", "CLB", "ja", "22/01/2024", "19/02/2024", "doelen bereikt"],
        ["CO-2024-002", "03/02/2024", "CAW", "nee", "09/02/2024", "", ""],
    ],
    HistoryImport.Kind.REFERRALS: [
        [
            "VW-2024-001",
            "10/01/2024",
            "CGG Waas en Dender",
            "nee",
            "11/01/2024",
            "18/01/2024",
            "",
            "",
            "05/02/2024",
            "",
        ],
        [
            "VW-2024-002",
            "12/02/2024",
            "CAW Oost-Vlaanderen",
            "ja",
            "",
            "",
            "20/02/2024",
            "geen plaats (wachtlijst)",
            "",
            "",
        ],
    ],
}
KIND_LABELS = {
    HistoryImport.Kind.CONFERENCES: gettext_lazy("aanvragen cliëntoverleg"),
    HistoryImport.Kind.REFERRALS: gettext_lazy("verwijzingen"),
}


# --- checking ---------------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    known: bool = False  # its reference was imported before: skipped, not an error


@dataclass
class Checked:
    kind: str
    rows: list[Row]
    notices: list[str]
    problem: str = ""  # the whole file was refused

    @property
    def error_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def new_rows(self) -> list[Row]:
        return [row for row in self.rows if not row.errors and not row.known]

    @property
    def known_rows(self) -> list[Row]:
        return [row for row in self.rows if row.known and not row.errors]

    @property
    def is_importable(self) -> bool:
        return not self.problem and not self.error_rows

    def errors_shown(self) -> list[tuple[int, str]]:
        listed = [(row.line, message) for row in self.error_rows for message in row.errors]
        return listed[:SHOWN_ERRORS]

    @property
    def error_count(self) -> int:
        return sum(len(row.errors) for row in self.error_rows)


def check(
    content: bytes,
    filename: str,
    *,
    kind: str,
    network: Network,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """Every row of the file checked against the network's data. Three queries (sectors or
    organisations, and the references imported before)."""
    today = today or timezone.localdate()
    try:
        table = read_table(content, filename)
        mapping = _map_headers(table.headers, columns_for(kind), table.notices)
    except FileProblem as problem:
        return Checked(kind=kind, rows=[], notices=[], problem=problem.message)

    lookups = _Lookups.load(kind)
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for index, (line, cells) in enumerate(table.rows):
        row = Row(line=line)
        raw = {
            key: cells[position] if position < len(cells) else Cell(None) for key, position in mapping.items()
        }
        for key, cell in raw.items():
            if cell.formula:
                header = table.headers[mapping[key]]
                row.errors.append(
                    _(
                        "Kolom '%(column)s' bevat een formule (%(formula)s); importeer de waarden, geen formules."
                    )
                    % {"column": header, "formula": str(cell.value)[:40]}
                )
        if not row.errors:
            if kind == HistoryImport.Kind.CONFERENCES:
                _check_conference(row, raw, lookups, today)
            else:
                _check_referral(row, raw, lookups, today)
        reference = row.values.get("reference")
        if reference:
            if reference in seen:
                row.errors.append(
                    _(
                        "Referentie %(ref)s staat ook op rij %(line)s: elke aanvraag of verwijzing maar één keer."
                    )
                    % {"ref": reference, "line": seen[reference]}
                )
            else:
                seen[reference] = line
        rows.append(row)
        if progress is not None and index % 500 == 0:
            progress(index, len(table.rows))
    model = ImportedConferenceRequest if kind == HistoryImport.Kind.CONFERENCES else ImportedReferral
    known = set(
        model.objects.filter(network=network, reference__in=list(seen)).values_list("reference", flat=True)
    )
    for row in rows:
        if row.values.get("reference") in known:
            row.known = True
    return Checked(kind=kind, rows=rows, notices=table.notices)


def _map_headers(headers: list[str], columns: list[Column], notices: list[str]) -> dict[str, int]:
    """column key → position. Refuses names of client data and files without the required columns."""
    names = {normalise(column.header): column.key for column in columns}
    for column in columns:
        for alias in column.aliases:
            names.setdefault(normalise(alias), column.key)
    mapping: dict[str, int] = {}
    ignored = []
    for position, header in enumerate(headers):
        plain = normalise(header)
        if not plain:
            continue
        if plain in FORBIDDEN or plain.startswith(("naam ", "voornaam", "geboorte")):
            raise FileProblem(
                _(
                    "Het bestand heeft een kolom '%(column)s'. Importeer alleen pseudonieme gegevens: "
                    "verwijder kolommen met namen, geboortedata, adressen of andere gegevens van cliënten "
                    "en laad het bestand opnieuw op."
                )
                % {"column": header}
            )
        key = names.get(plain)
        if key is None:
            ignored.append(header)
        elif key in mapping:
            raise FileProblem(_("De kolom '%(column)s' staat er twee keer in.") % {"column": header})
        else:
            mapping[key] = position
    missing = [column.header for column in columns if column.required and column.key not in mapping]
    if missing:
        raise FileProblem(
            _(
                "Deze kolommen ontbreken: %(columns)s. Gebruik het sjabloon; de kolomnamen staan op de eerste rij."
            )
            % {"columns": ", ".join(missing)}
        )
    if ignored:
        notices.append(_("Deze kolommen worden niet gelezen: %(columns)s.") % {"columns": ", ".join(ignored)})
    return mapping


@dataclass
class _Lookups:
    sectors: dict[str, int] = field(default_factory=dict)
    sector_names: list[str] = field(default_factory=list)
    organisations: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, kind: str) -> "_Lookups":
        lookups = cls()
        if kind == HistoryImport.Kind.CONFERENCES:
            for pk, code, name, abbreviation in Sector.objects.values_list(
                "pk", "code", "name", "abbreviation"
            ):
                for label in (code, name, abbreviation):
                    if label:
                        lookups.sectors.setdefault(normalise(label), pk)
                lookups.sector_names.append(abbreviation or name)
        else:
            for pk, name, kbo in Organisation.objects.values_list("pk", "name", "kbo_number"):
                lookups.organisations.setdefault(normalise(name), []).append(pk)
                if kbo:
                    lookups.organisations.setdefault(re.sub(r"\D", "", kbo), []).append(pk)
        return lookups


def _text(cell: Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


DATE_PATTERN = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
ISO_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(cell: Cell, column: str, row: Row, today: datetime.date) -> datetime.date | None:
    """A date cell, or None when empty; a Dutch error on the row when it is no (possible) date."""
    value = cell.value
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = _text(cell)
        if not text:
            return None
        if " " in text and re.match(r"^\S+ 00:00(:00)?$", text):
            text = text.split(" ")[0]
        match = DATE_PATTERN.match(text)
        iso = ISO_PATTERN.match(text)
        if match:
            day_number, month, year = (int(part) for part in match.groups())
        elif iso:
            year, month, day_number = (int(part) for part in iso.groups())
        else:
            row.errors.append(
                _("%(column)s: '%(value)s' is geen datum; schrijf ze als dd/mm/jjjj.")
                % {"column": column, "value": text[:40]}
            )
            return None
        try:
            day = datetime.date(year, month, day_number)
        except ValueError:
            row.errors.append(
                _("%(column)s: %(value)s bestaat niet.") % {"column": column, "value": text[:40]}
            )
            return None
    if day > today:
        row.errors.append(
            _("%(column)s: %(day)s ligt in de toekomst.") % {"column": column, "day": f"{day:%d/%m/%Y}"}
        )
        return None
    if day < EARLIEST:
        row.errors.append(
            _("%(column)s: %(day)s ligt vóór 2000; kijk de datum na.")
            % {"column": column, "day": f"{day:%d/%m/%Y}"}
        )
        return None
    return day


YES = {"ja", "j", "yes", "y", "1", "x", "waar", "true"}
NO = {"nee", "n", "no", "0", "onwaar", "false"}


def _reference(raw: dict[str, Cell], row: Row) -> None:
    reference = _text(raw.get("reference", Cell(None)))
    if not reference:
        row.errors.append(_("Referentie ontbreekt: geef elke rij een eigen nummer."))
    elif len(reference) > 40 or "\n" in reference:
        row.errors.append(_("Referentie is langer dan 40 tekens."))
    elif reference.startswith(("=", "+", "-", "@")):
        row.errors.append(
            _("Referentie begint met %(sign)s; gebruik letters of cijfers.") % {"sign": reference[0]}
        )
    else:
        row.values["reference"] = reference


def _after(row: Row, earlier: datetime.date | None, later: datetime.date | None, message: str) -> None:
    if earlier and later and later < earlier:
        row.errors.append(message)


def _check_conference(row: Row, raw: dict[str, Cell], lookups: _Lookups, today: datetime.date) -> None:
    _reference(raw, row)
    empty = Cell(None)
    requested = parse_date(raw["requested_on"], _("aanvraagdatum"), row, today)
    if requested is None and not _text(raw["requested_on"]):
        row.errors.append(_("Aanvraagdatum ontbreekt."))
    sector_text = _text(raw["sector"])
    sector = lookups.sectors.get(normalise(sector_text))
    if not sector_text:
        row.errors.append(_("Sector aanvrager ontbreekt."))
    elif sector is None:
        row.errors.append(
            _("Onbekende sector '%(sector)s'. Gekende sectoren: %(known)s.")
            % {"sector": sector_text[:40], "known": ", ".join(sorted(lookups.sector_names, key=str.casefold))}
        )
    admissible: bool | None = None
    decided = None
    admissible_cell = raw.get("admissible", empty)
    admissible_text = normalise(_text(admissible_cell))
    if admissible_text in YES:
        admissible = True
    elif admissible_text in NO:
        admissible = False
    elif admissible_text:
        looks_like_a_date = isinstance(admissible_cell.value, datetime.date) or re.match(
            r"^\d[\d/.\- :]*$", admissible_text
        )
        if looks_like_a_date:
            decided = parse_date(admissible_cell, _("ontvankelijk"), row, today)
            admissible = True if decided is not None else None
        else:
            row.errors.append(_("Ontvankelijk: schrijf ja, nee of de datum van de beslissing."))
    decided_column = parse_date(raw.get("decided_on", empty), _("beslist op"), row, today)
    if decided_column is not None:
        if admissible is None:
            row.errors.append(_("Er is een beslissingsdatum maar niet of de aanvraag ontvankelijk was."))
        decided = decided_column
    first = parse_date(raw.get("first_session_on", empty), _("eerste overleg"), row, today)
    if first is not None and admissible is False:
        row.errors.append(_("Een niet-ontvankelijke aanvraag heeft geen eerste overleg."))
    if first is not None and admissible is None:
        admissible = True  # a first session was held: the request was admissible
    _after(row, requested, decided, _("De beslissing ligt vóór de aanvraag."))
    _after(row, requested, first, _("Het eerste overleg ligt vóór de aanvraag."))
    _after(row, decided, first, _("Het eerste overleg ligt vóór de beslissing over de ontvankelijkheid."))
    outcome_text = _text(raw.get("outcome", empty))
    outcome = ""
    if outcome_text:
        outcomes = {normalise(label): value for value, label in ClientConference.Outcome.choices}
        outcomes.update({normalise(value): value for value in ClientConference.Outcome.values})
        outcome = outcomes.get(normalise(outcome_text), "")
        if not outcome:
            row.errors.append(
                _("Onbekend resultaat '%(value)s'. Mogelijk: %(known)s.")
                % {
                    "value": outcome_text[:40],
                    "known": ", ".join(str(v) for v in ClientConference.Outcome.labels),
                }
            )
    row.values.update(
        requested_on=requested,
        requesting_sector_id=sector,
        sector=sector_text,
        admissible=admissible,
        decided_on=decided,
        first_session_on=first,
        outcome=outcome,
    )


def _check_referral(row: Row, raw: dict[str, Cell], lookups: _Lookups, today: datetime.date) -> None:
    _reference(raw, row)
    empty = Cell(None)
    sent = parse_date(raw["sent_on"], _("verstuurd op"), row, today)
    if sent is None and not _text(raw["sent_on"]):
        row.errors.append(_("Verstuurd op ontbreekt."))
    organisation_text = _text(raw["organisation"])
    organisation = None
    if not organisation_text:
        row.errors.append(_("Ontvangende organisatie ontbreekt."))
    else:
        digits = re.sub(r"\D", "", organisation_text)
        matches = lookups.organisations.get(normalise(organisation_text)) or (
            lookups.organisations.get(digits) if len(digits) == 10 else None
        )
        if not matches:
            row.errors.append(
                _(
                    "Onbekende organisatie '%(name)s'. Schrijf de naam zoals in IJH Netwerken, of het KBO-nummer."
                )
                % {"name": organisation_text[:60]}
            )
        elif len(set(matches)) > 1:
            row.errors.append(
                _("Meerdere organisaties heten '%(name)s'. Geef het KBO-nummer.")
                % {"name": organisation_text[:60]}
            )
        else:
            organisation = matches[0]
    outside_text = normalise(_text(raw.get("outside_agreement", empty)))
    if outside_text and outside_text not in YES | NO:
        row.errors.append(_("Buiten verwijsafspraak: schrijf ja of nee."))
    dates = {
        key: parse_date(raw.get(key, empty), label, row, today)
        for key, label in (
            ("received_on", _("ontvangen op")),
            ("accepted_on", _("aanvaard op")),
            ("declined_on", _("geweigerd op")),
            ("started_on", _("hulp gestart op")),
            ("withdrawn_on", _("ingetrokken op")),
        )
    }
    for key, message in (
        ("received_on", _("Ontvangen ligt vóór het versturen.")),
        ("accepted_on", _("Aanvaard ligt vóór het versturen.")),
        ("declined_on", _("Geweigerd ligt vóór het versturen.")),
        ("started_on", _("De hulp start vóór het versturen.")),
        ("withdrawn_on", _("Ingetrokken ligt vóór het versturen.")),
    ):
        _after(row, sent, dates[key], message)
    if dates["accepted_on"] and dates["declined_on"]:
        row.errors.append(_("Een verwijzing is aanvaard of geweigerd, niet allebei."))
    if dates["started_on"] and not dates["accepted_on"]:
        row.errors.append(_("De hulp startte zonder aanvaarding: vul 'aanvaard op' in."))
    _after(row, dates["accepted_on"], dates["started_on"], _("De hulp start vóór de aanvaarding."))
    reason_text = _text(raw.get("decline_reason", empty))
    reason = ""
    if reason_text:
        reasons = {normalise(label): value for value, label in Referral.DeclineReason.choices}
        reasons.update({normalise(value): value for value in Referral.DeclineReason.values})
        reason = reasons.get(normalise(reason_text), "")
        if not reason:
            row.errors.append(
                _("Onbekende reden van weigering '%(value)s'. Mogelijk: %(known)s.")
                % {
                    "value": reason_text[:40],
                    "known": ", ".join(str(v) for v in Referral.DeclineReason.labels),
                }
            )
    if dates["declined_on"] and not reason_text:
        row.errors.append(_("Geef de reden van de weigering."))
    row.values.update(
        sent_on=sent,
        to_organisation_id=organisation,
        organisation=organisation_text,
        outside_agreement=outside_text in YES,
        decline_reason=reason,
        **dates,
    )


# --- shown on the dry-run page ------------------------------------------------------------------


def preview(checked: Checked) -> list[list[str]]:
    """The first rows to be imported, as text (dates d/m/Y), in the template's column order."""
    keys = {
        HistoryImport.Kind.CONFERENCES: [
            "reference",
            "requested_on",
            "sector",
            "admissible",
            "decided_on",
            "first_session_on",
            "outcome",
        ],
        HistoryImport.Kind.REFERRALS: [
            "reference",
            "sent_on",
            "organisation",
            "outside_agreement",
            "received_on",
            "accepted_on",
            "declined_on",
            "decline_reason",
            "started_on",
            "withdrawn_on",
        ],
    }[checked.kind]
    outcomes = dict(ClientConference.Outcome.choices) | dict(Referral.DeclineReason.choices)
    shown = []
    for row in checked.new_rows[:PREVIEW_ROWS]:
        cells = []
        for key in keys:
            value = row.values.get(key)
            if isinstance(value, datetime.date):
                value = f"{value:%d/%m/%Y}"
            elif isinstance(value, bool):
                value = _("ja") if value else _("nee")
            elif key in ("outcome", "decline_reason") and value:
                value = str(outcomes.get(value, value))
            cells.append("" if value is None else str(value))
        shown.append(cells)
    return shown
