"""Pausing Python's cyclic garbage collector while an organisation is built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading makes millions of long-lived objects and no cycles; the collector would walk them
    over and over (two thirds of a warm `check` at size M), so it rests until the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was built stays for the rest of the run: freezing it spares every later collection the walk.
        gc.freeze()
        if was_enabled:
            gc.enable()
