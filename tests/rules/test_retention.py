"""Retention: whose records have been kept longer than org.yaml's `retention_years`, and `lmsgen retention`."""

from __future__ import annotations

import json
from datetime import date

from conftest import DESIGN_ORG
from test_leavers import with_leavers

from lmsgen.cli import main
from lmsgen.model.loading import load_root
from lmsgen.rules.retention import expired

DAVE = {
    **with_leavers(dave="2019-06-30", bob="2024-01-31"),
    "teams/platform/records/dave.yaml": "person: dave\nrecords:\n  - {course: incident-response, date: 2019-03-01, "
                                        "by: dave}\n",
    "teams/platform/requests/dave/2019-03-secure-coding.yaml": "person: dave\ncourse: secure-coding\n"
                                                                   "date: 2019-03-01\n",
}


def test_a_leaver_is_listed_once_retention_has_passed(make_org):
    org = load_root(make_org(DAVE), use_cache=False).organisation
    assert expired(org, date(2026, 6, 30)) == []
    [dave] = expired(org, date(2026, 7, 1))
    assert dave.as_plain() == {
        "person": "dave", "name": "Dave Kim", "team": "platform", "left": "2019-06-30", "keep_until": "2026-06-30",
        "records": ["teams/platform/records/dave.yaml"],
        "requests": ["teams/platform/requests/dave/2019-03-secure-coding.yaml"],
        "attendance": ["attendance/k8s-admin/2026-12-berlin.yaml"], "next": "lmsgen erase dave"}


def test_retention_years_come_from_org_yaml(make_org):
    org_yaml = DESIGN_ORG["org.yaml"].rstrip(" ") + "        retention_years: 2\n"
    org = load_root(make_org({**DAVE, "org.yaml": org_yaml}), use_cache=False).organisation
    assert [(x.person, x.keep_until) for x in expired(org, date(2026, 2, 1))] == [
        ("dave", date(2021, 6, 30)), ("bob", date(2026, 1, 31))]


def test_the_command(make_org, capsys):
    root = make_org(DAVE)
    assert main(["--root", str(root), "retention", "--as-of", "2026-12-02"]) == 0
    assert capsys.readouterr().out == (
        "dave (Dave Kim, team platform) left on 2019-06-30; kept until 2026-06-30\n"
        "  records:    teams/platform/records/dave.yaml\n"
        "  requests:   teams/platform/requests/dave/2019-03-secure-coding.yaml\n"
        "  attendance: attendance/k8s-admin/2026-12-berlin.yaml\n"
        "  next:       lmsgen erase dave   (a dry run; add --apply to erase them from the tree and the history)\n"
        "\n"
        "1 person kept beyond retention as of 2026-12-02 (retention: 7 years after leaving, org.yaml's "
        "retention_years)\n")
    assert main(["--root", str(root), "retention", "--as-of", "2026-06-30"]) == 0
    assert capsys.readouterr().out == ("nobody's records are kept beyond retention as of 2026-06-30 (retention: 7 "
                                       "years after leaving, org.yaml's retention_years)\n")
    assert main(["--root", str(root), "retention", "--as-of", "2031-02-01", "--format", "json"]) == 0
    assert [item["person"] for item in json.loads(capsys.readouterr().out)] == ["dave", "bob"]


def test_retention_years_must_be_a_whole_number_of_years(make_org, capsys):
    root = make_org({"org.yaml": DESIGN_ORG["org.yaml"].rstrip(" ") + "        retention_years: 0\n"})
    assert main(["--root", str(root), "retention"]) == 1
    assert "org.yaml:5:18: " in capsys.readouterr().err
