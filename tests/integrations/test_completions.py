"""Importing completions from CSV and xAPI files into a batch on a new branch, and what the organisation then holds."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importing import IMPORTING, STATEMENTS, as_lines

from lmsgen.cli import main
from lmsgen.history.helpers import InvalidChange, Workspace
from lmsgen.history.repository import Repository
from lmsgen.integrations import completions, xapi
from lmsgen.model.loading import load_root
from lmsgen.rules.engine import completions as completion_events


@pytest.fixture
def importing_org(make_org):
    return make_org(IMPORTING)


BATCH = f"completions/xapi/{date.today().isoformat()}.yaml"


def branches(root):
    return git(root, "branch", "--format=%(refname:short)").split()


def test_an_xapi_file_becomes_one_batch_on_a_new_branch_and_a_second_run_adds_nothing(importing_org, tmp_path,
                                                                                      capsys):
    statements = tmp_path / "statements.jsonl"
    statements.write_text(as_lines(STATEMENTS))
    assert main(["--root", str(importing_org), "import-completions", "--xapi", str(statements)]) == 0
    out = capsys.readouterr().out
    path = str(statements)
    assert out.splitlines()[:5] == [
        "3 new completions from xapi (1 failed attempt), 0 already imported, 3 skipped",
        f"  skipped: {path}:4: statement 5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0004: no person has the actor's e-mail or "
        "account",
        f"  skipped: {path}:5: statement 5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0005: verb "
        "http://adlnet.gov/expapi/verbs/attempted is not completed, passed or failed",
        f"  skipped: {path}:6: statement 5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0006: no course has the xapi activity id "
        "https://learn.example/activities/unknown",
        f"Committed {out.split()[out.split().index('Committed') + 1]} on the new branch "
        f"lmsgen/import-completions-xapi-{date.today().isoformat()} (your checkout is unchanged):",
    ]
    assert f"  {BATCH}  (approved by @danap or @erinr)" in out
    branch = f"lmsgen/import-completions-xapi-{date.today().isoformat()}"
    assert git(importing_org, "show", f"{branch}:{BATCH}") == (
        "# yaml-language-server: $schema=../../schemas/completions.schema.json\n"
        "source: xapi\n"
        "records:\n"
        "  - {person: carol, course: incident-response, date: 2026-11-30, score: 92, "
        "id: 5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0001}\n"
        "  - {person: dave, course: security-intro, date: 2026-11-29, id: 5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0002}\n"
        "  - {person: bob, course: security-intro, date: 2026-11-30, score: 50, "
        "id: 5d1d0a52-0a8e-4c39-9d8a-0e8b0c1f0003, passed: false}\n")
    assert "skipped: " in git(importing_org, "log", "-1", "--format=%B", branch)  # the PR's summary lists them

    # While its pull request waits, the next run does not import the same statements again.
    assert main(["--root", str(importing_org), "import-completions", "--xapi", str(statements)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "0 new completions from xapi, 0 already imported, 3 waiting in an unmerged import branch, 3 skipped")
    assert len(branches(importing_org)) == 2

    git(importing_org, "merge", "-q", branch)
    assert main(["--root", str(importing_org), "check"]) == 0
    capsys.readouterr()
    assert main(["--root", str(importing_org), "import-completions", "--xapi", str(statements)]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "0 new completions from xapi, 3 already imported, 3 skipped"
    assert len(branches(importing_org)) == 2  # main and the first import's: the second made none

    events = completion_events(load_root(importing_org).organisation, date.today())
    imported = [(e.person, e.course, e.via, e.by) for who in ("bob", "carol", "dave") for e in events.get(who, [])
                if e.via == "import"]
    assert imported == [("carol", "incident-response", "import", "xapi"), ("dave", "security-intro", "import", "xapi")]


def test_a_csv_with_problems_reports_them_all_with_their_lines_and_writes_nothing(importing_org, tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_text("email,course,date,score,id\n"
                      "carol@acme.example,incident-response,2026-11-30,88,row-1\n"
                      "zed@acme.example,incident-response,2026-11-30,,row-2\n"
                      "dave@acme.example,secure-coding,2026-11-30,,row-3\n"
                      "dave@acme.example,incident-response,30/11/2026,,row-4\n"
                      "dave@acme.example,incident-response,2026-11-30,101,row-5\n"
                      "dave@acme.example,incident-response,2999-01-01,,row-6\n")
    assert main(["--root", str(importing_org), "import-completions", "--csv", str(export)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{export}:3:1: no person has the e-mail 'zed@acme.example'",
        f"{export}:4:1: course 'secure-coding' does not accept imported completions (its completion.by has "
        "no 'import')",
        f"{export}:5:1: '30/11/2026' is not a date: write it as YYYY-MM-DD",
        f"{export}:6:1: score '101' is not a number from 0 to 100",
        f"{export}:7:1: dated 2999-01-01, after today ({date.today().isoformat()})",
        "lmsgen import-completions: 5 errors in the input, so nothing was written",
    ]
    assert branches(importing_org) == ["main"]


def test_a_csv_without_the_columns_it_needs(importing_org, tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_text("name,when\nCarol,2026-11-30\n")
    assert main(["--root", str(importing_org), "import-completions", "--csv", str(export), "--dry-run"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{export}:1:1: missing columns: person (or email), course, date, id")


def test_a_dry_run_writes_nothing(importing_org, tmp_path, capsys):
    export = tmp_path / "export.csv"
    export.write_text("person,course,date,id\ncarol,incident-response,2026-11-30,row-1\n")
    assert main(["--root", str(importing_org), "import-completions", "--csv", str(export), "--source", "moodle",
                 "--dry-run"]) == 0
    assert capsys.readouterr().out == ("1 new completion from moodle, 0 already imported, 0 skipped\n"
                                       f"Dry run: would write completions/moodle/{date.today().isoformat()}.yaml.\n")
    assert branches(importing_org) == ["main"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_no_csv_raises(importing_org, text):
    org = load_root(importing_org).organisation
    imported = completions.from_csv(org, "csv", "e.csv", text.encode(), today=date(2026, 12, 1))
    assert all(p.path == "e.csv" for p in imported.problems)


def test_exported_statements_are_the_same_each_time(importing_org):
    org = load_root(importing_org).organisation
    first = completions.export_statements(org)
    assert first == completions.export_statements(org)
    assert [s["object"]["id"] for s in first] == ["https://github.com/acme/learning/catalog/secure-coding",
                                                  "https://github.com/acme/learning/catalog/k8s-ojt"]
    assert first[0]["actor"] == {"objectType": "Agent", "mbox": "mailto:carol@acme.example"}
    assert first[0]["result"] == {"completion": True, "score": {"scaled": 0.92}}
    assert first[0]["id"] == xapi.statement_id("carol", "secure-coding", date(2026, 3, 2), "carol")
    assert json.loads(json.dumps(first)) == first


def test_an_id_that_cannot_be_kept_is_skipped_or_refused(importing_org, tmp_path, capsys):
    org = load_root(importing_org).organisation
    long_id = "x" * 201
    statement = {**STATEMENTS[0], "id": long_id}
    imported = completions.from_statements(org, "xapi", [xapi.Statement(statement, "s.json", 1)],
                                           today=date(2026, 12, 7))
    assert imported.skipped == [f"s.json:1: statement {long_id}: its id is 201 characters long: at most 200"]
    export = tmp_path / "export.csv"
    export.write_text(f"person,course,date,id\ncarol,incident-response,2026-11-30,{long_id}\n")
    assert main(["--root", str(importing_org), "import-completions", "--csv", str(export)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == f"{export}:2:1: its id is 201 characters long: at most 200"


def test_a_batch_is_checked_alone_and_refused_with_what_it_adds(importing_org):
    batch = "completions/xapi/b.yaml"
    text = ("source: xapi\nrecords:\n"
            "  - {person: zed, course: incident-response, date: 2026-11-30, id: a}\n"
            "  - {person: carol, course: incident-response, date: 2026-12-08, id: b}\n")
    with Repository(importing_org) as repo:
        ws = Workspace(repo, today=date(2026, 12, 7))
        with pytest.raises(InvalidChange) as refused:
            completions.check_batch(ws, {batch: text})
        completions.check_batch(ws, {batch: text.splitlines(keepends=True)[0] + "records: []\n"})
    assert [str(d) for d in refused.value.diagnostics] == [
        f"{batch}:3:14: unknown person 'zed': no team file lists this person",
        f"{batch}:4:54: completion dated 2026-12-08, after today (2026-12-07): a completion is imported once it has "
        "happened"]


def test_a_score_below_the_pass_mark_is_imported_as_a_failed_attempt(make_org):
    intro = IMPORTING["catalog/security-intro.yaml"].rstrip(" ") + "        pass_mark: 80\n"
    org = load_root(make_org({**IMPORTING, "catalog/security-intro.yaml": intro})).organisation
    csv_text = "person,course,date,score,id\ncarol,security-intro,2026-11-30,79,r1\ndave,security-intro,2026-11-30,80,r2\n"
    imported = completions.from_csv(org, "csv", "e.csv", csv_text.encode(), today=date(2026, 12, 1))
    assert imported.problems == [] and imported.skipped == [], (imported.problems, imported.skipped)
    assert [(c.person, c.score, c.passed) for c in imported.new] == [("carol", 79, False), ("dave", 80, True)]
    assert imported.new[0].line() == "{person: carol, course: security-intro, date: 2026-11-30, score: 79, id: r1, " \
                                     "passed: false}"
    assert imported.summary().startswith("2 new completions from csv (1 failed attempt)")
