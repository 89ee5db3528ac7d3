"""What the site leaves out to stay small keeps a link to where it is (docs/site.md: team dashboards, exports, the
page shell)."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

from test_build import build, text, visible

from lmsgen.site import shell_assets
from lmsgen.site.pages import Shell


def _section(html: str, anchor: str) -> str:
    start = html.index(f'<h2 id="{anchor}"')
    return html[start:html.index("<h2 ", start + 1)]


def test_a_dashboard_lists_its_own_members_and_sums_up_each_team_below(make_org):
    """docs/site.md#team-dashboards: Engineering lists its own member's overdue course, and one line for Platform
    (below it) with the counts of its subtree, linking to Platform's dashboard, which lists them."""
    site = build(make_org())
    engineering = text(site, "teams/engineering/index.html")
    overdue = _section(engineering, "overdue")
    assert "Dana Poe" in overdue and "Bob Lee" not in overdue and "Dave Kim" not in overdue
    assert ('<li><a href="../../teams/platform/#overdue">Platform</a>: 2 overdue courses of 2 people</li>'
            in overdue)
    assert "This team's own members; the teams below are summed up after the list" in overdue
    # The tile still counts the whole subtree.
    assert '<a class="lms-tile lms-tile--overdue" href="#overdue"><strong>3</strong>' in engineering
    platform = _section(text(site, "teams/platform/index.html"), "overdue")
    assert "Bob Lee" in platform and "Dave Kim" in platform and "teams below" not in platform
    # The approved requests the same way: Carol's (Platform) is on Platform's dashboard, counted on Engineering's.
    requests = _section(engineering, "requests")
    assert "Carol Diaz" not in requests and "None of this team's own members has an approved request." in (
        requests.replace("&#39;", "'"))
    assert '<li><a href="../../teams/platform/#requests">Platform</a>: 1 approved request</li>' in requests
    assert "Carol Diaz" in _section(text(site, "teams/platform/index.html"), "requests")


def test_a_team_whose_own_members_are_up_to_date_says_so_and_sums_up_the_teams_below(make_org):
    """Dana, Engineering's own member, completed what was overdue: Engineering says its own members are up to date,
    and still sums up Platform's."""
    record = "person: dana\nrecords:\n  - {course: secure-coding, date: 2026-11-02, by: dana}\n"
    site = build(make_org({"teams/engineering/records/dana.yaml": record}))
    overdue = _section(text(site, "teams/engineering/index.html"), "overdue")
    assert '<p class="lms-empty">None of this team\'s own members is overdue.</p>' in overdue.replace("&#39;", "'")
    assert "<table" not in overdue and "Platform</a>: 2 overdue courses of 2 people" in overdue
    nobody = _section(text(site, "teams/platform/index.html"), "expiring")
    assert "No certification expires within 60 days." in nobody and "teams below" not in nobody


def test_records_csv_names_each_commit_by_the_short_id_git_accepts(make_org):
    """docs/site.md#exports: the commit column holds the first 12 hex digits, which git resolves to the commit."""
    root = make_org()
    site = build(root)
    with (site / "exports/records.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    commits = {row["commit"] for row in rows}
    assert rows and all(re.fullmatch(r"[0-9a-f]{12}", commit) for commit in commits), commits
    head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    for commit in commits:
        full = subprocess.run(["git", "-C", str(root), "rev-parse", f"{commit}^{{commit}}"], capture_output=True,
                              text=True, check=True).stdout.strip()
        assert full.startswith(commit) and len(full) == 40
    assert head[:12] in commits


def test_a_portal_writes_its_long_tables_compactly(make_org):
    """docs/site.md#the-portal: statuses are <b> badges coloured by their table and row, dates plain text, header
    cells without end tags (a to-do line's Copy button: test_build's records file test)."""
    html = text(build(make_org()), "people/dave/index.html")
    todo = _section(html, "to-do")
    assert 'class="lms-table lms-todo"' in todo and "<th>Course<th>Status<th>Due" in todo
    assert "<time>" not in todo and "lms-badge" not in todo
    assert '<tr class="lms-row--overdue"><td><a href="../../catalog/secure-coding/">' in todo
    assert re.search(r"<td><b>overdue</b><td>2026-01-31<br><b>304 days overdue</b><td>", todo), todo
    assert "Secure coding basics" in visible(html)


def test_the_stylesheets_of_a_shell_are_one_sheet_that_imports_them_in_order(tmp_path: Path):
    """docs/site.md#the-page-shell: one link instead of several, to a sheet of the site that imports them."""
    head = ('<head>\n<link rel="stylesheet" href="../../assets/stylesheets/main.css">\n'
            '<link rel="stylesheet" href="../../assets/lmsgen/lmsgen.css">\n'
            '<link rel="stylesheet" href="https://cdn.example/x.css">\n</head><main>X</main>')
    shell = shell_assets.trimmed({2: Shell.cut(head, "TITLE", "X")}, tmp_path)[2]
    page = shell.wrap("t", "")
    sheets = re.findall(r'<link rel="stylesheet" href="\.\./\.\./(assets/lmsgen/styles-[0-9a-f]{12}\.css)">', page)
    assert len(sheets) == 1 and 'href="https://cdn.example/x.css"' in page, page
    assert (tmp_path / sheets[0]).read_text(encoding="utf-8") == (
        '@import url("../../assets/stylesheets/main.css");\n@import url("../../assets/lmsgen/lmsgen.css");\n')
