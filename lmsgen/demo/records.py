"""The completion records of a demo organisation: ``teams/<team>/records/<person>.yaml``.

About 20 records per person (0 to 40), all dated in the three years before ``today`` and after
the person's start. Most people are up to date with their compliance courses; the division rules
and the trainers' onboarding are mostly completed; prerequisites come along with the courses that
need them, and a requested course is not completed yet. Every record's ``by`` is a person its
course allows. Records come from their own random stream; this is the largest part of the output
(2,000,000 records at size L), so the loop reads local names only.
"""

from __future__ import annotations

import random

from ._common import Days, Writer
from .assignments import Assignments
from .catalog import COMPLIANCE_COUNT, Catalog
from .people import People
from .requests import Requests

_RECORD_NOTES = ("Completed during onboarding", "Recorded after a team session",
                 "Imported from the previous system")
# How likely someone completed each compliance course; None: 0.6 for its audience, else rare.
_COMPLIANCE_LIKELIHOOD = (0.85, 0.7, 0.6, None, 0.4, None)


def write_records(writer: Writer, rng: random.Random, people: People, catalog: Catalog,
                  requests: Requests, assignments: Assignments, days: Days) -> int:
    """Write every person's records file (none for a person without records); return how many records."""
    rand, choice, sample = rng.random, rng.choice, rng.sample
    courses = catalog.courses
    ncomp = COMPLIANCE_COUNT
    C = len(courses)
    kmax = min(32, C - ncomp)
    pid, pteam, pstart, pprofile = people.ids, people.team, people.start, people.profile
    mentor, approver, team_ids = people.mentor, people.approver, people.teams.ids
    today = days.today
    floor = today - 3 * 365
    iso, lo_day = days.iso, days.first
    cids = [c.id for c in courses]
    modes = [c.by_mode for c in courses]
    trainers = [c.trainers for c in courses]
    prereqs = [c.prereqs for c in courses]
    scored = [c.fmt in ("elearning", "microlearning", "blended") for c in courses]
    external = [c.fmt == "external" for c in courses]
    checklists = [
        f", checklist: [{', '.join(['true'] * len(c.checklist))}]" if c.checklist else ""
        for c in courses]
    comp_p = _COMPLIANCE_LIKELIHOOD
    division_of = people.teams.division
    division_courses = {t: picks for t, (picks, *_rest) in assignments.division_rules.items()}
    onboarding = set(assignments.onboarding_people)
    onboarding_course = assignments.onboarding_course
    noncomp = range(ncomp, C)
    requested = requests.courses_of
    write = writer.write
    total = 0
    for i in range(people.count):
        lo = max(pstart[i], floor)
        hi = today - 1
        if lo > hi:
            continue
        engineer = pprofile[i] == "engineer"
        manager = pprofile[i] == "manager"
        chosen = set(sample(noncomp, int(rand() * (kmax + 1))))
        for ci in range(ncomp):
            p = comp_p[ci]
            if p is None:
                p = (0.6 if engineer else 0.05) if ci == 3 else (0.6 if manager else 0.02)
            if rand() < p:
                chosen.add(ci)
        for ci in division_courses.get(division_of[pteam[i]], ()):
            if rand() < 0.6:
                chosen.add(ci)
        if i in onboarding and rand() < 0.75:
            chosen.add(onboarding_course)
        # Prerequisites come along (they point to lower-numbered courses).
        for ci in sorted(chosen, reverse=True):
            for pr in prereqs[ci]:
                chosen.add(pr)
        for ci in requested.get(i, ()):
            chosen.discard(ci)
        me = pid[i]
        mgr = approver[i]
        men = mentor[i]
        # Pick who records each course first: a course nobody may record for this person
        # is dropped, and so are the courses that need it as a prerequisite.
        entries = []
        kept: set[int] = set()
        for ci in sorted(chosen):
            if not all(pr in kept for pr in prereqs[ci]):
                continue
            mode = modes[ci]
            trs = trainers[ci]
            tr = trs[0] if len(trs) == 1 else choice(trs)
            if tr == i:
                tr = trs[1] if len(trs) > 1 and trs[0] == i else (trs[0] if trs[0] != i else -1)
            if mode == "all":
                r = rand()
                if r < 0.8:
                    by = me
                elif r < 0.88 and mgr >= 0:
                    by = pid[mgr]
                elif r < 0.94 and men >= 0:
                    by = pid[men]
                elif tr >= 0:
                    by = pid[tr]
                else:
                    by = me
            elif mode == "tm":  # trainer, manager
                if tr >= 0 and (mgr < 0 or rand() < 0.85):
                    by = pid[tr]
                elif mgr >= 0:
                    by = pid[mgr]
                else:
                    continue
            else:  # mentor, manager, trainer
                r = rand()
                if men >= 0 and r < 0.5:
                    by = pid[men]
                elif mgr >= 0 and r < 0.9:
                    by = pid[mgr]
                elif tr >= 0:
                    by = pid[tr]
                elif men >= 0:
                    by = pid[men]
                elif mgr >= 0:
                    by = pid[mgr]
                else:
                    continue
            kept.add(ci)
            entries.append((ci, by))
        if not entries:
            continue
        # Compliance courses (no prerequisites either way) are mostly recent, so most
        # people are up to date; the other dates ascend with the course number, so a
        # prerequisite is never completed after the course that needs it.
        span = hi - lo + 1
        recent = max(lo, today - 300)
        rspan = hi - recent + 1
        ncomp_here = sum(1 for ci, _ in entries if ci < ncomp)
        record_days = [recent + int(rand() * rspan) if rand() < 0.85 else lo + int(rand() * span)
                      for _ in range(ncomp_here)]
        record_days += sorted([lo + int(rand() * span) for _ in range(len(entries) - ncomp_here)])
        dated = sorted(zip(record_days, entries))  # chronological; ties by course number
        lines = [f"person: {me}\nrecords:\n"]
        for day, (ci, by) in dated:
            extra = checklists[ci]
            if scored[ci] and rand() < 0.6:
                extra += f", score: {55 + int(rand() * 46)}"
            elif external[ci] and rand() < 0.7:
                extra += f", evidence: https://certs.example/{cids[ci]}/{me}"
            if rand() < 0.02:
                extra += f", note: {choice(_RECORD_NOTES)}"
            lines.append(f"  - {{course: {cids[ci]}, date: {iso[day - lo_day]}, by: {by}{extra}}}\n")
        n = len(lines) - 1
        if n:
            total += n
            write(f"teams/{team_ids[pteam[i]]}/records/{me}.yaml", "".join(lines))
    return total
