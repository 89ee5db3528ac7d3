"""Filling an incremental build's staging folder with the last site's unchanged files, fast (docs/site.md,
"Incremental builds").

An incremental build renders the few pages whose inputs changed into a new staging folder, and hard-links every
other file from the last site into it, so that the new site can take the old one's place whole while the old one
stays as it was until then. At 10,000 people that is 10,000 folders to make and 11,000 files to link: making the
folders is most of the time (each is a block on the disk): `kept_files` does it in a process of its own, with

- `spoiled`, which finds the files that are not as the last build wrote them, folder by folder as below;
- `link_kept` links the kept files folder by folder, from descriptors of the folders on both sides: each folder is
  opened once, the old site's without following a link (`O_NOFOLLOW`, each step from the one before), the staging
  folder's made with `mkdir` from its parent's descriptor when it is missing; a file is linked only when it is a
  regular file with the inode the manifest gives it (the very file the last build wrote), never through a link;
- `rendered_files` walks only what this build rendered: the folders of the people whose portal was kept (and of
  the teams whose dashboard was) hold only what is linked into them, so they are not walked.
"""

from __future__ import annotations

import os
import stat

from ..writing import NOT_REGULAR, Refused
from .manifest import FileStat, file_stat

_FOLDER = os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_PATH", os.O_RDONLY)
PEOPLE = "people"


class _Descent:
    """The folders on the way to one folder below `root` (a descriptor), opened one step at a time and kept open while
    the next folder shares them; with `make`, a missing folder is made (the staging folder, this build's own)."""

    def __init__(self, root: int, make: bool, label: str):
        self.root, self.make, self.label = root, make, label
        self.parts: list[str] = []
        self.fds: list[int] = []

    def to(self, parts: list[str]) -> int:
        common = 0
        while common < len(self.parts) and common < len(parts) and self.parts[common] == parts[common]:
            common += 1
        self._close_from(common)
        for part in parts[common:]:
            parent = self.fds[-1] if self.fds else self.root
            self.fds.append(self._open(parent, part))
            self.parts.append(part)
        return self.fds[-1] if self.fds else self.root

    def _open(self, parent: int, name: str) -> int:
        try:
            return os.open(name, _FOLDER, dir_fd=parent)
        except FileNotFoundError:
            if not self.make:
                raise
            try:
                os.mkdir(name, dir_fd=parent)
            except FileExistsError:
                pass
            return os.open(name, _FOLDER, dir_fd=parent)
        except OSError:  # ELOOP or ENOTDIR: a link or a file where a folder belongs
            raise Refused("/".join([self.label, *self.parts, name]), "not a folder, or a symbolic link") from None

    def _close_from(self, keep: int) -> None:
        while len(self.fds) > keep:
            os.close(self.fds.pop())
            self.parts.pop()

    def close(self) -> None:
        self._close_from(0)


def _by_folder(files: list[str]) -> dict[str, list[str]]:
    by_folder: dict[str, list[str]] = {}
    for path in files:
        folder, _, name = path.rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    return by_folder


def spoiled(old: int, files: list[str], stats: dict[str, FileStat]) -> list[str]:
    """Those of `files` (paths below the old site's folder `old`, a descriptor) that are not as `stats` gives them:
    missing, not a regular file, another inode, size or time, or behind a link or a file where a folder belongs."""
    found: list[str] = []
    source = _Descent(old, False, "")
    try:
        by_folder = _by_folder(files)
        for folder in sorted(by_folder, key=lambda folder: folder.split("/")):
            names = by_folder[folder]
            prefix = f"{folder}/" if folder else ""
            try:
                fd = source.to(folder.split("/") if folder else [])
            except OSError:
                found += [prefix + name for name in names]
                continue
            for name in names:
                path = prefix + name
                try:
                    now = os.stat(name, dir_fd=fd, follow_symlinks=False)
                except OSError:
                    found.append(path)
                    continue
                if not stat.S_ISREG(now.st_mode) or file_stat(now) != stats[path]:
                    found.append(path)
    finally:
        source.close()
    return found


def link_kept(old: int, new: int, files: list[str], stats: dict[str, FileStat], label: str
              ) -> tuple[list[str], list[str]]:
    """Links each of `files` (paths below both) from the old site's folder `old` into the staging folder `new` (both
    descriptors), making the staging folders that are missing. A file is linked only when it is a regular file with
    the inode `stats` gives it, found without following a link (else `Refused`, naming it below `label`); a file that
    this build rendered already stands. Returns the files linked, and those that stood."""
    by_folder = _by_folder(files)
    source, target = _Descent(old, False, label), _Descent(new, True, "")
    linked: list[str] = []
    stood: list[str] = []
    try:
        for folder in sorted(by_folder, key=lambda folder: folder.split("/")):
            parts = folder.split("/") if folder else []
            source_fd, target_fd = source.to(parts), target.to(parts)
            prefix = f"{folder}/" if folder else ""
            for name in by_folder[folder]:
                path = prefix + name
                found = os.stat(name, dir_fd=source_fd, follow_symlinks=False)
                if not stat.S_ISREG(found.st_mode) or found.st_ino != stats[path][0]:
                    raise Refused(f"{label}/{path}", NOT_REGULAR)
                try:
                    os.link(name, name, src_dir_fd=source_fd, dst_dir_fd=target_fd, follow_symlinks=False)
                except FileExistsError:  # rendered by this build after all: the new file stands
                    stood.append(path)
                    continue
                linked.append(path)
    finally:
        source.close()
        target.close()
    return linked, stood


def rendered_files(site: str, skip: dict[str, set[str]], known: dict[str, FileStat]) -> dict[str, FileStat]:
    """Every file below the staging folder `site` (absolute, this build's own) by its path, with its stat, but in the
    folders `<top>/<id>` of the ids `skip` gives for each top folder (`people`, `teams`: those whose files are all
    linked from the last site). The stats of files in `known` (those linked) are not asked for again."""
    found: dict[str, FileStat] = {}
    start = len(site) + 1
    for directory, folders, names in os.walk(site):
        rel = directory[start:]
        skipped = skip.get(rel)
        if skipped:
            folders[:] = [name for name in folders if name not in skipped]
        prefix = f"{rel}/" if rel else ""
        for name in names:
            path = prefix + name
            stat_ = known.get(path)
            found[path] = stat_ if stat_ is not None else file_stat(os.lstat(os.path.join(directory, name)))
    return found
