"""Who added each record and imported completion, as the site shows it: the audit trail's credits (`audit`), kept
compact, remembered in the git folder under the commit they are of, and extended with only the new commits.

The site needs, for each record (a records file's path and the record's index in it) and each imported completion
(a batch's path and index), the commit that added it and the merge that brought it in. `audit.audit_all` walks
the whole history for that; here its result is kept as a table of commits and, per file, the blob it is at and
one small number per item, so that a build holds a few bytes per record rather than the records again.

**Cached, never stale.** The credits of commit C are kept in the git folder's cache (`cache.store`: where no
pull request can write, verified before use), under C's id and lmsgen's code digest. The next build at C reads
them; at a later commit N, when C is on N's first-parent line, only `git log C..N` is walked (one pass): the
credits of the people those commits touched are taken back from the kept ones (a file's items, each with its
credit, in the order the trail assigns them) and carried through the new commits as the full walk would carry
them; everyone else's are kept as they are. When C is not on N's first-parent line (a rewritten or other
branch), the whole history is walked again.
"""

from __future__ import annotations

import sys
from array import array
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache.digests import code_digest
from ..cache.store import Store, cache_home
from ..errors import GitError
from .audit import Commit, _Credit, _kind, _person, _Trail, pathspecs, tip_order
from .repository import LogCommit, Repository

_FOLLOWED = ("record", "import")
"""The kinds of files whose items the site shows a credit for: records files and batches of imported completions."""
_NONE = -1
"""An item with no credit: an imported entry that names nobody."""
_KEY = "record-credits"


@dataclass(frozen=True, slots=True)
class Credit:
    """The commit that added a record or imported completion, and the merge that brought it in (as `AuditEntry`)."""

    commit: Commit
    merge: Commit | None


class RecordCredits:
    """(path, index) of each record and imported completion to its `Credit`, compact: see the module docstring."""

    def __init__(self, commits: list[Commit], pairs: list[tuple[int, int]], files: dict[str, array]):
        made = [Credit(commits[author], commits[merge] if merge != _NONE else None) for author, merge in pairs]
        self._files = {path: [made[number] if number != _NONE else None for number in numbers]
                       for path, numbers in files.items()}
        """Per file, each item's credit: shared by the items a commit added, a pointer each."""

    def get(self, key: tuple[str, int], default: Credit | None = None) -> Credit | None:
        """The credit of the item at (path, index), or `default`."""
        path, index = key
        found = self._files.get(path)
        if found is None or not 0 <= index < len(found):
            return default
        credit = found[index]
        return default if credit is None else credit

    def of_file(self, path: str) -> list[Credit | None]:
        """The credits of the items of the file at `path`, in its order (None: an item with none)."""
        return self._files.get(path, [])

    def __len__(self) -> int:
        return sum(sum(1 for credit in found if credit is not None) for found in self._files.values())


def record_credits(repo: Repository, rev: str = "HEAD", *, use_cache: bool = True) -> RecordCredits:
    """The credits of every record and imported completion in the history of `rev`: from the cache, from it and
    the commits since, or from the whole history (see the module docstring)."""
    tip = repo.commit_of(rev)
    store = _store(repo.root) if use_cache else None
    kept = _kept(store.get(_key()) if store else None)
    if kept is not None and kept.tip == tip:
        return kept.credits()
    state = None
    if kept is not None:
        try:
            if repo.first_parent_line(kept.tip, tip):
                state = _extended(repo, kept, tip)
        except GitError:  # the kept commit is gone (a rewritten history): walk it all
            state = None
    if state is None:
        state = _walked(repo, tip)
    if store is not None:
        store.put(_key(), state.plain())
        store.save()
    return state.credits()


# --- the state kept ---------------------------------------------------------------------------------


@dataclass
class _State:
    """The credits at commit `tip`: the commits named, the (author, merge) pairs, and per file followed its blob,
    each item's pair number in file order and, for a batch, each item's person."""

    tip: str
    commits: list[tuple[str, str, str, str]]
    pairs: list[tuple[int, int]]
    files: dict[str, tuple[str, array, tuple[str | None, ...] | None]]

    def plain(self) -> tuple[Any, ...]:
        return (self.tip, self.commits, self.pairs,
                {path: (blob, numbers.tobytes(), owners) for path, (blob, numbers, owners) in self.files.items()})

    def credits(self) -> RecordCredits:
        commits = [Commit(*fields) for fields in self.commits]
        return RecordCredits(commits, self.pairs, {path: numbers for path, (_, numbers, _) in self.files.items()})


def _key() -> str:
    return f"{_KEY}\0{code_digest()}"


def _store(root: Path) -> Store | None:
    home = cache_home(root)
    if home is None:
        return None
    name = f"credits-v1-py{sys.version_info.major}{sys.version_info.minor}.marshal"
    return Store(home[0] / home[1] / name, within=home[0])


def _kept(found: Any) -> _State | None:
    """The state kept in the cache, or None when there is none or it is not of the shape this code writes."""
    try:
        tip, commits, pairs, files = found
        state = _State(tip, [tuple(c) for c in commits], [tuple(p) for p in pairs], {})
        for path, (blob, raw, owners) in files.items():
            numbers = array("i")
            numbers.frombytes(raw)
            if not (isinstance(path, str) and isinstance(blob, str) and (owners is None or (
                    type(owners) is tuple and all(owner is None or isinstance(owner, str) for owner in owners)))):
                return None
            state.files[path] = (blob, numbers, owners)
        if not (isinstance(tip, str) and all(len(c) == 4 and all(isinstance(x, str) for x in c) for c in commits)
                and all(len(p) == 2 and 0 <= p[0] < len(commits) and -1 <= p[1] < len(commits) for p in pairs)
                and all(n == _NONE or 0 <= n < len(pairs) for _, numbers, _ in state.files.values()
                        for n in numbers)):
            return None
        return state
    except (TypeError, ValueError, AttributeError):
        return None


