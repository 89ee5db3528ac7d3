"""What a change adds, judged by the organisation at its base and by the day it is checked: each attack as a
branch off main, checked as `check --base main` checks it, with the legitimate change beside it."""

import textwrap
from datetime import date

from conftest import DESIGN_ORG, commit_all, git, write_codeowners, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pull_requests import TODAY, branch, rules  # noqa: F401 (branch is a fixture)

RECORDS = "teams/platform/records/carol.yaml"
TEAM = "teams/platform/team.yaml"
K8S_ADMIN = "catalog/k8s-admin.yaml"
ATTENDANCE = "attendance/k8s-admin/2026-12-berlin.yaml"
REQUEST = "teams/platform/requests/dave/2026-12-k8s-admin.yaml"
REQUEST_TEXT = "person: dave\ncourse: k8s-admin\nsession: 2026-12-berlin\ndate: 2026-12-01\n"
COST_SLIP = {REQUEST.replace(".yaml", ".cost.yaml"):
             "request: 2026-12-k8s-admin\namount: {amount: 1200, currency: EUR}\n"}
OJT_BY_DAVE = "  - {course: k8s-ojt, date: 2026-06-02, by: dave, checklist: [true, true]}\n"
ZOE = "  - {id: zoe, name: Zoe Park, email: zoe@acme.example, git: zoep, profile: engineer, location: berlin}\n"
SESSION_ENDED = date(2026, 12, 4)
"""The day 2026-12-berlin of k8s-admin ends (catalog/k8s-admin.yaml:7:56)."""


def text(path):
    """A file of the sample organisation (conftest.py) as make_org writes it."""
    return textwrap.dedent(DESIGN_ORG[path]).lstrip("\n")


def change(root, files, today=TODAY):
    """Writes `files` on the branch, regenerates CODEOWNERS as a careful attacker would, and applies the rules."""
    write_files(root, files)
    write_codeowners(root)
    return rules(root, today=today)


def recorder_rule(by, course, where, what, kind):
    return (f"'{by}' may not record '{course}' for 'carol' on main, where {where} may: this change {what}, so merge "
            f"the {kind} change first, then add the record")


OJT_ALLOWED = "alice (manager), erin (manager), bob (mentor)"


# --- who may record: the base's teams and catalog -----------------------------------------------


def test_making_oneself_manager_and_recording_in_the_same_change_is_an_error(branch):
    assert change(branch, {TEAM: text(TEAM).replace("manager: alice", "manager: dave"),
                           RECORDS: text(RECORDS) + OJT_BY_DAVE}) == [
        f"{RECORDS}:5:45: " + recorder_rule("dave", "k8s-ojt", OJT_ALLOWED,
                                            f"makes 'dave' a manager of 'carol' ({TEAM}:3:10)", "team")]


def test_making_oneself_mentor_and_recording_in_the_same_change_is_an_error(branch):
    assert change(branch, {TEAM: text(TEAM).replace("mentor: bob", "mentor: dave"),
                           RECORDS: text(RECORDS) + OJT_BY_DAVE}) == [
        f"{RECORDS}:5:45: " + recorder_rule("dave", "k8s-ojt", OJT_ALLOWED,
                                            f"makes 'dave' the mentor of 'carol' ({TEAM}:8:56)", "team")]


def test_making_oneself_trainer_and_recording_in_the_same_change_is_an_error(branch):
    course = "catalog/secure-coding.yaml"
    assert change(branch, {course: text(course).replace("trainers: [dana]", "trainers: [dana, dave]"),
                           RECORDS: text(RECORDS) + "  - {course: secure-coding, date: 2026-06-02, by: dave}\n"}) == [
        f"{RECORDS}:5:51: " + recorder_rule(
            "dave", "secure-coding", "carol (self), alice (manager), erin (manager), bob (mentor), dana (trainer)",
            f"makes 'dave' a trainer of 'secure-coding' ({course}:15:18)", "catalog")]


