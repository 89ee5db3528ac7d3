"""`python -m lmsgen` and the `lmsgen` command."""

import os
import sys

from .gcpause import collector_paused, leave_at_once

with collector_paused():  # importing builds pydantic's schemas: a hundred collections finding no garbage (0.05 s)
    from .cli import main


def run() -> None:
    """Runs the command, then leaves at once: at size L a `check` holds a gigabyte of objects, and tearing them
    down one by one takes the interpreter a second. Everything the command writes is written by then (files are
    closed, caches saved); what is printed is flushed here."""
    leave_at_once()  # what a command loaded is not torn down when it returns (gcpause.keep_until_exit)
    code = main()
    if sys.getprofile() is not None or sys.gettrace() is not None:  # a profiler or coverage writes its report at exit
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe, or stderr closed after one: nothing more can be said
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
