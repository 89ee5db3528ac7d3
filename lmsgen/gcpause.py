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
