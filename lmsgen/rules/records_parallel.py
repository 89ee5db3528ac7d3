"""The findings of many records files at once, by several processes: a cold `check` at size L finds those of
100,000 files after everything is loaded, on one core of several, while the others wait.

The processes are forked from the one that loaded the organisation, so they read it (and the memo's summaries)
as it is, without it being handed over; each answers for a share of the files with plain data (findings, their
witness and children, see `Memo.computed`), which the caller remembers. A process that dies leaves its files to
be found here, one after another: the answer is the same, only later.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

PARALLEL_FILES = 20_000
"""Below this many files to find, starting processes costs more than it saves."""

_compute: Callable[[int], Any] | None = None
"""What the forked processes run for each index (set just before they are forked)."""


def computed(indexes: list[int], compute: Callable[[int], Any]) -> list[Any]:
    """`compute(index)` for each of `indexes`, in order: here when they are few, else in forked processes."""
    workers = os.cpu_count() or 1
    if len(indexes) < PARALLEL_FILES or workers < 2:
        return [compute(index) for index in indexes]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _compute
    size = -(-len(indexes) // (workers * 4))  # a few shares a process, so that one slower process holds no one up
    shares = [indexes[start:start + size] for start in range(0, len(indexes), size)]
    answers: list[list[Any] | None] = [None] * len(shares)
    _compute = compute
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_share, share) for share in shares]
            for number, future in enumerate(futures):
                try:
                    answers[number] = future.result()
                except BrokenProcessPool:
                    pass
    except (BrokenProcessPool, OSError):  # no process could be started: all is found here
        pass
    finally:
        _compute = None
    found: list[Any] = []
    for share, answer in zip(shares, answers):
        found += answer if answer is not None else [compute(index) for index in share]
    return found


def _share(indexes: list[int]) -> list[Any]:
    assert _compute is not None
    return [_compute(index) for index in indexes]
