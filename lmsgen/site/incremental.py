"""One build's use of the last one: which units it takes over as they are, and the manifest it leaves.

`build` asks `take` for each unit before rendering it: with the unit's digest unchanged and its
files untouched (`manifest.Manifest.reusable`), the unit is not rendered, and once every other unit
is, `finish` hard-links its files from the old site into the staging folder (`staging`: the
person folders are made meanwhile by a forked process). Linking last means that a file the build
writes is always a new one, never the old site's through a link. `finish` walks what this build
rendered before linking, and knows the linked files' stats from the manifest: each file is put in
its unit by its path, and the new manifest records the units' digests and the files' stats. Without a previous manifest (a first build, `--no-cache`), every unit
is rendered: that is a full build, and it leaves a manifest for the next.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..writing import Tree
from . import staging
from .beside import Beside
from .manifest import EVERYONE, PUBLIC, FileStat, Manifest, file_stat, person_unit, team_unit
from .pages import Shell
from .pieces import Pieces, PieceStore
from .staging import Premade

PERSON = person_unit("")
_FOLDER = os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_PATH", os.O_RDONLY)


@dataclass
class Written:
    """How many files a build wrote, and how many it took over from the last build unchanged."""

    wrote: int = 0
    kept: int = 0


@dataclass
class Incremental:
    """The units of one build: `previous` is the manifest of the site at `out` (None: render everything)."""

    tree: Tree
    out: str
    staging: str
    previous: Manifest | None
    digests: dict[str, str] = field(default_factory=dict)
    taken: dict[str, list[str]] = field(default_factory=dict)
    public_files: set[str] = field(default_factory=set)
    pages: dict[str, str] = field(default_factory=dict)
    """The pages that are units of their own (`page_units`), by path."""
    pieces: Pieces = field(default_factory=Pieces)
    """Everyone's status rows, completions and export pieces, as the last build left them (`pieces`)."""
    premade: Premade | None = None
    beside: Beside | None = None
    """The files that count everyone, being written meanwhile (`beside`)."""
    store: PieceStore | None = None
    """Where the pieces are kept for the next build."""
    pieces_kept: bool = False
    """Whether the pieces were kept already (by the process that wrote the exports)."""
    """The person folders being made in the staging folder meanwhile (`premake`)."""

    def take(self, unit: str, digest: str) -> bool:
        """Whether `unit`, whose pages are rendered from `digest`, is taken over from the last build (`finish` links
        its files into the staging folder); False: render it."""
        self.digests[unit] = digest
        files = self.previous.reusable(unit, digest, self.tree, self.out) if self.previous else None
        if files is None:
            return False
        self.taken[unit] = files
        if unit == PUBLIC:  # what mkdocs rendered is known by name alone
            self.public_files = set(files)
        return True

    def take_page(self, path: str, digest: str) -> bool:
        """`take` for the page at `path`, a unit of its own (`page_units`)."""
        unit = self.pages[path] = f"page:{path}"
        return self.take(unit, digest)

    @property
    def previous_files(self) -> int:
        """How many files the last build wrote (0 without a manifest)."""
        return len(self.previous.stats) if self.previous else 0

    def public_shells(self) -> tuple[dict[int, Shell], int, list[str]]:
        """What the public unit gave the last build, when it was taken over."""
        assert self.previous is not None
        return self.previous.shells, self.previous.public_pages, self.previous.public_warnings

    def note_public_files(self, folder: str) -> None:
        """The files mkdocs just rendered into the staging folder `folder` (an absolute path) are the public unit's."""
        self.public_files = set(_files(folder))

    def premake(self, site: str, people: list[str]) -> None:
        """Starts making the folders of `people` in the staging folder `site` (absolute) beside the rendering, when
        the last build's files are to be linked into it (`staging.Premade`)."""
        if self.previous is not None and people:
            self.premade = Premade(site, people)

    def folders_made(self) -> None:
        """Waits for the folders `premake` makes."""
        if self.premade is not None:
            self.premade.wait()
            self.premade = None

    def finish(self, folder: str, owners: dict[str, str], shells: dict[int, Shell], public_pages: int,
               public_warnings: list[str], ignored: frozenset[str]) -> tuple[Manifest, Written]:
        """The manifest of the site staged in `folder` (absolute), and what was written. `owners`: the person each
        file outside their folder is theirs (a feed, a badge's assertion); `ignored`: files in no unit (the marker)."""
        self.folders_made()
        assert self.previous is not None or not self.taken
        kept_people = {unit[len(PERSON):] for unit in self.taken if unit.startswith(PERSON)}
        stats = staging.rendered_files(folder, kept_people)  # before linking: what this build wrote
        kept = 0
        if self.taken:
            assert self.previous is not None
            files = [path for paths in self.taken.values() for path in paths]
            old, new = self.tree.open_folder(self.out), os.open(folder, _FOLDER)
            try:
                linked, stood = staging.link_kept(old, new, files, self.previous.stats, self.out)
            finally:
                os.close(old)
                os.close(new)
            for path in linked:
                stats[path] = self.previous.stats[path]  # a link has its file's inode, size and time
            for path in stood:  # rendered into a kept person's folder, which was not walked
                if path not in stats:
                    stats[path] = file_stat(os.lstat(os.path.join(folder, path)))
            kept = len(linked)
        units: dict[str, list[str]] = {}
        for path in ignored:
            stats.pop(path, None)
        for path in stats:
            units.setdefault(self._unit_of(path, owners), []).append(path)
        manifest = Manifest({unit: (self.digests[unit], sorted(files)) for unit, files in units.items()
                             if unit in self.digests}, stats, shells, public_pages, public_warnings)
        return manifest, Written(len(stats) - kept, kept)

    def _unit_of(self, path: str, owners: dict[str, str]) -> str:
        if path in self.public_files:
            return PUBLIC
        if path in owners:
            return person_unit(owners[path])
        if path in self.pages:
            return self.pages[path]
        parts = path.split("/")
        if parts[0] == "people" and len(parts) > 2:
            return person_unit(parts[1])
        if parts[0] == "teams" and len(parts) > 2:
            return team_unit(parts[1])
        return EVERYONE


def _files(folder: str, known: dict[str, FileStat] | None = None) -> dict[str, FileStat]:
    """Every file below `folder` (a staging folder, which this build made), by its path, with its stat (as `known`
    gives it for the files linked from the last site)."""
    found = {}
    known = known or {}
    start = len(folder) + 1
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            rel = path[start:]
            stat = known.get(rel)
            found[rel] = stat if stat is not None else file_stat(os.lstat(path))
    return found
