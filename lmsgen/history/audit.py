"""The audit trail: for each record, request and imported completion, the commit that added it and the merge that
brought it in.

Everything comes from one `git log` over the paths of records and requests (see
`Repository.log`) and the blobs it names, read through one `git cat-file --batch` process.
Each person's records and requests are a multiset of items (a record, or a request file's
content): walking the branch's first-parent line from the oldest commit, an item a commit adds
is credited to it and an item it removes takes back the latest credit, so what is left at the
tip is exactly what the files hold now, each with the commit that last added it (an edit is a
new item). When the adding commit is a merge, the item is credited to the oldest commit on the
merged side that added it, and the merge is named beside it; a merge that added it itself
(a conflict resolution) is credited alone. Fast-forwards, squashes and rebases leave ordinary
commits on the line, which are credited directly.

Identity comes from the path (`teams/<team>/records/<person>.yaml`,
`teams/<team>/requests/<person>/<request>.yaml`), so a person's files moving to a new team
keep their credits. A batch of imported completions (`completions/<source>/<batch>.yaml`) holds
many people's: each entry is an item of the person it names, read in the same pass.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from ..model import formats as m
from ..model.layout import classify
from ..model.yamlfile import YamlError, parse
from .repository import LogCommit, Repository


class _Linked(Protocol):
    """A commit as the walks know it: its id and its parents."""

    sha: str
    parents: tuple[str, ...]


_AnyCommit = TypeVar("_AnyCommit", bound=_Linked)


@dataclass(frozen=True)
class Commit:
    """Who made a commit, and when (the author date)."""

    sha: str
    author: str
    email: str
    date: str

    @classmethod
    def of(cls, commit: LogCommit) -> Commit:
        return cls(commit.sha, commit.author, commit.email, commit.date)

    def as_json(self) -> dict[str, str]:
        return {"sha": self.sha, "author": self.author, "email": self.email, "date": self.date}


@dataclass(frozen=True)
class AuditEntry:
    """One record or request as it is now, with the commit that added it."""

    person: str
    kind: str
    """``record``, ``request``, ``withdrawal`` (a request's `.withdraw.yaml`) or ``import`` (an entry of an
    imported batch)."""
    path: str
    index: int | None
    """The record's (or imported entry's) position in its file (0-based); None for a request."""
    item: dict[str, Any]
    """The record, or the request file's data, as written (dates as ISO strings)."""
    commit: Commit
    merge: Commit | None
    """The merge commit that brought `commit` to the branch, when there is one."""

    def as_json(self) -> dict[str, Any]:
        return {"person": self.person, "kind": self.kind, "path": self.path, "index": self.index,
                "item": self.item, "commit": self.commit.sha, "author": self.commit.author,
                "email": self.commit.email, "date": self.commit.date,
                "merge": self.merge.as_json() if self.merge else None}


def pathspecs(person: str | None = None) -> list[str]:
    """The git pathspecs of one person's records and requests, or of everyone's, and of every imported batch
    (which holds many people's completions)."""
    if person is not None and not m.is_slug(person):
        raise ValueError(f"'{person}' is not a person id")
    who = person or "*"
    return [f":(glob)teams/*/records/{who}.yaml", f":(glob)teams/*/requests/{who}/*.yaml",
            ":(glob)completions/*/*.yaml"]


def audit(repo: Repository, person: str, rev: str = "HEAD") -> list[AuditEntry]:
    """The audit trail of one person in the history of `rev`: records in file order, then requests."""
    return audit_all(repo, rev, person=person).get(person, [])


def audit_all(repo: Repository, rev: str = "HEAD", *, person: str | None = None) -> dict[str, list[AuditEntry]]:
    """For everyone (or one `person`) at once: each current record, request and imported completion with the
    commit that added it, from one pass over the history of `rev`."""
    found = _Trail(repo, repo.log(rev, pathspecs(person))).entries()
    return found if person is None else {who: entries for who, entries in found.items() if who == person}


