"""The memo's entries on disk: plain data under string keys, and the blob id of each working-tree file.

Like git's index, the store also remembers each working-tree file's size, times and inode
with its blob id, so an unchanged file is neither read nor hashed again. The data is plain
(dicts, lists, strings, numbers), stored with `marshal`: faster than pickle, and loading it runs
no code. Each entry is kept marshalled on its own and decoded when first asked for, so a run that
needs a few hundred files of a large organisation does not decode the other thousands.

Large entries (a file's parsed form, a records file's summary: nearly all of the half gigabyte at
size L, and what a warm `check` seldom reads) are kept in a bulk file beside the cache file, each
read with one `pread` when asked for (`bulk`): the cache file holds the small entries, the stats,
and where each large entry is, so reading it costs a warm run a tenth of what it did.

A run that changed little appends what it learnt to a journal beside the cache file instead of
rewriting the whole file (tens of megabytes at size M); once the journal has grown, or old
entries are to be forgotten, the next run writes the cache anew and empties the journal.

**Where it lives.** What the cache says, lmsgen believes: a records file whose blob id it knows
is not checked again. So it is kept where no pull request can put it: in the repository's git
folder, `<git dir>/lmsgen/` (a commit cannot hold a `.git` path), found without running git:
`<root>/.git` is the git folder, or a file `gitdir: PATH` for a worktree or a submodule. A root
that is not a git repository (a new `lmsgen demo` folder) keeps it in the user's cache folder,
`$XDG_CACHE_HOME` or `~/.cache`, under `lmsgen/<digest of the root's resolved path>`. Never in the
working tree: an earlier lmsgen kept it in `.lmsgen-cache/`, which the loader now refuses.

**What it trusts.** The file, each journal record and each bulk entry carry a SHA-256 digest of their payload,
checked before the payload is decoded (SHA-256 rather than blake2b: hardware makes it 2.5 times
faster here, 40 ms for the 50 MB of size M). A file or record that does not verify, cut short by a
killed run or damaged, is ignored, as is what follows it in the journal; decoded data of the wrong
shape is ignored too. The digest detects accidents, not forgery: only who can write the git folder
can write the cache. Every read and write goes through `lmsgen.writing.Tree`, so a link in the
cache's folder is never followed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..gcpause import collector_paused
from ..writing import Tree
from . import bulk
from .digests import StatKey

_FORMAT = 6
_MAGIC = b"lmsgen memo %d\n" % _FORMAT
_DIGEST_SIZE = 32
_LENGTH_SIZE = 8
_JOURNAL_SHARE = 0.25
"""The journal is folded into the cache file once it is this share of the cache file's size."""

_OLDER_FORMAT = re.compile(rf"memo-v(?:{'|'.join(map(str, range(1, _FORMAT)))})-py[0-9]+\.marshal"
                           rf"(?:\.journal|\.[0-9a-f]+{re.escape(bulk.SUFFIX)})?")
"""The cache files of earlier formats (with their journals and bulk files), which no run reads again (half a gigabyte
at size L): removed."""

_Entries = dict[str, bytes]
_Stats = dict[str, bytes]
"""Path to its stat key and blob id, packed (`_STAT`, then the blob id in UTF-8): one object a file rather than
eight, which makes reading the cache file a tenth of a second quicker at size L."""
_STAT = struct.Struct("<QqqQ")


