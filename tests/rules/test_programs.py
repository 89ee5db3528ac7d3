"""Learning paths (docs/learning-paths.md): the file kind's checks, the status rows, and explain."""

import json
from datetime import date

import pytest
from conftest import DESIGN_ORG, K8S_PATH
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.model import formats as m
from lmsgen.rules.engine import Engine, Status, StatusRow
from lmsgen.rules.explain_program import explain_program
from lmsgen.rules.program_status import program_rows, status_table
from lmsgen.rules.programs import progress
from lmsgen.rules.validation import validate_root

PATH = K8S_PATH
RULE = """
    title: Kubernetes path for Platform
    courses: [program:k8s-path]
    audience: {teams: [platform]}
    exclude: [{person: dave, reason: Joins the path next year}]
    from: 2026-06-01
    """
PLATFORM_LINES = DESIGN_ORG["assignments/teams/platform.yaml"] + "  - {person: dave, course: program:k8s-path, due: 2027-03-31}\n"


def messages(root):
    return [str(d) for d in validate_root(root).diagnostics]


def organisation(root):
    validated = validate_root(root)
    assert validated.ok, [str(d) for d in validated.diagnostics]
    return validated.organisation


@pytest.fixture
def org(make_org):
    return make_org({"programs/k8s-path.yaml": PATH, "assignments/k8s.yaml": RULE,
                     "assignments/teams/platform.yaml": PLATFORM_LINES})


def test_a_valid_program_passes_check(org):
    assert messages(org) == []


@pytest.mark.parametrize(("changes", "expected"), [
    pytest.param({"programs/bad.yaml": "title: Bad\nsteps:\n  - {course: nope}\n  - {any: 3, of: [k8s-admin, k8s-ojt]}\n"
                                       "  - {course: k8s-admin}\n"},
                 ["programs/bad.yaml:3:14: unknown course 'nope': there is no catalog/nope.yaml",
                  "programs/bad.yaml:4:11: any: 3 is more than the 2 courses this step lists",
                  "programs/bad.yaml:5:14: course 'k8s-admin' is already a step of this program, at "
                  "programs/bad.yaml:4:19"],
                 id="unknown course, any too large, duplicate step"),
    pytest.param({"programs/bad.yaml": "title: Bad\nsteps:\n  - {course: k8s-admin, any: 1}\n  - {of: [k8s-ojt]}\n"},
                 ["programs/bad.yaml:3:5: steps[0]: a step is either {course: X} or {any: N, of: [X, Y]}, not both",
                  "programs/bad.yaml:4:5: steps[1]: a step needs 'course', or both 'any' and 'of'"],
                 id="step forms"),
    pytest.param({"programs/bad.yaml": "title: Bad\nsteps: []\n"},
                 ["programs/bad.yaml:2:8: steps: list should have at least 1 item after validation, not 0"],
                 id="no steps"),
    pytest.param({"assignments/k8s.yaml": "title: K\ncourses: [program:nope, Program:x]\n"},
                 ["assignments/k8s.yaml:2:25: courses[1]: 'Program:x' is not a course id or program:<id>: use "
                  "lowercase letters, digits and hyphens"],
                 id="a reference that is no id"),
    pytest.param({"assignments/k8s.yaml": "title: K\ncourses: [secure-coding, program:nope]\n",
                  "assignments/teams/platform.yaml": "assignments:\n  - {person: all, course: program:gone}\n"},
                 ["assignments/k8s.yaml:2:26: unknown program 'nope': there is no programs/nope.yaml",
                  "assignments/teams/platform.yaml:2:27: unknown program 'gone': there is no programs/gone.yaml"],
                 id="unknown programs"),
])
def test_program_problems_are_reported_where_they_are(make_org, changes, expected):
    assert messages(make_org(changes)) == expected


def _programs(org_root, as_of):
    return {row.person: row for row in program_rows(Engine(organisation(org_root), as_of))}


def test_program_rows_follow_the_steps_and_the_program_deadline(org):
    rows = _programs(org, date(2026, 12, 10))
    # 180 days after the rule's `from` (2026-06-01; carol's start date is earlier): 2026-11-28
    assert rows["carol"] == StatusRow("carol", "program:k8s-path", Status.OVERDUE, date(2026, 11, 28), None, None,
                                      "k8s", "platform")
    assert rows["bob"].status is Status.OVERDUE
    # excluded by the rule, but her manager assigns it by name: the team line's due date
    assert rows["dave"] == StatusRow("dave", "program:k8s-path", Status.DUE, date(2027, 3, 31), None, None,
                                     "team:platform", "platform")
    assert set(rows) == {"alice", "bob", "carol", "dave"}
    assert _programs(org, date(2026, 11, 28))["carol"].status is Status.DUE


