"""The organisation of a demo: its team tree and its people, written to ``org.yaml`` and ``teams/<team>/team.yaml``.

There is about one team per 33 people, nested as one root team (the Executive Office), up to
four divisions, departments and teams below them (depth up to 4). Every team has its manager and
leaf teams are bigger. People are numbered contiguously per team and the first member of each team
is its manager, so a team's members are a range of numbers. About a third of the non-managers have
a mentor in their own team. Teams and people come from one random stream, in that order.
"""

from __future__ import annotations

import random
from itertools import accumulate

from ._common import Days, Writer, scalar

_FIRST_NAMES = (
    "Aaron Ada Adele Adrian Agnes Aisha Alan Alba Alex Alice Amara Amir Ana Andrea Anna Anton "
    "Aria Arjun Astrid Ben Bianca Boris Bruno Camille Carla Carlos Carol Chen Chiara Clara "
    "Daniel Dana Dario David Diego Dmitri Elena Elif Elias Emil Emma Erik Erin Eva Fatima "
    "Felix Finn Freya Gabriel Grace Hana Hannah Hugo Ida Igor Ines Irene Isaac Ivan Jakob "
    "James Jana Javier Jonas Julia Kai Karim Kate Klara Lara Lea Leo Lina Lucas Luca Lukas "
    "Maja Malik Marek Maria Marta Mateo Maya Mia Mila Milan Nadia Nina Noah Nora Olga Omar "
    "Oscar Paula Pedro Petra Priya Rafael Rosa Ruth Sami Sara Simon Sofia Tariq Theo Tomas "
    "Una Vera Viktor Yara Yusuf Zara Zoe"
).split()

_LAST_NAMES = (
    "Abbas Adler Almeida Andersen Arslan Bauer Becker Berg Bianchi Blom Brandt Costa Cruz "
    "Dahl Diaz Dubois Eriksen Fischer Fontaine Garcia Gomez Hahn Hansen Haas Horvat Hughes "
    "Ibrahim Jansen Jensen Kaya Keller Klein Kovac Kowalski Kraus Lang Larsen Lehmann Lopez "
    "Lund Marino Martin Meyer Moreau Moser Muller Nagy Navarro Neumann Nielsen Novak Nowak "
    "Olsen Ortiz Park Pereira Petrov Popescu Quinn Ramos Reyes Ricci Roth Russo Santos "
    "Schmidt Schulz Silva Singh Sousa Stein Suzuki Svensson Tanaka Torres Vogel Wagner Walsh "
    "Weber Wolf Yilmaz Young Zhang Ziegler"
).split()

_LOCATIONS = ("berlin", "lisbon", "london", "madrid", "paris", "warsaw", "remote")

# (name, the profiles its members draw from) of each division.
_DIVISIONS = (
    ("Engineering", ("engineer", "engineer", "engineer", "designer", "analyst")),
    ("Sales", ("sales", "sales", "support", "analyst")),
    ("Operations", ("support", "operations", "operations", "analyst")),
    ("People and Finance", ("hr", "finance", "analyst")),
    ("Product", ("designer", "analyst", "engineer")),
    ("Marketing", ("marketing", "designer", "analyst")),
)
_ROOT_PROFILES = ("analyst", "hr", "finance", "operations")

_TITLES = {
    "engineer": ("Software Engineer", "Senior Software Engineer", "Staff Engineer",
                 "Site Reliability Engineer", "Data Engineer"),
    "designer": ("Product Designer", "Senior Product Designer", "UX Researcher"),
    "analyst": ("Business Analyst", "Data Analyst", "Senior Analyst"),
    "sales": ("Account Executive", "Sales Development Representative", "Account Manager"),
    "support": ("Support Specialist", "Customer Success Manager", "Support Engineer"),
    "operations": ("Operations Specialist", "Logistics Coordinator", "Facilities Manager"),
    "hr": ("HR Business Partner", "Recruiter", "People Operations Specialist"),
    "finance": ("Accountant", "Financial Controller", "Payroll Specialist"),
    "marketing": ("Marketing Manager", "Content Strategist", "Brand Designer"),
}

