"""Learning depth in what a change adds (docs/assessments.md): prerequisites of requests and team assignments,
and scores of records for a course with a pass mark, as `check --base main` judges them."""

from datetime import date

import pytest
from conftest import git
from test_additions import change, text
from test_pull_requests import rules

REQUEST = "teams/platform/requests/dave/2026-12-secure-coding.yaml"
ASSIGN = "assignments/teams/platform.yaml"
RECORDS = "teams/platform/records/dave.yaml"


@pytest.fixture
def branch_off(make_org):
    """The sample organisation (conftest.py) on main, checked out on a new branch `change`."""
    root = make_org()
    git(root, "checkout", "-q", "-b", "change")
    return root


def test_a_request_without_the_prerequisite_names_it(branch_off):
    assert change(branch_off, {REQUEST: "person: dave\ncourse: secure-coding\ndate: 2026-12-05\n"}) == [
        f"{REQUEST}:2:9: dave has not completed security-intro, a prerequisite of secure-coding, and is not "
        f"enrolled in it"]


def test_a_team_assignment_without_the_prerequisite_names_the_due_date(branch_off):
    line = "  - {person: dave, course: secure-coding, due: 2027-01-10}\n"
    assert change(branch_off, {ASSIGN: text(ASSIGN) + line}) == [
        f"{ASSIGN}:4:28: dave has not completed security-intro, a prerequisite of secure-coding, and is not "
        f"enrolled in a session of it before 2027-01-10"]


def test_an_assignment_to_all_names_everyone_who_lacks_it(branch_off):
    line = "  - {person: all, course: secure-coding}\n"
    assert change(branch_off, {ASSIGN: text(ASSIGN) + line}) == [
        f"{ASSIGN}:4:27: bob, carol and dave have not completed security-intro, a prerequisite of secure-coding, "
        f"and are not enrolled in it"]


def test_a_completion_or_a_request_of_the_prerequisite_meets_it(branch_off):
    done = {RECORDS: "person: dave\nrecords:\n  - {course: security-intro, date: 2026-12-01, by: dave}\n"}
    git(branch_off, "checkout", "-q", "main")
    change(branch_off, done)
    git(branch_off, "add", "-A")
    git(branch_off, "commit", "-qm", "dave did the intro")
    git(branch_off, "checkout", "-q", "-b", "again")
    assert change(branch_off, {REQUEST: "person: dave\ncourse: secure-coding\ndate: 2026-12-05\n"}, ) == []
    git(branch_off, "checkout", "-q", "-f", "change")
    intro = "teams/platform/requests/dave/2026-12-security-intro.yaml"
    assert change(branch_off, {intro: "person: dave\ncourse: security-intro\ndate: 2026-12-05\n",
                           REQUEST: "person: dave\ncourse: secure-coding\ndate: 2026-12-05\n"}) == []


def test_merged_data_is_not_judged_again(branch_off):
    assert rules(branch_off) == []  # the rule assigning secure-coding without its prerequisite was merged already


def test_a_record_added_without_a_score_for_a_course_with_a_pass_mark_is_an_error(make_org):
    course = "catalog/security-intro.yaml"
    root = make_org({course: text(course) + "pass_mark: 70\n"}, name="scored")
    git(root, "checkout", "-q", "-b", "change")
    record = "person: dave\nrecords:\n  - {course: security-intro, date: 2026-12-01, by: dave}\n"
    assert change(root, {RECORDS: record}) == [
        f"{RECORDS}:3:14: needs a score: 'security-intro' has a pass mark of 70"]
    assert change(root, {RECORDS: record.replace("by: dave}", "by: dave, score: 40}")}) == []
    assert rules(root, today=date(2026, 12, 7)) == []
