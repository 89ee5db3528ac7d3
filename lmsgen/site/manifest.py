"""The build manifest: what each part of the last good site was rendered from, so the next build renders only
what changed (docs/site.md, "Incremental builds").

The site is made of units, each a set of files rendered together from one digest (`page_inputs`): a
person's portal (with their calendar page and feed), a team's dashboard, the pages that count everyone,
and the public pages mkdocs renders. The manifest keeps, per unit, its digest and its files, and per
file the inode, size and modification time it had when the build wrote it. A unit whose digest is
unchanged, and whose files are all still the very files that build wrote, is not rendered again:
its files are hard-linked from the old site into the new one, which then takes the old one's place
whole, as a full build's does. Any other unit, a missing or damaged manifest, or a changed one, is
rendered anew; nothing in the manifest can make a build show what its data does not say, only make
it render more.

**How it is kept.** marshalled (a few hundred milliseconds less than JSON at 100,000 people, each way), after a
SHA-256 digest of what follows it: a damaged file, or one of another Python (whose marshal may differ: the name says
which), is no manifest, and the next build renders everything. Its paths are checked once, all together, to name
files below the site (`_all_below`).

**Where it lives.** Not in the site, nor anywhere else in the repository's working tree, where a pull
request could commit one that names files it also committed: with the parse cache, in the git folder
(or the user's cache folder), one file per output folder (`cache.store.cache_home`), read and written
through `writing.Tree`, never through a link.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..cache.store import cache_home
from ..writing import Tree
from .pages import Shell

FORMAT = 2
_MAGIC = b"lmsgen manifest %d\n" % FORMAT
_DIGEST = 32
PUBLIC = "public"
"""The unit of the pages mkdocs renders (with its search index, assets and shells)."""
EVERYONE = "everyone"
"""The unit of the pages that count everyone: directories, reports, exports, rosters, badges."""


def person_unit(person: str) -> str:
    return f"person:{person}"


def team_unit(team: str) -> str:
    return f"team:{team}"


FileStat = tuple[int, int, int]
"""(inode, size, modification time in ns) of a file as the build wrote it."""


def file_stat(found: os.stat_result) -> FileStat:
    return (found.st_ino, found.st_size, found.st_mtime_ns)


@dataclass
class Manifest:
    """The last good build of one output folder: each unit's digest and files, each file's stat, and what the
    public unit gave the rest of the build (its shells, page count and warnings)."""

    units: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    stats: dict[str, FileStat] = field(default_factory=dict)
    shells: dict[int, Shell] = field(default_factory=dict)
    public_pages: int = 0
    public_warnings: list[str] = field(default_factory=list)

    def reusable(self, unit: str, digest: str, spoiled: Callable[[], set[str]]) -> list[str] | None:
        """The files of `unit` in the old site, when its digest is `digest` and they are all as this build left them
        (none of them in `spoiled()`: `staging.spoiled`); None when the unit must be rendered."""
        kept = self.units.get(unit)
        if kept is None or kept[0] != digest:
            return None
        found = spoiled()
        if found and not found.isdisjoint(kept[1]):
            return None
        return kept[1]

    def to_bytes(self) -> bytes:
        payload = marshal.dumps((FORMAT, self.units, self.stats,
                                 {depth: (shell.before, shell.after) for depth, shell in self.shells.items()},
                                 self.public_pages, self.public_warnings))
        return _MAGIC + hashlib.sha256(payload).digest() + payload

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest | None:
        """The manifest `raw` holds, or None for anything else (another format, a damaged file, a path out of the
        site)."""
        start = len(_MAGIC) + _DIGEST
        payload = memoryview(raw)[start:]
        if not raw.startswith(_MAGIC) or hashlib.sha256(payload).digest() != raw[len(_MAGIC):start]:
            return None
        try:
            form, units, stats, shells, public_pages, public_warnings = marshal.loads(payload)
            if form != FORMAT or not isinstance(units, dict) or not isinstance(stats, dict):
                return None
            if not all(type(digest) is str and type(files) is list for digest, files in units.values()):
                return None
            if not all(type(stat) is tuple and len(stat) == 3 for stat in stats.values()):
                return None
            if not _all_below(list(stats)) or not all(path in stats for _, files in units.values() for path in files):
                return None
            return cls(units, stats, {int(depth): Shell(tuple(before), tuple(after))
                                      for depth, (before, after) in shells.items()},
                       int(public_pages), [str(warning) for warning in public_warnings])
        except (AttributeError, EOFError, TypeError, ValueError):
            return None


_OUT = re.compile(r"(?:^|/)\.{0,2}(?:/|$)", re.M)
"""An empty, `.` or `..` part of a path, one path a line."""


def _all_below(paths: list[str]) -> bool:
    """Whether each of `paths` names a file below the site's folder: a string, relative, without `..`, `.` or empty
    parts, and without a line break or a NUL (checked all at once: one search through them joined)."""
    if not paths:
        return True
    if not all(type(path) is str for path in paths):
        return False
    joined = "\n".join(paths)
    return "\0" not in joined and joined.count("\n") == len(paths) - 1 and _OUT.search(joined) is None


class BuildFile:
    """A file that a build into `out` keeps for the next one (its manifest, its pieces), in the cache folder of the
    organisation at `root`: never in the site or the working tree, where a pull request could commit one."""

    def __init__(self, root: Path, out: Path, kind: str, suffix: str):
        home = cache_home(root)
        self.home = home[0] if home else None
        name = hashlib.sha256(os.fsencode(out.absolute())).hexdigest()[:32]
        self.rel = f"{home[1]}/{kind}-{name}{suffix}" if home else ""

    def read_bytes(self) -> bytes | None:
        """What is kept, or None when nothing is (or there is no cache folder)."""
        if self.home is None:
            return None
        try:
            with Tree(self.home) as tree:
                return tree.read(self.rel)
        except (OSError, ValueError):
            return None

    def write_bytes(self, *parts: bytes, stream: Iterable[bytes] = (), patch: Callable[[], bytes] | None = None
                    ) -> None:
        """Keeps `parts`, one after the other, then what `stream` gives (`Tree.write`, as `patch`); never fails the
        build (the next one does without)."""
        self._change(lambda tree: tree.write(self.rel, *parts, stream=stream, patch=patch))

    def forget(self) -> None:
        """Removes what is kept."""
        self._change(lambda tree: tree.remove(self.rel))

    def _change(self, change) -> None:
        if self.home is None:
            return
        try:
            with Tree(self.home) as tree:
                change(tree)
        except (OSError, ValueError):
            pass


class ManifestStore(BuildFile):
    """Where the manifest of the site built from `root` into `out` is kept (see the module)."""

    def __init__(self, root: Path, out: Path):
        super().__init__(root, out, "build", f"-py{sys.version_info.major}{sys.version_info.minor}.marshal")

    def read(self) -> Manifest | None:
        raw = self.read_bytes()
        return None if raw is None else Manifest.from_bytes(raw)

    def write(self, manifest: Manifest | None) -> None:
        """Keeps `manifest`, or with None forgets the one kept; never fails the build (the next one is full)."""
        if manifest is None:
            self.forget()
        else:
            self.write_bytes(manifest.to_bytes())
        if self.rel:  # the JSON manifest lmsgen kept before this format, for the same site
            self._change(lambda tree: tree.remove(self.rel.rsplit("-py", 1)[0] + ".json"))
