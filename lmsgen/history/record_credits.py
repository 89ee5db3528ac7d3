"""Who added each record and imported completion, as the site shows it: the audit trail's credits (`audit`), kept
compact, remembered in the git folder under the commit they are of, and extended with only the new commits.

The site needs, for each record (a records file's path and the record's index in it) and each imported completion
(a batch's path and index), the commit that added it and the merge that brought it in. `audit.audit_all` walks
the whole history for that; here its result is kept as a table of commits and, per file, the blob it is at and
one small number per item, so that a build holds a few bytes per record rather than the records again.

**Cached, never stale.** The credits of commit C are kept in the git folder's cache (`cache.store`: where no
pull request can write, verified before use), under C's id and the version of their format (`FORMAT`: they follow
from the history alone, so an upgrade of lmsgen keeps them unless their rules changed). The next build at C reads
them; at a later commit N, when C is on N's first-parent line, only `git log C..N` is walked (one pass): the
credits of the people those commits touched are taken back from the kept ones (a file's items, each with its
credit, in the order the trail assigns them) and carried through the new commits as the full walk would carry
them; everyone else's are kept as they are. When C is not on N's first-parent line (a rewritten or other
branch), the whole history is walked again, streamed (`credits_walk`: one `git log`, one `git cat-file`, a few
bytes per item held).
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache.store import Store, cache_home
from ..errors import GitError
from .audit import Commit, _person, tip_order
from .credits_blobs import Blobs, Helper
from .credits_walk import NONE as _NONE
from .credits_walk import Numbering, Walk, logged
from .repository import Repository

_KEY = "record-credits"
FORMAT = 2
"""The version of the credits kept in the cache, part of their key instead of lmsgen's code digest: they follow from
the history alone, so a new lmsgen reads the credits an older one kept, unless this number moved. Raise it whenever
a change could give any item another credit or changes the kept state's shape: the rules of `audit` (what an item
is: `audit._frozen`, `audit.item_key`; which paths are followed; merges and moves), the walk in
`credits_walk`, or `_State`. tests/history/test_credits_format.py fails when the credits of a fixed history change
while this number did not."""


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
    return f"{_KEY}\0v{FORMAT}"


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


# --- walking ---------------------------------------------------------------------------------------


def _walked(repo: Repository, tip: str) -> _State:
    """The credits at `tip` from the whole history, streamed (`credits_walk`)."""
    numbering = Numbering()
    walk = Walk(repo, logged(repo, tip, None), numbering, Blobs(repo))
    blobs = walk.blobs
    try:
        final: dict[str, str] = {}
        for commit in walk.line:
            for path, _, new in commit.changes:
                if new is None:
                    final.pop(path, None)
                else:
                    final[path] = new
        last_use = {sha: step for step, sha in walk.blob_order()}
        order = list(last_use)  # in the order the walk reads them (dicts keep the first insertion's place)
        if Helper.wanted(len(order)):  # the second half parsed beside, on the other core
            blobs = walk.blobs = Blobs(repo, Helper(repo, order[len(order) // 2:]))
            order = order[:len(order) // 2]
        blobs.want(order)
        files: dict[str, str] = {}
        walk.walk(files, last_use, keep=set(final.values()))
        assigned = walk.assign(tip_order(files), files, {}, None)
    finally:
        blobs.close()
    return _State(tip, numbering.commits, numbering.pairs, assigned)


def _extended(repo: Repository, kept: _State, tip: str) -> _State:
    """The credits at `tip` from those kept at an earlier commit on its first-parent line and the commits since:
    the people those commits touched are walked again from their kept credits, the others' are kept as they are."""
    numbering = Numbering(kept.commits, kept.pairs)
    blobs = Blobs(repo)
    try:
        walk = Walk(repo, logged(repo, tip, kept.tip), numbering, blobs)
        blobs.want(sha for _, sha in walk.blob_order())
        touched: set[str] = set()
        for step in range(len(walk.line)):
            touched |= walk.touched(step)

        def holds_touched(path: str, owners: tuple[str | None, ...] | None) -> bool:
            person = _person(path)
            return person in touched if person is not None else not touched.isdisjoint(owners or ())

        before = [path for path in tip_order(kept.files) if holds_touched(path, kept.files[path][2])]
        blobs.want(kept.files[path][0] for path in before)
        for path in before:  # the kept credits of the people touched, in the order the trail assigns them
            blob, numbers, _ = kept.files[path]
            walk.seed(path, blob, numbers, touched)
        files = {path: blob for path, (blob, _, _) in kept.files.items()}
        walk.walk(files)
        state = _State(tip, [], [], {})
        changed = []
        for path, blob in files.items():
            old = kept.files.get(path)
            if old is not None and old[0] == blob and not holds_touched(path, old[2]):
                state.files[path] = old
            else:
                changed.append(path)
        state.files.update(walk.assign(tip_order(changed), files, kept.files, touched))
    finally:
        blobs.close()
    state.commits, state.pairs = numbering.commits, numbering.pairs
    return state
