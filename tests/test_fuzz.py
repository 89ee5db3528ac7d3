"""A short fuzz run of the loader and `lmsgen check` (benchmarks/fuzz.py runs the long one): random and mutated
YAML and odd paths give diagnostics, never an exception, each within seconds."""

from __future__ import annotations

import sys
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from fuzz import DEMO_PEOPLE, Change, Organisation, changes, demo_files, write_demo  # noqa: E402

pytestmark = pytest.mark.fuzz



@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> Organisation:
    pristine = tmp_path_factory.mktemp("fuzz") / "pristine"
    write_demo(pristine, DEMO_PEOPLE)
    return Organisation(pristine, pristine.parent / "work")


def test_odd_inputs_give_diagnostics_not_exceptions(organisation):
    @settings(max_examples=250, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(changes(demo_files(organisation.pristine)))
    def judged(change: Change) -> None:
        started = time.perf_counter()
        organisation.judge(change, check=zlib.crc32(change.content) % 10 == 0)
        assert time.perf_counter() - started < 5

    judged()
