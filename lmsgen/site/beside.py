"""Work an incremental build does in a forked process beside the rest (docs/site.md, "Incremental builds").

After one person's change, an incremental build writes again the files that count everyone (the exports, the
vendors' report) while it renders the few changed portals and dashboards and links the rest: on two cores, the
two are done at once. The forked process inherits everything the build made until then (the organisation, the
status rows), writes its files into the staging folder (this build's own), and hands back, marshalled through a
pipe, what the build keeps of them for the next one (the exports' index). `join` waits for it; a failure in it is
the build's failure (`OSError`, so the last good site stays), and a build that fails meanwhile ends it (`stop`).
Where the system cannot fork, or has no core to spare (`forking`), the work is done at once in the build's own
process.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.pool import Pool
from typing import Any

FORKED: bool | None = None
"""Whether work is forked: None when a core is spare (`forking`); True or False always (the tests)."""


def forking() -> bool:
    """Whether to fork work beside the build: where the system can, with a core to spare (on a busy machine a forked
    process only adds the cost of copying the pages both processes touch, and the work takes as long)."""
    if not hasattr(os, "fork"):
        return False
    if FORKED is not None:
        return FORKED
    cores = os.cpu_count() or 1
    try:
        return cores >= 2 and os.getloadavg()[0] < cores - 0.5
    except OSError:
        return False


class Beside:
    """`work()` (whose result marshal can keep) done in a forked process until `join`, or at once without one."""

    def __init__(self, work: Callable[[], Any], *, fork: bool = True):
        self._pid = 0
        self._result: Any = None
        if not (fork and forking()):
            self._result = work()
            return
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the work, its result down the pipe, then gone without running the parent's code
            code = 1
            try:
                os.close(reader)
                try:
                    payload = b"+" + marshal.dumps(work())
                except BaseException as problem:  # noqa: BLE001 - handed to the parent, which raises it
                    payload = b"-" + f"{type(problem).__name__}: {problem}".encode(errors="replace")
                view = memoryview(payload)
                while view:
                    view = view[os.write(writer, view):]
                code = 0
            finally:
                os._exit(code)
        os.close(writer)
        self._pid, self._reader = pid, reader

    def join(self) -> Any:
        """The work's result, once it is done; OSError when it failed."""
        if not self._pid:
            return self._result
        chunks = []
        try:
            while chunk := os.read(self._reader, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self._reader)
            pid, self._pid = self._pid, 0
            _, status = os.waitpid(pid, 0)
        payload = b"".join(chunks)
        if os.waitstatus_to_exitcode(status) != 0 or not payload:
            raise OSError("the process that wrote the exports ended without finishing")
        if payload[:1] != b"+":
            raise OSError(f"the exports could not be written: {payload[1:].decode(errors='replace')}")
        return marshal.loads(payload[1:])

    def stop(self) -> None:
        """Ends the work if it is still going (the build failed meanwhile)."""
        if self._pid:
            pid, self._pid = self._pid, 0
            os.close(self._reader)
            end(pid)


def end(pid: int) -> None:
    """Ends the forked process `pid` if it is still going, and waits for it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def forked_pool(workers: int) -> Pool:
    """A pool of `workers` forked processes that inherit this one's objects. The inherited objects are kept out of the
    children's collections (`gc.freeze`): a child that collected them would walk every one, and copy each page of
    them it touched."""
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(workers)
    finally:
        gc.unfreeze()
