import os
from datetime import date
from pathlib import Path

import pytest
from conftest import DESIGN_ORG, commit_all, git, write_codeowners, write_files

from lmsgen.cache.digests import blob_id
from lmsgen.cache.memo import Memo
from lmsgen.cache.store import Store
from lmsgen.history.pull_requests import admin_slip_path, check_change
from lmsgen.history.repository import Repository
from lmsgen.model.loading import load_root
from lmsgen.model.yamlfile import parse

TODAY = date(2026, 12, 7)
"""After the last session of the sample organisation (conftest.py) (2026-12-berlin, which ends on 2026-12-04)."""
RECORDS = "teams/platform/records/carol.yaml"
REQUEST = "teams/platform/requests/carol/2026-11-k8s-admin.yaml"
SLIP = "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml"
RECORD_1 = "  - {course: secure-coding, date: 2026-03-02, by: carol, score: 92, evidence: https://evidence.example/1}\n"
RECORD_2 = "  - {course: k8s-ojt, date: 2026-05-10, by: bob, checklist: [true, true]}\n"
HEADER = "person: carol\nrecords:\n"
APPENDED = "  - {course: incident-response, date: 2026-06-01, by: carol}\n"
RECORDS_RULE = ("merged records are append-only; to {verb} it, add teams/platform/records/carol.admin.yaml giving the "
                "reason (reviewed by the holders of roles.edit)")
REQUEST_RULE = ("merged {what} are append-only; to {verb} it, add teams/platform/requests/carol/2026-11-k8s-admin.admin"
                ".yaml giving the reason (reviewed by the holders of roles.edit)")


@pytest.fixture
def branch(make_org):
    """The sample organisation (conftest.py) on main, checked out on a new branch `change`."""
    root = make_org()
    git(root, "checkout", "-q", "-b", "change")
    return root


def rules(root, ref="main", at=None, today=TODAY):
    head = load_root(root, use_cache=False).organisation if at is None else None
    with Repository(root) as repo:
        if at is not None:
            head = repo.load_at(at).organisation
        return [str(d) for d in check_change(repo, ref, head, at, today=today)]


def test_appending_records_and_adding_files_pass(branch):
    write_files(branch, {RECORDS: HEADER + RECORD_1 + RECORD_2 + APPENDED,
                         "teams/platform/records/dave.yaml": "person: dave\nrecords:\n" + APPENDED.replace("carol",
                                                                                                           "dave")})
    commit_all(branch, "append")
    assert rules(branch) == []


def test_reformatting_and_comments_change_no_record(branch):
    write_files(branch, {RECORDS: "# Carol's records\nperson: carol\nrecords:\n"
                                  "  - course: secure-coding  # the baseline\n    date: 2026-03-02\n    by: carol\n"
                                  "    score: 92\n    evidence: https://evidence.example/1\n" + RECORD_2})
    assert rules(branch) == []


def test_editing_a_merged_record_is_an_error_at_the_record(branch):
    write_files(branch, {RECORDS: HEADER + RECORD_1.replace("92", "99") + RECORD_2})
    assert rules(branch) == [
        f"{RECORDS}:3:5: record 1 differs from the one on main (secure-coding on 2026-03-02 by carol): "
        + RECORDS_RULE.format(verb="change")]


def test_inserting_before_merged_records_or_reordering_them_is_an_error(branch):
    write_files(branch, {RECORDS: HEADER + RECORD_2 + RECORD_1})
    assert rules(branch) == [
        f"{RECORDS}:3:5: record 1 differs from the one on main (secure-coding on 2026-03-02 by carol): "
        + RECORDS_RULE.format(verb="change")]


def test_removing_merged_records_is_an_error_at_the_list(branch):
    write_files(branch, {RECORDS: HEADER + RECORD_1})
    assert rules(branch) == [
        f"{RECORDS}:2:1: 1 record on main is missing, from record 2 (k8s-ojt on 2026-05-10 by bob): "
        + RECORDS_RULE.format(verb="change")]
    write_files(branch, {RECORDS: "person: carol\nrecords: []\n"})
    assert rules(branch)[0].startswith(f"{RECORDS}:2:1: 2 records on main are missing, from record 1 "
                                       "(secure-coding on 2026-03-02 by carol): ")


def test_deleting_a_merged_records_file_is_an_error_at_that_file(branch):
    write_files(branch, {RECORDS: None})
    commit_all(branch, "delete")
    assert rules(branch) == [f"{RECORDS}:1:1: this records file is on main but the change deletes it: "
                             + RECORDS_RULE.format(verb="delete")]


