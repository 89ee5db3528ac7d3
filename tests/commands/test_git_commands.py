"""The commands that work with git: the helpers, audit, and --at / --base on check and status."""

import json
from datetime import date

import pytest
from conftest import DESIGN_ORG, commit_all, git, write_codeowners, write_files

from lmsgen.cli import main

RECORDS = "teams/platform/records/carol.yaml"
RULE = "assignments/security-baseline.yaml"
K8S_ADMIN = "catalog/k8s-admin.yaml"


def run(root, *args):
    return main(["--root", str(root), *args])


def test_request_prints_the_branch_the_approvers_and_the_pull_request(make_org, capsys):
    # A session still to come whenever the test runs: a request for one that has ended is refused.
    root = make_org({K8S_ADMIN: DESIGN_ORG[K8S_ADMIN].replace("2026-12-03T09:00, end: 2026-12-04T17:00",
                                                              "2099-12-03T09:00, end: 2099-12-04T17:00")})
    assert run(root, "request", "dave", "k8s-admin", "--session", "2026-12-berlin", "--reason", "On call") == 0
    out = capsys.readouterr().out
    branch = git(root, "branch", "--list", "lmsgen/*").strip()
    commit = git(root, "rev-parse", branch).strip()
    request = f"teams/platform/requests/dave/{branch.removeprefix('lmsgen/request-dave-')}"
    assert out == (
        f"Committed {commit[:12]} on the new branch {branch} (your checkout is unchanged):\n"
        f"  {request}.yaml  (approved by @alicem or @erinr)\n"
        f"  {request}.cost.yaml  (approved by @acme/finance)\n"
        "Push it, then open the pull request into main:\n"
        f"  git push -u origin {branch}\n"
        f"  https://github.com/acme/learning/compare/main...{branch}?expand=1\n")


def test_helpers_exit_2_on_usage_problems_and_1_on_data_errors(make_org, capsys):
    root = make_org()
    assert run(root, "complete", "carl", "k8s-ojt") == 2
    assert capsys.readouterr().err == "lmsgen complete: unknown person 'carl' (did you mean 'carol'?)\n"
    with pytest.raises(SystemExit) as usage:
        run(root, "assign", "platform", "all", "k8s-ojt", "--due", "soon")
    assert usage.value.code == 2
    assert "argument --due: 'soon' is not a date" in capsys.readouterr().err
    assert run(root, "complete", "carol", "k8s-ojt", "--by", "dave") == 1
    assert capsys.readouterr().err == (
        f"{RECORDS}:5:45: 'dave' may not record 'k8s-ojt' for 'carol': the course allows manager, mentor "
        "(catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), bob (mentor)\n"
        "lmsgen complete: the change would add 1 error to the organisation, so nothing was written\n")
    assert run(root, "attend", "k8s-admin", "2026-12-berlin", "carol") == 1
    assert run(root.parent, "attend", "k8s-admin", "2026-12-berlin", "bob") == 2
    assert capsys.readouterr().err.endswith(f"lmsgen attend: {root.parent} is not in a git repository\n")
    assert git(root, "branch").split() == ["*", "main"]


def test_a_helper_without_a_git_identity_exits_2(make_org, capsys, no_identity):
    root = make_org()
    git(root, "config", "--unset", "user.name")
    git(root, "config", "--unset", "user.email")
    assert run(root, "attend", "k8s-admin", "2026-12-berlin", "bob") == 2
    assert capsys.readouterr().err == (
        'lmsgen attend: git does not know who you are: set your name and e-mail with git config --global '
        'user.name "Your Name" and git config --global user.email you@example.org\n')


