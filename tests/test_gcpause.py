"""What a process that leaves at once keeps until it ends (lmsgen.gcpause)."""

from __future__ import annotations

import weakref

from lmsgen import gcpause


class _Value:
    pass


def test_nothing_is_held_unless_the_process_leaves_at_once(monkeypatch) -> None:
    monkeypatch.setattr(gcpause, "_kept", [])
    monkeypatch.setattr(gcpause, "_leaving_at_once", False)
    value = _Value()
    dropped = weakref.ref(value)
    gcpause.keep_until_exit(value)
    del value
    assert dropped() is None


def test_only_the_latest_value_is_held_and_let_go_drops_it(monkeypatch) -> None:
    monkeypatch.setattr(gcpause, "_kept", [])
    monkeypatch.setattr(gcpause, "_leaving_at_once", False)
    gcpause.leave_at_once()
    first, second = _Value(), _Value()
    first_ref, second_ref = weakref.ref(first), weakref.ref(second)
    gcpause.keep_until_exit(first)
    gcpause.keep_until_exit(second)
    del first, second
    assert first_ref() is None and second_ref() is not None
    gcpause.let_go()
    assert second_ref() is None