_TEAM_AREAS = (
    "Platform", "Payments", "Data", "Mobile", "Web", "Search", "Identity", "Billing",
    "Infrastructure", "Security", "Analytics", "Growth", "Checkout", "Logistics", "Partners",
    "Enterprise", "Field Sales", "Inside Sales", "Customer Care", "Onboarding", "Recruiting",
    "Payroll", "Controlling", "Procurement", "Facilities", "Brand", "Content", "Events",
    "Research", "Design Systems", "Quality", "Reliability", "Integrations", "Marketplace",
)
_TEAM_KINDS = ("Team", "Squad", "Group", "Unit", "Lab", "Crew", "Hub")

_ORG_YAML = (
    "name: Acme Corp\n"
    "git: {host: github, repo: https://github.com/acme/learning, branch: main}\n"
    "currency: EUR\n"
    "timezone: Europe/Berlin\n"
    "expiring_within_days: 60\n"
)


class Teams:
    """The team tree as lists indexed by team number: 0 is the root, 1 to ``divisions`` the divisions."""

    def __init__(self, rng: random.Random, people: int) -> None:
        count = max(1, round(people / 33))
        width = max(4, len(str(count)))
        self.count = count
        self.ids = [f"t{i + 1:0{width}d}" for i in range(count)]
        self.divisions = min(4, count - 1)
        self.parent, self.depth, self.division = self._draw_tree(rng)
        """Each team's parent (-1 at the root), depth, and division (1 to ``divisions``; -1 at the root)."""
        self.names = self._draw_names(rng)
        self.location = [rng.choice(_LOCATIONS[:-1]) for _ in range(count)]
        self.size = self._draw_sizes(rng, people)
        self.manager = list(accumulate(self.size[:-1], initial=0))
        """Number of each team's manager, its first member: a team's members are :meth:`members`."""

    def members(self, team: int) -> range:
        """The numbers of the team's people, its manager first."""
        first = self.manager[team]
        return range(first, first + self.size[team])

    def _draw_tree(self, rng: random.Random) -> tuple[list[int], list[int], list[int]]:
        """Parents, depths and divisions: the divisions below the root; then departments (three a division, or a
        fifth of the rest if more) spread evenly over the divisions; the other teams below a department or, now
        and then, below a team of depth 3."""
        count = self.count
        divisions = self.divisions
        parent = [-1] * count
        depth = [0] * count
        division = [-1] * count
        for t in range(1, divisions + 1):
            parent[t], depth[t], division[t] = 0, 1, t
        rest = count - 1 - divisions
        n2 = rest if rest <= divisions * 3 else max(divisions * 3, rest // 5)
        level2: list[int] = []
        level3: list[int] = []
        for j in range(rest):
            t = 1 + divisions + j
            if j < n2:
                p = 1 + (j % divisions)
            elif level3 and rng.random() < 0.15:
                p = rng.choice(level3)
            else:
                p = rng.choice(level2)
            parent[t], depth[t], division[t] = p, depth[p] + 1, division[p]
            (level2 if depth[t] == 2 else level3 if depth[t] == 3 else []).append(t)
        return parent, depth, division

    def _draw_names(self, rng: random.Random) -> list[str]:
        """Unique team names."""
        names: list[str] = []
        seen: dict[str, int] = {}
        for t in range(self.count):
            if t == 0:
                name = "Executive Office"
            elif self.depth[t] == 1:
                name = _DIVISIONS[t - 1][0]
            else:
                name = f"{rng.choice(_TEAM_AREAS)} {rng.choice(_TEAM_KINDS)}"
            n = seen.get(name, 0) + 1
            seen[name] = n
            names.append(name if n == 1 else f"{name} {n}")
        return names

    def _draw_sizes(self, rng: random.Random, people: int) -> list[int]:
        """Every team gets its manager; the rest is spread with leaf teams bigger."""
        count = self.count
        weights = [(0.3, 0.4, 0.7, 1.0, 1.0)[self.depth[t]] * rng.uniform(0.5, 1.5) for t in range(count)]
        size = [1] * count
        if people > count:
            for t in rng.choices(range(count), weights=weights, k=people - count):
                size[t] += 1
        return size


class People:
    """The teams and the people, each person's data a list indexed by person number (size L has 100,000)."""

    def __init__(self, rng: random.Random, count: int, days: Days) -> None:
        self.count = count
        self.days = days
        self.teams = Teams(rng, count)
        self.ids: list[str] = []
        self.names: list[str] = []
        self.logins: list[str] = []
        self.team: list[int] = []
        self.start: list[int] = []
        """Start date of each person as a day ordinal."""
        self.profile: list[str] = []
        self.location: list[str] = []
        self.title: list[str] = []
        self._draw_people(rng)
        self.mentor = self._draw_mentors(rng)
        """Each person's mentor, or -1."""
        self.approver = self._approvers()
        """Each person's approving manager, or -1 at the top."""

    def _draw_people(self, rng: random.Random) -> None:
        teams = self.teams
        today = self.days.today
        id_count: dict[str, int] = {}
        logins_seen: set[str] = set()
        for t in range(teams.count):
            div = teams.division[t]
            profiles = _DIVISIONS[div - 1][1] if div > 0 else _ROOT_PROFILES
            for j in range(teams.size[t]):
                first = rng.choice(_FIRST_NAMES)
                last = rng.choice(_LAST_NAMES)
                base = f"{first}-{last}".lower()
                n = id_count.get(base, 0) + 1
                id_count[base] = n
                ident = base if n == 1 else f"{base}-{n}"  # bases have no digits: unique
                login = f"{first[0]}{last}".lower()
                g = 1
                while login in logins_seen:
                    g += 1
                    login = f"{first[0]}{last}{g}".lower()
                logins_seen.add(login)
                if j == 0:
                    profile = "manager"
                    title = self._manager_title(t)
                    start = today - rng.randint(400, 12 * 365)
                else:
                    profile = rng.choice(profiles)
                    title = rng.choice(_TITLES[profile])
                    start = today - min(12 * 365, 7 + int(rng.expovariate(1 / 1000)))
                self.ids.append(ident)
                self.names.append(f"{first} {last}")
                self.logins.append(login)
                self.team.append(t)
                self.start.append(start)
                self.profile.append(profile)
                self.location.append(teams.location[t] if rng.random() < 0.7 else rng.choice(_LOCATIONS))
                self.title.append(title)

    def _manager_title(self, t: int) -> str:
        depth = self.teams.depth[t]
        if depth == 0:
            return "Chief Executive Officer"
        if depth == 1:
            return f"Vice President {self.teams.names[t]}"
        if depth == 2:
            return f"Head of {self.teams.names[t]}"
        return "Team Lead"

    def _draw_mentors(self, rng: random.Random) -> list[int]:
        """Another member of the same team, for about a third of the non-managers."""
        mentor = [-1] * self.count
        for t in range(self.teams.count):
            members = self.teams.members(t)
            if len(members) < 2:
                continue
            lo, hi = members.start, members.stop
            for i in range(lo + 1, hi):
                if rng.random() < 0.35:
                    m = rng.randrange(lo, hi - 1)
                    mentor[i] = m if m < i else m + 1
        return mentor

    def _approvers(self) -> list[int]:
        manager, parent = self.teams.manager, self.teams.parent
        approver = []
        for i, t in enumerate(self.team):
            m = manager[t]
            if m == i:
                m = manager[parent[t]] if parent[t] >= 0 else -1
            approver.append(m)
        return approver

    def write(self, writer: Writer) -> None:
        """Write org.yaml and teams/<team>/team.yaml."""
        writer.write("org.yaml", _ORG_YAML)
        teams = self.teams
        ids, names, logins, mentor = self.ids, self.names, self.logins, self.mentor
        iso_date = self.days.iso_date
        for t in range(teams.count):
            parts = [f"name: {scalar(teams.names[t])}\n"]
            if teams.parent[t] >= 0:
                parts.append(f"parent: {teams.ids[teams.parent[t]]}\n")
            parts.append(f"manager: {ids[teams.manager[t]]}\nmembers:\n")
            for i in teams.members(t):
                ident = ids[i]
                m = mentor[i]
                parts.append(
                    f"  - {{id: {ident}, name: {names[i]}, email: {ident.replace('-', '.')}@acme.example, "
                    f"git: {logins[i]}, profile: {self.profile[i]}, location: {self.location[i]}, "
                    f"start_date: {iso_date(self.start[i])}, title: {scalar(self.title[i])}"
                    f"{f', mentor: {ids[m]}' if m >= 0 else ''}}}\n")
            writer.write(f"teams/{teams.ids[t]}/team.yaml", "".join(parts))
