"""Work an incremental build does in a forked process beside the rest (docs/site.md, "Incremental builds").

After one person's change, an incremental build writes again the files that count everyone (the exports, the
vendors' report) while it renders the few changed portals and dashboards and links the rest: on two cores, the
two are done at once. The forked process inherits everything the build made until then (the organisation, the
status rows), writes its files into the staging folder (this build's own), and hands back, marshalled through a
pipe, what the build keeps of them for the next one (the exports' index). `join` waits for it; a failure in it is
the build's failure (`OSError`, so the last good site stays), and a build that fails meanwhile ends it (`stop`).
Where the system cannot fork, or has one core, the work is done at once in the build's own process.
"""

from __future__ import annotations

import marshal
import os
import signal
from collections.abc import Callable
from typing import Any

FORKED = True
"""Whether the work is forked where it can be (a test that watches the work in its own process sets it False)."""


class Beside:
    """`work()` (whose result marshal can keep) done in a forked process until `join`, or at once without one."""

    def __init__(self, work: Callable[[], Any], *, fork: bool = True):
        self._pid = 0
        self._result: Any = None
        if not (fork and FORKED) or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
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
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.close(self._reader)
            os.waitpid(pid, 0)