def test_an_admin_slip_added_or_changed_by_the_change_allows_editing_and_deleting(branch):
    admin = "teams/platform/records/carol.admin.yaml"
    write_files(branch, {RECORDS: HEADER + RECORD_1.replace("92", "99") + RECORD_2,
                         admin: "reason: The score was mistyped (ticket 4711)\n"})
    assert rules(branch) == []
    commit_all(branch, "correction")
    git(branch, "checkout", "-q", "main")
    git(branch, "merge", "-q", "change")
    git(branch, "checkout", "-q", "-b", "second")
    # The slip on main already gave its reason: a new change needs a new one.
    write_files(branch, {RECORDS: None})
    assert rules(branch) == [f"{RECORDS}:1:1: this records file is on main but the change deletes it: "
                             + RECORDS_RULE.format(verb="delete")]
    write_files(branch, {admin: "reason: Carol left; her records are archived (ticket 4800)\n"})
    assert rules(branch) == []


def test_a_person_who_moves_team_takes_their_records_and_requests_along(branch):
    team = DESIGN_ORG["teams/platform/team.yaml"]
    write_files(branch, {"teams/platform/team.yaml": team.replace(
        "          - {id: carol, name: Carol Diaz, email: carol@acme.example, git: carold, profile: engineer,\n"
        "             location: berlin, start_date: 2025-04-01, mentor: bob}\n", "")})
    git(branch, "mv", "teams/platform/records", "teams/engineering/records")
    git(branch, "mv", "teams/platform/requests", "teams/engineering/requests")
    assert rules(branch) == []


def test_editing_or_deleting_a_merged_request_or_slip_is_an_error(branch):
    write_files(branch, {REQUEST: DESIGN_ORG[REQUEST].replace("on-call rotation", "on-call rotation, urgently"),
                         SLIP: "request: 2026-11-k8s-admin\namount: {amount: 1300, currency: EUR}\n"})
    assert rules(branch) == [
        f"{SLIP}:2:9: this approval slip differs from the one on main ('amount'): "
        + REQUEST_RULE.format(what="approval slips", verb="change"),
        f"{REQUEST}:5:9: this request differs from the one on main ('reason'): "
        + REQUEST_RULE.format(what="requests", verb="change"),
    ]
    write_files(branch, {REQUEST: None, SLIP: None})
    assert rules(branch) == [
        f"{SLIP}:1:1: this approval slip is on main but the change deletes it: "
        + REQUEST_RULE.format(what="approval slips", verb="delete"),
        f"{REQUEST}:1:1: this request is on main but the change deletes it: "
        + REQUEST_RULE.format(what="requests", verb="delete"),
    ]
    write_files(branch, {"teams/platform/requests/carol/2026-11-k8s-admin.admin.yaml":
                         "reason: Carol withdrew before the course was booked\n"})
    assert rules(branch) == []


def test_admin_slips_sit_beside_the_file_they_allow_changing():
    assert admin_slip_path("records", RECORDS) == "teams/platform/records/carol.admin.yaml"
    assert admin_slip_path("request", REQUEST) == "teams/platform/requests/carol/2026-11-k8s-admin.admin.yaml"
    assert admin_slip_path("slip", SLIP) == "teams/platform/requests/carol/2026-11-k8s-admin.admin.yaml"
    assert admin_slip_path("attendance", "attendance/k8s-admin/2026-12-berlin.yaml") == (
        "attendance/k8s-admin/2026-12-berlin.admin.yaml")


def test_a_hand_edited_codeowners_is_an_error_and_a_regenerated_one_with_its_cause_passes(branch):
    with open(branch / ".github/CODEOWNERS", "a", encoding="utf-8") as handle:
        handle.write("/budgets/ @someone\n")
    lines = (branch / ".github/CODEOWNERS").read_text().count("\n")
    assert rules(branch) == [
        f".github/CODEOWNERS:{lines}:1: CODEOWNERS changed, but roles/, teams/ and the catalog's trainers give the "
        "same owners as on main: the file is generated from them, so change them and run 'lmsgen codeowners'"]
    write_files(branch, {"catalog/k8s-admin.yaml": DESIGN_ORG["catalog/k8s-admin.yaml"].replace(
        "trainers: [dana]", "trainers: [dana, bob]")})
    write_codeowners(branch)
    assert rules(branch) == []


