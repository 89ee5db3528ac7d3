"""One record against its course: passed, failed or partial (docs/assessments.md).

A course may set a `pass_mark` (the score scale of a record, 0 to 100), cap retries with `attempts`, and
carry a `checklist` of items of which `checklist_required` (default: every one) must be ticked. Everything
that asks whether a completion counts asks :func:`judge`: the engine (status), `lmsgen explain`, the
portal's history, the exports and the imported completion batches. The decisions:

- A score below the pass mark is a failed attempt: it is kept and shown, and counts as no completion.
- A record without a score on a course with a pass mark counts as passed: merged history holds what the
  recorder (a manager, trainer or import) attested. A record *added* without one is refused by
  `check --base` and the helpers (`missing_score`), so new records carry the score the pass mark judges.
- An imported completion with `passed: false` is a failed attempt, whatever its score.
- A checklist with fewer items ticked than required is partial: in progress, not a completion and not a
  failed attempt. A record without a checklist is the recorder's sign-off of every item.
- Failed attempts count from the last completion that counts (none: from the first); once a course's
  `attempts` are used up the manager decides. A later record that passes still counts.

May import: `lmsgen.model`. Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ..model import formats as m


class Result(str, Enum):
    PASSED = "passed"
    FAILED = "failed"
    PARTIAL = "partial"


@dataclass(frozen=True)
class Judgement:
    """What a record makes of its course."""

    result: Result
    score: float | None = None
    ticked: int | None = None
    """Checklist items ticked (None without a checklist)."""
    items: int | None = None
    required: int | None = None

    @property
    def counts(self) -> bool:
        """Whether it is a completion."""
        return self.result is Result.PASSED

    @property
    def progress(self) -> str | None:
        """`3 of 5 items` for a checklist, else None."""
        if self.ticked is None:
            return None
        return f"{self.ticked} of {self.items} item{'s' * (self.items != 1)}"

    def words(self, course: m.Course | None) -> str:
        """The judgement in a sentence, for explain and the portal."""
        if self.result is Result.FAILED:
            if self.score is not None and course is not None and course.pass_mark is not None \
                    and self.score < course.pass_mark:
                return f"failed: score {score_text(self.score)}, below the pass mark of {score_text(course.pass_mark)}"
            return "failed: the source reported it as not passed"
        if self.result is Result.PARTIAL:
            return f"in progress: {self.progress} ticked, {self.required} needed"
        parts = ["passed"]
        if self.score is not None:
            parts.append(f"score {score_text(self.score)}")
        if self.progress is not None:
            parts.append(f"{self.progress} ticked")
        return ", ".join(parts)


PASSED = Judgement(Result.PASSED)


def score_text(score: float) -> str:
    """`70` for 70.0, `72.5` for 72.5."""
    return str(int(score)) if float(score).is_integer() else repr(float(score))


def assessed(course: m.Course) -> bool:
    """Whether a record of the course can be anything but passed (a pass mark or a checklist)."""
    return course.pass_mark is not None or bool(course.checklist) or course.checklist_required is not None


def required_items(course: m.Course, given: int) -> int:
    """How many items of a checklist of `given` items must be ticked."""
    total = len(course.checklist) or given
    return min(course.checklist_required or total, total)


def judge(course: m.Course | None, score: float | None = None, checklist: Sequence[bool] | None = None,
          passed: bool = True) -> Judgement:
    """A record (its score, checklist and, for an import, the source's `passed`) against its course."""
    ticked = items = required = None
    if checklist is not None:
        ticked, items = sum(1 for item in checklist if item), len(checklist)
        required = required_items(course, items) if course is not None else items
    if not passed or (course is not None and course.pass_mark is not None and score is not None
                      and score < course.pass_mark):
        return Judgement(Result.FAILED, score, ticked, items, required)
    if ticked is not None and required is not None and ticked < required:
        return Judgement(Result.PARTIAL, score, ticked, items, required)
    if score is None and ticked is None:
        return PASSED
    return Judgement(Result.PASSED, score, ticked, items, required)


def judge_record(record: m.Record, course: m.Course | None) -> Judgement:
    return judge(course, record.score, record.checklist)


def judge_import(record: m.ImportedCompletion, course: m.Course | None) -> Judgement:
    return judge(course, record.score, None, record.passed)


def attempts_left(course: m.Course, failed: int) -> int | None:
    """Attempts the course still allows after `failed` failed ones (None: no cap)."""
    return None if course.attempts is None else max(0, course.attempts - failed)


def missing_score(course_id: str, course: m.Course) -> str | None:
    """Why a record added without a score is refused: the course has a pass mark; None when it has none."""
    if course.pass_mark is None:
        return None
    return f"needs a score: '{course_id}' has a pass mark of {score_text(course.pass_mark)}"


def course_problem(course: m.Course) -> str | None:
    """What is wrong with a course's assessment settings, or None."""
    if course.checklist_required is not None and course.checklist_required > len(course.checklist):
        have = len(course.checklist)
        return (f"checklist_required is {course.checklist_required} but the checklist has {have} "
                f"item{'s' * (have != 1)}")
    return None
