"""The memo's entries on disk: plain data under string keys, and the blob id of each working-tree file.

Like git's index, the store also remembers each working-tree file's size, times and inode
with its blob id, so an unchanged file is neither read nor hashed again. The data is plain
(dicts, lists, strings, numbers), stored with `marshal`: faster than pickle, and loading it runs
no code. Each entry is kept marshalled on its own and decoded when first asked for, so a run that
needs a few hundred files of a large organisation does not decode the other thousands.

A run that changed little appends what it learnt to a journal beside the cache file instead of
rewriting the whole file (tens of megabytes at size M); once the journal has grown, or old
entries are to be forgotten, the next run writes the cache anew and empties the journal.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..gcpause import collector_paused
from .digests import StatKey

CACHE_DIR = ".lmsgen-cache"
_FORMAT = 3
_JOURNAL_SHARE = 0.25
"""The journal is folded into the cache file once it is this share of the cache file's size."""


class Store:
    """Key to plain data, and path to (stat, blob id); reading or writing it never fails a run.

    Without a path, it keeps what it is given for the run alone (caching is off).
    """

    def __init__(self, path: Path | None):
        self.path = path
        self._entries: dict[str, bytes] = {}
        self._decoded: dict[str, Any] = {}
        self._stats: dict[str, tuple[StatKey, str]] = {}
        self._new_entries: dict[str, bytes] = {}
        self._new_stats: dict[str, tuple[StatKey, str]] = {}
        self._used: set[str] = set()
        self._dirty = False
        if path is not None:
            self._entries, self._stats = _read(path, _journal(path))

    @classmethod
    def for_root(cls, root: Path) -> Store:
        # marshal's format belongs to the Python version, so each version keeps its own file.
        version = f"{sys.version_info.major}{sys.version_info.minor}"
        return cls(root / CACHE_DIR / f"parsed-v{_FORMAT}-py{version}.marshal")

    @classmethod
    def disabled(cls) -> Store:
        return cls(None)

    def get(self, key: str) -> Any | None:
        """The data kept under `key`, or None."""
        data = self._decoded.get(key)
        if data is None:
            raw = self._entries.get(key)
            if raw is None:
                return None
            try:
                data = self._decoded[key] = marshal.loads(raw)
            except (EOFError, ValueError, TypeError):
                return None
        self._used.add(key)
        return data

    def contains(self, key: str) -> bool:
        """Whether data is kept under `key`, which is then marked as needed, without decoding it."""
        if key in self._decoded or key in self._entries:
            self._used.add(key)
            return True
        return False

    def keep(self, keys: list[str]) -> None:
        """Marks `keys` as needed, without decoding them, so that they are not forgotten."""
        self._used.update(keys)

    def put(self, key: str, data: Any) -> None:
        self._decoded[key] = data
        self._used.add(key)
        if self.path is None:
            return
        try:
            raw = marshal.dumps(data)
        except ValueError:  # data marshal cannot hold: it is kept for this run only
            return
        self._entries[key] = self._new_entries[key] = raw
        self._dirty = True

    def known_blob(self, path: str, key: StatKey) -> str | None:
        """The blob id of a working-tree file whose size, times and inode are unchanged since last run."""
        found = self._stats.get(path)
        return found[1] if found and found[0] == key else None

    def remember_blob(self, path: str, key: StatKey, blob: str) -> None:
        if self.path is not None:
            self._stats[path] = self._new_stats[path] = (key, blob)
            self._dirty = True

    def save(self, *, forget_unused: bool = False) -> None:
        """Writes what this run added. With `forget_unused`, for a run that read the whole working tree and
        checked it, entries it did not use are dropped once they outnumber those it used: a run that reads
        part of the organisation, or an old commit, must not make the next `check` start cold."""
        if self.path is None or not self._dirty:
            return
        entries = self._entries
        forget = forget_unused and len(entries) > 2 * max(len(self._used), 1)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            journal = _journal(self.path)
            journal_size = journal.stat().st_size if journal.exists() else 0
            main_size = self.path.stat().st_size if self.path.exists() else 0
            change = marshal.dumps((_FORMAT, self._new_entries, self._new_stats))
            if not forget and journal_size + len(change) < _JOURNAL_SHARE * main_size:
                with open(journal, "ab") as out:
                    out.write(change)
            else:
                if forget:
                    entries = {key: entries[key] for key in self._used if key in entries}
                (self.path.parent / ".gitignore").write_text("*\n")
                handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".parsed-")
                with os.fdopen(handle, "wb") as out:
                    marshal.dump((_FORMAT, entries, self._stats), out)
                os.replace(temporary, self.path)
                journal.unlink(missing_ok=True)
        except OSError:  # the cache is only a help
            pass
        self._new_entries, self._new_stats = {}, {}
        self._dirty = False


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _read(path: Path, journal: Path) -> tuple[dict[str, bytes], dict[str, tuple[StatKey, str]]]:
    try:
        with collector_paused():
            version, entries, stats = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}, {}
    if version != _FORMAT or not isinstance(entries, dict) or not isinstance(stats, dict):
        return {}, {}
    try:
        with open(journal, "rb") as changes, collector_paused():
            while True:  # until the end, or a record that a run cut short
                version, new_entries, new_stats = marshal.load(changes)
                if version != _FORMAT or not isinstance(new_entries, dict) or not isinstance(new_stats, dict):
                    break
                entries.update(new_entries)
                stats.update(new_stats)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return entries, stats
