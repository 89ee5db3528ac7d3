import pytest
from conftest import DESIGN_ORG, git, write_files

from lmsgen.cli import main

RULE = "assignments/security-baseline.yaml"
DAVE = "teams/platform/requests/dave/2026-11-k8s-admin"


@pytest.fixture
def change(make_org):
    """A branch that widens the security baseline to every profile and adds a paid request."""
    root = make_org()
    git(root, "checkout", "-q", "-b", "change")
    write_files(root, {
        RULE: DESIGN_ORG[RULE].replace("profiles: [engineer], ", ""),
        f"{DAVE}.yaml": "person: dave\ncourse: k8s-admin\nsession: 2026-12-berlin\ndate: 2026-11-21\n"
                        "cost: {amount: 1200, currency: EUR}\n",
        f"{DAVE}.cost.yaml": "request: 2026-11-k8s-admin\namount: {amount: 1200, currency: EUR}\n",
    })
    return root


def test_diff_names_the_newly_assigned_the_approvers_and_the_money(change, capsys):
    assert main(["--root", str(change), "diff", "--base", "main", "--as-of", "2026-12-01"]) == 0
    assert capsys.readouterr().out == f"""\
Statuses as of 2026-12-01.

Newly assigned (3):
  person  course         status                           source
  alice   secure-coding  overdue, was due 2026-01-31      security-baseline
  dave    k8s-admin      enrolled, session on 2026-12-03  request:2026-11-k8s-admin
  erin    secure-coding  exempt                           security-baseline

Approvals needed (one from each line):
  @acme/finance: {DAVE}.cost.yaml
  @alicem or @bobl: {RULE}
  @alicem or @erinr: {DAVE}.yaml

Money committed: 1,200 EUR.
  dave: k8s-admin, 1,200 EUR ({DAVE}.yaml)
"""