def test_letting_oneself_record_a_course_and_recording_it_in_the_same_change_is_an_error(branch):
    course = "catalog/k8s-ojt.yaml"
    assert change(branch, {course: text(course).replace("by: [manager, mentor]", "by: [self, manager, mentor]"),
                           RECORDS: text(RECORDS) + OJT_BY_DAVE.replace("dave", "carol")}) == [
        f"{RECORDS}:5:45: " + recorder_rule("carol", "k8s-ojt", OJT_ALLOWED,
                                            f"adds self to the course's completion.by ({course}:3:18)", "catalog")]


def test_a_recorder_the_change_adds_waits_for_the_team_change(branch):
    team = text(TEAM).replace("mentor: bob", "mentor: zoe") + ZOE
    assert change(branch, {TEAM: team, RECORDS: text(RECORDS) + OJT_BY_DAVE.replace("dave", "zoe")}) == [
        f"{RECORDS}:5:45: " + recorder_rule("zoe", "k8s-ojt", OJT_ALLOWED, f"adds 'zoe' ({TEAM}:10:5)", "team")]


def test_records_of_a_person_or_course_the_change_adds_wait_for_the_team_or_catalog_change(branch):
    assert change(branch, {TEAM: text(TEAM) + ZOE, "teams/platform/records/zoe.yaml":
                           "person: zoe\nrecords:\n  - {course: incident-response, date: 2026-06-01, by: zoe}\n"
                           "  - {course: secure-coding, date: 2026-06-01, by: zoe}\n"}) == [
        f"teams/platform/records/zoe.yaml:1:9: 'zoe' is not on main: this change adds them ({TEAM}:10:5), so merge "
        "the team change first, then add their records"]
    write_files(branch, {TEAM: text(TEAM), "teams/platform/records/zoe.yaml": None})
    assert change(branch, {"catalog/k8s-cka.yaml": "title: CKA\nformat: external\n",
                           RECORDS: text(RECORDS) + "  - {course: k8s-cka, date: 2026-06-02, by: carol}\n"}) == [
        f"{RECORDS}:5:14: course 'k8s-cka' is not on main: this change adds it (catalog/k8s-cka.yaml:1:1), so merge "
        "the catalog change first, then add records of it"]


def test_a_manager_records_their_reports_completion(branch):
    assert change(branch, {RECORDS: text(RECORDS) + OJT_BY_DAVE.replace("dave", "alice")}) == []


def test_the_team_change_alone_passes_and_the_record_passes_once_it_is_merged(branch):
    assert change(branch, {TEAM: text(TEAM).replace("mentor: bob", "mentor: dave")}) == []
    commit_all(branch, "Dave mentors Carol")
    git(branch, "checkout", "-q", "main")
    git(branch, "merge", "-q", "change")
    git(branch, "checkout", "-q", "-b", "record")
    assert change(branch, {RECORDS: text(RECORDS) + OJT_BY_DAVE}) == []


def test_the_change_must_allow_the_record_too(branch):
    """A change needs what either side needs: bob may record on main, but no longer as the change has it."""
    assert change(branch, {TEAM: text(TEAM).replace("mentor: bob", "mentor: dave"),
                           RECORDS: text(RECORDS) + OJT_BY_DAVE.replace("dave", "bob")}) == [
        f"{RECORDS}:5:45: 'bob' may not record 'k8s-ojt' for 'carol': the course allows manager, mentor "
        "(catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), dave (mentor)"]


# --- requests: the slips the base's course requires -------------------------------------------


def test_a_request_added_with_a_cheaper_course_still_needs_the_slip_the_base_requires(branch):
    free = text(K8S_ADMIN).replace("cost: {amount: 1200, currency: EUR}", "cost: {amount: 0, currency: EUR}")
    assert change(branch, {K8S_ADMIN: free, REQUEST: REQUEST_TEXT}, today=date(2026, 12, 2)) == [
        f"{REQUEST}:2:1: missing approval slip {REQUEST.replace('.yaml', '.cost.yaml')}: on main, a request costing "
        "1200 EUR needs the approval of the holders of approve.cost (catalog/k8s-admin.yaml:4:7); add the slip, or "
        "merge the catalog change first"]
    assert change(branch, COST_SLIP, today=date(2026, 12, 2)) == []