def test_the_rules_apply_to_a_commit_with_at_and_the_base_is_the_merge_base(branch):
    write_files(branch, {RECORDS: HEADER + RECORD_1.replace("92", "99") + RECORD_2})
    edited = commit_all(branch, "edit")
    git(branch, "checkout", "-q", "main")
    write_files(branch, {"budgets/2027.yaml": "engineering: {amount: 1, currency: EUR}\n"})
    commit_all(branch, "main moves on")
    assert rules(branch, "main", at=edited) == [
        f"{RECORDS}:3:5: record 1 differs from the one on main (secure-coding on 2026-03-02 by carol): "
        + RECORDS_RULE.format(verb="change")]
    assert rules(branch, "main", at="main") == []


def test_a_codeowners_that_was_stale_or_missing_may_be_brought_up_to_date(make_org):
    root = make_org({".github/CODEOWNERS": None})
    git(root, "checkout", "-q", "-b", "change")
    write_codeowners(root)
    assert rules(root) == []


def test_a_record_the_change_adds_must_come_from_someone_the_course_allows(branch):
    ojt = "  - {course: k8s-ojt, date: 2026-06-02, by: dave, checklist: [true, true]}\n"
    write_files(branch, {RECORDS: HEADER + RECORD_1 + RECORD_2 + ojt})
    assert rules(branch) == [
        f"{RECORDS}:5:45: 'dave' may not record 'k8s-ojt' for 'carol': the course allows manager, mentor "
        "(catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), bob (mentor)"]


def test_a_new_mentor_leaves_the_merged_records_of_the_old_one_valid(branch, capsys):
    from lmsgen.cli import main

    team = DESIGN_ORG["teams/platform/team.yaml"].replace("start_date: 2025-04-01, mentor: bob",
                                                          "start_date: 2025-04-01, mentor: dave")
    write_files(branch, {"teams/platform/team.yaml": team})
    write_codeowners(branch)
    commit_all(branch, "Dave mentors Carol now")
    assert rules(branch) == []
    assert main(["--root", str(branch), "check", "--base", "main", "--no-cache"]) == 0
    assert capsys.readouterr().out == (
        f"{RECORDS}:4:45: warning: 'bob' may not record 'k8s-ojt' for 'carol': the course allows manager, mentor "
        "(catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), dave (mentor)\n")


LINKED_FILE = "symbolic links are not followed; replace it with the file itself"
LINKED_FOLDER = "symbolic links are not followed; replace it with the folder itself"
STRAY_CACHE = (".lmsgen-cache:1:1: lmsgen's cache does not belong in the repository: lmsgen keeps it in the git folder "
               "and never reads this one; remove it (rm -r .lmsgen-cache, and git rm -r --cached .lmsgen-cache if it "
               "was committed)")


def forge_cache(store: Path, edited: bytes, merged: bytes) -> None:
    """A cache at `store` that says the edited records file holds the merged records and was found valid:
    what a cache committed in a pull request said to lmsgen when lmsgen read it from the working tree."""
    memo = Memo(Store(store))
    memo.remember("parsed", blob_id(edited), value=parse(merged))
    memo.remember("valid-records", blob_id(edited), value=True)
    memo.save()
    assert Memo(Store(store)).recall("parsed", blob_id(edited)) == parse(merged)


def test_a_cache_committed_in_a_pull_request_changes_nothing_lmsgen_believes(branch, capsys):
    from lmsgen.cli import main

    merged = (branch / RECORDS).read_bytes()
    edited = (HEADER + RECORD_1.replace("92", "99") + RECORD_2).encode()
    write_files(branch, {RECORDS: edited})
    store_name = Memo.for_root(branch).path.name
    for folder in (".lmsgen-cache", "lmsgen"):  # where lmsgen kept it, and where it keeps it now (in .git)
        forge_cache(branch / folder / "parsed-v3-py311.marshal", edited, merged)
        forge_cache(branch / folder / store_name, edited, merged)
    commit_all(branch, "a record edited, and a cache that says it was not")
    edit_error = (f"{RECORDS}:3:5: record 1 differs from the one on main (secure-coding on 2026-03-02 by carol): "
                  + RECORDS_RULE.format(verb="change"))
    assert main(["--root", str(branch), "check", "--fix"]) == 1
    assert STRAY_CACHE in capsys.readouterr().out.splitlines()
    assert main(["--root", str(branch), "check", "--base", "main"]) == 1
    assert capsys.readouterr().out.splitlines() == [STRAY_CACHE, edit_error]
    assert main(["--root", str(branch), "check", "--base", "main", "--at", "HEAD"]) == 1
    assert capsys.readouterr().out.splitlines() == [STRAY_CACHE, edit_error]
    # The same forgery in the cache's own place would be believed: what the cache says is trusted, which is
    # why no pull request can put it there.
    forge_cache(Memo.for_root(branch).path, edited, merged)
    assert main(["--root", str(branch), "check", "--base", "main"]) == 1
    assert capsys.readouterr().out.splitlines() == [STRAY_CACHE]