class Store:
    """Key to plain data, and path to (stat, blob id); reading or writing it never fails a run.

    Without a path, it keeps what it is given for the run alone (caching is off).
    """

    def __init__(self, path: Path | None, within: Path | None = None):
        """`path` is the cache file; `within` the folder it is reached from without following a link
        (by default, the file's own folder)."""
        self.path = path
        self._within = within or (path.parent if path else None)
        self._entries: _Entries = {}
        self._decoded: dict[str, Any] = {}
        self._stats: _Stats = {}
        self._new_entries: _Entries = {}
        self._new_stats: _Stats = {}
        self._used: set[str] = set()
        self._dirty = False
        self._file_size = 0
        self._journal_size = 0
        self._journal_whole = True
        """False when the journal ends in a record that does not verify: what is appended after it would be lost."""
        self._slots: dict[str, bulk.Slot] = {}
        """The entries in the bulk file (`bulk`), by key, where `_entries` has none."""
        self._bulk = bulk.BulkFile()
        if path is not None:
            self._file_rel = path.relative_to(self._within).as_posix()
            self._journal_rel = self._file_rel + ".journal"
            self._read()

    @classmethod
    def for_root(cls, root: Path) -> Store:
        """The store of the organisation repository at `root` (see the module docstring for where it is)."""
        # marshal's format belongs to the Python version, so each version keeps its own file.
        name = f"memo-v{_FORMAT}-py{sys.version_info.major}{sys.version_info.minor}.marshal"
        home = cache_home(root)
        return cls(None) if home is None else cls(home[0] / home[1] / name, within=home[0])

    @classmethod
    def disabled(cls) -> Store:
        return cls(None)

    def get(self, key: str, *, keep: bool = True) -> Any | None:
        """The data kept under `key`, or None. Without `keep`, what is decoded is not also kept decoded: for large
        data that is read once (a file's parsed form), so that it is not held twice, decoded and marshalled."""
        data = self._decoded.get(key)
        if data is None:
            raw = self._entries.get(key)
            if raw is None:
                slot = self._slots.get(key)
                raw = None if slot is None else self._bulk.read(slot)
                if raw is None:
                    return None
            try:
                data = marshal.loads(raw)
            except (EOFError, ValueError, TypeError):
                return None
            if keep:
                self._decoded[key] = data
        self._used.add(key)
        return data

    def contains(self, key: str) -> bool:
        """Whether data is kept under `key`, which is then marked as needed, without decoding it."""
        if key in self._decoded or key in self._entries or key in self._slots:
            self._used.add(key)
            return True
        return False

    def contains_each(self, keys: list[str]) -> list[bool]:
        """For each of `keys`, whether data is kept under it (as `contains`, for many keys at once: the records files
        of a large organisation)."""
        entries, slots, decoded = self._entries, self._slots, self._decoded
        found = [key in entries or key in slots or key in decoded for key in keys]
        self._used.update([key for key, kept in zip(keys, found) if kept])
        return found

    def keep(self, keys: list[str]) -> None:
        """Marks `keys` as needed, without decoding them, so that they are not forgotten."""
        self._used.update(keys)

    def put(self, key: str, data: Any, *, keep: bool = True) -> None:
        """Keeps `data` under `key`; without `keep`, only marshalled (when it is kept on disk; see `get`)."""
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
        if not keep:
            del self._decoded[key]

    def put_encoded(self, key: str, raw: bytes) -> None:
        """Keeps the data that `raw` is the marshalled form of (made by a worker process, which had the data at
        hand) under `key`, without decoding it: `get` decodes it when asked. Also without a path, for the run."""
        self._decoded.pop(key, None)
        self._used.add(key)
        self._entries[key] = raw
        if self.path is not None:
            self._new_entries[key] = raw
            self._dirty = True

    def known_blob(self, path: str, key: StatKey) -> str | None:
        """The blob id of a working-tree file whose size, times and inode are unchanged since last run."""
        noted = self._stats.get(path)
        if type(noted) is not bytes or len(noted) <= _STAT.size:  # not noted, or not as this code notes it
            return None
        try:
            return noted[_STAT.size:].decode() if noted.startswith(_STAT.pack(*key)) else None
        except (struct.error, UnicodeDecodeError):  # a size, time or inode out of range (never noted), or damage
            return None

    def known_blobs(self, paths: list[str], keys: list[StatKey]) -> list[str | None]:
        """`known_blob` for each of `paths` with its key of `keys`, in one loop: 140,000 files at size L."""
        get, pack, size = self._stats.get, _STAT.pack, _STAT.size
        found: list[str | None] = []
        append = found.append
        for path, key in zip(paths, keys):
            noted = get(path)
            if type(noted) is not bytes or len(noted) <= size:  # not noted, or not as this code notes it
                append(None)
                continue
            try:
                append(noted[size:].decode() if noted.startswith(pack(*key)) else None)
            except (struct.error, UnicodeDecodeError):  # as in `known_blob`
                append(None)
        return found

    def remember_blob(self, path: str, key: StatKey, blob: str) -> None:
        if self.path is None:
            return
        try:
            noted = _STAT.pack(*key) + blob.encode()
        except (struct.error, UnicodeEncodeError):  # not noted: the file is read again next time
            return
        if blob:
            self._stats[path] = self._new_stats[path] = noted
            self._dirty = True

    def save(self, *, forget_unused: bool = False) -> None:
        """Writes what this run added. With `forget_unused`, for a run that read the whole working tree and
        checked it, entries it did not use are dropped once they outnumber those it used: a run that reads
        part of the organisation, or an old commit, must not make the next `check` start cold."""
        if self.path is None or not self._dirty:
            return
        forget = forget_unused and len(self._entries) + len(self._slots) > 2 * max(len(self._used), 1)
        try:
            self._within.mkdir(parents=True, exist_ok=True)  # ~/.cache may be missing; links in it are the user's
            with Tree(self._within) as tree:
                # The journal is considered only when what is new may fit in it: a cold run's change is the whole
                # cache, which marshalling and hashing twice would cost seconds and its size again in memory.
                limit = _JOURNAL_SHARE * self._file_size - self._journal_size
                change = None
                if not forget and self._journal_whole and sum(map(len, self._new_entries.values())) < limit:
                    change = _journal_record(marshal.dumps((self._new_entries, self._new_stats)))
                if change is not None and len(change) < limit:
                    tree.append(self._journal_rel, change)
                    self._journal_size += len(change)
                else:
                    self._write_anew(tree, forget)
        except OSError:  # the cache is only a help; a link in its way (writing.Refused) is one of these
            pass
        self._new_entries, self._new_stats = {}, {}
        self._dirty = False

    def _write_anew(self, tree: Tree, forget: bool) -> None:
        """Writes the cache file anew, with a new bulk file for its large entries (see `bulk`), and empties the
        journal. With `forget`, only the entries used in this run are kept.

        Each large entry leaves memory as it is written to the bulk file, to be read back from there when asked
        for: a cold run at size L holds half a gigabyte of them, which would otherwise stay until it ends. One that
        a failed write leaves out of both is simply not found."""
        self._new_entries = {}  # all in the new file: their bytes are not held twice while it is written
        if forget:
            self._entries = {key: self._entries[key] for key in self._used if key in self._entries}
            self._slots = {key: self._slots[key] for key in self._used if key in self._slots}
        entries = self._entries
        large = [key for key, raw in entries.items() if len(raw) >= bulk.BULK_MIN]
        copied = [(key, slot) for key, slot in self._slots.items() if key not in entries]

        def moved() -> Iterator[tuple[str, bytes | None, object]]:
            for key in large:
                yield key, entries.pop(key), None
            yield from ((key, None, slot) for key, slot in copied)

        folder, _, name = self._file_rel.rpartition("/")
        bulk_name, new_slots = "", {}
        if large or copied:
            bulk_name = f"{name}.{os.urandom(6).hex()}{bulk.SUFFIX}"
            tree.write(_beside(folder, bulk_name), stream=bulk.pieces(moved(), self._bulk, new_slots))
        self._bulk.close()
        self._bulk, self._slots = bulk.BulkFile(), {}  # until the new one is named by the cache file
        digest, size = hashlib.sha256(), 0
        for chunk in _payload(entries, self._stats, bulk_name, new_slots):  # hashed, then written: never held whole
            digest.update(chunk)
            size += len(chunk)
        tree.write(self._file_rel, _MAGIC, digest.digest(), stream=_payload(entries, self._stats, bulk_name, new_slots))
        tree.remove(self._journal_rel)
        for other in tree.names(folder) if folder else os.listdir(self._within):  # bulk files no cache file names
            if other.startswith(f"{name}.") and other.endswith(bulk.SUFFIX) and other != bulk_name \
                    or _OLDER_FORMAT.fullmatch(other):
                tree.remove(_beside(folder, other))
        self._bulk = self._open_bulk(tree, folder, bulk_name)
        self._slots = new_slots if self._bulk.size else {}
        self._file_size = len(_MAGIC) + _DIGEST_SIZE + size + self._bulk.size
        self._journal_size, self._journal_whole = 0, True

    @staticmethod
    def _open_bulk(tree: Tree, folder: str, bulk_name: str) -> bulk.BulkFile:
        """The bulk file `bulk_name` beside the cache file, opened; none when it is not a name the store gives
        one, or cannot be opened."""
        if not bulk_name or "/" in bulk_name or not bulk_name.endswith(bulk.SUFFIX):
            return bulk.BulkFile()
        try:
            return bulk.opened(tree.open_file(_beside(folder, bulk_name)))
        except (OSError, ValueError):
            return bulk.BulkFile()

    # --- on disk --------------------------------------------------------------------------------

    def _read(self) -> None:
        with Tree(self._within) as tree:
            try:
                raw = tree.read(self._file_rel)
            except OSError:  # no cache yet, or a link in the way
                return
            found = _verified(raw, len(_MAGIC), len(raw)) if raw.startswith(_MAGIC) else None
            if type(found) is not tuple or len(found) != 4 or type(found[0]) is not dict \
                    or type(found[1]) is not dict or type(found[2]) is not str or type(found[3]) is not dict:
                return
            self._entries, self._stats, bulk_name, self._slots = found
            if self._slots:
                self._bulk = self._open_bulk(tree, self._file_rel.rpartition("/")[0], bulk_name)
            self._file_size = len(raw) + self._bulk.size
            try:
                journal = tree.read(self._journal_rel)
            except FileNotFoundError:
                return
            except OSError:  # a link or a pipe: the next save writes the file anew and removes it
                self._journal_whole = False
                return
        offset = 0
        while offset < len(journal):  # until the end, or a record that a run cut short or that is damaged
            length = int.from_bytes(journal[offset:offset + _LENGTH_SIZE], "little")
            end = offset + _LENGTH_SIZE + _DIGEST_SIZE + length
            found = _verified(journal, offset + _LENGTH_SIZE, end)
            if type(found) is not tuple or len(found) != 2 or not all(type(part) is dict for part in found):
                self._journal_whole = False
                break
            self._entries.update(found[0])
            self._stats.update(found[1])
            offset = end
        self._journal_size = len(journal)


