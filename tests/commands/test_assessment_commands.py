"""`lmsgen status` and `lmsgen explain` with a pass mark, attempts and prerequisites (docs/assessments.md)."""

import json
import textwrap

from conftest import DESIGN_ORG

from lmsgen.cli import main

CODING = "catalog/secure-coding.yaml"


def org(make_org):
    coding = textwrap.dedent(DESIGN_ORG[CODING]).lstrip("\n")
    return make_org({CODING: coding + "pass_mark: 95\nattempts: 1\n"})


def test_status_json_says_the_attempts_are_used_up(make_org, capsys):
    root = org(make_org)
    assert main(["--root", str(root), "status", "--as-of", "2026-11-30", "--format", "json", "--person", "carol"]) == 0
    rows = {r["course"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["secure-coding"] == {
        "person": "carol", "course": "secure-coding", "status": "overdue", "due": "2026-01-31",
        "completed_on": None, "expires_on": None, "source": "security-baseline", "team": "platform",
        "failed_attempts": 1, "attempts_left": 0, "attempts_used_up": True}


def test_explain_shows_the_failed_attempt_the_attempts_and_the_prerequisites(make_org, capsys):
    root = org(make_org)
    assert main(["--root", str(root), "explain", "carol", "secure-coding", "--as-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert "Status: overdue: it was due on 2026-01-31 (source: security-baseline)\n" \
           "Failed attempts since the last pass: 1; none left: attempts used up: your manager decides\n" in out
    assert out.endswith(
        "Completions:\n"
        "  * 2026-03-02 record in teams/platform/records/carol.yaml (by carol): failed: score 92, below the pass "
        "mark of 95 — does not count\n"
        "  No completion on or before the as-of date.\n\n"
        "Prerequisites:\n"
        "  * security-intro: not completed, and not enrolled ahead of it\n")
