"""Parsed YAML kept between runs, keyed by git blob id, so a second run re-reads only what changed."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

CACHE_DIR = ".lmsgen-cache"
_FORMAT = 1


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a blob, so a working-tree file and its committed blob share it."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


class ParseCache:
    """A map from blob id to the plain data parsed from it; reading or writing it never fails a run."""

    def __init__(self, path: Path | None):
        self.path = path
        self._entries: dict[str, Any] = {}
        self._used: set[str] = set()
        self._dirty = False
        if path is not None:
            self._entries = _read(path)

    @classmethod
    def for_root(cls, root: Path) -> ParseCache:
        return cls(root / CACHE_DIR / f"parsed-v{_FORMAT}.pickle")

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
                pickle.dump((_FORMAT, entries), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError:
            pass
        self._dirty = False


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            version, entries = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return entries if version == _FORMAT and isinstance(entries, dict) else {}
