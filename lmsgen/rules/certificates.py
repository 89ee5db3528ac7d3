"""Certificates: the latest completion of each course that expires, per person, and its state on a date.

The site's portals and certification report and the reminders both read them, so they are computed
once, here: a certificate is ``expired`` from its expiry day on (as for the status, docs/status.md's
"passed" is ``as_of >= date``), ``expiring`` within the org's `expiring_within_days` window, else
``valid``. A leaver holds no certificate: only people still here on the date are counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from .engine import CompletionEvent


@dataclass(frozen=True)
class Certificate:
    """The latest completion of a course that expires, and its state on the as-of date."""

    person: str
    course: str
    completed_on: date
    expires_on: date
    state: str
    """``valid``, ``expiring`` or ``expired``."""


def certificates(completions: Mapping[str, list[CompletionEvent]], present: Collection[str], as_of: date,
                 window: int) -> dict[str, list[Certificate]]:
    """Per person in `present`, the certificate of each course whose latest completion expires, soonest first.

    `completions` are every person's completions on or before `as_of`, oldest first (`Engine.completions`);
    `window` is the org's `expiring_within_days`.
    """
    latest: dict[tuple[str, str], CompletionEvent] = {}
    for person, events in completions.items():
        if person not in present:
            continue
        for event in events:
            if event.expires_on is not None:
                latest[(person, event.course)] = event  # events are oldest first
    found: dict[str, list[Certificate]] = defaultdict(list)
    for (person, course), event in latest.items():
        assert event.expires_on is not None
        if event.expires_on <= as_of:
            state = "expired"
        elif (event.expires_on - as_of).days <= window:
            state = "expiring"
        else:
            state = "valid"
        found[person].append(Certificate(person, course, event.on, event.expires_on, state))
    for held in found.values():
        held.sort(key=lambda c: (c.expires_on, c.course))
    return dict(found)
