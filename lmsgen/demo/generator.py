"""Deterministic synthetic organisations for benchmarks and for trying lmsgen at scale.

``write_demo(out, people)`` writes a complete, valid organisation repository (the layout and
file formats of docs/reference/) with ``people`` people into ``out``. Each part of it is drawn and
written by its own module:

* :mod:`.people`: ``org.yaml`` and ``teams/<team>/team.yaml``, about one team per 33 people;
* :mod:`.catalog`: ``catalog/<course>.yaml``, ``clamp(people / 10, 30, 5000)`` courses;
* :mod:`.requests`: the requests of about one person in six with their approval slips,
  ``attendance/`` for some past sessions and ``budgets/<year>.yaml``;
* :mod:`.records`: ``teams/<team>/records/<person>.yaml``, about 20 records per person;
* :mod:`.assignments`: ``assignments/`` (org-wide, division and team assignments) and ``roles/``;
* :mod:`.learning`: ``programs/`` (learning paths, each assigned by a rule) and ``profiles/``;
* here, last: ``.github/CODEOWNERS``, derived from the above by lmsgen's policy (as
  ``lmsgen codeowners`` would), so that ``lmsgen check`` passes on the result.

The same arguments always produce byte-identical files: all randomness comes from
``random.Random(seed)`` and dates are computed from ``today``, never from the clock. The seed
gives one independent stream to each part (people, catalog, requests, records, assignments),
so a part draws the same numbers whatever the others draw; each part is drawn before it is
written, and the later parts receive the earlier ones they refer to.
"""

from __future__ import annotations

import dataclasses
import random
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..rules import codeowners, policy
from ._common import Days, Writer
from .assignments import Assignments
from .catalog import Catalog
from .learning import write_learning
from .people import People
from .records import write_records
from .requests import Requests

__all__ = ["DemoSummary", "write_demo"]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`write_demo` wrote.

    ``records`` counts completion records (entries, not files), ``requests`` counts request
    files (not their approval slips) and ``files`` counts every file written.
    """

    people: int
    teams: int
    courses: int
    records: int
    requests: int
    files: int


def _check_out(out: Path) -> None:
    """Raise FileExistsError unless ``out`` is absent or an empty directory (a link to one is not one)."""
    if out.is_symlink():
        raise FileExistsError(f"{out} is a symbolic link, which lmsgen does not write through")
    if out.exists():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a directory")
        if any(out.iterdir()):
            raise FileExistsError(f"{out} is not empty")


def write_demo(out: Path, people: int, *, seed: int = 0,
               today: date = date(2026, 11, 23)) -> DemoSummary:
    """Writes a deterministic synthetic organisation of `people` people into `out`, which is created if need
    be and must be empty (FileExistsError otherwise).

    The organisation is valid under docs/reference/: every reference resolves, every person is in
    exactly one team, every record's ``by`` is allowed by its course, and every request has the
    approval slips its course needs. Records and requests are dated before ``today``; sessions
    lie both before and after it. The same ``out`` contents result from the same ``people``,
    ``seed`` and ``today``. Raises ValueError when ``people`` is less than 1.
    """
    if isinstance(people, bool) or not isinstance(people, int) or people < 1:
        raise ValueError(f"people must be a positive integer, not {people!r}")
    out = Path(out)
    _check_out(out)
    out.mkdir(parents=True, exist_ok=True)
    summary = _generate(out, people, seed, today)
    _write_codeowners(out)
    return dataclasses.replace(summary, files=summary.files + 1)


def _write_codeowners(out: Path) -> None:
    """Write the generated CODEOWNERS (derived by lmsgen's policy from roles/, teams/ and the
    catalog, which are all written by now), so that ``lmsgen check`` passes on the demo as is."""
    result = policy.load_inputs(out, use_cache=False)
    if policy.inputs_broken(result.organisation):
        raise RuntimeError("lmsgen demo wrote files that do not load: "
                           + "; ".join(str(d) for d in result.diagnostics[:5]))
    codeowners.write(out, policy.Policy(result.organisation))


def _generate(out: Path, count: int, seed: int, today: date) -> DemoSummary:
    """Draw and write every part but CODEOWNERS."""
    days = Days(today)
    master = random.Random(seed)
    people_rng, catalog_rng, requests_rng, records_rng, assignments_rng = (
        random.Random(master.getrandbits(64)) for _ in range(5))
    people = People(people_rng, count, days)
    catalog = Catalog(catalog_rng, people, days)
    requests = Requests(requests_rng, people, catalog, days)
    assignments = Assignments(assignments_rng, people, catalog, days)
    with closing(Writer(out)) as writer:
        people.write(writer)
        catalog.write(writer)
        requests.write(writer)
        records = write_records(writer, records_rng, people, catalog, requests, assignments, days)
        assignments.write(writer)
        write_learning(writer, people, catalog, f"{days.year}-01-01")
    return DemoSummary(people=count, teams=people.teams.count, courses=len(catalog.courses),
                       records=records, requests=len(requests.entries), files=writer.files)
