"""`lmsgen status` and `lmsgen explain` as a user runs them: output, filters and exit codes."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest

from lmsgen.cli import main

FILES: dict[str, str] = {
    "org.yaml": """
        name: Test Org
        git: {host: github, repo: https://github.com/test/learning}
        expiring_within_days: 30
        """,
    "roles/admin.yaml": """
        name: Administrators
        grants: [roles.edit, catalog.edit]
        holders: [mia, pat]
        """,
    "teams/eng/team.yaml": """
        name: Engineering
        manager: mia
        members:
          - {id: mia, git: mia, name: Mia M, profile: manager}
          - {id: sam, git: sam, name: Sam S, profile: engineer}
        """,
    "teams/platform/team.yaml": """
        name: Platform
        parent: eng
        manager: pat
        members:
          - {id: pat, git: pat, name: Pat P, profile: manager}
          - {id: annabelle, git: annabelle, name: Annabelle A, profile: engineer, start_date: 2026-11-10}
        """,
    "catalog/sec.yaml": """
        title: Security awareness
        format: elearning
        valid_months: 12
        """,
    "catalog/k8s.yaml": """
        title: Kubernetes
        format: classroom
        elective: true
        sessions:
          - {id: dec, start: 2026-12-01T09:00, end: 2026-12-01T17:00, capacity: 1}
        """,
    "assignments/sec.yaml": """
        title: Security for engineers
        courses: [sec]
        audience: {profiles: [engineer]}
        exclude: [{person: sam, reason: Certified externally}]
        from: 2026-01-01
        due_days: 30
        """,
    "assignments/teams/eng.yaml": """
        assignments:
          - {person: pat, course: sec, due: 2026-11-01}
        """,
    "teams/eng/records/mia.yaml": """
        person: mia
        records:
          - {course: sec, date: 2025-12-10, by: mia}
        """,
    "teams/platform/requests/pat/k8s-dec.yaml": "person: pat\ncourse: k8s\nsession: dec\ndate: 2026-10-01\n",
    "teams/platform/requests/annabelle/k8s-dec.yaml":
        "person: annabelle\ncourse: k8s\nsession: dec\ndate: 2026-10-02\n",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for rel, text in FILES.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return tmp_path


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def test_text_table_is_aligned_and_ends_with_a_summary(root: Path, capsys) -> None:
    assert run(root, "status", "--as-of", "2026-11-23") == 0
    assert capsys.readouterr().out == textwrap.dedent("""\
        PERSON     COURSE  STATUS      DUE         COMPLETED  EXPIRES  SOURCE
        annabelle  k8s     waitlisted  2026-12-01  -          -        request:k8s-dec
        annabelle  sec     due         2026-12-10  -          -        sec
        pat        sec     overdue     2026-11-01  -          -        team:eng
        pat        k8s     enrolled    2026-12-01  -          -        request:k8s-dec
        sam        sec     exempt      -           -          -        sec

        5 rows for 3 people as of 2026-11-23: 1 overdue, 1 due, 1 waitlisted, 1 enrolled, 0 expiring, 0 done, 1 exempt
        """)


def test_json_lists_objects_with_iso_dates_or_null(root: Path, capsys) -> None:
    assert run(root, "status", "--as-of", "2026-11-23", "--format", "json", "--person", "sam") == 0
    assert json.loads(capsys.readouterr().out) == [
        {"person": "sam", "course": "sec", "status": "exempt", "due": None, "completed_on": None,
         "expires_on": None, "source": "sec", "team": "eng", "failed_attempts": 0, "attempts_left": None,
         "attempts_used_up": False}]


def test_team_filter_covers_the_subtree(root: Path, capsys) -> None:
    assert run(root, "status", "--as-of", "2026-11-23", "--format", "json", "--team", "platform") == 0
    assert {r["person"] for r in json.loads(capsys.readouterr().out)} == {"pat", "annabelle"}
    assert run(root, "status", "--as-of", "2026-11-23", "--format", "json", "--team", "eng") == 0
    assert {r["person"] for r in json.loads(capsys.readouterr().out)} == {"pat", "annabelle", "sam"}


def test_expiring_certificate_as_of_a_later_date(root: Path, capsys) -> None:
    (root / "assignments/teams/eng.yaml").write_text("assignments:\n  - {person: mia, course: sec}\n")
    assert run(root, "status", "--as-of", "2026-11-23", "--format", "json", "--person", "mia") == 0
    assert json.loads(capsys.readouterr().out) == [
        {"person": "mia", "course": "sec", "status": "expiring", "due": "2026-12-10", "completed_on": "2025-12-10",
         "expires_on": "2026-12-10", "source": "team:eng", "team": "eng", "failed_attempts": 0,
         "attempts_left": None, "attempts_used_up": False}]


def test_default_as_of_is_today(root: Path, capsys) -> None:
    assert run(root, "status") == 0
    assert f"as of {date.today().isoformat()}:" in capsys.readouterr().out


def test_unknown_person_or_team_is_a_usage_error(root: Path, capsys) -> None:
    assert run(root, "status", "--person", "sma") == 2
    assert "unknown person 'sma' (did you mean 'sam'?)" in capsys.readouterr().err
    assert run(root, "status", "--team", "nope") == 2
    assert "unknown team 'nope'" in capsys.readouterr().err


def test_bad_as_of_is_a_usage_error(root: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(root, "status", "--as-of", "23.11.2026")
    assert exit_.value.code == 2
    assert "'23.11.2026' is not a date: use YYYY-MM-DD" in capsys.readouterr().err


def test_invalid_data_prints_the_diagnostics_and_exits_1(root: Path, capsys) -> None:
    (root / "assignments/sec.yaml").write_text("title: Broken\ncourses: [nope]\n")
    assert run(root, "status") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "assignments/sec.yaml:2:11: unknown course 'nope': there is no catalog/nope.yaml" in captured.err


def test_explain_says_why_in_plain_words(root: Path, capsys) -> None:
    assert run(root, "explain", "annabelle", "sec", "--as-of", "2026-11-23") == 0
    out = capsys.readouterr().out
    assert out.startswith("annabelle and sec (Security awareness), as of 2026-11-23\n\n"
                          "Status: due on 2026-12-10 (source: sec)\n")
    assert "in the audience: profile 'engineer' is in [engineer]" in out
    assert ("due date: 30 days after the later of the rule's 'from' (2026-01-01) and your start date "
            "(2026-11-10), that is your start date: 2026-12-10") in out
    assert "No completion on or before the as-of date." in out


def test_explain_a_waitlist_and_a_course_not_assigned(root: Path, capsys) -> None:
    assert run(root, "explain", "annabelle", "k8s", "--as-of", "2026-11-23") == 0
    assert "session 'dec' is full (1 seats; seats go by request date, then id), so it is on the waiting list" \
        in capsys.readouterr().out
    assert run(root, "explain", "mia", "sec", "--as-of", "2026-11-23") == 0
    out = capsys.readouterr().out
    assert "Not on mia's list: no rule, team assignment or request assigns it." in out
    assert "not in the audience: profile 'manager' is not in [engineer]" in out
    assert "2025-12-10 record in teams/eng/records/mia.yaml (by mia) — counts" in out


def test_explain_unknown_course_is_a_usage_error(root: Path, capsys) -> None:
    assert run(root, "explain", "mia", "secc", "--as-of", "2026-11-23") == 2
    assert "unknown course 'secc' (did you mean 'sec'?)" in capsys.readouterr().err


def test_status_of_the_design_organisation(make_org, capsys) -> None:
    root = make_org()
    assert run(root, "status", "--as-of", "2026-11-23", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(set(r) >= {"person", "course", "status", "due", "completed_on", "expires_on", "source"}
                        for r in rows)