_Key = Hashable
_Credit = tuple[LogCommit, LogCommit | None]


class _Trail:
    """One history walk: the commits of one `git log`, the items of each blob they name, and the credits."""

    def __init__(self, repo: Repository, commits: list[LogCommit]):
        self.repo = repo
        self.commits = commits
        self.age = {c.sha: len(commits) - i for i, c in enumerate(commits)}  # larger = newer
        self.by_sha = {c.sha: c for c in commits}
        self._items: dict[tuple[str, str], list[tuple[_Key, dict[str, Any]]]] = {}
        self._diffs: dict[str, dict[str, tuple[Counter[_Key], Counter[_Key]]]] = {}
        self._commits: dict[str, Commit] = {}
        self.read_ahead((change.path, sha) for commit in commits for change in commit.changes
                        for sha in (change.old, change.new))

    def read_ahead(self, blobs: Iterable[tuple[str, str | None]]) -> None:
        """Reads and parses the versions (path, blob id) the walk will ask for, through one `git cat-file` process:
        a call per blob would cost more than the parsing."""
        wanted: dict[str, dict[str, str]] = defaultdict(dict)
        for path, sha in blobs:
            if sha is not None and _kind(path) is not None and (_identity(path), sha) not in self._items:
                wanted[sha].setdefault(_identity(path), path)
        for sha, raw in self.repo.read_all(list(wanted)):
            for identity, path in wanted[sha].items():
                self._items[(identity, sha)] = _items(path, raw)

    def commit(self, commit: LogCommit) -> Commit:
        """The one `Commit` of a commit, shared by all the entries it added."""
        found = self._commits.get(commit.sha)
        if found is None:
            found = self._commits[commit.sha] = Commit.of(commit)
        return found

    # --- what a blob holds --------------------------------------------------------------

    def items(self, path: str, sha: str | None) -> list[tuple[_Key, dict[str, Any]]]:
        """The items of one version of a file, each with its key (equal for equal data)."""
        if sha is None:
            return []
        key = (_identity(path), sha)
        if key not in self._items:
            self._items[key] = _items(path, self.repo.read(sha))
        return self._items[key]

    def owned_items(self, path: str, sha: str | None) -> list[tuple[str | None, _Key, dict[str, Any]]]:
        """The items of one version of a file, each with the person it is about: the path's, or in a batch of
        imported completions each entry's own (None where an entry names nobody)."""
        person = _person(path)
        if person is not None:
            return [(person, key, item) for key, item in self.items(path, sha)]
        return [(item.get("person") if isinstance(item.get("person"), str) else None, key, item)
                for key, item in self.items(path, sha)]

    def diff(self, commit: LogCommit) -> dict[str, tuple[Counter[_Key], Counter[_Key]]]:
        """Per person, the items `commit` added and removed (over all their changed paths, so moves cancel)."""
        if commit.sha in self._diffs:
            return self._diffs[commit.sha]
        before: dict[str, Counter[_Key]] = defaultdict(Counter)
        after: dict[str, Counter[_Key]] = defaultdict(Counter)
        for change in commit.changes:
            if _kind(change.path) is None:
                continue
            for person, key, _ in self.owned_items(change.path, change.old):
                before[person or ""][key] += 1
            for person, key, _ in self.owned_items(change.path, change.new):
                after[person or ""][key] += 1
        found = {}
        for p in after.keys() | before.keys():  # a file added or removed whole needs no subtraction
            was, now = before.get(p), after.get(p)
            found[p] = (now, Counter()) if not was else (Counter(), was) if not now else (now - was, was - now)
        self._diffs[commit.sha] = found
        return found

    # --- crediting ----------------------------------------------------------------------

    def mainline(self) -> list[LogCommit]:
        """The first-parent line from the tip, oldest first."""
        line = []
        current = self.commits[0] if self.commits else None
        while current is not None:
            line.append(current)
            current = self.by_sha.get(current.parents[0]) if current.parents else None
        return line[::-1]

    def entries(self) -> dict[str, list[AuditEntry]]:
        credits: dict[tuple[str, _Key], list[_Credit]] = defaultdict(list)
        state: dict[str, str] = {}
        self.walk(state, credits)
        return self._current(state, credits)

    def walk(self, state: dict[str, str], credits: dict[tuple[str, _Key], list[_Credit]]) -> None:
        """Walks the first-parent line oldest first from `state` (path to blob id of the files followed) and
        `credits` (per person and item, the credits of its copies in tip order): both are updated in place."""
        line = self.mainline()
        claimed = {c.sha for c in line}
        for commit in line:
            for change in commit.changes:
                if change.new is None:
                    state.pop(change.path, None)
                elif _kind(change.path) is not None:
                    state[change.path] = change.new
            side = merged_side(commit, claimed, self.by_sha, self.age) if len(commit.parents) > 1 else []
            for person, (added, removed) in self.diff(commit).items():
                for key, count in removed.items():
                    stack = credits[(person, key)]
                    del stack[max(0, len(stack) - count):]
                for key, credit in self._credit(person, added, commit, side):
                    credits[(person, key)].append(credit)

    def _credit(self, person: str, added: Counter[_Key], commit: LogCommit,
                side: list[LogCommit]) -> list[tuple[_Key, _Credit]]:
        if not side:
            mine = (commit, None)
            return [(key, mine) for key in added.elements()]
        wanted = Counter(added)
        found: list[tuple[_Key, _Credit]] = []
        for author in side:
            theirs = self.diff(author).get(person)
            if not theirs:
                continue
            for key in theirs[0]:
                count = min(theirs[0][key], wanted[key])
                found += [(key, (author, commit))] * count
                wanted[key] -= count
        found += [(key, (commit, None)) for key in wanted.elements()]
        return found

    def _current(self, state: dict[str, str], credits: dict[tuple[str, _Key], list[_Credit]]) -> dict[str, list[AuditEntry]]:
        """The entries of what the files hold at the tip: records in file order, imported completions in batch
        order, then requests by path."""
        result: dict[str, list[AuditEntry]] = defaultdict(list)
        for path, kind, index, person, item, (author, merge) in self.assigned(tip_order(state), state, credits):
            result[person].append(AuditEntry(person, kind, path, None if kind in ("request", "withdrawal") else index,
                                             item, self.commit(author), self.commit(merge) if merge else None))
        return dict(result)

    def assigned(self, paths: Iterable[str], state: dict[str, str], credits: dict[tuple[str, _Key], list[_Credit]],
                 people: set[str] | None = None) -> Iterator[tuple[str, str, int, str, dict[str, Any], _Credit]]:
        """(path, kind, index, person, item, credit) of each item of `paths` at the tip (of `people`'s, or everyone's):
        the copies of an item take its credits in order, the order of `tip_order`."""
        taken: dict[tuple[str, _Key], int] = {}
        for path in paths:
            kind = _kind(path) or "record"
            for index, (person, key, item) in enumerate(self.owned_items(path, state[path])):
                if person is None or (people is not None and person not in people):
                    continue
                stack = credits.get((person, key))
                done = taken.get((person, key), 0)
                if not stack or done >= len(stack):  # cannot happen: the line's changes add up to the tip's files
                    continue
                taken[(person, key)] = done + 1
                yield path, kind, index, person, item, stack[done]