# --- walking ----------------------------------------------------------------------------------------


class _Numbering:
    """Numbers for commits and (author, merge) pairs, as the state keeps them."""

    def __init__(self, state: _State | None = None):
        self.commits = list(state.commits) if state else []
        self.pairs = list(state.pairs) if state else []
        self._commit = {fields[0]: number for number, fields in enumerate(self.commits)}
        self._pair = {pair: number for number, pair in enumerate(self.pairs)}
        self._by_shas: dict[tuple[str, str], int] = {}

    def commit(self, commit: LogCommit) -> int:
        number = self._commit.get(commit.sha)
        if number is None:
            number = self._commit[commit.sha] = len(self.commits)
            self.commits.append((commit.sha, commit.author, commit.email, commit.date))
        return number

    def pair(self, credit: _Credit) -> int:
        author, merge = credit
        shas = (author.sha, merge.sha if merge is not None else "")
        number = self._by_shas.get(shas)
        if number is None:
            pair = (self.commit(author), self.commit(merge) if merge is not None else _NONE)
            number = self._pair.get(pair)
            if number is None:
                number = self._pair[pair] = len(self.pairs)
                self.pairs.append(pair)
            self._by_shas[shas] = number
        return number


def _walked(repo: Repository, tip: str) -> _State:
    """The credits at `tip` from the whole history."""
    trail = _Trail(repo, repo.log(tip, pathspecs()))
    files: dict[str, str] = {}
    credits: dict[tuple[str, Any], list[_Credit]] = defaultdict(list)
    trail.walk(files, credits)
    numbering = _Numbering()
    state = _State(tip, [], [], {})
    _assign(trail, numbering, state, files, [p for p in files if _kind(p) in _FOLLOWED], credits, None)
    state.commits, state.pairs = numbering.commits, numbering.pairs
    return state


def _extended(repo: Repository, kept: _State, tip: str) -> _State:
    """The credits at `tip` from those kept at an earlier commit on its first-parent line and the commits since."""
    trail = _Trail(repo, repo.log(tip, pathspecs(), since=kept.tip))
    line = trail.mainline()
    touched: set[str] = set()
    for commit in line:
        touched.update(trail.diff(commit))
    touched.discard("")
    # The kept items of the people touched, with their credits, in the order the trail assigns them.
    def holds_touched(path: str) -> bool:
        person = _person(path)
        owners = kept.files[path][2]
        return person in touched if owners is None else not touched.isdisjoint(owners)

    before = [path for path in tip_order(kept.files) if holds_touched(path)]
    trail.read_ahead((path, kept.files[path][0]) for path in before)
    credits: dict[tuple[str, Any], list[_Credit]] = defaultdict(list)
    by_number = {number: commit for number, commit in enumerate(kept.commits)}
    logged = {fields[0]: _logged(fields) for fields in by_number.values()}
    for path in before:
        blob, numbers, _ = kept.files[path]
        for index, (person, key, _) in enumerate(trail.owned_items(path, blob)):
            if person in touched and index < len(numbers) and numbers[index] != _NONE:
                author, merge = kept.pairs[numbers[index]]
                credits[(person, key)].append((logged[kept.commits[author][0]],
                                               logged[kept.commits[merge][0]] if merge != _NONE else None))
    files = {path: blob for path, (blob, _, _) in kept.files.items()}
    trail.walk(files, credits)
    numbering = _Numbering(kept)
    state = _State(tip, [], [], {})
    changed = []
    for path, blob in files.items():
        if _kind(path) not in _FOLLOWED:
            continue
        old = kept.files.get(path)
        if old is not None and old[0] == blob and not holds_touched(path):
            state.files[path] = old
        else:
            changed.append(path)
    _assign(trail, numbering, state, files, changed, credits, touched, kept)
    state.commits, state.pairs = numbering.commits, numbering.pairs
    return state


def _assign(trail: _Trail, numbering: _Numbering, state: _State, files: dict[str, str], paths: list[str],
            credits: dict[tuple[str, Any], list[_Credit]], touched: set[str] | None,
            kept: _State | None = None) -> None:
    """Gives the items of `paths` at the tip their credits: `touched` people's (everyone's, when None) from
    `credits`, in the order the trail assigns them, and the others' kept as they were (their file is unchanged)."""
    ordered = tip_order(paths)
    trail.read_ahead((path, files[path]) for path in ordered)
    for path in ordered:
        owned = trail.owned_items(path, files[path])
        old = kept.files.get(path) if kept is not None else None
        numbers = array("i", [_NONE] * len(owned))
        if old is not None and touched is not None:
            for index, (person, _, _) in enumerate(owned):
                if person is not None and person not in touched and index < len(old[1]):
                    numbers[index] = old[1][index]
        batch = _person(path) is None
        state.files[path] = (files[path], numbers, tuple(person for person, _, _ in owned) if batch else None)
    found = trail.assigned(ordered, files, credits, touched)
    for path, _, index, _, _, credit in found:
        state.files[path][1][index] = numbering.pair(credit)


def _logged(fields: tuple[str, str, str, str]) -> LogCommit:
    """A kept commit as the trail names its credits."""
    return LogCommit(fields[0], (), fields[1], fields[2], fields[3], ())
