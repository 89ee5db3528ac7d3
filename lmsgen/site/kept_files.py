"""The last site's files an incremental build takes over: checked, and hard-linked into the staging folder, in a
process of their own while the build computes and renders (docs/site.md, "Incremental builds").

At 100,000 people an incremental build takes over 110,000 files: each must be found as the last build wrote it (a
`stat` from the descriptor of its folder, never through a link), and then linked into the staging folder, into a
folder made for it (making 100,000 folders is most of what `cp -al` of such a site costs). On one core that is
seconds after everything else; with a core to spare, `KeptFiles` forks a process when the build has read the last
build's manifest, and that process

1. stats every file the manifest names, folder by folder (`staging.spoiled`), and hands back the few that are not
   as the last build wrote them (replaced, removed, changed, a link on the way): `take` renders their units again;
2. links each kept person's files (their folder `people/<id>`, their feed, their badges' assertions) as soon as the
   build knows which people are kept (`link_early`), while it renders the rest, and so each kept team's dashboard
   (`teams/<id>`): no file the build writes is one of theirs, since every path of a person's or a team's unit
   names them (their folder; a token made from their id);
3. links the other kept units' files (the public pages, the pages that count everyone) once the build has rendered
   everything (`finish`), so that a file the build writes is always a new one.

Each file is linked only when it is a regular file with the inode the manifest gives it (`staging.link_kept`: a
`Refused` there fails the build, and the last good site stays). The process is told what to link through a pipe
(unit names, marshalled) and hands back, through another, the files that were not as written and those that stood;
should the build fail, `stop` ends it before the staging folder is removed. Without a core to spare, or where the
system cannot fork (`beside.forking`), everything is done in the build's own process, the linking last.
"""

from __future__ import annotations

import gc
import marshal
import os
import select
import struct
from typing import Any

from .beside import end, forking
from .manifest import Manifest
from .staging import link_kept, spoiled

_FOLDER = os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_PATH", os.O_RDONLY)
_LENGTH = struct.Struct("<Q")
_END = "end"
_EARLY = "early"


class KeptFiles:
    """The files of the last site `old` (a descriptor, which this takes over) that the build into the staging folder
    `site` (an absolute path) takes over, as `previous` (its manifest) names them; `label` names the last site in a
    refusal."""

    def __init__(self, old: int, site: str, previous: Manifest, label: str):
        self._old, self._site, self._previous, self._label = old, site, previous, label
        self._spoiled: set[str] | None = None
        self._later: list[str] = []
        self._sent: list[str] = []
        self._pid = 0
        if forking():
            self._fork()

    # --- what the build asks ----------------------------------------------------------------------------------

    def spoiled(self) -> set[str]:
        """The files of the manifest that are not as the last build wrote them (their units are rendered again)."""
        if self._spoiled is None:
            if self._pid:
                self._spoiled = set(self._receive())
            else:
                self._spoiled = set(spoiled(self._old, list(self._previous.stats), self._previous.stats))
        return self._spoiled

    def link_early(self, units: list[str]) -> None:
        """Links the files of the kept person and team units `units` now, beside the rest of the build (only units
        whose paths name their person or team: nothing the build renders is among them); without a process of its
        own, at `finish`."""
        if self._pid and units:
            self._sent += units
            self._send((_EARLY, units))
        else:
            self._later += units

    def finish(self, units: list[str]) -> tuple[list[str], list[str]]:
        """Links the files of the other kept `units`, once everything is rendered, and waits for all the linking;
        returns the files linked and those that stood (rendered by this build after all). OSError: the linking
        failed (`staging.Refused`: a file that is not the one the last build wrote)."""
        try:
            if self._pid:
                self._send((_END, units))
                stood: list[str] = self._receive()
                self._wait()
            else:
                stood = self._link(self._later + units)
            units = self._sent + self._later + units
            files = [path for unit in units for path in self._previous.units[unit][1]]
            standing = set(stood)
            return [path for path in files if path not in standing], stood
        finally:
            self.stop()

    def stop(self) -> None:
        """Ends the process if it is still going (the build failed meanwhile), and lets go of the last site."""
        if self._pid:
            pid, self._pid = self._pid, 0
            end(pid)
            self._close_pipes()
        if self._old >= 0:
            os.close(self._old)
            self._old = -1

    # --- the work -----------------------------------------------------------------------------------------------

    def _link(self, units: list[str]) -> list[str]:
        files = [path for unit in units for path in self._previous.units[unit][1]]
        if not files:
            return []
        new = os.open(self._site, _FOLDER)
        try:
            return link_kept(self._old, new, files, self._previous.stats, self._label)[1]
        finally:
            os.close(new)

    def _fork(self) -> None:
        commands, self._commands = os.pipe()
        self._answers, answers = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the build's code
            code = 1
            try:
                gc.disable()  # it makes little garbage, and a collection would copy every page of the build's objects
                os.close(self._commands)
                os.close(self._answers)
                self._commands, self._answers = commands, answers
                self._serve(parent)
                code = 0
            finally:
                os._exit(code)
        os.close(commands)
        os.close(answers)
        self._pid = pid

    def _serve(self, parent: int) -> None:
        """The forked process: the files not as written, then the linking it is told, then the files that stood."""
        try:
            self._answer(("+", spoiled(self._old, list(self._previous.stats), self._previous.stats)))
            stood: list[str] = []
            while True:
                kind, units = self._command(parent)
                stood += self._link(units)
                if kind == _END:
                    break
            self._answer(("+", stood))
        except BaseException as problem:  # noqa: BLE001 - handed to the build, which fails
            self._answer(("-", f"{type(problem).__name__}: {problem}"))

    def _command(self, parent: int) -> Any:
        """The next command; the process ends when the build is gone (and cannot say so)."""
        while not select.select([self._commands], [], [], 1.0)[0]:
            if os.getppid() != parent:
                os._exit(1)
        return _read(self._commands)

    def _answer(self, message: Any) -> None:
        _write(self._answers, message)

    def _send(self, message: Any) -> None:
        try:
            _write(self._commands, message)
        except OSError:  # the process ended: `_receive` says why
            pass

    def _receive(self) -> Any:
        try:
            kind, value = _read(self._answers)
        except (EOFError, OSError, ValueError, TypeError):
            self.stop()
            raise OSError("the process that links the last site's files ended without finishing") from None
        if kind != "+":
            self.stop()
            raise OSError(f"the last site's files could not be linked: {value}")
        return value

    def _wait(self) -> None:
        pid, self._pid = self._pid, 0
        os.waitpid(pid, 0)
        self._close_pipes()

    def _close_pipes(self) -> None:
        os.close(self._commands)
        os.close(self._answers)


def _write(fd: int, message: Any) -> None:
    payload = marshal.dumps(message)
    view = memoryview(_LENGTH.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view):]


def _read(fd: int) -> Any:
    (length,) = _LENGTH.unpack(_exactly(fd, _LENGTH.size))
    return marshal.loads(_exactly(fd, length))


def _exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
