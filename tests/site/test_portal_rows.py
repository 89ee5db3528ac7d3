"""The rows a portal and a dashboard make in Python (`site/portal_rows.py`, `dashboard_rows.py`): every value from
the data escaped, as the templates' loops escaped it (docs/site.md#the-portal)."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from lmsgen.site.build import build_site
from lmsgen.site.dashboard_rows import SYMBOLS
from lmsgen.site.portal_rows import line_edits

AS_OF = date(2026, 11, 23)
HOSTILE = "<script>alert(9)</script>"


def test_the_rows_escape_every_value(make_org):
    root = make_org({
        "assignments/security-baseline.yaml": f"""
            title: "Baseline {HOSTILE}"
            courses: [secure-coding]
            audience: {{teams: [engineering], profiles: [engineer], locations: [], people: []}}
            from: 2026-01-01
            due_days: 30
            every_months: 12
            """,
        "teams/platform/team.yaml": f"""
            name: Platform
            parent: engineering
            manager: alice
            members:
              - {{id: alice, name: Alice Moe, git: alicem, profile: manager}}
              - {{id: bob, name: "Bob {HOSTILE}", git: bobl, profile: engineer}}
              - {{id: carol, name: Carol Diaz, git: carold, profile: engineer, start_date: 2025-04-01, mentor: bob}}
              - {{id: dave, name: Dave Kim, git: davek, profile: engineer}}
            """,
    })
    out = root.parent / "site"
    assert build_site(root, out, AS_OF).ok
    escaped = "&lt;script&gt;alert(9)&lt;/script&gt;"
    for page in ("people/carol/index.html", "people/dave/index.html", "people/bob/index.html",
                 "teams/platform/index.html", "teams/engineering/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "<script>alert(9)" not in html, page
    dave = (out / "people/dave/index.html").read_text(encoding="utf-8")
    todo = dave.partition('class="lms-table lms-todo"')[2].partition("</table>")[0]
    assert f"Baseline {escaped}" in todo  # the "Why" of a to-do row
    carol = (out / "people/carol/index.html").read_text(encoding="utf-8")
    done = carol.partition('class="lms-table lms-done"')[2].partition("</table>")[0]
    assert f"Baseline {escaped}" in done
    history = carol.partition('class="lms-table lms-history"')[2].partition("</table>")[0]
    assert f"Bob {escaped}" in history  # who recorded a completion
    matrix = (out / "teams/platform/index.html").read_text(encoding="utf-8").partition("lms-matrix")[2]
    assert f"Bob {escaped}" in matrix.partition("</table>")[0]


def test_a_row_that_adds_a_line_is_told_apart_from_one_that_makes_the_file():
    class Row:
        def __init__(self, record):
            self.record = record

    class Record:
        def __init__(self, new_file):
            self.new_file = new_file

    assert line_edits([Row(None), Row(Record(False))])
    assert not line_edits([Row(None), Row(Record(True))])
    assert not line_edits([])


def test_the_matrix_dots_are_the_legends():
    assert set(SYMBOLS) == {"overdue", "due", "waitlisted", "enrolled", "expiring", "done", "exempt"}
    assert not any(isinstance(symbol, Markup) for symbol in SYMBOLS.values())
