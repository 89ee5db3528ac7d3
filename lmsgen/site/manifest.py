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

**Where it lives.** Not in the site, nor anywhere else in the repository's working tree, where a pull
request could commit one that names files it also committed: with the parse cache, in the git folder
(or the user's cache folder), one file per output folder (`cache.store.cache_home`), read and written
through `writing.Tree`, never through a link.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache.store import cache_home
from ..writing import Tree
from .pages import Shell

FORMAT = 1
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

    def reusable(self, unit: str, digest: str, site: Tree, out: str) -> list[str] | None:
        """The files of `unit` in the old site at `out`, when its digest is `digest` and they are all as this
        build left them; None when the unit must be rendered."""
        kept = self.units.get(unit)
        if kept is None or kept[0] != digest:
            return None
        for path in kept[1]:
            try:
                found = site.lstat(f"{out}/{path}")
            except OSError:  # writing.Refused: a link on the way
                return None
            if found is None or file_stat(found) != self.stats.get(path):
                return None
        return kept[1]

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "units": self.units, "stats": self.stats,
                "shells": {str(depth): [list(shell.before), list(shell.after)] for depth, shell in self.shells.items()},
                "public_pages": self.public_pages, "public_warnings": self.public_warnings}

    @classmethod
    def from_json(cls, data: Any) -> Manifest | None:
        """The manifest `data` holds, or None for anything else (another format, a damaged file)."""
        try:
            if data.get("format") != FORMAT:
                return None
            units = {str(unit): (str(digest), [str(path) for path in files])
                     for unit, (digest, files) in data["units"].items()}
            stats = {str(path): (int(ino), int(size), int(mtime)) for path, (ino, size, mtime) in data["stats"].items()}
            if not all(map(_below, stats)) or not all(_below(path) for _, files in units.values() for path in files):
                return None
            shells = {int(depth): Shell(tuple(map(str, before)), tuple(map(str, after)))
                      for depth, (before, after) in data["shells"].items()}
            return cls(units, stats, shells, int(data["public_pages"]), [str(w) for w in data["public_warnings"]])
        except (AttributeError, KeyError, TypeError, ValueError):
            return None


def _below(path: str) -> bool:
    """Whether `path` names a file below the site's folder: relative, without `..` or empty parts."""
    return all(part not in ("", ".", "..") for part in path.split("/"))


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
        super().__init__(root, out, "build", ".json")

    def read(self) -> Manifest | None:
        raw = self.read_bytes()
        try:
            return None if raw is None else Manifest.from_json(json.loads(raw))
        except ValueError:
            return None

    def write(self, manifest: Manifest | None) -> None:
        """Keeps `manifest`, or with None forgets the one kept; never fails the build (the next one is full)."""
        if manifest is None:
            self.forget()
        else:
            self.write_bytes(json.dumps(manifest.to_json(), separators=(",", ":")).encode())