def test_external_training_stays_external_for_the_requests_a_change_adds(branch):
    course = "catalog/aws.yaml"
    git(branch, "checkout", "-q", "main")
    write_files(branch, {course: "title: AWS\nformat: external\nelective: true\n"})
    write_codeowners(branch)
    commit_all(branch, "AWS")
    git(branch, "checkout", "-q", "-b", "classroom")
    request = "teams/platform/requests/dave/2026-12-aws.yaml"
    assert change(branch, {course: "title: AWS\nformat: classroom\nelective: true\n",
                           request: "person: dave\ncourse: aws\ndate: 2026-12-01\n"}) == [
        f"{request}:2:1: missing approval slip teams/platform/requests/dave/2026-12-aws.external.yaml: on main, "
        f"external training needs the approval of the holders of approve.external ({course}:2:9); add the slip, or "
        "merge the catalog change first"]


def test_requests_for_a_person_or_course_the_change_adds_wait_for_that_change(branch):
    request = "teams/platform/requests/zoe/2026-12-k8s-admin.yaml"
    assert change(branch, {TEAM: text(TEAM) + ZOE, request: REQUEST_TEXT.replace("dave", "zoe"),
                           request.replace(".yaml", ".cost.yaml"): COST_SLIP[REQUEST.replace(".yaml", ".cost.yaml")]},
                  today=date(2026, 12, 2)) == [
        f"{request}:1:9: 'zoe' is not on main: this change adds them ({TEAM}:10:5), so merge the team change first, "
        "then add their requests"]
    write_files(branch, {TEAM: text(TEAM), request: None, request.replace(".yaml", ".cost.yaml"): None})
    request = "teams/platform/requests/dave/2026-12-cka.yaml"
    assert change(branch, {"catalog/cka.yaml": "title: CKA\nformat: webinar\nelective: true\n",
                           request: "person: dave\ncourse: cka\ndate: 2026-12-01\n"}) == [
        f"{request}:2:9: course 'cka' is not on main: this change adds it (catalog/cka.yaml:1:1), so merge the catalog "
        "change first, then request it"]


# --- dates: nothing the change adds lies after today ----------------------------------------------


def test_a_record_or_request_dated_after_today_is_an_error(branch):
    assert change(branch, {RECORDS: text(RECORDS) + "  - {course: incident-response, date: 2026-12-08, by: carol}\n",
                           REQUEST: "person: dave\ncourse: k8s-admin\ndate: 2026-12-03\n", **COST_SLIP},
                  today=date(2026, 12, 2)) == [
        f"{RECORDS}:5:39: record dated 2026-12-08, after today (2026-12-02): a completion is recorded once it has "
        "happened",
        f"{REQUEST}:3:7: request dated 2026-12-03, after today (2026-12-02): a request is dated the day it is made"]
    assert rules(branch, today=date(2026, 12, 8)) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dated=st.dates(date(2000, 1, 1), date(2100, 12, 31)), today=st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_a_record_may_be_dated_any_day_up_to_today(branch, dated, today):
    write_files(branch, {RECORDS: text(RECORDS) + f"  - {{course: incident-response, date: {dated}, by: carol}}\n"})
    assert rules(branch, today=today) == ([] if dated <= today else [
        f"{RECORDS}:5:39: record dated {dated}, after today ({today}): a completion is recorded once it has happened"])


def test_a_request_for_a_session_that_has_ended_is_an_error_from_the_day_after_its_end(branch):
    write_files(branch, {REQUEST: REQUEST_TEXT, **COST_SLIP})
    assert rules(branch, today=SESSION_ENDED) == []
    assert rules(branch, today=date(2026, 12, 5)) == [
        f"{REQUEST}:3:10: session '2026-12-berlin' of 'k8s-admin' ended on 2026-12-04 ({K8S_ADMIN}:7:56), before "
        "today (2026-12-05): request a session still to come"]


