"""Where an organisation's bytes come from: files as (path, blob id, reader), here from the working tree.

The loader takes files from any source, the working tree or a git commit (the history stage reads
those), so the same code answers "what does the repository say now" and "what did it say then".

The working tree is a pull request's checkout, so what is in it is judged before it is opened:
a symbolic link is refused, never followed; anything but a folder or a regular file (a pipe, which
would make a read wait forever, a socket, a device) is refused at its path, from the status the
folder listing gives; a file or folder that cannot be read is an error at its path, not a crash.
"""

from __future__ import annotations

import operator
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..cache.digests import StatKey, blob_id, stat_key
from ..cache.memo import Memo
from ..writing import LINK, NOT_REGULAR, Refused, Tree
from .diagnostics import Diagnostic, error
from .layout import DATA_ROOTS, STRAY_CACHE, STRAY_CACHE_MESSAGE

LINKED_FILE = LINK.format("file")


@dataclass(frozen=True)
class FileRef:
    """A file of the organisation: its path relative to the root, its blob id, and how to read it."""

    path: str
    blob: str
    read: Callable[[], bytes]


def worktree_files(root: Path, memo: Memo | None = None, unread: dict[str, StatKey] | None = None,
                   listing: list[tuple[str, os.stat_result | Diagnostic]] | None = None,
                   ) -> tuple[list[FileRef], list[Diagnostic]]:
    """Every regular file under the data folders of `root`, and an error for each path refused (see the module).

    A file whose size, times and inode the memo knows is not read: its blob id comes from the memo. With
    `unread`, neither is a file the memo does not know: its ref has no blob id yet (""), and its stat key goes into
    `unread` by path, for the caller to read it (`loading.load_root` reads a cold run's files in parallel).
    `listing` is the tree's `worktree_listing`, when the caller has it already.
    """
    memo = memo or Memo.in_memory()
    refs: list[FileRef] = []
    problems: list[Diagnostic] = []
    base = os.fspath(root)
    listing = worktree_listing(root) if listing is None else listing
    if unread is not None:  # the common case, in a few loops (see `_worktree_ref`): 140,000 files at size L
        regular = [(rel, judged) for rel, judged in listing if not isinstance(judged, Diagnostic)]
        problems += [judged for _, judged in listing if isinstance(judged, Diagnostic)]
        keys = [(found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino) for _, found in regular]
        for (rel, _), key, blob in zip(regular, keys, memo.known_blobs([rel for rel, _ in regular], keys)):
            if blob is None:
                unread[rel] = key
                blob = ""
            refs.append(FileRef(rel, blob, _Reader(f"{base}/{rel}")))
        return refs, problems
    for rel, judged in listing:
        if isinstance(judged, Diagnostic):
            problems.append(judged)
            continue
        try:
            refs.append(_worktree_ref(root, rel, judged, memo, unread))
        except OSError as problem:
            problems.append(error(rel, (1, 1), unreadable(problem)))
    return refs, problems


def worktree_listing(root: Path) -> list[tuple[str, os.stat_result | Diagnostic]]:
    """Each path under the data folders of `root`, in order, with its status when it is a regular file, else the
    error that refuses it; nothing is read (see `worktree_files`)."""
    listing: list[tuple[str, os.stat_result | Diagnostic]] = []
    if os.path.lexists(root / STRAY_CACHE):
        listing.append((STRAY_CACHE, error(STRAY_CACHE, (1, 1), STRAY_CACHE_MESSAGE)))
    for top in DATA_ROOTS:
        try:
            found = os.lstat(root / top)
        except FileNotFoundError:
            continue
        except OSError as problem:
            listing.append((top, error(top, (1, 1), unreadable(problem))))
            continue
        if not stat.S_ISDIR(found.st_mode):
            judged = _judge(found)
            listing.append((top, error(top, (1, 1), judged) if isinstance(judged, str) else judged))
            continue
        start = len(listing)
        _walk_into(os.path.join(root, top), top, listing)
        for index in range(start, len(listing)):  # a refusal, as the walk's plain text, becomes an error
            rel, judged = listing[index]
            if type(judged) is str:
                listing[index] = (rel, error(rel, (1, 1), judged))
    return listing


def read_file(root: Path, rel: str) -> tuple[bytes | None, Diagnostic | None]:
    """The bytes of the regular file `rel` in the working tree at `root` (None when there is none), read
    without following a link; or why it is refused, as an error at the path at fault."""
    try:
        with Tree(root) as tree:
            return tree.read(rel), None
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except Refused as refused:
        return None, error(refused.path, (1, 1), refused.reason)
    except OSError as problem:
        return None, error(rel, (1, 1), unreadable(problem))


def unreadable(problem: OSError) -> str:
    """Why a file or folder cannot be read, and what to do about it."""
    why = (problem.strerror or str(problem)).lower()
    return f"cannot be read ({why}): make it readable to whoever runs lmsgen, or remove it"


def _worktree_ref(root: Path, rel: str, status: os.stat_result, memo: Memo,
                  unread: dict[str, StatKey] | None = None) -> FileRef:
    full = os.path.join(root, rel)  # plain strings: pathlib costs a third of a warm run at size M

    def read() -> bytes:
        with open(full, "rb") as handle:
            return handle.read()

    key = stat_key(status)
    blob = memo.known_blob(rel, key)
    if blob is None and unread is not None:
        unread[rel] = key
        return FileRef(rel, "", read)
    if blob is None:
        raw = read()
        blob = blob_id(raw)
        memo.remember_blob(rel, key, blob)
        return FileRef(rel, blob, ReadOnce(raw, read))  # the bytes the blob id is of, and read once in a cold run
    return FileRef(rel, blob, read)


class ReadOnce:
    """The bytes already read, handed out once, then read again when asked (as in a warm run): a cold run reads
    every file, and holding them all until the run ends would cost their size in memory (0.7 GB at size L)."""

    __slots__ = ("_raw", "_read")

    def __init__(self, raw: bytes, read: Callable[[], bytes]):
        self._raw: bytes | None = raw
        self._read = read

    def __call__(self) -> bytes:
        raw, self._raw = self._raw, None
        return self._read() if raw is None else raw


def _judge(found: os.stat_result) -> os.stat_result | str:
    """The status of a path that is not a folder, if it is a regular file; else why it is refused."""
    if stat.S_ISREG(found.st_mode):
        return found
    return LINKED_FILE if stat.S_ISLNK(found.st_mode) else NOT_REGULAR


class _Reader:
    """Reads the file at a path: a callable as `FileRef.read` wants, cheaper to make than a closure."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __call__(self) -> bytes:
        with open(self.path, "rb") as handle:
            return handle.read()


def _walk_into(folder: str, rel: str, into: list[tuple[str, os.stat_result | str]]) -> None:
    """Adds to `into` the relative paths of what is below `folder` (its path relative to the root is `rel`), sorted,
    each with its status when it is a regular file, or why it is refused."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_name)
    except OSError as problem:
        into.append((rel, unreadable(problem)))
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        path = f"{rel}/{name}"
        if entry.is_dir(follow_symlinks=False):
            _walk_into(entry.path, path, into)
        else:
            try:
                found = entry.stat(follow_symlinks=False)
            except OSError as problem:
                into.append((path, unreadable(problem)))
                continue
            into.append((path, found if is_regular(found.st_mode) else _judge(found)))  # `_judge`, inlined


_name = operator.attrgetter("name")
is_regular = stat.S_ISREG
