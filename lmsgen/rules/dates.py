"""The dates of the rules: when a course is due, and when a completion expires, recurs and falls due again.

Due dates
    A rule's ``due`` if given; else ``due_days`` after the later of the rule's ``from`` and the
    person's ``start_date`` (whichever of the two exists); no due date when the rule has
    neither ``due`` nor ``due_days``, or has ``due_days`` but neither date.

Expiry and recurrence
    A certificate is valid *until* its ``expires_on``: completion + ``valid_months``, calendar
    months, the day clamped to the month's end. A source's ``every_months`` makes the course
    recur that many months after the completion. The completion lapses on the earlier of the two.

Renewal never before the rule's own deadline
    When a completion has lapsed (expired or recurrence reached), the course is due again on the
    earlier of the two dates, but never earlier than the source's own due date for that person:
    someone whose old certificate lapsed before a new rule's deadline has until that deadline,
    like everyone else the rule selects. (A completion before the rule's ``from`` still counts,
    as docs/status.md says.)
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

from ..model import formats as m


@lru_cache(maxsize=1 << 16)  # millions of records at 100,000 people, on a few thousand days
def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, the day clamped to the end of the month (Jan 31 + 1 = Feb 28/29).

    Saturates at ``date.max`` instead of failing, since any date may come from user data.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_days(day: date, days: int) -> date:
    """`day` plus `days`, saturating at ``date.max``."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


def months_later(day: date, months: int | None) -> date | None:
    """`months` calendar months after `day` (see :func:`add_months`); None when there is no such period."""
    return add_months(day, months) if months else None


def rule_due(rule: m.Rule, start: date | None) -> date | None:
    """The rule's due date for a person whose ``start_date`` is `start` (see "Due dates")."""
    if rule.due is not None:
        return rule.due
    if rule.due_days is None:
        return None
    anchors = [d for d in (rule.from_, start) if d is not None]
    return add_days(max(anchors), rule.due_days) if anchors else None


def lapse(completed: date, expires: date | None, every_months: int | None,
          own_due: date | None) -> tuple[date | None, date | None]:
    """When a completion lapses, and when the course is then due again (None for both: never).

    It lapses on the earlier of its expiry, `expires`, and its recurrence, `every_months` after
    `completed`; it is due again that day, but never before the source's own due date, `own_due`.
    """
    recurs = months_later(completed, every_months)
    lapses = min(expires, recurs) if expires and recurs else expires or recurs
    return lapses, max(lapses, own_due) if lapses and own_due else lapses