def test_diff_as_a_pull_request_comment(change, capsys):
    assert main(["--root", str(change), "diff", "--base", "main", "--as-of", "2026-12-01", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### What this change does\n\nStatuses as of 2026-12-01.\n\n**Newly assigned (3)**\n\n"
                          "| person | course | status | source |\n|---|---|---|---|\n"
                          "| alice | secure-coding | overdue, was due 2026-01-31 | security-baseline |\n")
    assert f"- @alicem or @erinr: `{DAVE}.yaml`\n" in out
    assert out.endswith(f"**Money committed: 1,200 EUR.**\n\n- dave: k8s-admin, 1,200 EUR (`{DAVE}.yaml`)\n")


def test_diff_names_changed_due_dates_and_the_unassigned(make_org, capsys):
    root = make_org()
    git(root, "checkout", "-q", "-b", "change")
    write_files(root, {RULE: DESIGN_ORG[RULE].replace("due_days: 30 ", "due_days: 90 "),
                       "assignments/teams/platform.yaml": "assignments:\n"
                                                         "  - {person: carol, course: k8s-admin, due: 2027-01-31}\n"})
    assert main(["--root", str(root), "diff", "--base", "main", "--as-of", "2026-03-15"]) == 0
    assert capsys.readouterr().out == """\
Statuses as of 2026-03-15.

No longer assigned (3):
  person  course             was               source
  bob     incident-response  due, no due date  team:platform
  carol   incident-response  due, no due date  team:platform
  dave    incident-response  due, no due date  team:platform

Due date or status changes (3):
  person  course         before                       after
  bob     secure-coding  overdue, was due 2026-01-31  due 2026-04-01
  dana    secure-coding  overdue, was due 2026-01-31  due 2026-04-01
  dave    secure-coding  overdue, was due 2026-01-31  due 2026-04-01

Approvals needed (one from each line):
  @alicem or @bobl: assignments/security-baseline.yaml
  @alicem or @erinr: assignments/teams/platform.yaml

Money committed: none.
"""


def test_diff_of_an_invalid_change_says_so(make_org, capsys):
    root = make_org()
    write_files(root, {RULE: DESIGN_ORG[RULE].replace("courses: [secure-coding]", "courses: [nope]")})
    assert main(["--root", str(root), "diff", "--base", "main", "--format", "markdown"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ("**the change has errors (1 error), so it cannot be summarised: see lmsgen check.**\n")
    assert captured.err == f"{RULE}:2:11: unknown course 'nope': there is no catalog/nope.yaml\n"


def test_diff_with_an_unknown_base_is_a_usage_error(make_org, capsys):
    assert main(["--root", str(make_org()), "diff", "--base", "origin/main"]) == 2
    assert capsys.readouterr().err == ("lmsgen diff: unknown revision 'origin/main': name a commit, branch or tag "
                                       "of this repository\n")


def test_raising_a_pass_mark_shows_whose_status_it_flips(make_org, capsys):
    root = make_org()
    git(root, "checkout", "-q", "-b", "stricter")
    course = "catalog/secure-coding.yaml"
    (root / course).write_text((root / course).read_text() + "pass_mark: 95\n")
    assert main(["--root", str(root), "diff", "--base", "main", "--as-of", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "Due date or status changes (1):" in out
    assert ("  person  course         before                      after\n"
            "  carol   secure-coding  done, due again 2027-03-02  overdue, was due 2026-01-31\n") in out


def test_diff_names_a_withdrawal_and_who_takes_the_seat(make_org, capsys):
    course = "catalog/k8s-admin.yaml"
    root = make_org({course: DESIGN_ORG[course].replace("capacity: 12", "capacity: 1"),
                     f"{DAVE}.yaml": "person: dave\ncourse: k8s-admin\nsession: 2026-12-berlin\ndate: 2026-11-21\n"
                                     "cost: {amount: 1200, currency: EUR}\n",
                     f"{DAVE}.cost.yaml": "request: 2026-11-k8s-admin\namount: {amount: 1200, currency: EUR}\n"})
    git(root, "checkout", "-q", "-b", "change")
    carol = "teams/platform/requests/carol/2026-11-k8s-admin.withdraw.yaml"
    write_files(root, {carol: "reason: |\n  Project moved\n  to 2027\ndate: 2026-11-30\n"})
    assert main(["--root", str(root), "diff", "--base", "main", "--as-of", "2026-12-01"]) == 0
    assert capsys.readouterr().out == f"""\
Statuses as of 2026-12-01.

Due date or status changes (2):
  person  course     before                             after
  carol   k8s-admin  enrolled, session on 2026-12-03    due 2027-01-31 via team:platform
  dave    k8s-admin  waitlisted, session on 2026-12-03  enrolled, session on 2026-12-03

Withdrawals (1):
  person  course                      reason                 seat goes to
  carol   k8s-admin (2026-12-berlin)  Project moved to 2027  dave

Approvals needed (one from each line):
  @alicem or @erinr: {carol}

Money committed: none.
Money released by withdrawals: 1,200 EUR.
  carol: k8s-admin, 1,200 EUR ({carol})
"""


def test_diff_of_a_withdrawal_that_frees_no_one_a_seat(make_org, capsys):
    root = make_org()
    git(root, "checkout", "-q", "-b", "change")
    write_files(root, {"teams/platform/requests/carol/2026-11-k8s-admin.withdraw.yaml": "reason: Project moved\n"})
    assert main(["--root", str(root), "diff", "--base", "main", "--as-of", "2026-12-01", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert ("**Withdrawals (1)**\n\n| person | course | reason | seat goes to |\n|---|---|---|---|\n"
            "| carol | k8s-admin (2026-12-berlin) | Project moved | no one moves up |\n") in out
    assert out.endswith("**Money committed: none.**\n\n**Money released by withdrawals: 1,200 EUR.**\n\n"
                        "- carol: k8s-admin, 1,200 EUR "
                        "(`teams/platform/requests/carol/2026-11-k8s-admin.withdraw.yaml`)\n")
