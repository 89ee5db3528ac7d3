"""Reading HR exports, editing team files in place, and the import on random rows: never a traceback."""

from __future__ import annotations

import io
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.history.helpers import InvalidChange, Refused, Workspace
from lmsgen.history.repository import Repository
from lmsgen.integrations.hr import ExportRefused, import_hr, routes
from lmsgen.integrations.hr_export import read_export
from lmsgen.integrations.member_text import MemberEdits, edit_members
from lmsgen.model import formats as m
from lmsgen.model.yamlfile import YamlError, parse
from tests.conftest import DESIGN_ORG, commit_all, init_repo, write_codeowners, write_files

COLUMNS = m.HrColumns()


def messages(raw: bytes, columns: m.HrColumns = COLUMNS) -> list[str]:
    _, found = read_export("hr.csv", raw, columns)
    return [str(d) for d in sorted(found)]


# --- reading the export ------------------------------------------------------------------------


def test_semicolons_and_a_byte_order_mark_read_like_commas():
    comma = b"id,name,team,start_date\ncarol,\"Diaz, Carol\",platform,2025-04-01\n"
    semicolon = "\ufeffid;name;team;start_date\r\ncarol;Diaz, Carol;platform;2025-04-01\r\n".encode()
    for raw in (comma, semicolon):
        export, found = read_export("hr.csv", raw, COLUMNS)
        assert found == []
        assert [row.values for row in export.rows] == [
            {"id": "carol", "name": "Diaz, Carol", "team": "platform", "start_date": date(2025, 4, 1)}]
        assert export.columns == {"id": ("id", 1), "name": ("name", 2), "team": ("team", 3),
                                  "start_date": ("start_date", 4)}


def test_the_mapping_names_the_columns():
    columns = m.HrColumns(id="employee_id", team="department")
    raw = b"employee_id,name,department,extra\ncarol,Carol,platform,ignored\n"
    export, found = read_export("hr.csv", raw, columns)
    assert found == [] and export.rows[0].values == {"id": "carol", "name": "Carol", "team": "platform"}
    assert messages(b"id,name,team\ncarol,Carol,platform\n", columns) == [
        "hr.csv:1:1: no column 'department' for the team of each person (org.yaml's hr_import.columns.team names "
        "it); the header has: 'id', 'name', 'team'",
        "hr.csv:1:1: no column 'employee_id' for the id of each person (org.yaml's hr_import.columns.id names it); "
        "the header has: 'id', 'name', 'team'"]


def test_every_problem_of_every_row_is_reported_at_its_line_and_column():
    raw = (b"id,name,email,team,start_date,left_on,git\n"
           b"carol,Carol,carol@acme.example,platform,2025-04-01,,carold\n"
           b"Bad Id,,no-at-sign,Platform,2025-02-30,tomorrow,-x\n"
           b"\n"
           b"carol,Carol,,platform,,,\n"
           b"dave,Dave,,platform\n"
           b"\"erin,\"\"Erin\"\" Roe\",,engineering,,,\n")
    assert messages(raw) == [
        "hr.csv:3:1: 'Bad Id' in column 'id' is not a valid id: use lowercase letters, digits and hyphens",
        "hr.csv:3:2: the column 'name' is empty: every person has a name",
        "hr.csv:3:3: 'no-at-sign' in column 'email' is not an e-mail address",
        "hr.csv:3:4: 'Platform' in column 'team' is not a valid id: use lowercase letters, digits and hyphens",
        "hr.csv:3:5: '2025-02-30' in column 'start_date' is not a date: write it as YYYY-MM-DD, such as 2026-12-03",
        "hr.csv:3:6: 'tomorrow' in column 'left_on' is not a date: write it as YYYY-MM-DD, such as 2026-12-03",
        "hr.csv:3:7: '-x' in column 'git' is not a login on a git host: use letters, digits, '-', '_' and '.', "
        "starting with a letter, digit or '_'",
        "hr.csv:5:1: person 'carol' is listed twice (first on line 2)",
        "hr.csv:6:1: this row has 4 fields and the header 7: check the quotes and the delimiter (',')",
        "hr.csv:7:1: this row has 6 fields and the header 7: check the quotes and the delimiter (',')"]


