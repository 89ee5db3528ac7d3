"""Putting a staged site in place of the last one, and removing the last one after.

A reader sees the old site or the new one, never half of each; a failed build never gets here, so the last good
site stays (docs/site.md)."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys

from ..writing import Tree


def swap(tree: Tree, staging: str, out: str, *, old_files: int = 0) -> None:
    """Puts the staged site in place: two renames, so a reader sees the old site or the new one, never half.

    The old site is then removed; one of more than `_REMOVE_LATER` files (`old_files`) by a process of its own,
    since removing tens of thousands of folders takes seconds the new site does not wait for. A build that
    finds an old site left over (the machine stopped) removes it first (`remove_leftovers`)."""
    if tree.lstat(out) is None:
        tree.rename(staging, out)
        return
    parent, name = posixpath.split(out)
    old = tree.new_folder(parent, name, OLD)
    tree.rename(out, old)  # over the new empty folder: the name is ours
    try:
        tree.rename(staging, out)
    except OSError:
        tree.rename(old, out)
        raise
    if old_files > _REMOVE_LATER:
        _remove_later(tree, [old])
    else:
        tree.remove_tree(old, threads=_REMOVING_THREADS)


OLD = ".lmsgen-old"
_REMOVE_LATER = 2_000
_REMOVING_THREADS = 4
"""Threads that remove a smaller old site once the new one is in place (`Tree.remove_tree`)."""


def remove_leftovers(tree: Tree, out: str) -> None:
    """Removes the old sites beside `out` that a stopped build or removal left (`.<name>.<random>.lmsgen-old`)."""
    parent, name = posixpath.split(out)
    try:
        names = tree.names(parent) if parent else os.listdir(tree.root)
    except OSError:
        return
    leftover = re.compile(rf"\.{re.escape(name.lstrip('.'))}\.[0-9a-f]{{12}}{re.escape(OLD)}")
    found = [posixpath.join(parent, found) for found in names if leftover.fullmatch(found)]
    if found:  # often the last build's, which its own remover is still removing: not waited for
        _remove_later(tree, found)


def _remove_later(tree: Tree, folders: list[str]) -> None:
    """Removes the old sites `folders` by a process of its own, which the build does not wait for: at the lowest
    priority, so that it takes no core from the build or the next one, and each folder by one process alone (a
    folder another one is removing, locked by it, is left to it)."""
    subprocess.Popen([sys.executable, "-S", "-c", _REMOVER, *(os.path.join(tree.root, folder) for folder in folders)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


_REMOVER = """
import fcntl, os, shutil, sys
os.nice(19)
for folder in sys.argv[1:]:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        continue
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        continue
    shutil.rmtree(folder, ignore_errors=True)
    os.close(fd)
"""
"""What the process that removes old sites runs (`-S`: without site-packages, it starts in a few milliseconds)."""
