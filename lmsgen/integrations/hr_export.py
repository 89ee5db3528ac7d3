"""Reading an HR system's export (CSV) into rows of person fields, every problem a positioned Diagnostic.

HR systems export CSV in the spreadsheet's habits: `,` or `;` between fields, UTF-8 with or without a byte
order mark, columns named their own way (org.yaml's `hr_import.columns` maps them). Each cell is checked
against the same model the team files are (`Person`), so a row the import accepts makes a valid member,
and a problem is reported at the row's line and the cell's column, all of them together.

May import: `lmsgen.model`.
Must not import: history, rules, demo, site or commands (the export is read before the organisation is).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError

from ..model import formats as m
from ..model.diagnostics import Diagnostic, error

PERSON_FIELDS = {"id": "id", "name": "name", "email": "email", "git": "git", "profile": "profile",
                 "location": "location", "start_date": "start_date", "left_on": "left", "mentor": "mentor",
                 "title": "title"}
"""Each column's field of a team member (`left_on` is the member's `left`)."""
REQUIRED = ("id", "name", "team")
"""The fields every export carries: who, under which name, in which team."""
MAX_EXPORT_BYTES = 64 * 1024 * 1024
"""Far more than an export of 100,000 people; a larger file is not an export."""
_DELIMITERS = (",", ";")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""What no field of a person holds, and YAML refuses in a file: control characters and line breaks."""


@dataclass(frozen=True)
class HrRow:
    """One person as the export has them: the row's first line, and each carried field's value (None: empty)."""

    line: int
    values: dict[str, Any]
    """By field name of `hr_import.columns` (`left_on`, not `left`); dates are dates."""

    @property
    def person(self) -> str:
        return self.values["id"]


@dataclass(frozen=True)
class HrExport:
    """An export that read without problems: its rows, and the column (name and 1-based number) of each field
    it carries. A field it does not carry stays as the team files have it."""

    path: str
    rows: tuple[HrRow, ...]
    columns: dict[str, tuple[str, int]]

    def place(self, row: HrRow, field: str) -> tuple[int, int]:
        """The line and column of a row's cell."""
        return (row.line, self.columns[field][1])

    def column(self, field: str) -> str:
        return self.columns[field][0]


Table = Iterator[tuple[int, list[str]]]
"""The lines of an export: each row's (first) line number and its cells, the header first."""


