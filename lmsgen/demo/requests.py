"""The requests of a demo organisation and what follows from them: approval slips, attendance and budgets.

About one person in six has a request (``teams/<team>/requests/<person>/<req>.yaml``), for an
elective course that needs a manager's approval, dated within 90 days before ``today`` (and before
its session, when it names one). Each request comes with the approval slips its course needs: a
``.cost.yaml`` when it costs money, an ``.external.yaml`` for an external course. About half of the
past sessions have an attendance sheet (``attendance/<course>/<session>.yaml``) that lists their
requesters first. The budgets (``budgets/<year>.yaml``) are sized so that no request overspends.
Requests, slips and attendance come from one random stream, in that order.
"""

from __future__ import annotations

import random
from datetime import date

from ._common import Days, Writer, scalar
from .catalog import Catalog
from .people import People

_REASONS = (
    "Needed for the on-call rotation", "Agreed in my development plan",
    "Preparing for a new project", "Recommended by my manager",
    "Required for the customer engagement", "Career development goal for this year",
    "To mentor new joiners in this area", "Closing a skill gap from the last review",
)
_SLIP_NOTES = ("Within the team budget", "Approved as part of the development plan")


class Requests:
    """The requests, drawn when made; :meth:`write` writes them with their slips, attendance and budgets."""

    def __init__(self, rng: random.Random, people: People, catalog: Catalog, days: Days) -> None:
        self.rng = rng
        self.people = people
        self.catalog = catalog
        self.days = days
        self.entries: list[tuple[int, int, int, int]] = []
        """(person, course, session index or -1, day) of each request."""
        self.courses_of: dict[int, list[int]] = {}
        """The courses each person has requested."""
        self._session_requesters: dict[tuple[int, int], list[int]] = {}
        self._draw()

    def _draw(self) -> None:
        """About one request per six people; the first ones cover an external and a paid session."""
        rng = self.rng
        count = self.people.count
        today = self.days.today
        courses = self.catalog.courses
        electives = [i for i, c in enumerate(courses) if c.elective and c.approval == "manager"]
        externals = [i for i in electives if courses[i].fmt == "external"]
        paid_sessions = [i for i in electives if courses[i].sessions and courses[i].cost > 0]
        target = max(min(2, count - 1), round(count / 6))
        requests = self.entries
        taken: set[tuple[int, int]] = set()
        attempts = 0
        while len(requests) < target and attempts < 50 * target + 100 and electives:
            attempts += 1
            k = len(requests)
            if k == 0 and externals:
                ci = externals[0]
            elif k == 1 and paid_sessions:
                ci = paid_sessions[0]
            else:
                ci = electives[int(len(electives) * rng.random() ** 2)]
            person = rng.randrange(count)
            c = courses[ci]
            if (person, ci) in taken or (person in c.trainers and count > 1):
                continue
            si = -1
            hi = today - 1
            if c.sessions:
                future = [j for j, s in enumerate(c.sessions) if s[1] > today]
                past = [j for j, s in enumerate(c.sessions) if s[1] <= today]
                pick = future if future and (not past or rng.random() < 0.75 or k == 1) else past
                si = rng.choice(pick)
                hi = min(hi, c.sessions[si][1] - 1)
            lo = max(self.people.start[person], hi - 90)
            if lo > hi:
                continue
            taken.add((person, ci))
            requests.append((person, ci, si, rng.randint(lo, hi)))
            self.courses_of.setdefault(person, []).append(ci)
            if si >= 0:
                self._session_requesters.setdefault((ci, si), []).append(person)

    def write(self, writer: Writer) -> None:
        """Write the requests with their approval slips, the attendance sheets and the budgets."""
        self._write_requests(writer)
        self._write_attendance(writer)
        self._write_budgets(writer)

    def _write_requests(self, writer: Writer) -> None:
        rng = self.rng
        ids = self.people.ids
        team_ids = self.people.teams.ids
        for person, ci, si, day in self.entries:
            c = self.catalog.courses[ci]
            iso = self.days.iso_date(day)
            req = f"{iso[:7]}-{c.id}"
            folder = f"teams/{team_ids[self.people.team[person]]}/requests/{ids[person]}"
            kind = "external" if c.fmt == "external" else "enroll"
            parts = [f"person: {ids[person]}\n", f"course: {c.id}\n"]
            if si >= 0:
                parts.append(f"session: {c.sessions[si][0]}\n")
            parts.append(f"kind: {kind}\nreason: {scalar(rng.choice(_REASONS))}\ndate: {iso}\n")
            if c.cost > 0:
                parts.append(f"cost: {{amount: {c.cost}, currency: EUR}}\n")
            writer.write(f"{folder}/{req}.yaml", "".join(parts))
            if c.cost > 0:
                note = f"note: {scalar(rng.choice(_SLIP_NOTES))}\n" if rng.random() < 0.3 else ""
                writer.write(f"{folder}/{req}.cost.yaml",
                             f"request: {req}\namount: {{amount: {c.cost}, currency: EUR}}\n{note}")
            if kind == "external":
                writer.write(f"{folder}/{req}.external.yaml", f"request: {req}\n")

    def _write_attendance(self, writer: Writer) -> None:
        """attendance/<course>/<session>.yaml for the first past session and about half of the others."""
        rng = self.rng
        count = self.people.count
        ids, start_of = self.people.ids, self.people.start
        first = True
        for ci, c in enumerate(self.catalog.courses):
            trainers = set(c.trainers)
            for si, (sid, start, end, _place, cap) in enumerate(c.sessions):
                if end >= self.days.today or not (first or rng.random() < 0.5):
                    continue
                attended: list[int] = []
                seen: set[int] = set()
                for p in self._session_requesters.get((ci, si), ()):
                    if p not in seen and p not in trainers and len(attended) < cap:
                        seen.add(p)
                        attended.append(p)
                want = rng.randint(max(1, cap // 2), cap)
                tries = 0
                while len(attended) < want and tries < 4 * cap:
                    tries += 1
                    p = rng.randrange(count)
                    if p in seen or p in trainers or start_of[p] > start:
                        continue
                    seen.add(p)
                    attended.append(p)
                if not attended:
                    continue
                first = False
                note = "note: Signed by the trainer on the day\n" if rng.random() < 0.2 else ""
                writer.write(f"attendance/{c.id}/{sid}.yaml",
                             f"attended: [{', '.join(ids[p] for p in attended)}]\n{note}")

    def _write_budgets(self, writer: Writer) -> None:
        """budgets/<year>.yaml for this year and next (2026 and 2027 by default): one budget per
        division and one for the root team, each at least a quarter above what its requests
        commit in that year."""
        teams = self.people.teams
        headcount = list(teams.size)
        for t in range(teams.count - 1, 0, -1):
            headcount[teams.parent[t]] += headcount[t]
        committed: dict[tuple[int, int], int] = {}
        for person, ci, _si, day in self.entries:
            holder = max(0, teams.division[self.people.team[person]])
            key = (holder, date.fromordinal(day).year)
            committed[key] = committed.get(key, 0) + self.catalog.courses[ci].cost
        for year, factor in ((self.days.year, 1.0), (self.days.year + 1, 1.06)):
            lines = []
            for t in range(teams.divisions + 1):
                own = headcount[t] if t else teams.size[0]  # the root pays for its own members
                amount = max(1000, round(own * 900 * factor, -3),
                             -(-committed.get((t, year), 0) * 5 // 4000) * 1000)
                lines.append(f"{teams.ids[t]}: {{amount: {amount:.0f}, currency: EUR}}\n")
            writer.write(f"budgets/{year}.yaml", "".join(lines))