_PIECE = 1024 * 1024


def _payload(entries: _Entries, *rest: Any) -> Iterator[bytes]:
    """`marshal.dumps((entries, *rest))`, in pieces of about a megabyte: the entries are marshalled already, so
    the cache file is their bytes with marshal's framing, without a second copy of each in memory. Version 2 of
    marshal's format shares no object between pieces."""
    yield marshal.dumps(((),) * (1 + len(rest)), 2)[:5] + b"{"  # a tuple, the first a dict: its items follow
    pieces: list[bytes] = []
    size = 0
    for key, raw in entries.items():
        pieces += (marshal.dumps(key, 2), b"s", len(raw).to_bytes(4, "little"), raw)
        size += len(raw)
        if size >= _PIECE:
            yield b"".join(pieces)
            pieces, size = [], 0
    pieces += (b"0", *(marshal.dumps(part, 2) for part in rest))  # the dict's end, then the rest
    yield b"".join(pieces)


def _digest(payload: bytes | memoryview) -> bytes:
    return hashlib.sha256(payload).digest()


def _journal_record(payload: bytes) -> bytes:
    """A journal record: the payload's length and digest, then the payload."""
    return len(payload).to_bytes(_LENGTH_SIZE, "little") + _digest(payload) + payload


def _verified(raw: bytes, at: int, end: int) -> Any:
    """The decoded payload that follows the digest at `at` of `raw` and ends at `end`; None unless the digest
    verifies and the payload decodes (its shape is the caller's to check)."""
    begin = at + _DIGEST_SIZE
    if end > len(raw) or begin > end:
        return None
    with memoryview(raw) as view, view[begin:end] as payload:
        if _digest(payload) != raw[at:begin]:
            return None
        try:
            with collector_paused():
                decoded = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
    return decoded


def cache_home(root: Path) -> tuple[Path, str] | None:
    """The folder the cache of the organisation at `root` is reached from, and its folder below that:
    the git folder and `lmsgen`, else the user's cache folder and `lmsgen/<digest>` (None: there is none)."""
    git_dir = _git_dir(root)
    if git_dir is not None:
        return git_dir, "lmsgen"
    configured = os.environ.get("XDG_CACHE_HOME", "")
    try:
        base = Path(configured) if os.path.isabs(configured) else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    return base, f"lmsgen/{hashlib.sha256(os.fsencode(root.resolve())).hexdigest()[:32]}"


def _git_dir(root: Path) -> Path | None:
    """The git folder of the repository whose top is `root`, without running git; None outside one."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if not dot_git.is_file():
        return None
    try:
        with open(dot_git, "rb") as pointer:
            first = pointer.readline(4096).decode("utf-8", "replace").strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    folder = (root / first.removeprefix("gitdir:").strip()).resolve()  # a relative path is relative to the root
    return folder if folder.is_dir() else None


def _beside(folder: str, name: str) -> str:
    """The path of the file `name` in the cache file's `folder` ('' for the folder the store is reached from)."""
    return f"{folder}/{name}" if folder else name
