"""Pass marks, attempts and checklists (docs/assessments.md): the judge, the engine's statuses and `explain`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.model import formats as m
from lmsgen.rules.assessments import Result, judge
from lmsgen.rules.engine import Engine, status_rows
from lmsgen.rules.explain import explain
from lmsgen.rules.prerequisites import Prerequisites, unmet_message
from lmsgen.rules.validation import validate_root
from tests.rules.test_engine import build

EXAM = {
    "roles/importer.yaml": "name: Importers\ngrants: [record.import]\nholders: [mia]\n",
    "catalog/exam.yaml": """
        title: Safety exam
        format: elearning
        pass_mark: 70
        attempts: 2
        completion: {by: [self, manager, import]}
        """,
    "catalog/forklift.yaml": """
        title: Forklift sign-off
        format: checklist
        checklist: [brakes, horn, load, reverse, parking]
        checklist_required: 4
        """,
    "assignments/safety.yaml": """
        title: Safety
        courses: [exam, forklift]
        audience: {teams: [sales]}
        due: 2026-12-01
        """,
}


def course(**fields: object) -> m.Course:
    return m.Course.model_validate({"title": "T", "format": "elearning", **fields})


def test_a_score_below_the_pass_mark_fails_and_one_at_it_passes() -> None:
    exam = course(pass_mark=70)
    assert judge(exam, 69.5).result is Result.FAILED
    assert judge(exam, 69.5).words(exam) == "failed: score 69.5, below the pass mark of 70"
    assert judge(exam, 70).result is Result.PASSED
    assert judge(exam, 70).words(exam) == "passed, score 70"
    assert judge(exam, None).counts  # merged without a score: the recorder's word
    assert judge(exam, 90, passed=False).words(exam) == "failed: the source reported it as not passed"
    assert judge(course(), 5).counts  # no pass mark: any score passes


def test_a_checklist_counts_with_every_item_or_checklist_required() -> None:
    every = course(format="checklist", checklist=["a", "b", "c"])
    assert judge(every, checklist=[True, True, False]).result is Result.PARTIAL
    assert judge(every, checklist=[True, True, False]).words(every) == "in progress: 2 of 3 items ticked, 3 needed"
    assert judge(every, checklist=[True] * 3).words(every) == "passed, 3 of 3 items ticked"
    assert judge(every, checklist=None).counts  # a sign-off of every item
    two = course(format="checklist", checklist=["a", "b", "c"], checklist_required=2)
    assert judge(two, checklist=[True, False, True]).counts
    assert judge(two, checklist=[False, False, False]).result is Result.PARTIAL


@given(st.lists(st.booleans(), min_size=1, max_size=8), st.integers(1, 8))
def test_a_checklist_passes_exactly_when_enough_items_are_ticked(items: list[bool], required: int) -> None:
    c = course(format="checklist", checklist=[f"i{n}" for n in range(len(items))],
               checklist_required=min(required, len(items)))
    assert judge(c, checklist=items).counts == (sum(items) >= min(required, len(items)))


def records(person: str, team: str, *lines: str) -> dict[str, str]:
    body = "".join(f"\n  - {{{line}}}" for line in lines)
    return {f"teams/{team}/records/{person}.yaml": f"person: {person}\nrecords:{body}\n"}


def test_failed_attempts_keep_the_course_due_until_a_pass(tmp_path: Path) -> None:
    org = build(tmp_path, {**EXAM,
                           **records("tom", "sales", "course: exam, date: 2026-10-01, by: tom, score: 5",
                                     "course: exam, date: 2026-10-05, by: tom, score: 69"),
                           **records("sue", "sales", "course: exam, date: 2026-10-01, by: sue, score: 40",
                                     "course: exam, date: 2026-10-02, by: sue, score: 85")})
    rows = {(r.person, r.course): r for r in status_rows(org, date(2026, 12, 2))}
    tom, sue = rows[("tom", "exam")], rows[("sue", "exam")]
    assert (tom.status.value, tom.completed_on, tom.failed_attempts, tom.attempts_left, tom.attempts_used_up) == \
        ("overdue", None, 2, 0, True)
    assert tom.as_json()["attempts_used_up"] is True
    assert (sue.status.value, sue.completed_on, sue.failed_attempts, sue.attempts_left, sue.attempts_used_up) == \
        ("done", date(2026, 10, 2), 0, 2, False)
    one = {(r.person, r.course): r for r in status_rows(org, date(2026, 10, 3))}[("tom", "exam")]
    assert (one.status.value, one.failed_attempts, one.attempts_left, one.attempts_used_up) == ("due", 1, 1, False)
    history = Engine(org, date(2026, 12, 2)).completions("tom", attempts=True)["tom"]
    assert [(e.on.isoformat(), e.score, e.result) for e in history] == [("2026-10-01", 5, "failed"),
                                                                         ("2026-10-05", 69, "failed")]
    assert Engine(org, date(2026, 12, 2)).completions("tom") == {}


def test_a_pass_after_the_attempts_are_used_up_still_counts(tmp_path: Path) -> None:
    org = build(tmp_path, {**EXAM, **records("tom", "sales", "course: exam, date: 2026-10-01, by: tom, score: 5",
                                             "course: exam, date: 2026-10-02, by: tom, score: 6",
                                             "course: exam, date: 2026-10-09, by: sue, score: 71")})
    row = {(r.person, r.course): r for r in status_rows(org, date(2026, 12, 2))}[("tom", "exam")]
    assert (row.status.value, row.completed_on, row.failed_attempts, row.attempts_used_up) == \
        ("done", date(2026, 10, 9), 0, False)


def test_a_partial_checklist_is_not_done_and_explain_shows_its_progress(tmp_path: Path) -> None:
    org = build(tmp_path, {**EXAM, **records(
        "tom", "sales", "course: forklift, date: 2026-10-01, by: sue, checklist: [true, true, true, false, false]"),
        **records("sue", "sales",
                  "course: forklift, date: 2026-10-01, by: sue, checklist: [true, true, true, true, false]")})
    rows = {(r.person, r.course): r.status.value for r in status_rows(org, date(2026, 11, 1))}
    assert (rows[("tom", "forklift")], rows[("sue", "forklift")]) == ("due", "done")
    why = explain(org, "tom", "forklift", date(2026, 11, 1))
    assert [(e.result, e.progress) for e in why.completions] == [("partial", "3 of 5 items")]
    assert why.counting is None


def test_imported_scores_below_the_pass_mark_are_failed_attempts(tmp_path: Path) -> None:
    org = build(tmp_path, {**EXAM, "completions/lrs/2026-10.yaml": """
        source: lrs
        records:
          - {person: tom, course: exam, date: 2026-10-01, score: 50, id: a1}
          - {person: sue, course: exam, date: 2026-10-01, score: 90, id: a2}
          - {person: sue, course: exam, date: 2026-09-01, score: 95, id: a3, passed: false}
        """})
    rows = {(r.person, r.course): r for r in status_rows(org, date(2026, 11, 1))}
    assert (rows[("tom", "exam")].status.value, rows[("tom", "exam")].failed_attempts) == ("due", 1)
    assert (rows[("sue", "exam")].status.value, rows[("sue", "exam")].failed_attempts) == ("done", 0)


def test_checklist_required_beyond_the_checklist_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "catalog").mkdir(parents=True)
    build(tmp_path, {})
    (tmp_path / "catalog/bad.yaml").write_text(
        "title: Bad\nformat: checklist\nchecklist: [a, b]\nchecklist_required: 3\n", encoding="utf-8")
    found = [str(d) for d in validate_root(tmp_path, use_cache=False).diagnostics]
    assert found == ["catalog/bad.yaml:4:21: checklist_required is 3 but the checklist has 2 items"]


PREREQUISITES = {
    "catalog/p1.yaml": """
        title: First
        format: classroom
        elective: true
        sessions:
          - {id: s1, start: 2026-12-01T09:00, end: 2026-12-01T17:00}
        """,
    "catalog/p2.yaml": "title: Second\nformat: elearning\n",
    "catalog/top.yaml": "title: Top\nformat: workshop\nprerequisites: [p1, p2]\n",
    "teams/platform/requests/ann/2026-11-p1.yaml": "person: ann\ncourse: p1\nsession: s1\ndate: 2026-11-01\n",
}


@pytest.fixture(scope="module")
def prerequisite_org(tmp_path_factory):
    return build(tmp_path_factory.mktemp("prerequisites"), PREREQUISITES)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.sampled_from(["p1", "p2"])), st.one_of(st.none(), st.dates(date(2026, 11, 1), date(2027, 1, 1))))
def test_a_prerequisite_is_met_by_a_completion_or_a_session_before_the_course(prerequisite_org, done, before):
    completed = {("ann", course): date(2026, 1, 1) for course in done}
    unmet = Prerequisites(prerequisite_org, date(2026, 11, 20), completed).unmet("ann", "top", before)
    enrolled = before is None or before > date(2026, 12, 1)
    assert unmet == [p for p in ("p1", "p2") if p not in done and not (p == "p1" and enrolled)]
    message = unmet_message(["ann"], "p2", "top", before)
    assert message.startswith("ann has not completed p2, a prerequisite of top, and is not enrolled in ")