@pytest.mark.parametrize(("raw", "expected"), [
    (b"", "hr.csv:1:1: the file has no header: the first line names the columns"),
    (b"id,name,team\ncarol,Car\xe9ol,platform\n", "hr.csv:2:1: this line is not UTF-8 text: export the file as UTF-8 "
                                                  "(in a spreadsheet, save as \"CSV UTF-8\")"),
    (b"id,name,team\ncarol,Car\x00ol,platform\n", "hr.csv:2:2: the column 'name' holds the control character U+0000: "
                                                 "remove it"),
    (b"id,name,team\ncarol,\"Carol,platform\n", "hr.csv:2:1: cannot read this row: unexpected end of data"),
    (b"id,name,team,name\n", "hr.csv:1:4: the column 'name' is named twice in the header"),
])
def test_a_file_that_is_no_export_is_refused_in_words(raw, expected):
    assert messages(raw) == [expected]


# --- editing team files in place ---------------------------------------------------------------

BLOCK = """\
# The mobile apps.
name: Mobile
manager: dana
members:
  - id: frank          # first hire
    name: Frank Ödegaard
    location: berlin
  # a comment between members
  - {id: gina, name: Gina Ruiz, location: berlin,
     start_date: 2026-11-02}
"""


def test_block_members_keep_their_comments_and_layout():
    edits = MemberEdits(fields={0: {"location": "oslo", "email": "frank@acme.example", "name": "Frank Ö"},
                                1: {"location": None, "left": date(2026, 11, 30)}})
    assert edit_members(BLOCK, edits) == """\
# The mobile apps.
name: Mobile
manager: dana
members:
  - id: frank          # first hire
    name: Frank Ö
    location: oslo
    email: frank@acme.example
  # a comment between members
  - {id: gina, name: Gina Ruiz,
     start_date: 2026-11-02, left: 2026-11-30}
"""


def test_removing_members_leaves_the_others_byte_for_byte():
    assert edit_members(BLOCK, MemberEdits(removed={0}, added=["{id: hal, name: Hal}"])) == """\
# The mobile apps.
name: Mobile
manager: dana
members:
  # a comment between members
  - {id: gina, name: Gina Ruiz, location: berlin,
     start_date: 2026-11-02}
  - {id: hal, name: Hal}
"""
    assert edit_members(BLOCK, MemberEdits(removed={0, 1})) == "# The mobile apps.\nname: Mobile\nmanager: dana\n" \
                                                               "members: []\n"
    flow = "name: M\nmanager: d\nmembers: [{id: a, name: A}, {id: b, name: B}, {id: c, name: C}]\n"
    assert edit_members(flow, MemberEdits(removed={0, 2})) == "name: M\nmanager: d\nmembers: [{id: b, name: B}]\n"
    assert edit_members(flow, MemberEdits(fields={1: {"name": None, "id": "bb"}})) == \
        "name: M\nmanager: d\nmembers: [{id: a, name: A}, {id: bb}, {id: c, name: C}]\n"


def test_a_file_without_a_list_of_members_is_refused():
    with pytest.raises(YamlError, match="'members' is not a list of people"):
        edit_members("name: M\nmembers: {a: 1}\n", MemberEdits(removed={0}))


# The characters the reader refuses (bidirectional controls, noncharacters) are tested in tests/model.
REFUSED = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFFE, 0xFFFF]))


@settings(max_examples=150, deadline=None)
@given(names=st.lists(st.text(st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"], blacklist_characters=REFUSED),
                              min_size=1, max_size=20).filter(str.strip), min_size=2, max_size=2),
       drop=st.booleans())
def test_edited_values_read_back_as_written(names, drop):
    """Any text, quoted as it needs, reads back as itself, and the other members are untouched."""
    edits = MemberEdits(fields={0: {"name": names[0], "title": names[1], "location": None if drop else "oslo"}})
    data = parse(edit_members(BLOCK, edits).encode())
    assert data["members"][0] == {"id": "frank", "name": names[0], "title": names[1],
                                  **({} if drop else {"location": "oslo"})}
    assert data["members"][1] == parse(BLOCK.encode())["members"][1]