def test_audit_lists_each_record_with_its_commit(make_org, capsys):
    root = make_org()
    first = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "-b", "bob")
    with open(root / RECORDS, "a", encoding="utf-8") as handle:
        handle.write("  - {course: incident-response, date: 2026-06-01, by: carol}\n")
    added = commit_all(root, "record", author="Bob Lee <bob@acme.example>")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "bob", "-m", "merge")
    merge = git(root, "rev-parse", "HEAD").strip()
    assert run(root, "audit", "carol") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"record 1: secure-coding on 2026-03-02 by carol, score 92 ({RECORDS})"
    assert out[1].startswith(f"  added in {first[:12]} by Test Author <author@example.org> on ")
    assert out[4] == f"record 3: incident-response on 2026-06-01 by carol ({RECORDS})"
    assert out[5].startswith(f"  added in {added[:12]} by Bob Lee <bob@acme.example> on ")
    assert out[6].startswith(f"  merged in {merge[:12]} by Test Author <author@example.org> on ")
    assert out[7] == ("request: k8s-admin, session 2026-12-berlin, dated 2026-11-20 "
                      "(teams/platform/requests/carol/2026-11-k8s-admin.yaml)")
    assert out[-1] == "3 records and 1 request"
    assert run(root, "audit", "carol", "--format", "json") == 0
    entries = json.loads(capsys.readouterr().out)
    assert [(e["kind"], e["commit"], e["merge"] and e["merge"]["sha"]) for e in entries] == [
        ("record", first, None), ("record", first, None), ("record", added, merge), ("request", first, None)]
    assert entries[2]["author"] == "Bob Lee" and entries[2]["item"]["course"] == "incident-response"


def test_audit_of_nobody_and_bad_ids(make_org, capsys):
    root = make_org()
    assert run(root, "audit", "zoe") == 0
    assert capsys.readouterr().out == "no records or requests of 'zoe' in the history of HEAD\n"
    assert run(root, "audit", "../x") == 2
    assert run(root, "audit", "carol", "--at", "nope") == 2
    assert capsys.readouterr().err.endswith("lmsgen audit: unknown revision 'nope': name a commit, branch or tag "
                                            "of this repository\n")


def test_status_at_an_older_commit_answers_under_the_rules_in_force_then(make_org, capsys):
    root = make_org()
    then = git(root, "rev-parse", "HEAD").strip()
    write_files(root, {RULE: DESIGN_ORG[RULE].replace("due_days: 30 ", "due_days: 300 ")})
    commit_all(root, "more time")
    args = ["status", "--person", "bob", "--as-of", "2026-06-01", "--format", "json"]
    assert run(root, *args) == 0
    assert [(r["course"], r["status"], r["due"]) for r in json.loads(capsys.readouterr().out)] == [
        ("incident-response", "due", None), ("secure-coding", "due", "2026-10-28")]
    assert run(root, *args, "--at", then) == 0
    assert [(r["course"], r["status"], r["due"]) for r in json.loads(capsys.readouterr().out)] == [
        ("incident-response", "due", None), ("secure-coding", "overdue", "2026-01-31")]


def test_check_at_an_older_commit_and_its_usage_errors(make_org, capsys):
    root = make_org({"catalog/k8s-ojt.yaml": "title: Kubernetes on the job\nformat: ojt\ntitel: typo\n"})
    write_files(root, {"catalog/k8s-ojt.yaml": DESIGN_ORG["catalog/k8s-ojt.yaml"]})
    commit_all(root, "fixed")
    assert run(root, "check") == 0
    capsys.readouterr()
    assert run(root, "check", "--at", "HEAD~1") == 1
    assert "catalog/k8s-ojt.yaml:3:1: unknown key 'titel' (did you mean 'title'?)\n" in capsys.readouterr().out
    assert run(root, "check", "--at", "HEAD~1", "--fix") == 2
    assert capsys.readouterr().err == "lmsgen check: --fix writes into the working tree, so it cannot go with --at\n"


