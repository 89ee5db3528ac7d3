"""The record credits' history walk, streamed and compact: what `audit` credits each record and imported completion
to, computed without holding the history's files.

The audit trail (`audit`) reads every version of every file it follows, keeps each parsed, and then credits the
items. At 100,000 people that held gigabytes. The credits the site shows need much less, and this walk keeps only
that, with the same rules (the module docstring of `audit`), giving the same credits:

- **One `git log`, read as it comes.** Only records files and batches of imported completions are asked about
  (requests are never credited here, and their items can never be a record's), with `-z`; each commit is parsed as
  its bytes arrive and kept as a few tuples of shared strings.
- **One `git cat-file --batch`, read as the walk goes.** Every blob the walk will ask for is known from the log, in
  the order it will be asked for; a thread feeds their ids to one process and the walk reads each when it needs it.
  A blob is parsed once, and kept only as one 64-bit digest per item (`audit.item_key`: equal for equal data, whatever
  the order of keys) and, in a batch, the person each entry names; it is let go after the last commit that names it,
  unless the tip still holds it.
- **Per person, one stack of (item digest, credit) in two arrays.** The walk's "the latest credit of an item" is
  the last entry of its digest in its person's stack; at the tip, each item takes the first unused entry of its
  digest, in the order of `audit.tip_order`.

A credit is a number: a pair (the commit that added it, the merge that brought it in) in `Numbering`, which
`record_credits` keeps in the cache as it is.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter
from collections.abc import Iterator

import git

from ..errors import GitError
from .audit import _kind, _person, merged_side
from .credits_blobs import Blobs
from .repository import Repository

PATHSPECS = [":(glob)teams/*/records/*.yaml", ":(glob)completions/*/*.yaml"]
"""The files whose items are credited: records files and batches of imported completions."""
NONE = -1
"""An item with no credit: an imported entry that names nobody."""
_NO_BLOB = "0" * 40
_LOG_FIELDS = "%x01%H%x00%P%x00%an%x00%ae%x00%aI%x00"
_CHUNK = 1 << 20

Files = dict[str, tuple[str, array, "tuple[str | None, ...] | None"]]
"""Per file followed: its blob, each item's credit number (`NONE`: none) and, for a batch, each item's person."""


class _Commit:
    """A commit of the walk: who made it and when, its parents (rewritten by git to the commits listed) and its
    changes to the files followed, as (path, old blob, new blob)."""

    __slots__ = ("sha", "parents", "author", "email", "date", "changes")

    def __init__(self, sha: str, parents: tuple[str, ...], author: str, email: str, date: str,
                 changes: tuple[tuple[str, str | None, str | None], ...]):
        self.sha, self.parents, self.author, self.email, self.date = sha, parents, author, email, date
        self.changes = changes


def logged(repo: Repository, tip: str, since: str | None) -> list[_Commit]:
    """The commits of `git log` over `PATHSPECS` from `tip` (not those reachable from `since`), children first, as
    `Repository.log` asks for them, parsed as the output arrives."""
    args = ["git", "log", "-z", "--raw", "--no-abbrev", "--no-renames", "--root", "--full-history", "--parents",
            "--topo-order", "--diff-merges=first-parent", "--no-show-signature", f"--format={_LOG_FIELDS}", tip,
            *([f"^{since}"] if since else []), "--", *PATHSPECS]
    process = repo.repo.git.execute(args, as_process=True)
    commits: list[_Commit] = []
    names: dict[str, str] = {}
    try:
        stream = process.proc.stdout
        rest = b""
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            parts = (rest + chunk).split(b"\x01")
            rest = parts.pop()
            commits.extend(_parsed(part, names) for part in parts if part)
        if rest:
            commits.append(_parsed(rest, names))
        process.wait()
    except git.GitCommandError as problem:
        raise GitError(f"git log failed: {problem.stderr.strip()[-300:] if problem.stderr else problem}") from None
    return commits


def _parsed(raw: bytes, names: dict[str, str]) -> _Commit:
    text = raw.decode("utf-8", "surrogateescape")
    sha, parents, author, email, when, rest = text.split("\0", 5)
    tokens = rest.lstrip("\0\n").split("\0")
    changes = []
    for meta, path in zip(tokens[0::2], tokens[1::2]):
        if meta.startswith(":") and _kind(path) in ("record", "import"):
            old, new = meta[1:].split(" ")[2:4]
            changes.append((sys.intern(path), None if old == _NO_BLOB else old, None if new == _NO_BLOB else new))
    share = names.setdefault
    return _Commit(sha, tuple(parents.split()), share(author, author), share(email, email), when, tuple(changes))


class Numbering:
    """Numbers for commits, as (sha, author, email, date), and for (author, merge) pairs of commit numbers."""

    def __init__(self, commits: list[tuple[str, str, str, str]] | None = None,
                 pairs: list[tuple[int, int]] | None = None):
        self.commits = list(commits or [])
        self.pairs = list(pairs or [])
        self._commit = {fields[0]: number for number, fields in enumerate(self.commits)}
        self._pair = {pair: number for number, pair in enumerate(self.pairs)}

    def commit(self, commit: _Commit) -> int:
        number = self._commit.get(commit.sha)
        if number is None:
            number = self._commit[commit.sha] = len(self.commits)
            self.commits.append((commit.sha, commit.author, commit.email, commit.date))
        return number

    def pair(self, author: _Commit, merge: _Commit | None) -> int:
        pair = (self.commit(author), self.commit(merge) if merge is not None else NONE)
        number = self._pair.get(pair)
        if number is None:
            number = self._pair[pair] = len(self.pairs)
            self.pairs.append(pair)
        return number


class Walk:
    """The first-parent line of one `git log`, walked oldest first over per-person stacks of credits."""

    def __init__(self, repo: Repository, commits: list[_Commit], numbering: Numbering, blobs: Blobs):
        self.numbering, self.blobs = numbering, blobs
        self.by_sha = {c.sha: c for c in commits}
        self.age = {c.sha: len(commits) - i for i, c in enumerate(commits)}  # larger = newer
        line = []
        current = commits[0] if commits else None
        while current is not None:
            line.append(current)
            current = self.by_sha.get(current.parents[0]) if current.parents else None
        self.line = line[::-1]
        """The first-parent line from the tip, oldest first."""
        claimed = {c.sha for c in self.line}
        self.sides = [merged_side(c, claimed, self.by_sha, self.age) if len(c.parents) > 1 else [] for c in self.line]
        """Per commit of the line, the commits it merged that no earlier merge on the line did, oldest first."""
        self.stacks: dict[str, tuple[array, array]] = {}
        """Per person, the digests of their items and their credits, in the order the credits were given."""

    def blob_order(self) -> Iterator[tuple[int, str]]:
        """(step, blob) of each blob the walk reads, in the order it reads them: per commit of the line, the blobs
        of the commits it merged, then its own."""
        for step, commit in enumerate(self.line):
            for author in self.sides[step]:
                for _, old, new in author.changes:
                    yield from ((step, sha) for sha in (old, new) if sha is not None)
            for path, old, new in commit.changes:
                if _person(path) is None:  # a batch: read first, since it says whose items it holds
                    yield from ((step, sha) for sha in (old, new) if sha is not None)
            for path, old, new in commit.changes:
                if _person(path) is not None:
                    yield from ((step, sha) for sha in (old, new) if sha is not None)

    def touched(self, step: int) -> set[str]:
        """The people whose items the commit at `step` of the line changed (those of every version it names)."""
        people = set()
        for path, old, new in self.line[step].changes:
            for sha in (old, new):
                if sha is not None:
                    people.update(self.blobs.get(sha).people(path))
        people.discard(None)
        return people

    def walk(self, files: dict[str, str], last_use: dict[str, int] | None = None, keep: set[str] = frozenset()
             ) -> None:
        """Walks the line oldest first, updating `files` (path to blob of the files followed) and the stacks;
        with `last_use` (blob to the last step that reads it), each blob not in `keep` is let go after that step."""
        done: dict[int, list[str]] = {}
        if last_use is not None:
            for sha, step in last_use.items():
                if sha not in keep:
                    done.setdefault(step, []).append(sha)
        for step, commit in enumerate(self.line):
            self._step(commit, self.sides[step])
            for path, _, new in commit.changes:
                if new is None:
                    files.pop(path, None)
                else:
                    files[path] = new
            for sha in done.pop(step, ()):
                self.blobs.drop(sha)

    def _diff(self, commit: _Commit) -> dict[str, tuple[list[int], list[int]]]:
        """Per person ('' for a batch's entries that name nobody), the digests of their items in the versions
        before and after `commit` of the files it changed."""
        found: dict[str, tuple[list[int], list[int]]] = {}
        for path, old, new in commit.changes:
            for side, sha in ((0, old), (1, new)):
                if sha is None:
                    continue
                blob = self.blobs.get(sha)
                person = _person(path)
                if person is not None:
                    found.setdefault(person, ([], []))[side].extend(blob.keys)
                else:
                    for owner, key in zip(blob.people(path), blob.keys):
                        found.setdefault(owner or "", ([], []))[side].append(key)
        return found

    def _step(self, commit: _Commit, side: list[_Commit]) -> None:
        theirs: dict[str, dict[str, tuple[list[int], list[int]]]] = {}
        for person, (before, after) in self._diff(commit).items():
            keys, credits = self.stacks.get(person) or self.stacks.setdefault(person, (array("q"), array("i")))
            if not before and not side:  # a file added whole (every file of a first commit): in file order
                keys.extend(after)
                credits.extend(array("i", [self.numbering.pair(commit, None)]) * len(after))
                continue
            was, now = Counter(before), Counter(after)
            if was and now:
                added, removed = now - was, was - now
            else:
                added, removed = now, was
            if removed:
                self._take_back(keys, credits, removed)
            if not added:
                continue
            if not side:
                number = self.numbering.pair(commit, None)
                keys.extend(added.elements())
                credits.extend([number] * sum(added.values()))
                continue
            for author in side:  # an item a merged commit added is credited to it, the oldest first
                found = theirs.get(author.sha)
                if found is None:
                    found = theirs[author.sha] = self._diff(author)
                mine = found.get(person)
                if not mine:
                    continue
                gave = Counter(mine[1])
                if mine[0]:
                    gave.subtract(mine[0])
                number = None
                for key, count in gave.items():
                    count = min(count, added.get(key, 0))
                    if count > 0:
                        number = self.numbering.pair(author, commit) if number is None else number
                        keys.extend([key] * count)
                        credits.extend([number] * count)
                        added[key] -= count
            rest = list(added.elements())
            if rest:
                keys.extend(rest)
                credits.extend([self.numbering.pair(commit, None)] * len(rest))

    @staticmethod
    def _take_back(keys: array, credits: array, removed: Counter[int]) -> None:
        """Removes the latest `count` entries of each digest removed."""
        wanted = dict(removed)
        drop = set()
        for index in range(len(keys) - 1, -1, -1):
            count = wanted.get(keys[index], 0)
            if count > 0:
                wanted[keys[index]] = count - 1
                drop.add(index)
        kept = [index for index in range(len(keys)) if index not in drop]
        keys[:] = array("q", [keys[index] for index in kept])
        credits[:] = array("i", [credits[index] for index in kept])

    def seed(self, path: str, blob: str, numbers: array, people: set[str]) -> None:
        """Adds the kept credits of `people`'s items in one file to their stacks (the state a cached walk ended in)."""
        found = self.blobs.get(blob)
        for index, (person, key) in enumerate(zip(found.people(path), found.keys)):
            if person in people and index < len(numbers) and numbers[index] != NONE:
                keys, credits = self.stacks.setdefault(person, (array("q"), array("i")))
                keys.append(key)
                credits.append(numbers[index])

    def assign(self, paths: list[str], files: dict[str, str], kept: Files, people: set[str] | None) -> Files:
        """Each item of `paths` (in `tip_order`) its credit: `people`'s (everyone's, when None) from the stacks, the
        first unused entry of its digest; the others' kept by position (their file holds what it held)."""
        open_: dict[str, tuple[dict[int, list[int]], list[int]]] = {}
        made: Files = {}
        for path in paths:
            blob = self.blobs.get(files[path])
            old = kept.get(path)
            person = _person(path)
            stack = self.stacks.get(person) if person is not None and person not in open_ and (
                people is None or person in people) else None
            if stack is not None and stack[0][:len(blob.keys)] == blob.keys:
                # the usual records file: its items in the order their credits were given (the copies of an
                # item, too), so each takes the first unused credit of its digest at the same place
                count = len(blob.keys)
                made[path] = (files[path], stack[1][:count], None)
                if len(stack[0]) > count:
                    self.stacks[person] = (stack[0][count:], stack[1][count:])
                else:
                    del self.stacks[person]
                continue
            numbers = array("i", [NONE]) * len(blob.keys)
            for index, (person, key) in enumerate(zip(blob.people(path), blob.keys)):
                if person is None:
                    continue
                if people is not None and person not in people:
                    if old is not None and index < len(old[1]):
                        numbers[index] = old[1][index]
                    continue
                taken = open_.get(person)
                if taken is None:
                    keys, credits = self.stacks.pop(person, (array("q"), array("i")))
                    by_key: dict[int, list[int]] = {}
                    for at in range(len(keys) - 1, -1, -1):  # reversed, so that the first is popped first
                        by_key.setdefault(keys[at], []).append(credits[at])
                    taken = open_[person] = (by_key, [len(keys)])
                found = taken[0].get(key)
                if found:
                    numbers[index] = found.pop()
                    taken[1][0] -= 1
                    if not taken[1][0]:
                        del open_[person]
            made[path] = (files[path], numbers, None if _person(path) is not None else
                          (blob.owners or (None,) * len(blob.keys)))
        return made
