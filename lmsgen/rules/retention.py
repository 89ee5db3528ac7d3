"""Retention: whose records the organisation may no longer keep, and which files hold them.

A leaver's entry stays in their team file with `left`, so their records keep their meaning for as long as
org.yaml's `retention_years` says (7 unless set). After that, `lmsgen retention` lists them and `lmsgen
erase` removes them from the tree and from the history. A person's data is their records file, their
requests folder (requests and slips), and their name on attendance lists; their id elsewhere (as a mentor,
a role holder, who recorded someone else's completion) is the others' data, which erasure pseudonymises.

Pure: an organisation and a date in, the expired leavers out.

May import: `lmsgen.model`.
Must not import: history, integrations, demo, site or commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model.organisation import Organisation
from .dates import add_months

DEFAULT_RETENTION_YEARS = 7


@dataclass(frozen=True)
class Expired:
    """A leaver kept longer than retention allows, and the files that hold their data."""

    person: str
    name: str
    team: str
    left: date
    keep_until: date
    """The last day the records may be kept: `left` plus `retention_years`."""
    records: tuple[str, ...]
    requests: tuple[str, ...]
    attendance: tuple[str, ...]

    def as_plain(self) -> dict[str, object]:
        return {"person": self.person, "name": self.name, "team": self.team, "left": self.left.isoformat(),
                "keep_until": self.keep_until.isoformat(), "records": list(self.records),
                "requests": list(self.requests), "attendance": list(self.attendance),
                "next": f"lmsgen erase {self.person}"}


def retention_years(org: Organisation) -> int:
    return org.org.model.retention_years if org.org else DEFAULT_RETENTION_YEARS


def expired(org: Organisation, as_of: date) -> list[Expired]:
    """The people who left more than `retention_years` before `as_of`, by left date then id."""
    years = retention_years(org)
    found = []
    for person, member in org.members.items():
        left = member.person.left
        if left is None or add_months(left, 12 * years) >= as_of:
            continue
        found.append(Expired(
            person, member.person.name, member.team, left, add_months(left, 12 * years),
            tuple(sorted(e.source.path for e in org.records if e.model.person == person)),
            tuple(sorted(e.source.path for e in [*org.requests, *org.slips, *org.withdrawals, *org.admin_slips]
                         if e.ids.get("person") == person)),
            tuple(sorted(e.source.path for e in org.attendance
                         if person in e.model.attended or person in e.model.absent))))
    return sorted(found, key=lambda x: (x.left, x.person))