# --- CODEOWNERS ---------------------------------------------------------------------------------


def test_routes_are_the_patterns_whose_owners_change():
    before = "# header\n/a/ @x @y\n/b/ @x\n[Section]\n!/c/\n/d/ @z\n"
    after = "# header\n/a/ @y\n/b/ @x\n/e/ @q\n"
    assert [(r.pattern, r.before, r.after) for r in routes(before, after)] == [
        ("/a/", ("@x", "@y"), ("@y",)), ("/d/", ("@z",), ()), ("/e/", (), ("@q",))]


# --- random rows through the whole import --------------------------------------------------------


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hr") / "org"
    root.mkdir()
    init_repo(root)
    write_files(root, DESIGN_ORG)
    write_codeowners(root)
    commit_all(root, "organisation")
    return root


CELLS = st.one_of(st.sampled_from(["", "carol", "dave", "zoe", "platform", "engineering", "nowhere", "2026-11-30",
                                   "2026-02-30", "x@acme.example", "not-an-email", "Carol Diaz", "berlin", "-x"]),
                  st.text(max_size=12))
HEADERS = st.lists(st.sampled_from(["id", "name", "email", "git", "team", "profile", "location", "start_date",
                                    "left_on", "mentor", "title", "manager", "other"]),
                   min_size=1, max_size=8, unique=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=HEADERS, rows=st.lists(st.lists(CELLS, min_size=1, max_size=8), max_size=4),
       delimiter=st.sampled_from([",", ";"]))
def test_random_rows_never_make_a_traceback(repository, header, rows, delimiter):
    def line(cells: list[str]) -> str:
        return delimiter.join('"' + cell.replace('"', '""') + '"' for cell in cells)

    raw = "\n".join([line(header), *(line(cells[:len(header)]) for cells in rows)]).encode("utf-8", "surrogatepass")
    with Repository(repository) as repo:
        workspace = Workspace(repo, today=date(2026, 12, 2))
        try:
            imported = import_hr(workspace, "hr.csv", raw, dry_run=True)
        except ExportRefused as refused:
            assert refused.diagnostics and all(d.path == "hr.csv" for d in refused.diagnostics)
            return
        except (InvalidChange, Refused):
            return
    assert imported.submitted is None and "## HR import from hr.csv" in __import__(
        "lmsgen.integrations.hr", fromlist=["summary"]).summary(imported.changes)


# --- workbooks --------------------------------------------------------------------------------------


def workbook(rows: list[list[object]]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_reads_like_its_csv():
    raw = workbook([["id", "name", "team", "start_date", "git", None], ["carol", "Carol", "platform",
                                                                       datetime(2025, 4, 1), 1234],
                    [None], ["dave", "Dave", "platform"], ["bad id", "Bad", "platform", "2025-02-30"]])
    export, found = read_export("hr.xlsx", raw, COLUMNS)
    assert [row.values for row in export.rows] == [
        {"id": "carol", "name": "Carol", "team": "platform", "start_date": date(2025, 4, 1), "git": "1234"},
        {"id": "dave", "name": "Dave", "team": "platform", "start_date": None, "git": None}]
    assert [str(d) for d in sorted(found)] == [
        "hr.xlsx:5:1: 'bad id' in column 'id' is not a valid id: use lowercase letters, digits and hyphens",
        "hr.xlsx:5:4: '2025-02-30' in column 'start_date' is not a date: write it as YYYY-MM-DD, such as 2026-12-03"]


def test_a_damaged_workbook_or_no_openpyxl_is_said_in_words(monkeypatch):
    _, found = read_export("hr.xlsx", b"PK\x03\x04 not a zip", COLUMNS)
    assert [str(d) for d in found] == ["hr.xlsx:1:1: cannot read the workbook: File is not a zip file"]
    raw = workbook([["id"]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    _, found = read_export("hr.xlsx", raw, COLUMNS)
    assert [str(d) for d in found] == ["hr.xlsx:1:1: reading a workbook (.xlsx) needs openpyxl: pip install "
                                       "'lmsgen[xlsx]', or export the file as CSV"]
