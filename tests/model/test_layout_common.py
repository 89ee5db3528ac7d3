"""`classify` answers for the common kinds (records, requests, courses) at once: as its loop over every kind would."""

from __future__ import annotations

import pytest
from hypothesis import example, given
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


_FAST_PART = st.sampled_from(["teams", "records", "requests", "team", "t1", "ann", "r1", "X", "-a", "a.b", "",
                              "a" * 101, "admin", "cost"])
_FAST_END = st.sampled_from([".yaml", ".admin.yaml", ".withdraw.yaml", ".cost.yaml", ".external.yaml", ".manager.yaml",
                             ".cost.admin.yaml", ".yml", "", ".yaml\n"])


@given(st.lists(_FAST_PART, min_size=1, max_size=5), _FAST_END)
@example(["teams", "t1", "records", "ann"], ".yaml")
@example(["teams", "t1", "requests", "ann", "r1"], ".cost.yaml")
@example(["teams", "t1", "requests", "ann", "r1"], ".external.yaml")
@example(["teams", "t1", "team"], ".yaml")
def test_a_path_the_loader_classifies_at_once_is_as_classify_says(parts, end):
    """The loader classifies a path matching one of `FAST_PATHS` without asking `classify` (model/loading.py):
    `classify`, and its loop over every kind, must say the same of it."""
    path = "/".join(parts) + end
    for pattern, kind in layout.FAST_PATHS:
        match = pattern.fullmatch(path)
        if match is not None:
            assert layout.classify(path) == slow(path) == (kind, match.groupdict(), None)
            break
