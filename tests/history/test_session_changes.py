"""The pull-request rules for withdrawals and no-shows (docs/sessions.md)."""

from datetime import date

import pytest
from conftest import commit_all, git, write_files
from test_pull_requests import ATTENDANCE, ATTENDANCE_RULE, REQUEST_RULE, rules

WITHDRAWAL = "teams/platform/requests/carol/2026-11-k8s-admin.withdraw.yaml"
BEFORE_START = date(2026, 12, 2)  # 2026-12-berlin starts on 2026-12-03 and ends on 2026-12-04


@pytest.fixture
def branch(make_org):
    """The sample organisation (conftest.py) on main, checked out on a new branch `change`."""
    root = make_org()
    git(root, "checkout", "-q", "-b", "change")
    return root


def test_a_withdrawal_before_the_session_starts_passes(branch):
    write_files(branch, {WITHDRAWAL: "reason: Project moved\ndate: 2026-12-02\n"})
    assert rules(branch, today=BEFORE_START) == []
    assert rules(branch, today=date(2026, 12, 3)) == []  # the day it starts still counts as before it


def test_a_withdrawal_after_the_session_started_or_dated_after_today_is_an_error(branch):
    write_files(branch, {WITHDRAWAL: "reason: Project moved\ndate: 2026-12-08\n"})
    assert rules(branch) == [
        f"{WITHDRAWAL}:1:1: session '2026-12-berlin' of 'k8s-admin' started on 2026-12-03 (catalog/k8s-admin.yaml:"
        "7:33), before today (2026-12-07): withdraw before a session starts; after, the trainer marks a no-show "
        "absent on its attendance list",
        f"{WITHDRAWAL}:2:7: withdrawal dated 2026-12-08, after today (2026-12-07): a withdrawal is dated the day "
        "it is made",
    ]


def test_a_merged_withdrawal_is_append_only(branch):
    write_files(branch, {WITHDRAWAL: "reason: Project moved\n"})
    commit_all(branch, "withdraw")
    write_files(branch, {WITHDRAWAL: "reason: Project cancelled\n"})
    assert rules(branch, ref="HEAD", today=BEFORE_START) == [
        f"{WITHDRAWAL}:1:9: this withdrawal differs from the one on HEAD ('reason'): "
        + REQUEST_RULE.format(what="withdrawals", verb="change").replace("on main", "on HEAD")]
    write_files(branch, {WITHDRAWAL: None})
    assert rules(branch, ref="HEAD", today=BEFORE_START) == [
        f"{WITHDRAWAL}:1:1: this withdrawal is on HEAD but the change deletes it: "
        + REQUEST_RULE.format(what="withdrawals", verb="delete")]


def test_no_shows_may_be_added_at_the_end_once_the_session_has_ended(branch):
    write_files(branch, {ATTENDANCE: "attended: [carol, dave]\nabsent: [erin]\n"})
    assert rules(branch) == []
    assert rules(branch, today=date(2026, 12, 3)) == [
        f"{ATTENDANCE}:2:10: session '2026-12-berlin' of 'k8s-admin' ends on 2026-12-04 (catalog/k8s-admin.yaml:"
        "7:56), after today (2026-12-03): mark a no-show once the session has ended"]
    commit_all(branch, "no-show")
    write_files(branch, {ATTENDANCE: "attended: [carol, dave]\nabsent: []\n"})
    assert rules(branch, ref="HEAD") == [
        f"{ATTENDANCE}:2:1: 1 attendee on HEAD is missing, from attendee 1 (erin): "
        + ATTENDANCE_RULE.format(verb="change")]
