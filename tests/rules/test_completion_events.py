"""A build's one pass over the records (`Engine.keep_events`, rules/completion_events.py) gives the rows, the
completions and the events that reading the records again gives, and lets go of each records file's model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.model import formats as m
from lmsgen.model.organisation import Entry, Source
from lmsgen.rules.engine import Engine
from lmsgen.rules.validation import validate_root
from tests.rules.test_assessments import EXAM, records
from tests.rules.test_engine import build

IMPORTS = {"completions/lrs/2026-10.yaml": """
    source: lrs
    records:
      - {person: tom, course: exam, date: 2026-10-01, score: 50, id: a1}
      - {person: sue, course: exam, date: 2026-10-01, score: 90, id: a2}
      - {person: sue, course: exam, date: 2026-09-01, score: 95, id: a3, passed: false}
      - {person: tom, course: exam, date: 2027-01-09, score: 99, id: a4}
    """}

LINES = st.lists(st.tuples(st.sampled_from(["exam", "forklift"]), st.dates(date(2025, 6, 1), date(2027, 6, 1)),
                           st.one_of(st.none(), st.integers(0, 100)),
                           st.lists(st.booleans(), min_size=5, max_size=5)), min_size=1, max_size=6)


def line(course: str, day: date, score: int | None, ticks: list[bool]) -> str:
    if course == "forklift":
        return f"course: forklift, date: {day}, by: sue, checklist: [{', '.join(str(t).lower() for t in ticks)}]"
    return f"course: exam, date: {day}, by: sue" + (f", score: {score}" if score is not None else "")


def both(org, as_of: date) -> tuple[Engine, Engine]:
    kept = Engine(org, as_of)
    kept.keep_events()
    return Engine(org, as_of), kept


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tom=LINES, sue=LINES, as_of=st.dates(date(2026, 1, 1), date(2027, 3, 1)))
def test_the_kept_events_give_what_the_records_give(tmp_path_factory, tom, sue, as_of) -> None:
    root = tmp_path_factory.mktemp("events")
    org = build(root, {**EXAM, **IMPORTS,
                       **records("tom", "sales", *(line(*drawn) for drawn in tom)),
                       **records("sue", "sales", *(line(*drawn) for drawn in sue))})
    fresh, kept = both(org, as_of)
    assert kept.rows() == fresh.rows()
    for attempts in (False, True):
        assert kept.completions(attempts=attempts) == fresh.completions(attempts=attempts)
        assert list(kept.events(None, attempts=attempts)) == list(fresh.events(None, attempts=attempts))
    assert kept.completions("tom", attempts=True) == fresh.completions("tom", attempts=True)
    kept.forget_completion_dates()
    assert kept.rows() == fresh.rows()


def test_the_demo_gives_the_same_rows_and_history(tmp_path: Path) -> None:
    org = validate_root(Path(__file__).parents[2], use_cache=False).organisation
    fresh, kept = both(org, date(2026, 11, 23))
    assert kept.rows() == fresh.rows()
    assert kept.completions(attempts=True) == fresh.completions(attempts=True)


def test_a_released_entry_reads_its_file_again_and_an_entry_made_with_its_model_keeps_it() -> None:
    data = {"person": "tom", "records": [{"course": "exam", "date": "2026-10-01", "by": "tom"}]}
    recalled, read = [], []
    text = b"person: tom\nrecords:\n  - {course: exam, date: 2026-10-01, by: tom}\n"
    source = Source("teams/sales/records/tom.yaml", lambda: read.append(1) or text)
    deferred = Entry.deferred("tom", m.Records, lambda: recalled.append(1) or data, source, {"person": "tom"})
    first = deferred.model
    assert deferred.model is first and (len(recalled), len(read)) == (1, 0)
    deferred.release()
    assert deferred._model is None
    assert deferred.model == first and (len(recalled), len(read)) == (1, 1)  # from the file, not the cache
    made = Entry("tom", first, source, {"person": "tom"})
    made.release()
    assert made.model is first
