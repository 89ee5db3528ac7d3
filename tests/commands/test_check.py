import json
import subprocess
import sys

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
    from conftest import DESIGN_ORG, write_files
    write_files(root, {**DESIGN_ORG, path: content})
    code = main(["check", "--root", str(root), "--no-cache"])
    assert code in (0, 1)
