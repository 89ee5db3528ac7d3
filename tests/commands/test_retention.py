"""`lmsgen retention`: the leavers past retention, their files and the next step, as text or JSON."""

from __future__ import annotations

import json
import textwrap

from conftest import DESIGN_ORG

from lmsgen.cli import main

PLATFORM = textwrap.dedent(DESIGN_ORG["teams/platform/team.yaml"])
DAVE = {
    "teams/platform/team.yaml": PLATFORM.replace("location: remote}", "location: remote, left: 2019-06-30}")
                                        .replace("location: berlin}\n  - {id: carol", "location: berlin, "
                                                 "left: 2024-01-31}\n  - {id: carol"),
    "teams/platform/records/dave.yaml": "person: dave\nrecords:\n  - {course: incident-response, date: 2019-03-01, "
                                        "by: dave}\n",
    "teams/platform/requests/dave/2019-03-secure-coding.yaml": "person: dave\ncourse: secure-coding\n"
                                                               "date: 2019-03-01\n",
}
"""Dave left in 2019, with a records file, a request and an attendance line; bob left in 2024."""

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
