"""The processors lmsgen may keep busy: the machine's, the affinity's, and a container's CPU quota (lmsgen/cores.py)."""

from __future__ import annotations

import os

import pytest

from lmsgen import cores


@pytest.fixture
def eight_cores(monkeypatch):
    """A machine of 8 processors, of which the process may use all."""
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)


@pytest.mark.parametrize(("files", "expected"), [
    ({}, 8),  # no cgroup mounted: not a container
    ({"cpu.max": "max 100000\n"}, 8),  # version 2, no quota
    ({"cpu.max": "200000 100000\n"}, 2),  # docker run --cpus 2
    ({"cpu.max": "150000 100000\n"}, 2),  # 1.5 CPUs keep 2 busy part of the time
    ({"cpu.max": "50000 100000\n"}, 1),
    ({"cpu.max": "3200000 100000\n"}, 8),  # a quota above the machine's count
    ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, 8),  # version 1, no quota
    ({"cpu/cpu.cfs_quota_us": "400000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 4),
    ({"cpu.max": "garbage\n"}, 8),
    ({"cpu.max": "many 100000\n"}, 8),
])
def test_a_containers_quota_bounds_the_count(tmp_path, eight_cores, files, expected):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert cores.usable_under(tmp_path) == expected


def test_the_affinity_bounds_the_count(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert cores.usable_under(tmp_path) == 1


def test_an_unknown_count_is_one(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    assert cores.usable_under(tmp_path) == 1


def test_this_machine_has_at_least_one():
    assert 1 <= cores.usable() <= (os.cpu_count() or 1)
