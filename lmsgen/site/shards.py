"""`lmsgen build --shard K/N` and `lmsgen merge-shards DIR...`: one part of the site, for one job of a CI matrix,
and the assembly of the parts (docs/sharding.md).

Shard K of N renders the portals (with their calendar pages and feeds) of the people whose stable hash falls in
part K's range, and the team dashboards of the teams whose hash does, and the groups of pages every reader shares
that the plan gives it (the public pages, the directories and reports, each large export, the other exports):
`shard_plan` spreads them so that every part weighs about the site's size divided by N. A holder's badge
assertions go with their portal. The hash is SHA-256 of the id, never Python's `hash`, so that every job, on any
machine, splits alike.

Each part is marked (`SHARD_MARKER`) with K, N and the digest of what it was built from: lmsgen's code, the
organisation's files, the commit its history is read from, the date and the options (the secrets only as a
keyed digest, which tells nothing of them). `merge` refuses parts of different builds, a part missing or given
twice, and a file that two parts both hold; it assembles the parts into a staging folder beside `--out` and
swaps it in as `build` does (`build._check_out`, `swap.swap`): the last good site stays on any failure, and
nothing is read or written through a symbolic link. N shards merged are, byte for byte, the full build
(tests/site/test_shards.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import posixpath
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..cache.digests import blob_id, code_digest
from ..errors import GitError
from ..model.organisation import Entry, Organisation, Source
from ..writing import Tree, anchored

SHARD_MARKER = ".lmsgen-shard"
"""The file that marks a folder as one part of a site: `{"shard": K, "of": N, "build": <digest>}`."""
MAX_SHARDS = 256
"""At most this many parts: GitHub Actions runs at most 256 jobs of one matrix."""
_FORMAT = 1


@dataclass(frozen=True)
class Shard:
    """Part `k` of `n` (1 <= k <= n); which pages it renders is its part of the plan (`shard_plan`)."""

    k: int
    n: int

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"


def parse(text: str) -> Shard:
    """`K/N` as a `Shard`; raises ValueError saying what is wrong."""
    k, slash, n = text.partition("/")
    if not slash or not k.isdigit() or not n.isdigit() or not k.isascii() or not n.isascii():
        raise ValueError(f"'{text}' is not a shard: give K/N, part K of N, such as 1/4")
    shard = Shard(int(k), int(n))
    if not 1 <= shard.n <= MAX_SHARDS:
        raise ValueError(f"'{text}': the number of shards N is from 1 to {MAX_SHARDS}")
    if not 1 <= shard.k <= shard.n:
        raise ValueError(f"'{text}': part K of N is from 1 to N ({shard.n})")
    return shard


@contextlib.contextmanager
def public_pages_folder(holds_public: bool, site: Path) -> Iterator[Path]:
    """Where mkdocs writes the public pages and the shells: the site, or for a shard that does not render the public
    pages (`shard_plan.PUBLIC`) a scratch folder, removed after (the shard needs only the shells)."""
    if holds_public:
        yield site
        return
    with tempfile.TemporaryDirectory(prefix="lmsgen-shard-") as scratch:
        yield Path(scratch) / "site"


# --- what a part was built from -------------------------------------------------------------------------------

def build_digest(org: Organisation, root: Path, at: str | None, as_of: date, *, engine: str, public: bool,
                 feed_secret: str | None, badge_secret: str | None) -> str:
    """A digest of everything a build's pages follow from: lmsgen's code, the organisation's files (path and
    blob id), the commit its history is read from, the date and the options. The secrets enter only as HMACs of
    a fixed text, which tell nothing of them, so that parts built with different secrets are told apart."""
    files = sorted(_sources(org))
    described = {
        "code": code_digest(), "files": hashlib.sha256("\n".join(f"{p}\0{b}" for p, b in files).encode()).hexdigest(),
        "broken": sorted(org.broken), "commit": _commit(root, at), "as_of": as_of.isoformat(), "engine": engine,
        "public": public, "feeds": secret_digest(feed_secret), "badges": secret_digest(badge_secret),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def secret_digest(secret: str | None) -> str | None:
    """What names a secret among a build's inputs (a part's marker, the build manifest): an HMAC of a fixed text
    under it, which tells nothing of it."""
    return hmac.new(secret.encode("utf-8"), b"lmsgen shard", hashlib.sha256).hexdigest() if secret else None


def _sources(org: Organisation) -> Iterator[tuple[str, str]]:
    """(path, blob id) of every file the organisation was loaded from."""
    def walk(value: object) -> Iterator[Source]:
        if isinstance(value, Entry):
            yield value.source
        elif isinstance(value, Source):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                yield from walk(item)

    for found in dataclasses.fields(org):
        if not found.name.startswith("_"):
            for source in walk(getattr(org, found.name)):
                yield source.path, source.blob or blob_id(source.read())


def _commit(root: Path, at: str | None) -> str | None:
    """The commit the build's history (and, with `at`, its files) is read from; None outside git."""
    from ..history.repository import Repository

    try:
        with Repository(root) as repo:
            rev = at or "HEAD"
            return repo.commit_of(rev) if repo.has_commit(rev) else None
    except GitError:
        return None