def test_check_base_fails_an_edited_record_with_an_annotation(make_org, capsys):
    root = make_org()
    git(root, "checkout", "-q", "-b", "change")
    text = (root / RECORDS).read_text()
    write_files(root, {RECORDS: text.replace("score: 92", "score: 99")})
    assert run(root, "check", "--base", "main", "--format", "github") == 1
    assert capsys.readouterr().out == (
        f"::error file={RECORDS},line=3,col=5::record 1 differs from the one on main (secure-coding on 2026-03-02 "
        "by carol): merged records are append-only; to change it, add teams/platform/records/carol.admin.yaml "
        "giving the reason (reviewed by the holders of roles.edit)\n")
    write_files(root, {"teams/platform/records/carol.admin.yaml": "reason: Mistyped score\n"})
    assert run(root, "check", "--base", "main") == 0
    assert run(root, "check", "--base", "nope") == 2


def test_check_base_judges_who_records_by_the_teams_on_the_base(make_org, capsys):
    root = make_org()
    git(root, "checkout", "-q", "-b", "promotion")
    team = DESIGN_ORG["teams/platform/team.yaml"].replace("manager: alice", "manager: dave")
    write_files(root, {"teams/platform/team.yaml": team})
    write_codeowners(root)
    with open(root / RECORDS, "a", encoding="utf-8") as handle:
        handle.write("  - {course: k8s-ojt, date: 2026-06-02, by: dave, checklist: [true, true]}\n")
    assert run(root, "check") == 0  # the organisation as the change has it is valid: dave manages carol
    capsys.readouterr()
    assert run(root, "check", "--base", "main") == 1
    assert capsys.readouterr().out == (
        f"{RECORDS}:5:45: 'dave' may not record 'k8s-ojt' for 'carol' on main, where alice (manager), erin (manager), "
        "bob (mentor) may: this change makes 'dave' a manager of 'carol' (teams/platform/team.yaml:3:10), so merge "
        "the team change first, then add the record\n")
    # Without the promotion, carol's manager records it.
    write_files(root, {RECORDS: (root / RECORDS).read_text().replace("by: dave", "by: alice"),
                       "teams/platform/team.yaml": DESIGN_ORG["teams/platform/team.yaml"]})
    write_codeowners(root)
    assert run(root, "check", "--base", "main") == 0


def test_check_base_keeps_merged_attendance(make_org, capsys):
    root = make_org()
    git(root, "checkout", "-q", "-b", "wipe")
    attendance = "attendance/k8s-admin/2026-12-berlin.yaml"
    write_files(root, {attendance: "attended: []\n"})
    assert run(root, "check", "--base", "main") == 1
    assert capsys.readouterr().out == (
        f"{attendance}:1:1: 2 attendees on main are missing, from attendee 1 (carol): merged attendance lists are "
        "append-only; to change it, add attendance/k8s-admin/2026-12-berlin.admin.yaml giving the reason (reviewed "
        "by the holders of roles.edit)\n")
    write_files(root, {"attendance/k8s-admin/2026-12-berlin.admin.yaml": "reason: The session was cancelled\n"})
    assert run(root, "check", "--base", "main") == 0


def test_what_a_change_adds_may_not_lie_after_today(make_org, capsys):
    root = make_org()
    git(root, "checkout", "-q", "-b", "future")
    assert run(root, "complete", "carol", "incident-response", "--date", "2999-01-01") == 1
    assert capsys.readouterr().err == (
        f"{RECORDS}:5:39: record dated 2999-01-01, after today ({date.today()}): a completion is recorded once it has "
        "happened\n"
        "lmsgen complete: the change would add 1 error to the organisation, so nothing was written\n")
    with open(root / RECORDS, "a", encoding="utf-8") as handle:
        handle.write("  - {course: incident-response, date: 2999-01-01, by: carol}\n")
    assert run(root, "check") == 0  # history may hold anything: only what a change adds is judged
    assert run(root, "check", "--base", "main") == 1
    assert capsys.readouterr().out == (
        f"{RECORDS}:5:39: record dated 2999-01-01, after today ({date.today()}): a completion is recorded once it has "
        "happened\n")
