"""How many processors lmsgen may keep busy: the fewest of the machine's, the process's CPU affinity, and the CPU
quota of the container it runs in.

`os.cpu_count()` counts the machine's processors. A CI job in a container limited to 2 CPUs (GitLab's
Docker executor, a Kubernetes runner) on a 32-core host would fork 32 workers, each with its share of memory,
and run them on 2 CPUs' worth of time. The quota is read as loky's `cpu_count` reads it (the cgroup the container
sees mounted at `/sys/fs/cgroup`, version 2 then 1), without importing a process-pool library for it.
"""

from __future__ import annotations

import functools
import math
import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")


@functools.cache
def usable() -> int:
    """The processors this process may keep busy, at least 1 (see the module)."""
    return usable_under(CGROUP)


def usable_under(cgroup: Path) -> int:
    """`usable`, with the container's quota read from the cgroup folder `cgroup`."""
    machine = os.cpu_count() or 1
    try:
        affinity = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        affinity = machine
    return max(1, min(machine, affinity, _quota(cgroup) or machine))


def _quota(cgroup: Path) -> int | None:
    """The CPU quota in processors, rounded up (1.5 CPUs keep 2 busy part of the time), or None: no quota."""
    try:
        quota, period = (cgroup / "cpu.max").read_text(encoding="ascii").split()  # version 2: "max 100000"
    except (OSError, ValueError):
        try:
            quota = (cgroup / "cpu" / "cpu.cfs_quota_us").read_text(encoding="ascii").strip()  # version 1: "-1"
            period = (cgroup / "cpu" / "cpu.cfs_period_us").read_text(encoding="ascii").strip()
        except OSError:
            return None
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:  # "max": no quota
        return None
    return math.ceil(quota_us / period_us) if quota_us > 0 and period_us > 0 else None