def test_attendance_of_a_session_that_has_not_ended_is_an_error_until_its_last_day(branch):
    write_files(branch, {ATTENDANCE: "attended: [carol, dave, bob]\n"})
    assert rules(branch, today=date(2026, 12, 2)) == [
        f"{ATTENDANCE}:1:25: session '2026-12-berlin' of 'k8s-admin' ends on 2026-12-04 ({K8S_ADMIN}:7:56), after "
        "today (2026-12-02): mark attendance once the session has ended"]
    assert rules(branch, today=SESSION_ENDED) == []


def test_moving_a_session_into_the_past_does_not_let_its_attendance_in(branch):
    assert change(branch, {K8S_ADMIN: text(K8S_ADMIN).replace("end: 2026-12-04T17:00", "end: 2026-12-01T17:00"),
                           ATTENDANCE: "attended: [carol, dave, bob]\n"}, today=date(2026, 12, 2)) == [
        f"{ATTENDANCE}:1:25: session '2026-12-berlin' of 'k8s-admin' ends on 2026-12-04 ({K8S_ADMIN}:7:56 on main), "
        "after today (2026-12-02): mark attendance once the session has ended"]


def test_attendance_of_a_session_the_change_adds_waits_for_the_catalog_change(branch):
    online = "  - {id: 2026-11-online, start: 2026-11-02T09:00, end: 2026-11-02T17:00}\n"
    assert change(branch, {K8S_ADMIN: text(K8S_ADMIN) + online,
                           "attendance/k8s-admin/2026-11-online.yaml": "attended: [bob]\n"}) == [
        "attendance/k8s-admin/2026-11-online.yaml:1:12: session '2026-11-online' of 'k8s-admin' is not on main: this "
        f"change adds it ({K8S_ADMIN}:8:10), so merge the catalog change first, then mark attendance of it"]


def test_merged_data_may_lie_after_today(make_org):
    """The rules for additions leave what main holds alone: it was true when it was merged. (Main's attendance
    of 2026-12-berlin is of a session that has not ended either.)"""
    root = make_org({RECORDS: text(RECORDS) + "  - {course: incident-response, date: 2026-12-08, by: carol}\n",
                     REQUEST: REQUEST_TEXT.replace("2026-12-01", "2026-12-03"), **COST_SLIP})
    git(root, "checkout", "-q", "-b", "change")
    write_files(root, {"budgets/2027.yaml": "engineering: {amount: 1, currency: EUR}\n"})
    assert rules(root, today=date(2026, 12, 2)) == []


# --- leavers: no part in what happens from the day they left ------------------------------------------------------


def test_a_leaver_records_and_requests_nothing_from_the_day_they_left(make_org):
    root = make_org({TEAM: text(TEAM).replace("git: bobl, profile: engineer, location: berlin}",
                                              "git: bobl, profile: engineer, location: berlin, left: 2026-06-02}")
                     .replace("profile: engineer, location: remote}", "profile: engineer, location: remote, "
                                                                      "left: 2026-11-30}")})
    git(root, "checkout", "-q", "-b", "change")
    by_bob = "  - {course: k8s-ojt, date: 2026-06-02, by: bob, checklist: [true, true]}\n"
    assert change(root, {RECORDS: text(RECORDS) + by_bob.replace("06-02", "06-01"),
                         REQUEST: REQUEST_TEXT, **COST_SLIP}) == [
        "teams/platform/requests/dave/2026-12-k8s-admin.yaml:1:9: 'dave' left on 2026-11-30 "
        "(teams/platform/team.yaml:9:113): someone who has left requests nothing"]
    assert change(root, {RECORDS: text(RECORDS) + by_bob, REQUEST: None, **dict.fromkeys(COST_SLIP)}) == [
        "teams/platform/records/carol.yaml:5:45: 'bob' left on 2026-06-02 (teams/platform/team.yaml:6:109): someone "
        "who has left records nothing"]
