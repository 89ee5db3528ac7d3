"""What names content: git's blob id for a file's bytes, a digest of lmsgen's own code, a file's stat key."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import pydantic

from .. import __version__

StatKey = tuple[int, int, int, int]
"""(size, modification and change times in ns, inode) of a working-tree file: like git's index, the change
time catches an edit whose modification time was put back (`rsync -a`, `touch -r`)."""


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes as a blob, so a working-tree file and its committed blob share it."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


@functools.cache
def code_digest() -> str:
    """A digest of lmsgen's version and code and of pydantic's version, for results derived by lmsgen (a file found
    valid, a file's findings): one build of lmsgen never trusts what another derived, even at one version."""
    digest = hashlib.blake2b(f"{__version__} {pydantic.VERSION}".encode(), digest_size=16)
    for path in sorted(Path(__file__).parents[1].rglob("*.py")):  # none where only compiled files are installed
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stat_key(stat: os.stat_result) -> StatKey:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


