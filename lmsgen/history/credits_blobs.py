"""The blobs the record credits' walk reads (`credits_walk`): through one `git cat-file --batch` fed by a thread in
the order the walk will ask for them, each parsed once and kept as little as the walk needs (each item's digest and,
in a batch, its person); for a long walk, half of them read and parsed in a forked helper process when a core is
spare."""

from __future__ import annotations

import marshal
import os
import queue
import signal
import subprocess
import threading
from array import array
from collections.abc import Iterable, Iterator
from itertools import repeat

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from ..errors import GitError
from ..model.yamlfile import YamlError, parse
from .audit import _person, item_key
from .repository import Repository

_PIPE = 1 << 20
"""How far (bytes) `git cat-file` may run ahead of the walk: a pipe of 1 MB (Linux's largest for anyone)."""


class _Blob:
    """What the walk keeps of a blob: each item's digest and, when any entry names one, each item's person."""

    __slots__ = ("keys", "owners")

    def __init__(self, keys: array, owners: tuple[str | None, ...] | None):
        self.keys, self.owners = keys, owners

    def people(self, path: str) -> Iterator[str | None]:
        """The person of each item, when the blob is at `path`."""
        person = _person(path)
        if person is not None or self.owners is None:
            return iter([person] * len(self.keys))
        return iter(self.owners)


def _blob(raw: bytes, people: dict[str, str]) -> _Blob:
    try:
        data = parse(raw)
    except YamlError:
        data = None
    records = data.get("records") if isinstance(data, dict) else None
    items = [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []
    keys = array("q", map(item_key, items))
    if not any(map(dict.__contains__, items, repeat("person"))):  # a records file: its items name nobody
        return _Blob(keys, None)
    owners = tuple(people.setdefault(p, p) if isinstance(p := item.get("person"), str) else None for item in items)
    return _Blob(keys, owners if any(owner is not None for owner in owners) else None)


class Blobs:
    """The blobs the walk reads, through one `git cat-file --batch` fed by a thread in the order they are wanted."""

    def __init__(self, repo: Repository, helper: Helper | None = None):
        self.repo = repo
        self.kept: dict[str, _Blob] = {}
        self._helper = helper
        self._pending: list[str] = []
        self._next = 0
        self._asked: set[str] = set()
        self._people: dict[str, str] = {}
        self._ids: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._process: subprocess.Popen[bytes] | None = None
        self._writer: threading.Thread | None = None

    def want(self, shas: Iterable[str | None]) -> None:
        """Asks for blobs the walk will read, in the order it will."""
        for sha in shas:
            if sha is not None and sha not in self.kept and sha not in self._asked:
                self._asked.add(sha)
                self._pending.append(sha)
                self._start()
                self._ids.put(sha)

    def get(self, sha: str) -> _Blob:
        found = self.kept.get(sha)
        if found is not None:
            return found
        if self._helper is not None and sha in self._helper.shas:
            found = self._helper.take(sha)
            if found is not None:
                self.kept[sha] = found
                return found
        if sha not in self._asked:
            self.want([sha])
        assert self._process is not None and self._process.stdout is not None
        while True:
            wanted = self._pending[self._next]
            self._pending[self._next] = ""
            self._next += 1
            header = self._process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise GitError(f"git cat-file could not read blob {wanted}")
            raw = self._process.stdout.read(int(header[2]) + 1)[:-1]
            self._asked.discard(wanted)
            made = self.kept[wanted] = _blob(raw, self._people)
            if wanted == sha:
                return made

    def drop(self, sha: str) -> None:
        self.kept.pop(sha, None)

    def _start(self) -> None:
        if self._process is not None:
            return
        try:
            self._process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.repo.root, stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=_PIPE)
        except OSError as problem:
            raise GitError(f"git cat-file could not be started: {problem}") from None
        if hasattr(fcntl, "F_SETPIPE_SZ"):  # git runs that far ahead of the walk, rather than waking every few blobs
            try:
                fcntl.fcntl(self._process.stdout.fileno(), fcntl.F_SETPIPE_SZ, _PIPE)
            except OSError:
                pass
        stdin, ids = self._process.stdin, self._ids

        def feed() -> None:
            try:
                while (sha := ids.get()) is not None:
                    stdin.write(f"{sha}\n".encode())
                    if ids.empty():
                        stdin.flush()
                stdin.close()
            except (OSError, ValueError):  # git ended early; the reader says why
                pass

        self._writer = threading.Thread(target=feed, daemon=True)
        self._writer.start()

    def close(self) -> None:
        if self._helper is not None:
            self._helper.stop()
        if self._process is None:
            return
        self._ids.put(None)
        assert self._process.stdout is not None
        self._process.stdout.close()
        self._process.kill()
        if self._writer is not None:
            self._writer.join()
        self._process.wait()


FORKED: bool | None = None
"""Whether the walk's second half of blobs is read in a forked process: None when a core is spare (`Helper.wanted`);
True or False always (the tests)."""
HELPED = 4000
"""From how many blobs a helper is worth its fork."""


class Helper:
    """The second half of the blobs a walk reads, read and parsed in a forked process (its own `git cat-file`) while
    the walk reads the first half: on two cores, the parsing takes half as long. What it hands back through a pipe
    is what `Blobs` keeps (the digests and people), marshalled."""

    def __init__(self, repo: Repository, shas: list[str]):
        self.shas = set(shas)
        self._results: dict[str, _Blob] | None = None
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the helper: whatever happens, it leaves here
            status = 1
            try:
                os.close(read)
                blobs = Blobs(repo)
                blobs.want(shas)
                made = []
                for sha in shas:
                    found = blobs.get(sha)
                    made.append((sha, found.keys.tobytes(), found.owners))
                    blobs.drop(sha)
                blobs.close()
                with os.fdopen(write, "wb") as out:
                    marshal.dump(made, out)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._read = read

    @staticmethod
    def wanted(count: int) -> bool:
        """Whether to fork a helper for `count` blobs: where the system can, with a core to spare."""
        if not hasattr(os, "fork") or count < HELPED:
            return False
        if FORKED is not None:
            return FORKED
        try:
            return (os.cpu_count() or 1) >= 2 and os.getloadavg()[0] < (os.cpu_count() or 1) - 0.5
        except OSError:
            return False

    def take(self, sha: str) -> _Blob | None:
        """What the helper made of a blob; None when it failed (the walk then reads the blob itself)."""
        if self._results is None:
            with os.fdopen(self._read, "rb") as pipe:
                raw = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            self._results = {}
            if os.waitstatus_to_exitcode(status) != 0 or not raw:
                self.shas.clear()
                return None
            for found, keys, owners in marshal.loads(raw):
                numbers = array("q")
                numbers.frombytes(keys)
                self._results[found] = _Blob(numbers, owners)
        self.shas.discard(sha)
        return self._results.pop(sha, None)

    def stop(self) -> None:
        """Ends the helper if it still runs (the walk failed before it was needed)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGTERM)
                os.waitpid(self._pid, 0)
            except OSError:
                pass
            self._pid = 0
            os.close(self._read)
