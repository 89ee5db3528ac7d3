"""Parsed YAML kept between runs, keyed by git blob id, so a second run re-reads only what changed.

Like git's index, the cache also remembers each working-tree file's size and modification time
with its blob id, so an unchanged file is neither read nor hashed again. The data is plain
(dicts, lists, strings, numbers), stored with `marshal`: faster than pickle, and loading it runs
no code.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .gcpause import collector_paused

CACHE_DIR = ".lmsgen-cache"
_FORMAT = 2
StatKey = tuple[int, int, int]
"""(size, modification time in ns, inode) of a working-tree file."""


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a blob, so a working-tree file and its committed blob share it."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def stat_key(stat: os.stat_result) -> StatKey:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


class ParseCache:
    """Blob id to parsed data, and path to (stat, blob id); reading or writing it never fails a run."""

    def __init__(self, path: Path | None):
        self.path = path
        self._entries: dict[str, Any] = {}
        self._stats: dict[str, tuple[StatKey, str]] = {}
        self._used: set[str] = set()
        self._dirty = False
        if path is not None:
            self._entries, self._stats = _read(path)

    @classmethod
    def for_root(cls, root: Path) -> ParseCache:
        # marshal's format belongs to the Python version, so each version keeps its own file.
        version = f"{sys.version_info.major}{sys.version_info.minor}"
        return cls(root / CACHE_DIR / f"parsed-v{_FORMAT}-py{version}.marshal")

    @classmethod
    def disabled(cls) -> ParseCache:
        return cls(None)

    def get(self, blob: str) -> Any | None:
        data = self._entries.get(blob)
        if data is not None:
            self._used.add(blob)
        return data

    def put(self, blob: str, data: Any) -> None:
        self._entries[blob] = data
        self._used.add(blob)
        self._dirty = True

    def known_blob(self, path: str, key: StatKey) -> str | None:
        """The blob id of a working-tree file whose size, time and inode are unchanged since last run."""
        found = self._stats.get(path)
        return found[1] if found and found[0] == key else None

    def remember_blob(self, path: str, key: StatKey, blob: str) -> None:
        if self.path is not None:
            self._stats[path] = (key, blob)
            self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        entries = self._entries
        if len(entries) > 3 * max(len(self._used), 1):  # forget blobs that no recent run needed
            entries = {blob: entries[blob] for blob in self._used}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            (self.path.parent / ".gitignore").write_text("*\n")
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".parsed-")
            with os.fdopen(handle, "wb") as out:
                marshal.dump((_FORMAT, entries, self._stats), out)
            os.replace(temporary, self.path)
        except (OSError, ValueError):  # ValueError: data marshal cannot hold; the cache is only a help
            pass
        self._dirty = False


def _read(path: Path) -> tuple[dict[str, Any], dict[str, tuple[StatKey, str]]]:
    try:
        with collector_paused():
            version, entries, stats = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}, {}
    if version != _FORMAT or not isinstance(entries, dict) or not isinstance(stats, dict):
        return {}, {}
    return entries, stats
