"""The team dashboards written by forked processes (site/dashboards.py) are the pages one process writes."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest

from lmsgen.site import dashboards
from lmsgen.site.build import build_site

AS_OF = date(2026, 12, 1)


def pages(folder):
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")
def test_dashboards_written_by_a_pool_are_those_written_in_one_process(make_org, tmp_path, monkeypatch):
    root = make_org()
    assert build_site(root, tmp_path / "one", AS_OF).ok
    monkeypatch.setattr(dashboards, "PARALLEL_TEAMS", 1)
    monkeypatch.setattr(dashboards, "_CHUNK", 1)
    monkeypatch.setattr(dashboards.os, "cpu_count", lambda: 2)
    assert build_site(root, tmp_path / "pool", AS_OF).ok
    one, pool = pages(tmp_path / "one" / "teams"), pages(tmp_path / "pool" / "teams")
    assert len(one) > 2
    assert one == pool
