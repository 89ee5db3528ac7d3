"""The findings of many records files, found by forked processes, are the ones found in one process."""

from __future__ import annotations

import os

import pytest

from lmsgen.rules import records_check, records_parallel
from lmsgen.rules.validation import validate_root

CAROL = """\
person: carol
records:
  - {course: k8s-ojt, date: 2026-05-10, by: carol, checklist: [true, true]}
  - {course: k8s-ojt, date: 2026-05-11, by: alice, checklist: [true, true]}
  - {course: k8s-ojt, date: 2026-05-13, by: dave, checklist: [true]}
  - {course: nope, date: 2026-05-14, by: alice}
"""


@pytest.mark.parametrize("use_cache", [False, True])
def test_findings_from_forked_processes_are_those_found_here(make_org, monkeypatch, use_cache):
    root = make_org({"teams/platform/records/carol.yaml": CAROL,
                     "teams/platform/records/dave.yaml": "person: carol\nrecords: []\n"})
    here = [str(d) for d in validate_root(root, use_cache=False).diagnostics]
    assert any("checklist" in line for line in here) and any("'nope'" in line for line in here)
    monkeypatch.setattr(records_parallel, "PARALLEL_FILES", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    forked = [str(d) for d in validate_root(root, use_cache=use_cache).diagnostics]
    assert forked == here
    if use_cache:  # remembered from the processes' answers: found again without them
        monkeypatch.setattr(records_parallel, "_share", None)  # would fail if the processes were asked again
        assert [str(d) for d in validate_root(root).diagnostics] == here


def test_a_process_that_dies_leaves_its_files_to_be_found_here(make_org, monkeypatch):
    root = make_org({"teams/platform/records/carol.yaml": CAROL})
    here = [str(d) for d in validate_root(root, use_cache=False).diagnostics]
    monkeypatch.setattr(records_parallel, "PARALLEL_FILES", 1)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    parent, real = os.getpid(), records_check._findings

    def dying(*args):
        if os.getpid() != parent:
            os._exit(3)
        return real(*args)

    monkeypatch.setattr(records_check, "_findings", dying)
    assert [str(d) for d in validate_root(root, use_cache=False).diagnostics] == here