def mark(site: Path, shard: Shard, digest: str) -> None:
    """Marks the staged `site` as part `shard` of the build `digest`."""
    (site / SHARD_MARKER).write_text(json.dumps({"format": _FORMAT, "shard": shard.k, "of": shard.n,
                                                 "build": digest}) + "\n", encoding="utf-8")


# --- the assembly ---------------------------------------------------------------------------------------------

class MergeError(Exception):
    """The parts do not make one site, or it could not be written; nothing was changed."""


@dataclass
class Merged:
    """What `merge` did: the parts, the files and bytes written, and the seconds it took."""

    out: Path
    shards: int
    files: int
    size: int
    seconds: float


@dataclass
class _Part:
    folder: Path
    shard: Shard
    build: str
    files: dict[str, int]
    """Each regular file's path below the part, and its size."""


def merge(root: Path, folders: list[Path], out: Path) -> Merged:
    """Assembles the parts in `folders` into `out`, atomically, as `build` writes a site (see the module).
    Raises MergeError with what is wrong, having changed nothing."""
    from .build import MARKER, MARKER_TEXT, SiteError, _check_out
    from .swap import swap

    started = time.perf_counter()
    root, out = Path(root).resolve(), Path(out).absolute()
    parts = [_read_part(Path(folder)) for folder in folders]
    _check_parts(parts, out)
    sources: dict[str, _Part] = {}
    for each in sorted(parts, key=lambda p: p.shard.k):
        for rel in each.files:
            if rel in (MARKER, SHARD_MARKER):
                continue
            if rel in sources:
                raise MergeError(f"{rel} is in both {sources[rel].folder} (shard {sources[rel].shard}) and "
                                 f"{each.folder} (shard {each.shard}): the parts of one build never share a file, "
                                 "so these are not the parts lmsgen built; build them again")
            sources[rel] = each
    within, rel_out = anchored(out, root)
    with Tree(within) as tree:
        try:
            _check_out(root, out, tree, rel_out)
        except SiteError as problem:
            raise MergeError(str(problem)) from None
        parent, name = posixpath.split(rel_out)
        try:
            within.mkdir(parents=True, exist_ok=True)
            staging = tree.new_folder(parent, name, ".lmsgen-tmp")
        except OSError as problem:
            raise MergeError(f"cannot write beside {out}: {problem.strerror or problem}") from None
        size = 0
        try:
            readers = {id(each): Tree(each.folder) for each in parts}
            try:
                for rel, each in sorted(sources.items()):
                    raw = readers[id(each)].read(rel)
                    target = within / staging / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(raw)
                    size += len(raw)
            finally:
                for reader in readers.values():
                    reader.close()
            (within / staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            swap(tree, staging, rel_out)
        except OSError as problem:
            tree.remove_tree(staging)
            raise MergeError(f"the site could not be written: {problem}") from None
        except BaseException:
            tree.remove_tree(staging)
            raise
    return Merged(out, len(parts), len(sources) + 1, size, time.perf_counter() - started)


def _read_part(folder: Path) -> _Part:
    """A part's marker and files, read without following a link below it."""
    if not folder.is_dir():
        raise MergeError(f"{folder} is not a folder")
    with Tree(folder) as tree:
        try:
            raw = tree.read(SHARD_MARKER)
        except FileNotFoundError:
            raise MergeError(f"{folder} is not a shard of a site: it has no {SHARD_MARKER} file; build one with "
                             "'lmsgen build --shard K/N' (an upload that leaves out hidden files drops it: with "
                             "actions/upload-artifact, set include-hidden-files: true)") from None
        except OSError as problem:
            raise MergeError(f"{folder}: {problem}") from None
        try:
            marker = json.loads(raw)
            shard = Shard(int(marker["shard"]), int(marker["of"]))
            build = str(marker["build"])
            if marker.get("format") != _FORMAT or not 1 <= shard.k <= shard.n:
                raise ValueError
        except (ValueError, TypeError, KeyError, AttributeError):
            raise MergeError(f"{folder}/{SHARD_MARKER} is not the marker 'lmsgen build --shard' writes; build "
                             "the shard again") from None
        try:
            files = dict(_walk(tree, ""))
        except OSError as problem:
            raise MergeError(f"{folder}: {problem}") from None
    return _Part(folder, shard, build, files)


def _walk(tree: Tree, folder: str) -> Iterator[tuple[str, int]]:
    for name in sorted(tree.names(folder) if folder else os.listdir(tree.root)):
        rel = f"{folder}/{name}" if folder else name
        found = tree.lstat(rel)
        if found is None:
            continue
        if stat.S_ISDIR(found.st_mode):
            yield from _walk(tree, rel)
        elif stat.S_ISREG(found.st_mode):
            yield rel, found.st_size
        elif stat.S_ISLNK(found.st_mode):
            raise MergeError(f"{Path(tree.root) / rel} is a symbolic link, which no shard holds and lmsgen never "
                             "follows; build the shard again")
        else:
            raise MergeError(f"{Path(tree.root) / rel} is not a regular file, which no shard holds; build the "
                             "shard again")


def _check_parts(parts: list[_Part], out: Path) -> None:
    """The parts are every part of one build, each once, and none of them is the output folder or holds it."""
    first = parts[0]
    for each in parts[1:]:
        if each.shard.n != first.shard.n:
            raise MergeError(f"{each.folder} is shard {each.shard} and {first.folder} is shard {first.shard}: "
                             "parts of one build are all of the same number of shards")
        if each.build != first.build:
            raise MergeError(f"{each.folder} (shard {each.shard}) and {first.folder} (shard {first.shard}) are parts "
                             "of different builds (other files, commit, date, options or lmsgen); build every "
                             "shard from the same commit with the same --as-of and options")
    seen: dict[int, Path] = {}
    for each in parts:
        if each.shard.k in seen:
            raise MergeError(f"shard {each.shard} is given twice: {seen[each.shard.k]} and {each.folder}")
        seen[each.shard.k] = each.folder
    missing = [f"{k}/{first.shard.n}" for k in range(1, first.shard.n + 1) if k not in seen]
    if missing:
        which = "shard " + missing[0] + " is" if len(missing) == 1 else \
            "shards " + ", ".join(missing[:-1]) + " and " + missing[-1] + " are"
        raise MergeError(f"{which} missing: give all {first.shard.n} parts of the build")
    target = out.resolve()
    for each in parts:
        folder = each.folder.resolve()
        if folder == target or target in folder.parents or folder in target.parents:
            raise MergeError(f"--out {out} would replace the shard {each.folder}; choose a folder apart from them")
