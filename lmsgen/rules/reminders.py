"""Who is reminded of what on a date: a pure function of the organisation and the day, so nothing is remembered.

`lmsgen remind` runs once a day (a scheduled CI job); whatever it sends is decided here from the data and
the as-of date alone, so a run that is repeated on the same day selects the same digests, and a day that
is skipped is not made up for. The days come from org.yaml's `reminders` (docs/reminders.md):

Each person, one digest a day when something is in it
    - a course that is ``overdue``, on its due date plus every `overdue_every_days` (7, 14, ... days after);
    - a course due (or due again, for a course that recurs) exactly `before_days` days from today (14 and 3
      days before, by default), whatever its status, unless they are exempt or enrolled;
    - a certificate (:mod:`.certificates`) that expires exactly `before_days` days from today: the same
      windows, on the expiry date (0 in `before_days` would also say so on the day it expires). A course
      reminded of as due is not repeated as a certificate.

Each manager, on the `manager_digest` weekday
    the overdue courses and the expiring certificates of everyone in the subtrees of the teams they manage
    (themselves excepted: their own come in their own digest).

HR, on the same weekday
    every holder of a role granting ``reports.certifications`` gets the certification report's expiring and
    expired certificates: of the whole organisation for an unscoped role, of the role's `scope` subtrees
    otherwise.

Leavers (`Person.is_current`) get nothing and are in nobody's digest. An empty digest is not sent.
Reaching the recipient (an e-mail address) is the delivery's business (lmsgen.integrations.mail).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import Enum

from ..model import formats as m
from ..model.organisation import Organisation
from .certificates import Certificate, certificates
from .engine import Engine, Status, StatusRow


class Kind(str, Enum):
    """What one line of a digest says, the most urgent first."""

    OVERDUE = "overdue"
    DUE = "due"
    EXPIRING = "expiring"
    EXPIRED = "expired"


class Audience(str, Enum):
    """Whom a digest is for."""

    PERSON = "person"
    MANAGER = "manager"
    HR = "hr"


@dataclass(frozen=True)
class Item:
    """One line of a digest: a person's course and the date it concerns (a due date or an expiry date)."""

    kind: Kind
    person: str
    course: str
    on: date

    def sort_key(self) -> tuple[int, date, str, str]:
        return (list(Kind).index(self.kind), self.on, self.person, self.course)


@dataclass(frozen=True)
class Digest:
    """One message: its audience, its recipient (a person id) and its lines, the most urgent first."""

    audience: Audience
    recipient: str
    items: tuple[Item, ...]
    teams: tuple[str, ...] = ()
    """For a manager, the teams they manage; for HR, the role scopes (empty: the whole organisation)."""

    @property
    def name(self) -> str:
        """What tells this digest apart from the others of the day: `<audience>-<recipient>`."""
        return f"{self.audience.value}-{self.recipient}"


_REMINDED = (Status.DUE, Status.OVERDUE, Status.EXPIRING, Status.DONE)
"""The statuses whose due date a person is reminded of (exempt and enrolled people are not)."""


def settings_of(org: Organisation) -> m.ReminderSettings:
    return org.org.model.reminders if org.org else m.ReminderSettings()


def reminders(org: Organisation, as_of: date) -> list[Digest]:
    """Every digest due on `as_of`: people's (by recipient), then managers', then HR's."""
    settings = settings_of(org)
    engine = Engine(org, as_of)
    present = engine.audiences.people
    rows = [row for row in engine.rows() if row.person in present]
    held = certificates(engine.completions(), present, as_of, engine.window)
    digests = _people(rows, held, as_of, settings)
    if as_of.weekday() == settings.manager_digest.number:
        digests += _managers(org, engine, rows, held)
        digests += _hr(org, engine, held)
    return digests


def _people(rows: list[StatusRow], held: dict[str, list[Certificate]], as_of: date,
            settings: m.ReminderSettings) -> list[Digest]:
    before = set(settings.before_days)
    found: dict[str, dict[str, Item]] = defaultdict(dict)
    for row in rows:
        if row.due is None or row.status not in _REMINDED:
            continue
        if row.status is Status.OVERDUE:
            if (as_of - row.due).days % settings.overdue_every_days == 0:
                found[row.person][row.course] = Item(Kind.OVERDUE, row.person, row.course, row.due)
        elif (row.due - as_of).days in before:
            found[row.person][row.course] = Item(Kind.DUE, row.person, row.course, row.due)
    for person, certs in held.items():
        for cert in certs:
            if (cert.expires_on - as_of).days in before and cert.course not in found[person]:
                found[person][cert.course] = Item(Kind.EXPIRING, person, cert.course, cert.expires_on)
    return [Digest(Audience.PERSON, person, _sorted(items.values())) for person, items in sorted(found.items())
            if items]


def _managers(org: Organisation, engine: Engine, rows: list[StatusRow],
              held: dict[str, list[Certificate]]) -> list[Digest]:
    managed: dict[str, list[str]] = defaultdict(list)
    for team_id, entry in org.teams.items():
        if entry.model.manager in engine.audiences.people:
            managed[entry.model.manager].append(team_id)
    overdue: dict[str, list[Item]] = defaultdict(list)
    for row in rows:
        if row.status is Status.OVERDUE and row.due is not None:
            overdue[row.person].append(Item(Kind.OVERDUE, row.person, row.course, row.due))
    digests = []
    for manager, teams in sorted(managed.items()):
        people = set().union(*(engine.audiences.people_in_subtree(team) for team in teams)) - {manager}
        items = [item for person in people for item in overdue.get(person, ())]
        items += [Item(Kind.EXPIRING, c.person, c.course, c.expires_on) for person in people
                  for c in held.get(person, ()) if c.state == "expiring"]
        if items:
            digests.append(Digest(Audience.MANAGER, manager, _sorted(items), tuple(sorted(teams))))
    return digests


def _hr(org: Organisation, engine: Engine, held: dict[str, list[Certificate]]) -> list[Digest]:
    whole: set[str] = set()  # holders of an unscoped role: the whole organisation
    scoped: dict[str, set[str]] = defaultdict(set)
    for entry in org.roles.values():
        role = entry.model
        if m.Permission.REPORTS_CERTIFICATIONS in role.grants:
            for holder in role.holders:
                if holder in engine.audiences.people and role.scope:
                    scoped[holder].update(role.scope)
                elif holder in engine.audiences.people:
                    whole.add(holder)
    scopes = {**scoped, **{holder: set() for holder in whole}}
    digests = []
    for holder, scope in sorted(scopes.items()):
        people = (engine.audiences.people if not scope else
                  set().union(*(engine.audiences.people_in_subtree(team) for team in scope if team in org.teams)))
        items = [Item(Kind.EXPIRED if c.state == "expired" else Kind.EXPIRING, c.person, c.course, c.expires_on)
                 for person in people for c in held.get(person, ()) if c.state != "valid"]
        if items:
            digests.append(Digest(Audience.HR, holder, _sorted(items), tuple(sorted(scope or ()))))
    return digests


def _sorted(items) -> tuple[Item, ...]:
    return tuple(sorted(items, key=Item.sort_key))