def read_export(path: str, raw: bytes, columns: m.HrColumns) -> tuple[HrExport | None, list[Diagnostic]]:
    """The export in `raw` (named `path` in messages) and every problem found: the export holds the rows without
    one, and is None when the file is no export at all (unreadable, no header, a required column missing).

    A file named `.xlsx` is read as a workbook (its first sheet; lines are its rows, columns its columns)
    when openpyxl is installed (`lmsgen[xlsx]`); any other as CSV."""
    if len(raw) > MAX_EXPORT_BYTES:
        return None, [error(path, (1, 1), f"the file has {len(raw):,} bytes: an HR export has at most "
                                          f"{MAX_EXPORT_BYTES:,}")]
    found: list[Diagnostic] = []
    table, mismatch = _xlsx_table(path, raw, found) if path.lower().endswith(".xlsx") else _csv_table(path, raw,
                                                                                                      found)
    first = next(table, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        return None, found or [error(path, (1, 1), "the file has no header: the first line names the columns")]
    header = first[1]
    wanted = columns.model_dump()
    named = [cell.strip() for cell in header]
    places: dict[str, tuple[str, int]] = {}
    for field, name in wanted.items():
        if name in named:
            places[field] = (name, named.index(name) + 1)
        if named.count(name) > 1:
            found.append(error(path, (1, named.index(name, named.index(name) + 1) + 1),
                               f"the column '{name}' is named twice in the header"))
    missing = [field for field in REQUIRED if field not in places]
    for field in missing:
        found.append(error(path, (1, 1), f"no column '{wanted[field]}' for the {field.replace('_', ' ')} of each "
                                         f"person (org.yaml's hr_import.columns.{field} names it); the header has: "
                                         f"{', '.join(repr(name) for name in named)}"))
    if found:
        return None, found
    return HrExport(path, tuple(_rows(path, table, len(header), mismatch, places, found)), places), found


def _csv_table(path: str, raw: bytes, found: list[Diagnostic]) -> tuple[Table, str]:
    """The CSV's lines, with `,` or `;` between fields (whichever the header has more of), and what to check
    when a row's fields do not match the header's."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[:problem.start].count(b"\n") + 1
        found.append(error(path, (line, 1), "this line is not UTF-8 text: export the file as UTF-8 (in a "
                                            "spreadsheet, save as \"CSV UTF-8\")"))
        return iter(()), ""
    delimiter = max(_DELIMITERS, key=text.split("\n", 1)[0].count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def lines() -> Table:
        line = 1
        while True:
            try:
                cells = next(reader, None)
            except csv.Error as problem:
                found.append(error(path, (line, 1), f"cannot read this row: {problem}"))
                return
            if cells is None:
                return
            yield line, cells
            line = reader.line_num + 1

    return lines(), f"check the quotes and the delimiter ('{delimiter}')"


def _xlsx_table(path: str, raw: bytes, found: list[Diagnostic]) -> tuple[Table, str]:
    """The rows of the workbook's first sheet, each cell as the text a CSV export would hold."""
    try:
        import openpyxl
    except ImportError:
        found.append(error(path, (1, 1), "reading a workbook (.xlsx) needs openpyxl: pip install 'lmsgen[xlsx]', "
                                         "or export the file as CSV"))
        return iter(()), ""

    def lines() -> Table:
        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                width = 0
                for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
                    cells = [_cell_text(value) for value in values]
                    while len(cells) > width and not cells[-1]:
                        cells.pop()  # a sheet's rows are as wide as its widest: empty cells past the header's
                    width = width or len(cells)
                    yield number, cells + [""] * (width - len(cells))
            finally:
                book.close()
        except Exception as problem:  # noqa: BLE001 - a damaged workbook fails in any of openpyxl's parsers
            found.append(error(path, (1, 1), f"cannot read the workbook: {problem or type(problem).__name__}"))

    return lines(), "a cell outside the header's columns"


def _cell_text(value: Any) -> str:
    """A workbook cell as CSV text: dates as YYYY-MM-DD, whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(path: str, table: Table, width: int, mismatch: str, places: dict[str, tuple[str, int]],
          found: list[Diagnostic]) -> list[HrRow]:
    rows: list[HrRow] = []
    first_line: dict[str, int] = {}
    for start, cells in table:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            found.append(error(path, (start, 1), f"this row has {len(cells)} fields and the header {width}: "
                                                 f"{mismatch}"))
            continue
        row = _row(path, start, {field: cells[column - 1].strip() for field, (_, column) in places.items()},
                   places, found)
        if row is None:
            continue
        if row.person in first_line:
            found.append(error(path, (start, places["id"][1]), f"person '{row.person}' is listed twice "
                                                                 f"(first on line {first_line[row.person]})"))
            continue
        first_line[row.person] = start
        rows.append(row)
    return rows


def _row(path: str, line: int, cells: dict[str, str], places: dict[str, tuple[str, int]],
         found: list[Diagnostic]) -> HrRow | None:
    """One row's values checked as a team member's fields, or None with its problems added to `found`."""
    before = len(found)
    for field, value in cells.items():
        control = _CONTROL.search(value)
        if control:
            found.append(error(path, (line, places[field][1]), f"the column '{places[field][0]}' holds the control "
                                                                f"character U+{ord(control.group()):04X}: remove it"))
    if len(found) > before:
        return None
    for field in REQUIRED:
        if not cells[field]:
            found.append(error(path, (line, places[field][1]), f"the column '{places[field][0]}' is empty: every "
                                                                f"person has a {field.replace('_', ' ')}"))
    for field in ("team", "manager"):
        value = cells.get(field)
        if value and not m.is_slug(value):
            found.append(error(path, (line, places[field][1]), _not_an_id(value, places[field][0])))
    person = {PERSON_FIELDS[field]: value or None for field, value in cells.items() if field in PERSON_FIELDS}
    try:
        model = m.Person.model_validate(person)
    except ValidationError as problem:
        by_field = {person_field: field for field, person_field in PERSON_FIELDS.items()}
        for detail in problem.errors(include_url=False):
            field = by_field.get(str(detail["loc"][0])) if detail["loc"] else None
            if field is None or not cells.get(field):
                continue  # an empty required cell, reported above
            found.append(error(path, (line, places[field][1]), _cell_message(detail, cells[field],
                                                                             places[field][0])))
    if len(found) > before:
        return None
    values: dict[str, Any] = {field: value or None for field, value in cells.items()}
    for field in ("start_date", "left_on"):
        if field in values:
            values[field] = getattr(model, PERSON_FIELDS[field])
    return HrRow(line, values)


def _not_an_id(value: str, column: str) -> str:
    return f"'{value}' in column '{column}' is not a valid id: use lowercase letters, digits and hyphens"


def _cell_message(detail: dict[str, Any], value: str, column: str) -> str:
    kind = detail["type"]
    pattern = (detail.get("ctx") or {}).get("pattern")
    if kind.startswith("date_") or kind == "value_error" and "date" in detail["msg"]:
        return f"'{value}' in column '{column}' is not a date: write it as YYYY-MM-DD, such as 2026-12-03"
    if pattern == m.SLUG_PATTERN:
        return _not_an_id(value, column)
    if pattern == m.LOGIN_PATTERN:
        return (f"'{value}' in column '{column}' is not a login on a git host: use letters, digits, '-', '_' and "
                f"'.', starting with a letter, digit or '_'")
    if str(detail["loc"][0]) == "email":
        return f"'{value}' in column '{column}' is not an e-mail address"
    message = detail["msg"].removeprefix("Value error, ")
    return f"column '{column}': {message[:1].lower() + message[1:]}"
