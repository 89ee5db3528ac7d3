"""What was loaded: each file's source and validated model, and the organisation they make together.

The organisation answers the questions every later stage asks of the teams: who is listed where,
the team tree, and each person's approving and alternate manager.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from ..cache.digests import blob_id
from ..gcpause import collector_paused
from . import formats as m
from .diagnostics import Diagnostic, error
from .yamlfile import Loc, Locator, Position, YamlError, decode, parse

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)  # one per file: 142,000 at 100,000 people, each without a dict
class Source:
    """One file as read: its path and text, and positions of its nodes on demand."""

    path: str
    read: Callable[[], bytes]
    blob: str | None = None
    """The git blob id of the bytes, when known."""
    _locator: Locator | None = field(default=None, repr=False)

    def locate(self, loc: Loc = (), *, key: bool = False) -> Position:
        """1-based line and column of the node at `loc` (a path of keys and indexes)."""
        if self._locator is None:
            try:
                text = decode(self.read())
            except YamlError:
                return (1, 1)
            self._locator = Locator(text)
        return self._locator.locate(loc, key=key)

    def error(self, loc: Loc, message: str, *, key: bool = False) -> Diagnostic:
        return error(self.path, self.locate(loc, key=key), message)

    def place(self, loc: Loc = ()) -> str:
        """`path:line:col` of the node at `loc`: how a message names a place other than its own."""
        line, col = self.locate(loc)
        return f"{self.path}:{line}:{col}"


class Entry(Generic[M]):
    """A validated file: its id (the file name's stem), its model, its source and the ids in its path."""

    __slots__ = ("_model", "_pending", "id", "ids", "source")

    def __init__(self, id: str, model: M, source: Source, ids: dict[str, str]):
        self.id = id
        self.source = source
        self.ids = ids
        self._model: M | None = model
        self._pending: tuple[type[M], Callable[[], Any], dict[str, Any] | None] | None = None

    @classmethod
    def deferred(cls, id: str, model_type: type[M], data: Callable[[], Any], source: Source,
                 ids: dict[str, str], context: dict[str, Any] | None = None) -> Entry[M]:
        """An entry whose bytes are known to be valid (they passed validation by this lmsgen before, with the same
        `context`): `data` gives their parsed form, validated into the model (with `context`, as when loading:
        `times.validation_context`) when the model is first used."""
        entry = cls(id, None, source, ids)  # type: ignore[arg-type]
        entry._pending = (model_type, data, context)
        return entry

    @property
    def model(self) -> M:
        """The file's validated model (for a deferred entry, validated now if this is its first use since it was
        made or `release`d)."""
        if self._model is None and self._pending is not None:
            model_type, data, context = self._pending
            with collector_paused(freeze=False):  # as when loading: many long-lived objects, no cycles
                self._model = model_type.model_validate(data(), context=context)
        return self._model  # type: ignore[return-value]

    def release(self) -> None:
        """Lets go of a deferred entry's model, and of what it was to be made from (the parse cache, which the
        deferred entries alone keep in memory once loading is done): its next use reads and parses its file again.
        A reader of every records file that keeps what it needs of them (`Engine.keep_events`) so holds one file's
        model at a time, not the million records of a large organisation at once. An entry made with its model
        keeps it."""
        if self._pending is not None:
            read = self.source.read
            self._pending = (self._pending[0], lambda: parse(read()), self._pending[2])
            self._model = None

    def __repr__(self) -> str:
        return f"Entry({self.source.path!r})"


@dataclass(frozen=True, slots=True)  # one per person, without a dict
class Member:
    """A person as listed in a team file, with where they are listed."""

    person: m.Person
    team: str
    index: int
    source: Source

    @property
    def loc(self) -> Loc:
        return ("members", self.index)


_REFERENCE_KINDS = ("org", "role", "team", "course")


@dataclass
class Organisation:
    """Everything an organisation repository holds, as validated models with their sources."""

    org: Entry[m.Org] | None = None
    courses: dict[str, Entry[m.Course]] = field(default_factory=dict)
    roles: dict[str, Entry[m.Role]] = field(default_factory=dict)
    teams: dict[str, Entry[m.Team]] = field(default_factory=dict)
    records: list[Entry[m.Records]] = field(default_factory=list)
    requests: list[Entry[m.Request]] = field(default_factory=list)
    slips: list[Entry[m.Slip]] = field(default_factory=list)
    admin_slips: list[Entry[m.AdminSlip]] = field(default_factory=list)
    withdrawals: list[Entry[m.Withdrawal]] = field(default_factory=list)
    """`<request>.withdraw.yaml` files, each beside the request it withdraws (rules/withdrawals.py)."""
    rules: dict[str, Entry[m.Rule]] = field(default_factory=dict)
    team_assignments: dict[str, Entry[m.TeamAssignments]] = field(default_factory=dict)
    attendance: list[Entry[m.Attendance]] = field(default_factory=list)
    budgets: dict[str, Entry[m.Budget]] = field(default_factory=dict)
    completions: list[Entry[m.Completions]] = field(default_factory=list)
    """Batches of imported completions (`completions/<source>/<batch>.yaml`), in path order."""
    programs: dict[str, Entry[m.Program]] = field(default_factory=dict)
    """Learning paths (`programs/<program>.yaml`), assigned as `program:<id>`."""
    profiles: dict[str, Entry[m.Profile]] = field(default_factory=dict)
    """Function profiles' skill targets (`profiles/<profile>.yaml`)."""
    vendors: dict[str, Entry[m.Vendor]] = field(default_factory=dict)
    """Training vendors (`vendors/<vendor>.yaml`), by id."""
    theme: Entry[m.Theme] | None = None
    """The organisation's own look (`theme/theme.yaml`, docs/theme.md)."""
    theme_files: dict[str, Source] = field(default_factory=dict)
    """The other regular files in `theme/` by path (images, CSS, pages, templates): what theme.yaml may name."""
    broken: set[tuple[str, str]] = field(default_factory=set)
    """(kind, id) of files that exist but failed to read or validate: their own errors say why."""
    _approvers: dict[str, str | None] = field(default_factory=dict, repr=False)
    _present: dict[date, dict[str, Member]] = field(default_factory=dict, repr=False)

    @cached_property
    def members(self) -> dict[str, Member]:
        """Each person by id, where first listed (a second listing is an error reported by the checks)."""
        found: dict[str, Member] = {}
        for team_id, entry in self.teams.items():
            for index, person in enumerate(entry.model.members):
                found.setdefault(person.id, Member(person, team_id, index, entry.source))
        return found

    def present(self, on: date) -> dict[str, Member]:
        """The members who are still here on `on` (see `Person.is_current`), in the order of `members`."""
        if on not in self._present:
            self._present[on] = {person: member for person, member in self.members.items()
                                 if member.person.is_current(on)}
        return self._present[on]

    def leavers(self, on: date) -> frozenset[str]:
        """The members who have left by `on`: kept in the data, with no status, owning nothing."""
        present = self.present(on)
        return frozenset(person for person in self.members if person not in present)

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """The teams directly under each team, sorted."""
        result: dict[str, list[str]] = {team: [] for team in self.teams}
        for team_id, entry in self.teams.items():
            if entry.model.parent in result:
                result[entry.model.parent].append(team_id)
        return {team: sorted(kids) for team, kids in result.items()}

    def subtree(self, team: str) -> list[str]:
        """`team` and every team below it."""
        found, stack = [], [team]
        while stack:
            current = stack.pop()
            if current in found:  # a cycle, reported by the checks
                continue
            found.append(current)
            stack.extend(self.children.get(current, []))
        return found

    def ancestors(self, team: str) -> list[str]:
        """The teams above `team`, nearest first; stops at a cycle."""
        chain: list[str] = []
        current = self.teams[team].model.parent if team in self.teams else None
        while current in self.teams and current not in chain and current != team:
            chain.append(current)
            current = self.teams[current].model.parent
        return chain

    def approving_manager(self, person: str) -> str | None:
        """The manager of the person's team, or for that manager the first manager above who is someone else."""
        if person not in self._approvers:
            self._approvers[person] = self._find_approving_manager(person)
        return self._approvers[person]

    def _find_approving_manager(self, person: str) -> str | None:
        member = self.members.get(person)
        if member is None:
            return None
        manager = self.teams[member.team].model.manager
        if manager != person:  # most people: their own team's manager, without walking up the teams
            return manager
        for team in self.ancestors(member.team):
            manager = self.teams[team].model.manager
            if manager != person:
                return manager
        return None

    def alternate_manager(self, person: str) -> str | None:
        """The next manager up from the approving manager: the second approver and absence cover."""
        first = self.approving_manager(person)
        if first is None:
            return None
        second = self.approving_manager(first)
        return second if second not in (None, person) else None

    @cached_property
    def reference_digest(self) -> str:
        """A digest of the files every other file is checked against (org.yaml, roles, teams, the catalog, and
        which of them failed to load): what follows from them alone can be remembered under it."""
        inputs = [self.org] if self.org else []
        digest = hashlib.blake2b(digest_size=20)
        for entry in sorted([*inputs, *self.roles.values(), *self.teams.values(), *self.courses.values()],
                            key=lambda e: e.source.path):
            blob = entry.source.blob or blob_id(entry.source.read())
            digest.update(f"{entry.source.path}\0{blob}\0".encode())
        digest.update(repr(sorted(item for item in self.broken if item[0] in _REFERENCE_KINDS)).encode())
        return digest.hexdigest()

    # --- names, as pages and messages show them (an id that names nothing is shown as it is) ---

    def person_name(self, person: str) -> str:
        member = self.members.get(person)
        return member.person.name if member else person

    def team_name(self, team: str) -> str:
        entry = self.teams.get(team)
        return entry.model.name if entry else team

    def course_title(self, course: str) -> str:
        entry = self.courses.get(course)
        return entry.model.title if entry else course

    def records_of(self, person: str) -> list[m.Record]:
        return [record for entry in self.records if entry.model.person == person for record in entry.model.records]

    @property
    def currency(self) -> str:
        return self.org.model.currency if self.org else "EUR"
