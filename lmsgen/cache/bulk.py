"""The store's large entries, in a file of their own beside the cache file, each read only when asked for.

At size L the cache holds half a gigabyte, nearly all of it each records file's parsed form and summary, which
a warm `check` never reads (it reads the files that changed, and the findings of the others): reading,
verifying and decoding them all cost a `check` after a one-file change a second and as much memory. So an entry
of `BULK_MIN` bytes or more is written to the bulk file, and the cache file keeps, under its key, its *slot*:
(offset, length, SHA-256 digest, packed: `Slot`). `get` reads the slot with one `pread` and checks the digest before decoding.

The cache file names its bulk file, which has a random name of its own (`<cache file>.<random>.bulk`): a bulk
file is never written in place, so a cache file never points into a bulk file written for another, and a run
killed between writing the two leaves only a file that no cache file names (removed by the next full write).
A slot whose bytes do not verify (damaged, cut short, the file gone) is an entry not found: derived again.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterable, Iterator

BULK_MIN = 256
"""Entries this long or longer go to the bulk file: parsed files, records summaries. The findings of a records
file, which every warm run reads, and its validity stay in the cache file."""

MAGIC = b"lmsgen memo bulk 1\n"
SUFFIX = ".bulk"
_PIECE = 1024 * 1024

Slot = bytes
"""Where an entry is in the bulk file: offset and length (`_SLOT`), then the SHA-256 digest of its bytes, packed in
one bytes object (a tuple of three costs four objects to read back, 200,000 times at size L)."""
_SLOT = struct.Struct("<QQ")
_SLOT_SIZE = _SLOT.size + 32


def packed_slot(offset: int, length: int, digest: bytes) -> Slot:
    """The slot of an entry of `length` bytes at `offset`, whose SHA-256 digest is `digest`."""
    return _SLOT.pack(offset, length) + digest


class BulkFile:
    """A bulk file open for reading (or none: every slot is then not found)."""

    def __init__(self, fd: int | None = None, size: int = 0):
        self._fd = fd
        self.size = size

    def read(self, slot: object, *, verify: bool = True) -> bytes | None:
        """The bytes of `slot`, or None when it is not a slot, cannot be read, or (with `verify`) does not verify."""
        if self._fd is None or type(slot) is not bytes or len(slot) != _SLOT_SIZE:
            return None
        offset, length = _SLOT.unpack_from(slot)
        digest = slot[_SLOT.size:]
        if offset < len(MAGIC) or offset + length > self.size:
            return None
        try:
            raw = os.pread(self._fd, length, offset)
        except OSError:
            return None
        if len(raw) != length or verify and hashlib.sha256(raw).digest() != digest:
            return None
        return raw

    def close(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                os.close(fd)
            except OSError:
                pass

    def __del__(self) -> None:  # a store is dropped when its run ends: a server's runs must not leak descriptors
        self.close()


def opened(fd: int) -> BulkFile:
    """The bulk file open at `fd` (which it then owns), or an empty one when it does not start as one does."""
    try:
        size = os.fstat(fd).st_size
        if os.pread(fd, len(MAGIC), 0) == MAGIC:
            return BulkFile(fd, size)
    except OSError:
        pass
    os.close(fd)
    return BulkFile()


def pieces(entries: Iterable[tuple[str, bytes | None, object]], old: BulkFile, slots: dict[str, Slot]) -> Iterator[bytes]:
    """The bytes of a new bulk file, in pieces of about a megabyte, holding `entries`: (key, bytes, None) for an
    entry at hand, or (key, None, slot) for one to copy from the `old` bulk file (one that cannot be read there is
    left out). Each entry's slot goes into `slots` as its piece is made."""
    yield MAGIC
    offset = len(MAGIC)
    batch: list[bytes] = []
    size = 0
    for key, raw, slot in entries:
        digest = None
        if raw is None:
            raw = old.read(slot, verify=False)  # copied as it is: a damaged entry stays one, and is not found
            if raw is None:
                continue
            digest = slot[_SLOT.size:]  # type: ignore[index]
        slots[key] = packed_slot(offset, len(raw), digest or hashlib.sha256(raw).digest())
        offset += len(raw)
        batch.append(raw)
        size += len(raw)
        if size >= _PIECE:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)
