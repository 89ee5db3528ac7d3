"""Pausing Python's cyclic garbage collector while an organisation is built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = True) -> Iterator[None]:
    """Loading makes millions of long-lived objects and no cycles; the collector would walk them
    over and over (two thirds of a warm `check` at size M), so it rests until the block ends.

    With `freeze`, what exists at the end is left out of every later collection: right after
    loading, where it spares them the walk, but not in the middle of other work, whose garbage
    would then never be collected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


_kept: list[object] = []
_leaving_at_once = False


def leave_at_once() -> None:
    """Says that this process ends once its command returns (`lmsgen.__main__`, with `os._exit`): what
    `keep_until_exit` is given is then not torn down before."""
    global _leaving_at_once
    _leaving_at_once = True


def keep_until_exit(value: object) -> None:
    """Holds `value` (a loaded organisation: a gigabyte of objects at size L) until the process ends, when it ends
    with `os._exit` (`leave_at_once`): freeing it object by object when the command drops it would cost a `check`
    at size L half a second for nothing. Only the latest value is held: the one before is let go here, as it would
    have been. Elsewhere (tests, a library caller), nothing is held."""
    _kept.clear()
    if _leaving_at_once:
        _kept.append(value)


def let_go() -> None:
    """Lets go of what `keep_until_exit` holds: before a new organisation is loaded, so that two are never held."""
    _kept.clear()