def test_each_course_of_a_program_is_assigned_with_the_programs_due_date(org):
    rows = {(r.person, r.course): r for r in status_table(organisation(org), date(2026, 12, 10), team="platform")}
    assert rows[("bob", "security-intro")].due == date(2026, 11, 28)
    assert rows[("bob", "security-intro")].source == "k8s"
    assert rows[("bob", "k8s-ojt")].status is Status.OVERDUE
    assert rows[("carol", "k8s-ojt")].status is Status.DONE
    assert ("carol", "program:k8s-path") in rows


def test_a_program_is_done_when_every_step_is_satisfied(make_org):
    records = DESIGN_ORG["teams/platform/records/carol.yaml"] + \
        "  - {course: security-intro, date: 2026-12-05, by: carol}\n"
    root = make_org({"programs/k8s-path.yaml": PATH, "assignments/k8s.yaml": RULE,
                     "teams/platform/records/carol.yaml": records})
    carol = _programs(root, date(2026, 12, 10))["carol"]
    assert (carol.status, carol.due, carol.completed_on) == (Status.DONE, None, date(2026, 12, 5))
    # before the record, one step of two
    progress = explain_program(Engine(organisation(root), date(2026, 12, 1)), "carol", "k8s-path").progress
    assert (progress.done, progress.total, progress.next_step.number) == (1, 2, 1)


def test_an_any_step_needs_n_of_its_courses(make_org):
    two = PATH.replace("{any: 1, of: [k8s-admin, k8s-ojt]}", "{any: 2, of: [k8s-admin, k8s-ojt, incident-response]}")
    root = make_org({"programs/k8s-path.yaml": two, "assignments/k8s.yaml": RULE})
    engine = Engine(organisation(root), date(2026, 12, 10))
    step = explain_program(engine, "carol", "k8s-path").progress.steps[1]
    assert (step.done, step.satisfied_on) == (("k8s-admin", "k8s-ojt"), date(2026, 12, 4))
    assert explain_program(engine, "bob", "k8s-path").progress.steps[1].satisfied_on is None