def test_a_linked_codeowners_on_the_head_side_is_an_error_at_the_link(branch, tmp_path):
    copy = tmp_path / "CODEOWNERS"
    copy.write_bytes((branch / ".github/CODEOWNERS").read_bytes())
    (branch / ".github/CODEOWNERS").unlink()
    os.symlink(copy, branch / ".github/CODEOWNERS")
    assert rules(branch) == [f".github/CODEOWNERS:1:1: {LINKED_FILE}"]
    commit_all(branch, "CODEOWNERS as a link")
    assert rules(branch, at="HEAD") == [f".github/CODEOWNERS:1:1: {LINKED_FILE}"]
    write_files(branch, {".github/CODEOWNERS": None})
    (branch / ".github").rmdir()
    os.symlink(tmp_path, branch / ".github")
    assert rules(branch) == [f".github:1:1: {LINKED_FOLDER}"]
    commit_all(branch, ".github as a link")
    assert rules(branch, at="HEAD") == [f".github:1:1: {LINKED_FOLDER}"]


# --- attendance is evidence ---------------------------------------------------------------------

ATTENDANCE = "attendance/k8s-admin/2026-12-berlin.yaml"
ATTENDANCE_RULE = ("merged attendance lists are append-only; to {verb} it, add attendance/k8s-admin/2026-12-berlin."
                   "admin.yaml giving the reason (reviewed by the holders of roles.edit)")


def test_people_may_be_added_to_merged_attendance_at_its_end(branch):
    write_files(branch, {ATTENDANCE: "# the trainer's list\nattended:\n  - carol\n  - dave\n  - bob\n"})
    assert rules(branch) == []


@pytest.mark.parametrize(("attended", "expected"), [
    ("attended: [carol]\n", "1:1: 1 attendee on main is missing, from attendee 2 (dave)"),
    ("attended: []\n", "1:1: 2 attendees on main are missing, from attendee 1 (carol)"),
    ("attended: [dave, carol]\n", "1:12: attendee 1 differs from the one on main (carol)"),
    ("attended: [carol, bob, dave]\n", "1:19: attendee 2 differs from the one on main (dave)"),
    ("attended: [carol, dave]\nnote: Dave left at noon\n",
     "2:7: this attendance list differs from the one on main ('note')"),
])
def test_removing_reordering_or_rewriting_merged_attendance_is_an_error(branch, attended, expected):
    write_files(branch, {ATTENDANCE: attended})
    assert rules(branch) == [f"{ATTENDANCE}:{expected}: " + ATTENDANCE_RULE.format(verb="change")]


def test_deleting_merged_attendance_needs_an_admin_slip_of_this_change(branch):
    write_files(branch, {ATTENDANCE: None})
    commit_all(branch, "wipe")
    assert rules(branch) == [f"{ATTENDANCE}:1:1: this attendance list is on main but the change deletes it: "
                             + ATTENDANCE_RULE.format(verb="delete")]
    write_files(branch, {"attendance/k8s-admin/2026-12-berlin.admin.yaml":
                         "reason: The session was cancelled; the list was filled in by mistake (ticket 5120)\n"})
    assert rules(branch) == []


def test_an_attendance_admin_slip_is_its_own_file_kind_owned_by_the_admins(make_org):
    from lmsgen.model.layout import classify
    from lmsgen.rules.policy import Policy

    kind, ids, problem = classify("attendance/k8s-admin/2026-12-berlin.admin.yaml")
    assert (kind.name, ids, problem) == ("attendance-admin-slip", {"course": "k8s-admin", "subject": "2026-12-berlin"},
                                         None)
    root = make_org({"attendance/k8s-admin/2026-12-berlin.admin.yaml": "reason: ''\n"})
    assert [str(d) for d in load_root(root, use_cache=False).diagnostics] == [
        "attendance/k8s-admin/2026-12-berlin.admin.yaml:1:9: reason: the text is blank: write it out"]
    policy = Policy(load_root(root, use_cache=False).organisation)
    owners = policy.owners_of("attendance/k8s-admin/2026-12-berlin.admin.yaml")
    assert (owners.kind.name, policy.handles(owners.owners)) == ("attendance-admin-slip",
                                                                 ["@alicem", "@danap", "@erinr"])
