"""One build's use of the last one: which units it takes over as they are, and the manifest it leaves.

`build` asks `take` for each unit before rendering it: with the unit's digest unchanged and its
files untouched (`manifest.Manifest.reusable`, from what `kept_files` found), the unit is not
rendered, and its files are hard-linked from the old site into the staging folder (`kept_files`: a
kept person's or team's as soon as the people or the teams are decided, `link_early`, by a process of its
own beside the rendering; the others' once every other unit is rendered, so that a file the build writes is always a
new one, never the old site's through a link). `finish` walks what this build rendered, and knows the
linked files' stats from the manifest: each file is put in its unit by its path, and the new manifest
records the units' digests and the files' stats. Without a previous manifest (a first build,
`--no-cache`), every unit is rendered: that is a full build, and it leaves a manifest for the next.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..writing import Tree
from . import staging
from .beside import Beside
from .kept_files import KeptFiles
from .manifest import EVERYONE, PUBLIC, FileStat, Manifest, file_stat, person_unit, team_unit
from .pages import Shell
from .pieces import Pieces, PieceStore

PERSON = person_unit("")
TEAM = team_unit("")


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
    beside: Beside | None = None
    """The files that count everyone, being written meanwhile (`beside`)."""
    store: PieceStore | None = None
    """Where the pieces are kept for the next build."""
    pieces_kept: bool = False
    """Whether the pieces were kept already (by the process that wrote the exports)."""
    kept_files: KeptFiles | None = None
    """The last site's files: checked, and linked into the staging folder (`kept_files`)."""
    early: set[str] = field(default_factory=set)
    """The units taken whose files were handed to `kept_files` early (`link_early`)."""

    def __post_init__(self) -> None:
        if self.previous is None:
            return
        try:
            old = self.tree.open_folder(self.out)
        except OSError:  # no last site (removed), or a link: everything is rendered
            self.previous = None
            return
        self.kept_files = KeptFiles(old, os.path.join(self.tree.root, self.staging), self.previous, self.out)

    def take(self, unit: str, digest: str) -> bool:
        """Whether `unit`, whose pages are rendered from `digest`, is taken over from the last build (its files are
        linked into the staging folder); False: render it."""
        self.digests[unit] = digest
        if self.previous is None or self.kept_files is None:
            return False
        files = self.previous.reusable(unit, digest, self.kept_files.spoiled)
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

    def link_early(self) -> None:
        """Links the files of the people and teams taken over so far into the staging folder now, beside the rendering
        (their paths name them: no file the build renders is one of theirs; `kept_files`)."""
        if self.kept_files is not None:
            units = [unit for unit in self.taken if unit.startswith((PERSON, TEAM)) and unit not in self.early]
            self.early.update(units)
            self.kept_files.link_early(units)

    def stop(self) -> None:
        """Ends the linking beside the rendering (the build failed), and lets go of the last site."""
        if self.kept_files is not None:
            self.kept_files.stop()

    def finish(self, folder: str, owners: dict[str, str], shells: dict[int, Shell], public_pages: int,
               public_warnings: list[str], ignored: frozenset[str]) -> tuple[Manifest, Written]:
        """The manifest of the site staged in `folder` (absolute), and what was written. `owners`: the person each
        file outside their folder is theirs (a feed, a badge's assertion); `ignored`: files in no unit (the marker)."""
        assert self.previous is not None or not self.taken
        known: dict[str, FileStat] = {}
        stood: list[str] = []
        if self.kept_files is not None:
            assert self.previous is not None
            linked, stood = self.kept_files.finish([unit for unit in self.taken if unit not in self.early])
            previous = self.previous.stats
            known = {path: previous[path] for path in linked}  # a link has its file's inode, size and time
        skip: dict[str, set[str]] = {"people": set(), "teams": set()}  # folders holding nothing but linked files
        for unit in self.taken:
            if unit.startswith(PERSON):
                skip["people"].add(unit[len(PERSON):])
            elif unit.startswith(TEAM):
                skip["teams"].add(unit[len(TEAM):])
        stats = staging.rendered_files(folder, skip, known)
        stats.update(known)  # the linked files in the folders not walked
        for path in stood:  # rendered into a kept unit's folder, which was not walked
            if path not in stats:
                stats[path] = file_stat(os.lstat(os.path.join(folder, path)))
        for path in ignored:
            stats.pop(path, None)
        rendered: dict[str, list[str]] = {}
        for path in stats:
            if path not in known:  # a linked file is its unit's, as in the last build
                rendered.setdefault(self._unit_of(path, owners), []).append(path)
        standing = set(stood)
        units = {unit: [path for path in files if path not in standing] if standing else files
                 for unit, files in self.taken.items()}
        for unit, files in rendered.items():
            units[unit] = sorted(units[unit] + files) if unit in units else sorted(files)
        manifest = Manifest({unit: (self.digests[unit], files) for unit, files in units.items()
                             if unit in self.digests and files}, stats, shells, public_pages, public_warnings)
        return manifest, Written(len(stats) - len(known), len(known))

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
