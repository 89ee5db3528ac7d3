"""Reading and writing files below a root folder without ever following a symbolic link.

The organisation repository is a pull request's checkout, so any name in it may be a link that
points out of it (`.github -> /etc`, a `requests` folder -> someone's home). Every file lmsgen
writes, and every file it reads by name rather than by walking the tree (CODEOWNERS, its own
cache), goes through a `Tree`: the root is opened as given (the person running lmsgen named
it), and below it each folder is opened relative to the one before with `O_NOFOLLOW`, missing
folders are made with `mkdir` relative to their parent, files are opened with `O_NOFOLLOW`, and a
file is replaced atomically by writing a temporary name beside it and renaming it over the old
one. A link, or anything else where a folder or a regular file belongs, is refused with
`Refused`, which names the path at fault; nothing is ever written or read through it.

Folders are held open while a tree is used (the last few, so that writing thousands of files into
a few hundred folders opens each folder once), which is why a `Tree` is a context manager.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import shutil
import stat
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

LINK = "symbolic links are not followed; replace it with the {} itself"
"""Why a link is refused, with `file` or `folder`: the words the loader uses for a linked data file."""
NOT_FOLDER = "not a folder: lmsgen needs a folder here; move the file out of the way"
NOT_REGULAR = "not a regular file: lmsgen reads and writes regular files only; remove it, or replace it with one"

_FOLDER = os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_PATH", os.O_RDONLY)
"""Opens a folder for use as `dir_fd` alone (O_PATH where there is one: no read permission needed)."""
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
"""O_NONBLOCK: opening a pipe returns at once (and is then refused) instead of waiting for a writer."""
_APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_OPEN_FOLDERS = 64
"""Enough that a folder in use is never closed while the ones below it are opened (paths are far shallower)."""


class Refused(OSError):
    """A path lmsgen will not read or write through: `path` (relative to the tree's root) is a symbolic
    link, or not the folder or regular file it needs to be; `reason` says so and how to fix it."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Tree:
    """The files below `root`, read and written without following any link below it (see the module)."""

    def __init__(self, root: Path | str):
        self.root = os.fspath(root)
        self._folders: OrderedDict[str, int] = OrderedDict()

    def __enter__(self) -> Tree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Closes the folders held open."""
        while self._folders:
            os.close(self._folders.popitem()[1])

    # --- writing --------------------------------------------------------------------------------

    def write(self, rel: str, *chunks: bytes, exclusive: bool = False, stream: Iterable[bytes] = (),
              patch: Callable[[], bytes] | None = None) -> None:
        """Writes the `chunks` one after the other to the file `rel`, making missing folders. The file is
        replaced atomically (a link or other non-folder there is replaced, never followed); with
        `exclusive`, it must not exist yet (FileExistsError, also for a link). The chunks `stream` gives, made
        one at a time, follow them. `patch()`, asked once every chunk is written, gives the bytes written over
        the file's start (a digest of what follows it, known only then)."""
        chunks = itertools.chain(chunks, stream)  # type: ignore[assignment]
        folder, name = self._split(rel)
        fd = self._folder(folder, create=True)
        if exclusive:
            self._write_new(fd, name, chunks, patch)
            return
        temporary = self._unused_name(name, ".tmp")
        try:
            self._write_new(fd, temporary, chunks, patch)
            os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary, dir_fd=fd)
            raise

    def append(self, rel: str, data: bytes) -> None:
        """Appends `data` to the regular file `rel`, made if missing."""
        folder, name = self._split(rel)
        fd = self._folder(folder, create=True)
        handle = self._open(fd, name, rel, _APPEND, "file")
        try:
            _write_all(handle, data)
        finally:
            os.close(handle)

    def remove(self, rel: str) -> None:
        """Removes the file (or link) `rel`, if there is one."""
        folder, name = self._split(rel)
        try:
            os.unlink(name, dir_fd=self._folder(folder, create=False))
        except FileNotFoundError:
            pass

    def new_folder(self, parent: str, stem: str, suffix: str) -> str:
        """Makes a new folder in `parent` with an unused hidden name (`.<stem>.<random><suffix>`), readable
        by its owner alone; returns its path."""
        parent = self._clean(parent)
        fd = self._folder(parent, create=True)
        while True:
            name = self._unused_name(stem, suffix)
            try:
                os.mkdir(name, 0o700, dir_fd=fd)
            except FileExistsError:
                continue
            return f"{parent}/{name}" if parent else name

    def rename(self, source: str, target: str) -> None:
        """Renames `source` to `target` (either may be a folder); a link at either is renamed, not followed."""
        source_folder, source_name = self._split(source)
        target_folder, target_name = self._split(target)
        os.replace(source_name, target_name, src_dir_fd=self._folder(source_folder, create=False),
                   dst_dir_fd=self._folder(target_folder, create=True))

    def link(self, source: str, target: str) -> None:
        """Gives the regular file `source` a second name, `target` (a hard link: no byte is copied), making
        missing folders; neither is followed if it is a link, and a link at `source` is refused."""
        source_folder, source_name = self._split(source)
        target_folder, target_name = self._split(target)
        source_fd = self._folder(source_folder, create=False)
        found = os.lstat(source_name, dir_fd=source_fd)
        if not stat.S_ISREG(found.st_mode):
            raise Refused(source, NOT_REGULAR)
        os.link(source_name, target_name, src_dir_fd=source_fd, dst_dir_fd=self._folder(target_folder, create=True),
                follow_symlinks=False)

    def link_out(self, source: str, target: str) -> None:
        """As `link`, to `target`, a path outside the tree in a folder that exists and needs no care (one the caller
        made for itself, as a build's staging folder): the target's folders are neither opened nor made here."""
        folder, name = self._split(source)
        source_fd = self._folder(folder, create=False)
        if not stat.S_ISREG(os.lstat(name, dir_fd=source_fd).st_mode):
            raise Refused(source, NOT_REGULAR)
        os.link(name, target, src_dir_fd=source_fd, follow_symlinks=False)

    def remove_tree(self, rel: str, *, threads: int = 1) -> None:
        """Removes the folder `rel` and everything in it, links removed and never followed; errors are ignored.

        With `threads`, the folders two levels down (a site's `people/<id>`, ...) are removed by that many
        threads at once: on a virtual disk, removing tens of thousands of files is waiting, not computing."""
        try:
            folder, name = self._split(rel)
            parent = self._folder(folder, create=False)
            if threads > 1:
                _remove_below(parent, name, threads)
            shutil.rmtree(name, dir_fd=parent, ignore_errors=True)
        except OSError:
            pass

    # --- reading --------------------------------------------------------------------------------

    def read(self, rel: str) -> bytes:
        """The bytes of the regular file `rel` (FileNotFoundError when it or a folder above it is missing)."""
        folder, name = self._split(rel)
        handle = self._open(self._folder(folder, create=False), name, rel, _READ, "file")
        with open(handle, "rb") as opened:
            return opened.read()

    def open_file(self, rel: str) -> int:
        """A descriptor of the regular file `rel`, opened for reading without following a link (the caller closes
        it; FileNotFoundError when it or a folder above it is missing)."""
        folder, name = self._split(rel)
        return self._open(self._folder(folder, create=False), name, rel, _READ, "file")

    def lstat(self, rel: str) -> os.stat_result | None:
        """The status of `rel` itself (of a link, not its target), or None when it or a folder above it is missing."""
        folder, name = self._split(rel)
        try:
            return os.stat(name, dir_fd=self._folder(folder, create=False), follow_symlinks=False)
        except FileNotFoundError:
            return None

    def open_folder(self, rel: str) -> int:
        """A new descriptor of the folder `rel` ('' is the root), each step opened without following a link, for use
        as `dir_fd` alone (the caller closes it; FileNotFoundError when it is missing)."""
        return os.dup(self._folder(self._clean(rel), create=False))

    def names(self, rel: str) -> list[str]:
        """The names in the folder `rel`."""
        folder, name = self._split(rel)
        parent = self._folder(folder, create=False)
        handle = self._open(parent, name, rel, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, "folder")
        try:
            return os.listdir(handle)
        finally:
            os.close(handle)

    # --- folders --------------------------------------------------------------------------------

    def _folder(self, rel: str, *, create: bool) -> int:
        """A descriptor of the folder `rel` ('' is the root), each step opened without following a link."""
        found = self._folders.get(rel)
        if found is not None:
            self._folders.move_to_end(rel)
            return found
        if not rel:
            fd = os.open(self.root, os.O_DIRECTORY | os.O_CLOEXEC | getattr(os, "O_PATH", os.O_RDONLY))
        else:
            parent, name = rel.rpartition("/")[::2]
            parent_fd = self._folder(parent, create=create)
            try:
                fd = self._open(parent_fd, name, rel, _FOLDER, "folder")
            except FileNotFoundError:
                if not create:
                    raise
                try:
                    os.mkdir(name, dir_fd=parent_fd)
                except FileExistsError:
                    pass  # made meanwhile, or a dangling link, which the open below refuses
                fd = self._open(parent_fd, name, rel, _FOLDER, "folder")
        self._folders[rel] = fd
        if len(self._folders) > _OPEN_FOLDERS:
            os.close(self._folders.popitem(last=False)[1])
        return fd

    def _open(self, parent: int, name: str, rel: str, flags: int, kind: str) -> int:
        """Opens `name` in the folder `parent`; a link, or not a `kind` (file or folder), is refused."""
        try:
            fd = os.open(name, flags, 0o666, dir_fd=parent)
        except (FileNotFoundError, FileExistsError, PermissionError):
            raise
        except OSError:  # ELOOP or ENOTDIR from O_NOFOLLOW and O_DIRECTORY: say what is there
            found = os.stat(name, dir_fd=parent, follow_symlinks=False)
            if stat.S_ISLNK(found.st_mode):
                raise Refused(rel, LINK.format(kind)) from None
            raise Refused(rel, NOT_FOLDER if kind == "folder" else NOT_REGULAR) from None
        if kind == "file" and not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise Refused(rel, NOT_REGULAR)
        return fd

    # --- names ----------------------------------------------------------------------------------

    @staticmethod
    def _clean(rel: str) -> str:
        parts = [part for part in rel.split("/") if part not in ("", ".")]
        if ".." in parts:
            raise ValueError(f"{rel}: a path below the root cannot climb out of it")
        return "/".join(parts)

    def _split(self, rel: str) -> tuple[str, str]:
        clean = self._clean(rel)
        if not clean:
            raise ValueError("the root itself is not a file")
        folder, _, name = clean.rpartition("/")
        return folder, name

    @staticmethod
    def _unused_name(stem: str, suffix: str) -> str:
        return f".{stem.lstrip('.')}.{secrets.token_hex(6)}{suffix}"

    @staticmethod
    def _write_new(folder: int, name: str, chunks: tuple[bytes, ...], patch: Callable[[], bytes] | None = None
                   ) -> None:
        fd = os.open(name, _NEW, 0o666, dir_fd=folder)
        try:
            for chunk in chunks:
                _write_all(fd, chunk)
            if patch is not None:
                head = patch()
                if os.pwrite(fd, head, 0) != len(head):
                    raise OSError(f"{name}: its start was not written whole")
        finally:
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def anchored(path: Path, root: Path) -> tuple[Path, str]:
    """Where an output folder the person named (`--out`) is written from: a folder inside the organisation
    at `root` from the root, so that no link a pull request put on the way is followed; any other from its
    parent folder, which the person chose. Returns that root and the path below it ('.' for the root)."""
    absolute = Path(os.path.abspath(path))
    try:
        return root, absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.parent, absolute.name


_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _remove_below(parent: int, name: str, threads: int) -> None:
    """Removes the folders two levels below `name` (in the folder `parent`) with `threads` threads, each opened
    without following a link (a link is left for `shutil.rmtree` to remove as a link); errors are ignored."""
    from concurrent.futures import ThreadPoolExecutor

    opened: list[int] = []
    work: list[tuple[int, str]] = []
    try:
        top = os.open(name, _FOLDER_FLAGS, dir_fd=parent)
        opened.append(top)
        for entry in os.scandir(top):
            if entry.is_dir(follow_symlinks=False):
                try:
                    middle = os.open(entry.name, _FOLDER_FLAGS, dir_fd=top)
                except OSError:
                    continue
                opened.append(middle)
                work += [(middle, below.name) for below in os.scandir(middle)]
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(_remove_entry, work, chunksize=64))
    except OSError:
        pass
    finally:
        for handle in opened:
            os.close(handle)


def _remove_entry(item: tuple[int, str]) -> None:
    folder, name = item
    try:
        if stat.S_ISDIR(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode):
            shutil.rmtree(name, dir_fd=folder, ignore_errors=True)
        else:
            os.unlink(name, dir_fd=folder)
    except OSError:
        pass
