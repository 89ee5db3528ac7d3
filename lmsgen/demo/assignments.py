"""What a demo organisation asks of its people, and who may do what: assignments and roles.

* ``assignments/<rule>.yaml``: six org-wide rules (five for the compliance courses, one for the
  trainers' onboarding workshop) and one rule per division;
* ``assignments/teams/<team>.yaml`` for about a quarter of the teams;
* ``roles/<role>.yaml`` for ``ld``, ``hr``, ``finance``, ``executives`` and ``admin``.

The rules are planned before anything is written, because the records follow them: the division
rules' courses and the onboarding workshop are completed by most of the people they name. Rule
dates follow the year of ``today``. The plan, the rules, the team assignments and the roles come
from one random stream, in that order.
"""

from __future__ import annotations

import random

from ._common import Days, Writer, scalar, slugify
from .catalog import Catalog
from .people import People

_ASSIGN_NOTES = ("Needed for the new service", "Before joining the on-call rotation",
                 "Team goal for this quarter")
_EXCLUDE_REASONS = ("Certified externally", "On long-term leave", "Covered by a previous employer")
_SELF_PACED = ("elearning", "microlearning", "ojt", "checklist")


class Assignments:
    """The assignment plan, drawn when made; :meth:`write` writes the rules, team assignments and roles."""

    def __init__(self, rng: random.Random, people: People, catalog: Catalog, days: Days) -> None:
        self.rng = rng
        self.people = people
        self.catalog = catalog
        self.days = days
        courses = catalog.courses
        pool = catalog.trainer_pool
        self.onboarding_people = sorted(rng.sample(pool, min(len(pool), 30)))
        """The trainers the onboarding rule names."""
        self.onboarding_course = ([ci for ci, c in enumerate(courses)
                                   if c.fmt == "workshop" and not c.prereqs][:1] or [6])[0]
        candidates = [ci for ci, c in enumerate(courses) if not c.compliance and c.fmt in _SELF_PACED]
        self.division_rules: dict[int, tuple[list[int], str, int | None, str | None]] = {}
        """(courses, from, due_days, due) of the rule of each division (by team number)."""
        for t in range(1, people.teams.divisions + 1):
            picks = sorted(rng.sample(candidates, min(len(candidates), rng.randint(1, 2))))
            start = days.iso_date(days.today - rng.randint(30, 400))
            due_days = rng.choice((30, 60, 90)) if t % 2 else None
            due = None if t % 2 else days.iso_date(days.today + rng.randint(20, 150))
            self.division_rules[t] = (picks, start, due_days, due)

    def write(self, writer: Writer) -> None:
        """Write the assignment rules, the team assignments and the roles."""
        self._write_rules(writer)
        self._write_team_assignments(writer)
        self._write_roles(writer)

    def _write_rules(self, writer: Writer) -> None:
        rng = self.rng
        c = self.catalog.courses
        ids = self.people.ids
        teams = self.people.teams
        count = self.people.count

        def people_sample(n: int) -> list[int]:
            return sorted(rng.sample(range(count), min(n, count)))

        def rule(name: str, title: str, description: str, course_ids: list[str],
                 teams=(), profiles=(), locations=(), people=(), exclude=(),
                 start: str = "", due_days: int | None = None, due: str | None = None,
                 every: int | None = None) -> None:
            parts = [f"title: {scalar(title)}\n", f"description: {scalar(description)}\n",
                     f"courses: [{', '.join(course_ids)}]\n",
                     f"audience: {{teams: [{', '.join(teams)}], profiles: [{', '.join(profiles)}], "
                     f"locations: [{', '.join(locations)}], people: [{', '.join(people)}]}}\n"]
            if exclude:
                parts.append("exclude:\n")
                for person, reason in exclude:
                    parts.append(f"  - {{person: {person}, reason: {scalar(reason)}}}\n")
            else:
                parts.append("exclude: []\n")
            parts.append(f"from: {start}\n")
            if due_days is not None:
                parts.append(f"due_days: {due_days}\n")
            if due is not None:
                parts.append(f"due: {due}\n")
            if every is not None:
                parts.append(f"every_months: {every}\n")
            writer.write(f"assignments/{name}.yaml", "".join(parts))

        y = self.days.year
        excluded = people_sample(2 if count >= 20 else 0)
        rule("code-of-conduct", "Code of conduct for everyone",
             "Everyone reads and confirms the code of conduct once a year.",
             [c[0].id], start=f"{y - 1}-01-01", due_days=30, every=12)
        rule("data-protection", "Data protection for everyone",
             "The data protection training is a certification valid for two years.",
             [c[1].id], start=f"{y - 1}-06-01", due_days=45,
             exclude=[(ids[p], rng.choice(_EXCLUDE_REASONS)) for p in excluded])
        engineering = [teams.ids[1]] if teams.divisions >= 1 else []
        rule("security-baseline", "Security baseline for engineers",
             "Engineers learn secure coding and the security basics.",
             [c[2].id, c[3].id], teams=engineering, profiles=["engineer"], start=f"{y}-01-01", due_days=30)
        locations = sorted({self.people.location[p] for p in people_sample(3)})
        rule("health-and-safety", "Health and safety on site",
             "Everyone working from an office location completes the safety training.",
             [c[4].id], locations=locations, start=f"{y}-03-01", due=f"{y}-12-31")
        rule("manager-essentials", "Manager essentials",
             "Every people manager completes the leading people course within 90 days.",
             [c[5].id], profiles=["manager"], start=f"{y}-02-01", due_days=90)
        rule("trainer-onboarding", "Onboarding for trainers",
             "Trainers take a hands-on workshop themselves before running their first session.",
             [c[self.onboarding_course].id], people=[ids[p] for p in self.onboarding_people],
             start=f"{y}-04-01", due_days=60)
        for t, (picks, start, due_days, due) in self.division_rules.items():
            name = teams.names[t]
            rule(f"division-{slugify(name)}", f"{name} essentials",
                 f"Courses everyone in {name} completes.",
                 [c[ci].id for ci in picks], teams=[teams.ids[t]],
                 start=start, due_days=due_days, due=due)

    def _write_team_assignments(self, writer: Writer) -> None:
        """assignments/teams/<team>.yaml for about a quarter of the teams."""
        rng = self.rng
        teams = self.people.teams
        ids = self.people.ids
        candidates = [c.id for c in self.catalog.courses
                      if not c.compliance and (c.fmt in _SELF_PACED or c.fmt == "webinar")]
        for t in sorted(rng.sample(range(teams.count), max(1, round(teams.count / 4)))):
            members = teams.members(t)[1:]  # not the manager
            seen: set[tuple[str, str]] = set()
            parts = ["assignments:\n"]
            for _ in range(rng.randint(1, 4)):
                who = "all" if not members or rng.random() < 0.3 else ids[rng.choice(members)]
                course = rng.choice(candidates)
                if (who, course) in seen:
                    continue
                seen.add((who, course))
                extra = ""
                if rng.random() < 0.6:
                    extra += f", due: {self.days.iso_date(self.days.today + rng.randint(-30, 120))}"
                if rng.random() < 0.2:
                    extra += f", note: {scalar(rng.choice(_ASSIGN_NOTES))}"
                parts.append(f"  - {{person: {who}, course: {course}{extra}}}\n")
            writer.write(f"assignments/teams/{teams.ids[t]}.yaml", "".join(parts))

    def _write_roles(self, writer: Writer) -> None:
        """roles/<role>.yaml: ld, hr, finance, executives and admin."""
        rng = self.rng
        count = self.people.count
        teams = self.people.teams
        # Three or more holders where possible: a holder's own slip then still has two owners.
        n = min(count, max(3, min(6, count // 2000 + 3)))
        executives = [teams.manager[t] for t in range(teams.divisions + 1)]
        while len(executives) < min(2, count):
            extra = rng.randrange(count)
            if extra not in executives:
                executives.append(extra)

        def pick(candidates: list[int], k: int) -> list[int]:
            """k holders, from the candidates who fit the role when there are enough of them."""
            if len(candidates) < k:
                candidates = list(range(count))
            return sorted(rng.sample(candidates, k))

        by_profile: dict[str, list[int]] = {}
        for i, profile in enumerate(self.people.profile):
            by_profile.setdefault(profile, []).append(i)
        roles = (
            ("ld", "Learning and Development",
             "Runs the academy: the catalog and the org-wide assignment rules.",
             ("catalog.edit", "assign.org", "reports.org"), pick(self.catalog.trainer_pool, n)),
            ("hr", "Human Resources",
             "Team membership and people data; approves external training.",
             ("people.edit", "approve.external", "reports.certifications"),
             pick(by_profile.get("hr", []), n)),
            ("finance", "Finance",
             "Approves cost-incurring requests and sets the training budgets.",
             ("approve.cost", "budget.edit"), pick(by_profile.get("finance", []), n)),
            ("executives", "Executives", "Read the division dashboards.",
             ("reports.division",), sorted(executives)),
            ("admin", "Administrators", "Roles, CODEOWNERS, org settings and CI.",
             ("roles.edit",), pick(by_profile.get("engineer", []), min(count, 2))),
        )
        for rid, name, description, grants, holders in roles:
            writer.write(f"roles/{rid}.yaml", (
                f"name: {scalar(name)}\ndescription: {scalar(description)}\n"
                f"grants: [{', '.join(grants)}]\n"
                f"holders: [{', '.join(self.people.ids[p] for p in holders)}]\n"))