def tip_order(paths: Iterable[str]) -> list[str]:
    """The files followed, in the order their items are listed: records, imported completions, then requests."""
    order = {"record": 0, "import": 1, "request": 2, "withdrawal": 2}
    return sorted(paths, key=lambda p: (order[_kind(p) or "record"], p))


_KINDS = {"records": "record", "request": "request", "withdrawal": "withdrawal", "completions": "import"}
"""The file kinds the trail follows, by what their items are called."""


def _kind(path: str) -> str | None:
    """``record``, ``request`` or ``import`` for a file whose items the trail follows; None for any other."""
    return _classified(path)[0]


def _person(path: str) -> str | None:
    """The person a records or request file is about, from its path; None for any other file."""
    return _classified(path)[1]


@functools.lru_cache(maxsize=1 << 18)
def _classified(path: str) -> tuple[str | None, str | None]:
    """The kind of items a path holds and the person it is about (`_kind`, `_person`): asked once per path and version."""
    kind, ids, _ = classify(path)
    if kind is None:
        return None, None
    return _KINDS.get(kind.name), ids["person"] if kind.name in ("records", "request", "withdrawal") else None


def _identity(path: str) -> str:
    """What of a path is part of its items' identity: a request's file name (a record's is its data alone)."""
    return path.rsplit("/", 1)[1] if "/requests/" in path else ""


