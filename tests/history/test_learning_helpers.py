"""The helpers and learning depth (docs/assessments.md): `complete --checklist`, scores and prerequisites."""

import textwrap

import pytest
from conftest import DESIGN_ORG, git
from test_helpers import TODAY, shows, submit

from lmsgen.cli import main
from lmsgen.history import helpers
from lmsgen.history.helpers import InvalidChange, Refused

DAVE = "teams/platform/records/dave.yaml"


def test_complete_writes_the_items_ticked_in_the_courses_order(make_org):
    root = make_org()
    done = submit(root, lambda ws: helpers.complete(ws, "dave", "k8s-ojt", on=TODAY, by="alice",
                                                    checklist=["Rolls back a release"]))
    assert shows(root, done.branch, DAVE).splitlines()[-1] == (
        "  - {course: k8s-ojt, date: 2026-11-23, by: alice, checklist: [false, true]}"
        "  # Deploys a service, Rolls back a release")


def test_complete_refuses_an_item_the_checklist_does_not_have(make_org):
    root = make_org()
    with pytest.raises(Refused) as refused:
        submit(root, lambda ws: helpers.complete(ws, "dave", "k8s-ojt", by="alice", checklist=["Flies"]))
    assert str(refused.value) == ("'Flies' is not an item of the checklist of 'k8s-ojt': Deploys a service, "
                                  "Rolls back a release")
    with pytest.raises(Refused) as refused:
        submit(root, lambda ws: helpers.complete(ws, "dave", "incident-response", checklist=["x"]))
    assert str(refused.value) == "course 'incident-response' has no checklist: record it without --checklist"


def test_the_cli_takes_repeated_or_comma_separated_items(make_org, monkeypatch, capsys):
    root = make_org()
    monkeypatch.chdir(root)
    assert main(["complete", "dave", "k8s-ojt", "--by", "alice", "--date", "2026-11-20",
                 "--checklist", "Deploys a service,Rolls back a release"]) == 0
    branch = "lmsgen/complete-dave-k8s-ojt-2026-11-20"
    assert "checklist: [true, true]" in git(root, "show", f"{branch}:{DAVE}")


def test_request_refuses_a_course_whose_prerequisite_is_missing(make_org):
    root = make_org()
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.request(ws, "dave", "secure-coding", session="2026-12-berlin"))
    assert [str(d) for d in invalid.value.diagnostics] == [
        "teams/platform/requests/dave/2026-11-secure-coding.yaml:3:9: dave has not completed security-intro, "
        "a prerequisite of secure-coding, and is not enrolled in a session of it before 2026-12-03"]


def test_assign_refuses_a_course_whose_prerequisite_is_missing(make_org):
    root = make_org()
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.assign(ws, "platform", "dave", "secure-coding"))
    assert [str(d) for d in invalid.value.diagnostics] == [
        "assignments/teams/platform.yaml:4:28: dave has not completed security-intro, a prerequisite of "
        "secure-coding, and is not enrolled in it"]


def test_complete_needs_a_score_for_a_course_with_a_pass_mark(make_org):
    course = "catalog/incident-response.yaml"
    root = make_org({course: textwrap.dedent(DESIGN_ORG[course]).lstrip("\n") + "pass_mark: 70\n"})
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.complete(ws, "dave", "incident-response", on=TODAY))
    assert [str(d) for d in invalid.value.diagnostics] == [
        f"{DAVE}:4:14: needs a score: 'incident-response' has a pass mark of 70"]
    done = submit(root, lambda ws: helpers.complete(ws, "dave", "incident-response", on=TODAY, score=65))
    assert shows(root, done.branch, DAVE).splitlines()[-1] == \
        "  - {course: incident-response, date: 2026-11-23, by: dave, score: 65}"
