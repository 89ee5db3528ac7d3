import json
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from conftest import DESIGN_ORG, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.cli import main

BAD_COURSE = {"catalog/k8s-ojt.yaml": "title: Kubernetes on the job\nformat: ojt\ntitel: typo\nhours: lots\n"}


def test_a_valid_organisation_exits_0(make_org, capsys):
    assert main(["--root", str(make_org()), "check"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "no problems found\n")


def test_data_errors_exit_1_with_one_line_each(make_org, capsys):
    root = make_org(BAD_COURSE)
    assert main(["check", "--root", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "catalog/k8s-ojt.yaml:3:1: unknown key 'titel' (did you mean 'title'?)\n"
        "catalog/k8s-ojt.yaml:4:8: hours: input should be a valid number, found 'lots'\n"
    )
    assert captured.err == "2 errors\n"


def test_json_format(make_org, capsys):
    assert main(["check", "--root", str(make_org(BAD_COURSE)), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {"path": "catalog/k8s-ojt.yaml", "line": 3, "col": 1, "severity": "error",
         "message": "unknown key 'titel' (did you mean 'title'?)"},
        {"path": "catalog/k8s-ojt.yaml", "line": 4, "col": 8, "severity": "error",
         "message": "hours: input should be a valid number, found 'lots'"},
    ]


def test_github_format_escapes_annotation_syntax(make_org, capsys):
    root = make_org({"catalog/a,b.yaml": "title: x\n"})
    assert main(["check", "--root", str(root), "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        "::error file=catalog/a%2Cb.yaml,line=1,col=1::'a,b' is not a valid course id: "
        "use lowercase letters, digits and hyphens\n"
    )


def test_usage_errors_exit_2(make_org, tmp_path):
    for args in (["check", "--format", "xml"], ["--root", str(tmp_path / "missing"), "check"], ["frobnicate"], []):
        result = subprocess.run([sys.executable, "-m", "lmsgen", *args], capture_output=True, text=True)
        assert result.returncode == 2, args
        assert "usage: lmsgen" in result.stderr
        assert "Traceback" not in result.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(["org.yaml", "catalog/x.yaml", "roles/r.yaml", "teams/platform/team.yaml",
                             "teams/platform/records/carol.yaml", "assignments/a.yaml", "budgets/2026.yaml",
                             "teams/platform/requests/carol/2026-11-k8s-admin.yaml"]),
       content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode)
       | st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                  max_size=3)).map(
           lambda value: json.dumps(value).encode()))
def test_no_input_produces_a_traceback(make_org, tmp_path_factory, path, content):
    root = tmp_path_factory.mktemp("fuzz")
    write_files(root, {**DESIGN_ORG, path: content})
    code = main(["check", "--root", str(root), "--no-cache"])
    assert code in (0, 1)


@pytest.fixture
def design_org(make_org):
    """The sample organisation (conftest.py), committed once for every example of a test."""
    return make_org()


def _template(path):
    """The sample organisation's file at `path` as a format string, its braces kept."""
    return textwrap.dedent(DESIGN_ORG[path]).replace("{", "{{").replace("}", "}}")


CHANGES = {
    "teams/platform/team.yaml": _template("teams/platform/team.yaml").replace("manager: alice", "manager: {by}")
    .replace("mentor: bob", "mentor: {person}"),
    "catalog/k8s-admin.yaml": _template("catalog/k8s-admin.yaml").replace("trainers: [dana]", "trainers: [{by}]")
    .replace("end: 2026-12-04T17:00", "end: {day}T17:00").replace("amount: 1200", "amount: {amount}"),
    "teams/platform/records/carol.yaml": _template("teams/platform/records/carol.yaml")
    + "  - {{course: {course}, date: {day}, by: {by}}}\n",
    "teams/platform/records/dave.yaml": "person: {person}\nrecords:\n  - {{course: {course}, date: {day}, by: {by}}}\n",
    "teams/platform/requests/dave/2026-12-k8s-admin.yaml": "person: {person}\ncourse: {course}\n"
                                                           "session: 2026-12-berlin\ndate: {day}\n",
    "attendance/k8s-admin/2026-12-berlin.yaml": "attended: [{people}]\n",
    "attendance/k8s-admin/2026-12-berlin.admin.yaml": "reason: {people}\n",
}
"""Files a change may write, as templates of what an attacker varies: who, which course, which day."""

ANYONE = st.sampled_from(["carol", "dave", "alice", "zoe"])


def _written(path):
    """What a change writes at `path`: its template filled in, other bytes, or nothing (it deletes the file)."""
    return st.builds(CHANGES[path].format, person=ANYONE, by=ANYONE,
                     course=st.sampled_from(["k8s-ojt", "k8s-admin", "nope"]),
                     day=st.dates(date(2026, 1, 1), date(2027, 12, 31)).map(str), amount=st.sampled_from(["0", "1200"]),
                     people=st.sampled_from(["carol", "carol, dave, bob", "dave, carol", "", "zoe"])
                     ).map(str.encode) | st.binary(max_size=100) | st.none()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.sampled_from(list(CHANGES)).flatmap(lambda path: st.tuples(st.just(path), _written(path))),
                      min_size=1, max_size=3).map(dict))
def test_no_change_produces_a_traceback_under_the_pull_request_rules(design_org, files):
    write_files(design_org, files)
    try:
        assert main(["check", "--root", str(design_org), "--base", "main", "--no-cache"]) in (0, 1)
    finally:
        write_files(design_org, {path: DESIGN_ORG.get(path) for path in files})