def test_status_prints_program_rows_in_text_and_json(org, capsys):
    assert main(["--root", str(org), "status", "--person", "carol", "--as-of", "2026-12-10"]) == 0
    out = capsys.readouterr().out
    assert "carol   program:k8s-path   overdue  2026-11-28  -           -           k8s\n" in out
    assert main(["--root", str(org), "status", "--person", "carol", "--as-of", "2026-12-10", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"person": "carol", "course": "program:k8s-path", "status": "overdue", "due": "2026-11-28",
            "completed_on": None, "expires_on": None, "source": "k8s", "team": "platform", "failed_attempts": 0,
            "attempts_left": None, "attempts_used_up": False} in rows
    assert main(["--root", str(org), "status", "--person", "carol", "--as-of", "2026-12-10", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[:3] == [
        "person,course,status,due,completed_on,expires_on,source,team",
        "carol,incident-response,due,,,,team:platform,platform",
        "carol,k8s-admin,done,,2026-12-04,,k8s,platform"]


def test_explain_a_program(org, capsys):
    assert main(["--root", str(org), "explain", "carol", "program:k8s-path", "--as-of", "2026-12-10"]) == 0
    assert capsys.readouterr().out == (
        "carol and program:k8s-path (Kubernetes path), as of 2026-12-10\n"
        "\n"
        "Status: overdue: it was due on 2026-11-28 (source: k8s)\n"
        "\n"
        "Progress: 1 of 2 steps done\n"
        "  [ ] 1. security-intro\n"
        "  [x] 2. any 1 of k8s-admin, k8s-ojt (done: k8s-admin, k8s-ojt)\n"
        "Next: step 1, security-intro\n"
        "\n"
        "Why it is on the list:\n"
        "  * rule k8s \"Kubernetes path for Platform\" (assignments/k8s.yaml)\n"
        "      in the audience: team 'platform' is 'platform'\n"
        "      due date: the learning path's 180 days after the rule's 'from' (2026-06-01): 2026-11-28\n")
    assert main(["--root", str(org), "explain", "carol", "program:k8s-pat"]) == 2
    assert capsys.readouterr().err == "lmsgen explain: unknown program 'k8s-pat' (did you mean 'k8s-path'?)\n"


def test_explain_a_course_names_the_program_that_assigns_it(org, capsys):
    assert main(["--root", str(org), "explain", "bob", "security-intro", "--as-of", "2026-12-10"]) == 0
    out = capsys.readouterr().out
    assert "  * rule k8s \"Kubernetes path for Platform\" (assignments/k8s.yaml)  <- counts\n" in out
    assert "      through the learning path program:k8s-path\n" in out
    assert "      due date: the learning path's due date 2026-11-28\n" in out


def test_diff_names_who_gains_a_program(make_org, capsys):
    from conftest import commit_all, git, write_files

    root = make_org({"programs/k8s-path.yaml": PATH})
    git(root, "checkout", "-q", "-b", "change")
    write_files(root, {"assignments/k8s.yaml": RULE})
    commit_all(root, "assign the path")
    assert main(["--root", str(root), "diff", "--base", "main", "--as-of", "2026-12-10"]) == 0
    out = capsys.readouterr().out
    assert "  carol   program:k8s-path  overdue, was due 2026-11-28  k8s" in out
    assert "  dave    program:k8s-path  exempt                       k8s" in out


def test_assign_a_program_to_a_team(org):
    from conftest import git

    from lmsgen.history import helpers
    from lmsgen.history.helpers import UnknownId, Workspace
    from lmsgen.history.repository import Repository

    with Repository(org) as repo:
        workspace = Workspace(repo, today=date(2026, 12, 1))
        done = workspace.submit(helpers.assign(workspace, "platform", "all", "program:k8s-path"))
    assert done.branch == "lmsgen/assign-platform-all-program-k8s-path"
    assert git(org, "show", f"{done.branch}:assignments/teams/platform.yaml").endswith(
        "  - {person: all, course: program:k8s-path}\n")
    with Repository(org) as repo, pytest.raises(UnknownId, match="unknown program 'k8s-pat'"):
        workspace = Workspace(repo, today=date(2026, 12, 1))
        helpers.assign(workspace, "platform", "all", "program:k8s-pat")


COURSES = ["a", "b", "c", "d", "e"]


@st.composite
def programs_and_completions(draw):
    steps = []
    pool = list(COURSES)
    while pool and (not steps or draw(st.booleans())):
        size = draw(st.integers(1, len(pool)))
        chosen, pool = pool[:size], pool[size:]
        steps.append({"course": chosen[0]} if size == 1 and draw(st.booleans())
                     else {"any": draw(st.integers(1, size)), "of": chosen})
    valid = draw(st.dictionaries(st.sampled_from(COURSES), st.dates(date(2020, 1, 1), date(2026, 12, 31))))
    return m.Program.model_validate({"title": "P", "steps": steps}), valid


@given(programs_and_completions())
def test_progress_counts_satisfied_steps_and_dates_the_last(case):
    program, valid = case
    found = progress("p", program, valid)
    for step, seen in zip(program.steps, found.steps):
        done = [course for course in step.courses if course in valid]
        assert seen.satisfied == (len(done) >= step.needs)
        if seen.satisfied:
            assert seen.satisfied_on == sorted(valid[c] for c in done)[step.needs - 1]
    assert found.done == sum(s.satisfied for s in found.steps) and found.total == len(program.steps)
    assert (found.next_step is None) == found.complete
    if found.complete:
        assert found.completed_on == max(s.satisfied_on for s in found.steps)


def test_an_any_step_once_satisfied_no_longer_assigns_the_alternatives_not_chosen(make_org):
    records = "person: bob\nrecords:\n  - {course: k8s-ojt, date: 2026-11-20, by: carol, checklist: [true, true]}\n"
    root = make_org({"programs/k8s-path.yaml": PATH, "assignments/k8s.yaml": RULE,
                     "teams/platform/records/bob.yaml": records})
    before = {(r.person, r.course): r for r in status_table(organisation(root), date(2026, 11, 19), team="platform")}
    after = {(r.person, r.course): r for r in status_table(organisation(root), date(2026, 12, 10), team="platform")}
    assert before[("bob", "k8s-admin")].source == "k8s" and before[("bob", "k8s-ojt")].source == "k8s"
    assert after[("bob", "k8s-ojt")].status is Status.DONE
    assert ("bob", "k8s-admin") not in after, "k8s-ojt chose the step: k8s-admin is no longer due"
    assert after[("bob", "security-intro")].status is Status.OVERDUE


def test_the_failed_attempts_of_people_outside_a_path_count_when_everyone_is_listed(make_org):
    course = "catalog/incident-response.yaml"
    root = make_org({"programs/k8s-path.yaml": PATH, "assignments/k8s.yaml": RULE,
                     course: DESIGN_ORG[course].rstrip() + "\n        pass_mark: 70\n        attempts: 1\n",
                     "assignments/ir.yaml": "title: Incident response\ncourses: [incident-response]\n"
                                            "audience: {people: [dana]}\n",
                     "teams/engineering/records/dana.yaml": "person: dana\nrecords:\n"
                                                           "  - {course: incident-response, date: 2026-11-20, "
                                                           "by: dana, score: 40}\n"})
    org = organisation(root)
    alone = {r.course: r for r in status_table(org, date(2026, 12, 10), person="dana")}["incident-response"]
    everyone = {(r.person, r.course): r for r in status_table(org, date(2026, 12, 10))}[("dana", "incident-response")]
    assert (alone.failed_attempts, alone.attempts_used_up) == (1, True)
    assert (everyone.failed_attempts, everyone.attempts_used_up) == (1, True)