def merged_side(merge: _AnyCommit, claimed: set[str], by_sha: dict[str, _AnyCommit],
                age: dict[str, int]) -> list[_AnyCommit]:
    """The commits `merge` brought in that no earlier merge on the first-parent line did (`claimed`, which this
    extends), oldest first (`age`: larger is newer)."""
    found, stack = [], [p for p in merge.parents[1:] if p in by_sha]
    while stack:
        sha = stack.pop()
        if sha in claimed:
            continue
        claimed.add(sha)
        commit = by_sha[sha]
        found.append(commit)
        stack.extend(p for p in commit.parents if p in by_sha)
    return sorted(found, key=lambda c: age[c.sha])


def _items(path: str, raw: bytes) -> list[tuple[_Key, dict[str, Any]]]:
    """A records file's records (or a batch's entries), or a request file as one item; an unreadable version
    holds none."""
    try:
        data = parse(raw)
    except YamlError:
        return []
    if not isinstance(data, dict):
        return []
    if "/requests/" in path:
        return [((path.rsplit("/", 1)[1], item_key(data)), data)]
    records = data.get("records")
    return [(item_key(r), r) for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def item_key(item: Any) -> int:
    """An item's identity: a 64-bit digest of its data, equal for equal data whatever the order of keys (`_frozen`),
    so that a walk holds 8 bytes per item rather than the item. The digest is of the text of the frozen data, keyed
    by a secret of the process (and of its forks): Python's hash (SipHash), or where PYTHONHASHSEED fixes that
    hash's key, which anyone could then compute collisions for, BLAKE2b keyed by a random secret. Two items of one
    person are taken for one with a chance of about one in 10^19 per pair, and writing an item that matches
    someone else's takes about 2^64 tries. It is never kept beyond the process."""
    frozen = None
    if type(item) is dict:  # the usual record, at once: keys sorted, and no dict or list inside (it hashes)
        try:
            frozen = tuple(sorted(item.items()))
            hash(frozen)
        except TypeError:
            frozen = None
    return _digest(repr(frozen if frozen is not None else _frozen(item)))


def _keyed_digest(text: str, secret: bytes = os.urandom(16)) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8, key=secret).digest(),
                          "little", signed=True)


_digest = hash if os.environ.get("PYTHONHASHSEED", "random") in ("", "random") else _keyed_digest
"""`item_key`'s digest: Python's hash while its key is a secret of the process (see `item_key`)."""


def _frozen(data: Any) -> Hashable:
    """A hashable value equal for equal data, whatever the order of keys (the item's identity)."""
    if type(data) is dict and set(map(type, data)) == {str}:  # a record's usual shape, made faster: what the
        try:                                                    # general case makes when no value is a dict or list
            found = tuple(sorted(data.items()))
            hash(found)
            return found
        except TypeError:  # a dict or list inside
            pass
    if isinstance(data, dict):
        return tuple(sorted((str(key), _frozen(value) if isinstance(value, (dict, list)) else value)
                            for key, value in data.items()))
    if isinstance(data, list):
        return tuple(_frozen(value) if isinstance(value, (dict, list)) else value for value in data)
    return data
