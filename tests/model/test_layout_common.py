"""`classify` answers for the common kinds (records, requests, courses) at once: as its loop over every kind would."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.model import layout


def slow(path: str):
    saved, layout._COMMON = layout._COMMON, {}
    try:
        return layout.classify(path)
    finally:
        layout._COMMON = saved


@pytest.mark.parametrize("path", [
    "teams/t1/records/ann.yaml", "teams/t1/requests/ann/r1.yaml", "catalog/c-1.yaml", "teams/t1/records/ann.admin.yaml",
    "teams/t1/requests/ann/r1.withdraw.yaml", "teams/t1/requests/ann/r1.manager.yaml", "teams/T1/records/ann.yaml",
    "teams/t1/records/-ann.yaml", "teams/t1/records/" + "a" * 101 + ".yaml", "teams/t1/records/" + "a" * 100 + ".yaml",
    "catalog/X.yaml", "catalog/a.yml", "teams/t1/team.yaml", "teams/t1/requests/ann/x/r1.yaml",
    "teams/t1/records/ann.yaml\n", "teams/records", "teams/t1/records", "catalog", "catalog/sub/c.yaml",
    "teams/t1/requests/ann/r1.admin.yaml", "teams/t1/records/README.md"])
def test_the_common_kinds_are_classified_as_the_loop_does(path):
    assert layout.classify(path) == slow(path)


_PART = st.sampled_from(["teams", "catalog", "records", "requests", "t1", "ann", "r1", "X", "-a", "a.b", "", "a" * 101])
_END = st.sampled_from([".yaml", ".admin.yaml", ".withdraw.yaml", ".manager.yaml", ".yml", "", ".yaml\n"])


@given(st.lists(_PART, min_size=1, max_size=5), _END)
def test_any_path_is_classified_as_the_loop_does(parts, end):
    path = "/".join(parts) + end
    assert layout.classify(path) == slow(path)


@given(st.lists(_PART, min_size=1, max_size=5), _END)
def test_a_path_the_loader_takes_for_records_is_a_records_file_as_classify_says(parts, end):
    """The loader classifies a path matching `RECORDS_PATH` as records without asking `classify`
    (model/loading.py): `classify` must say the same of it."""
    path = "/".join(parts) + end
    match = layout.RECORDS_PATH.fullmatch(path)
    if match is not None:
        assert layout.classify(path) == (layout.KINDS_BY_NAME["records"], match.groupdict(), None)
