"""Where an organisation's bytes come from: files as (path, blob id, reader), here from the working tree.

The loader takes files from any source, the working tree or a git commit (the history stage reads
those), so the same code answers "what does the repository say now" and "what did it say then".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..cache.digests import blob_id, stat_key
from ..cache.memo import Memo
from .diagnostics import Diagnostic, error
from .layout import DATA_ROOTS, STRAY_CACHE, STRAY_CACHE_MESSAGE


@dataclass(frozen=True)
class FileRef:
    """A file of the organisation: its path relative to the root, its blob id, and how to read it."""

    path: str
    blob: str
    read: Callable[[], bytes]


def worktree_files(root: Path, memo: Memo | None = None) -> tuple[list[FileRef], list[Diagnostic]]:
    """Every file under the data folders of `root`; symbolic links are refused, never followed, and so is
    a cache folder where lmsgen once kept it.

    A file whose size, times and inode the memo knows is not read: its blob id comes from the memo.
    """
    memo = memo or Memo.in_memory()
    refs: list[FileRef] = []
    problems: list[Diagnostic] = []
    if os.path.lexists(root / STRAY_CACHE):
        problems.append(error(STRAY_CACHE, (1, 1), STRAY_CACHE_MESSAGE))
    for top in DATA_ROOTS:
        start = root / top
        if start.is_symlink():
            problems.append(error(top, (1, 1), "symbolic links are not followed; replace it with the file itself"))
        elif start.is_file():
            refs.append(_worktree_ref(root, top, os.stat(start), memo))
        elif start.is_dir():
            for rel, stat in _walk(start, top):
                if stat is None:
                    problems.append(error(rel, (1, 1), "symbolic links are not followed; replace it with the file itself"))
                else:
                    refs.append(_worktree_ref(root, rel, stat, memo))
    return refs, problems


def _worktree_ref(root: Path, rel: str, stat: os.stat_result, memo: Memo) -> FileRef:
    full = os.path.join(root, rel)  # plain strings: pathlib costs a third of a warm run at size M

    def read() -> bytes:
        with open(full, "rb") as handle:
            return handle.read()

    key = stat_key(stat)
    blob = memo.known_blob(rel, key)
    if blob is None:
        raw = read()
        blob = blob_id(raw)
        memo.remember_blob(rel, key, blob)
        return FileRef(rel, blob, lambda: raw)  # the bytes the blob id is of, and read once in a cold run
    return FileRef(rel, blob, read)


def _walk(folder: Path, rel: str) -> Iterator[tuple[str, os.stat_result | None]]:
    """Relative paths and stats of the files below `folder`, sorted; a symbolic link has no stat."""
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            path = f"{rel}/{entry.name}"
            if entry.is_symlink():
                yield path, None
            elif entry.is_dir():
                yield from _walk(Path(entry.path), path)
            else:
                yield path, entry.stat()
