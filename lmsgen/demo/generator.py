"""Deterministic synthetic organisations for benchmarks and for trying lmsgen at scale.

``write_demo(out, people)`` writes a complete, valid organisation repository (the layout and
file formats of DESIGN.md) with ``people`` people into ``out``:

* ``org.yaml``;
* ``teams/<team>/team.yaml`` for about one team per 33 people, nested as one root team, up to
  four divisions, departments and teams below them (depth up to 4);
* ``catalog/<course>.yaml`` for ``clamp(people / 10, 30, 5000)`` courses of every format, with
  prerequisites (always pointing to lower-numbered courses, so the graph is acyclic), trainers,
  certifications (``valid_months``), checklists and sessions (past and future) for
  instructor-led courses;
* ``teams/<team>/records/<person>.yaml`` with about 20 completion records per person;
* ``teams/<team>/requests/<person>/<req>.yaml`` for about one person in six, with the
  ``.cost.yaml`` and ``.external.yaml`` approval slips their course needs;
* ``attendance/<course>/<session>.yaml`` for some past sessions;
* ``assignments/<rule>.yaml`` (about 5 org-wide rules plus one per division) and
  ``assignments/teams/<team>.yaml`` for about a quarter of the teams;
* ``roles/<role>.yaml`` for ``ld``, ``hr``, ``finance``, ``executives`` and ``admin``;
* ``budgets/<year>.yaml`` for the year of ``today`` and the next (2026 and 2027 by default),
  one budget per division and one for the root team;
* ``.github/CODEOWNERS``, derived from the above by lmsgen's policy (as ``lmsgen codeowners``
  would), so that ``lmsgen check`` passes on the result.

The same arguments always produce byte-identical files: all randomness comes from
``random.Random(seed)`` and dates are computed from ``today``, never from the clock.

YAML is written as text (block mappings with one flow-style ``{...}`` entry per line, as in
DESIGN.md), not through a YAML library, because size L (100,000 people, 2,000,000 records)
must be written quickly. Every free-text value goes through :func:`_s`, which leaves it plain
only when that is unambiguous and double-quotes it otherwise.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

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


# --------------------------------------------------------------------------------------------
# Word lists. Every entry is a plain YAML scalar that is also safe inside flow collections
# (no commas, colons, brackets, braces or '#', never a YAML 1.1 boolean or null).

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
_SESSION_PLACES = ("Berlin", "Lisbon", "London", "Madrid", "Paris", "Warsaw", "Online")

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

_VENDORS = (
    ("Northwind Academy", "northwind-academy.example"),
    ("Contoso Learning", "contoso-learning.example"),
    ("Fabrikam Institute", "fabrikam-institute.example"),
    ("Tailspin Certifications", "tailspin-certs.example"),
)

# (title, skill) of the non-compliance course topics.
_TOPICS = (
    ("Kubernetes", "kubernetes"), ("Cloud architecture", "cloud"), ("Python programming", "python"),
    ("SQL and data modelling", "data"), ("Incident response", "operations"),
    ("Observability", "operations"), ("Threat modelling", "security"), ("API design", "architecture"),
    ("Test automation", "quality"), ("Accessibility", "design"), ("User research", "design"),
    ("Negotiation", "sales"), ("Consultative selling", "sales"), ("Customer empathy", "support"),
    ("Public speaking", "communication"), ("Writing for the web", "communication"),
    ("Giving feedback", "leadership"), ("Coaching conversations", "leadership"),
    ("Project management", "delivery"), ("Agile delivery", "delivery"),
    ("Financial planning", "finance"), ("Budgeting for managers", "finance"),
    ("Employment law", "hr"), ("Interviewing skills", "hr"), ("Machine learning", "data"),
    ("Data visualisation", "data"), ("Forklift operation", "operations"), ("First aid", "safety"),
    ("Fire safety", "safety"), ("Lean operations", "operations"), ("Product discovery", "product"),
    ("Pricing strategy", "product"), ("Content marketing", "marketing"), ("SEO", "marketing"),
    ("Time management", "productivity"), ("Spreadsheet modelling", "productivity"),
    ("Change management", "leadership"), ("Conflict resolution", "leadership"),
    ("Linux administration", "operations"), ("Network fundamentals", "operations"),
    ("Secure architecture", "security"), ("Privacy engineering", "security"),
    ("Rust programming", "rust"), ("TypeScript", "web"), ("Mobile development", "mobile"),
    ("Technical writing", "communication"), ("Mentoring", "leadership"), ("Storytelling", "communication"),
)

_VARIANTS = {
    "elearning": ("basics", "fundamentals", "essentials", "refresher", "in practice"),
    "microlearning": ("in five minutes", "quick wins", "tips and tricks"),
    "classroom": ("bootcamp", "advanced", "intensive", "for teams"),
    "blended": ("programme", "learning journey", "academy track"),
    "workshop": ("workshop", "hands-on lab", "masterclass"),
    "webinar": ("webinar", "live session", "panel"),
    "external": ("certification", "professional certificate", "external course"),
    "ojt": ("on the job", "shadowing", "guided practice"),
    "checklist": ("checklist", "sign-off", "readiness check"),
}

_FORMATS = ("elearning", "microlearning", "classroom", "blended", "workshop", "webinar",
            "external", "ojt", "checklist")
_FORMAT_WEIGHTS = (30, 10, 14, 5, 10, 9, 8, 8, 6)
_FORMAT_PHRASE = {
    "elearning": "an e-learning course", "microlearning": "a microlearning bite",
    "classroom": "a classroom course", "blended": "a blended programme", "workshop": "a workshop",
    "webinar": "a webinar", "external": "an external course", "ojt": "on-the-job training",
    "checklist": "a skills checklist",
}
_SESSION_FORMATS = frozenset({"classroom", "workshop", "blended"})
_ALL_BY = "[self, manager, mentor, trainer]"
_BY_MODE = {"classroom": "tm", "workshop": "tm", "ojt": "mmt", "checklist": "mmt"}
_BY_TEXT = {"all": _ALL_BY, "tm": "[trainer, manager]", "mmt": "[mentor, manager, trainer]"}

_CHECK_ITEMS = (
    "Explains the procedure to a colleague", "Performs the task unsupervised",
    "Knows where the documentation lives", "Handles the common failure cases",
    "Follows the safety rules", "Completes the task within the expected time",
    "Reviews a colleague's work", "Knows whom to escalate to",
)

# The compliance courses: (slug, title, skill, valid_months or 0, description line).
_COMPLIANCE = (
    ("code-of-conduct", "Code of conduct", "compliance", 0,
     "How we work together and what to do when something is wrong."),
    ("data-protection-essentials", "Data protection essentials", "privacy", 24,
     "Personal data, lawful processing and what to do about a breach."),
    ("security-awareness", "Security awareness", "security", 12,
     "Phishing, passwords and reporting incidents."),
    ("secure-coding-basics", "Secure coding basics", "security", 24,
     "The most common vulnerabilities and how to avoid them in code review."),
    ("health-and-safety", "Health and safety at work", "safety", 12,
     "Workplace safety, first steps in an emergency and ergonomics."),
    ("leading-people", "Leading people", "leadership", 0,
     "The manager essentials: one-to-ones, feedback, goals and wellbeing."),
)

_REASONS = (
    "Needed for the on-call rotation", "Agreed in my development plan",
    "Preparing for a new project", "Recommended by my manager",
    "Required for the customer engagement", "Career development goal for this year",
    "To mentor new joiners in this area", "Closing a skill gap from the last review",
)
_RECORD_NOTES = ("Completed during onboarding", "Recorded after a team session",
                 "Imported from the previous system")
_SLIP_NOTES = ("Within the team budget", "Approved as part of the development plan")
_ASSIGN_NOTES = ("Needed for the new service", "Before joining the on-call rotation",
                 "Team goal for this quarter")
_EXCLUDE_REASONS = ("Certified externally", "On long-term leave", "Covered by a previous employer")

_YAML_WORDS = frozenset(
    "y n yes no true false on off null ~ =".split()
)
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 .'()/&+-]*[A-Za-z0-9.)])?\Z")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def _s(text: str) -> str:
    """Return ``text`` as a YAML scalar that is safe in block and flow context."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def _slug(text: str, limit: int = 40) -> str:
    """Lowercase slug of ``text`` (``[a-z0-9][a-z0-9-]*``), cut at ``limit`` characters."""
    slug = _SLUG_STRIP.sub("-", text.lower()).strip("-")[:limit].rstrip("-")
    return slug or "x"


class _Writer:
    """Writes text files under a root with as little overhead as possible and counts them."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.files = 0
        self._dirs: set[str] = set()
        self._flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)

    def write(self, rel: str, text: str) -> None:
        """Write ``text`` (UTF-8) to ``rel``, a '/'-separated path below the root."""
        path = os.path.join(self.root, rel)
        folder = os.path.dirname(path)
        if folder not in self._dirs:
            os.makedirs(folder, exist_ok=True)
            self._dirs.add(folder)
        view = memoryview(text.encode("utf-8"))
        fd = os.open(path, self._flags, 0o644)
        try:
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        self.files += 1


class _Course:
    """One generated course (indices refer to the generated people and courses)."""

    __slots__ = ("id", "fmt", "title", "skill", "cost", "elective", "approval", "prereqs",
                 "trainers", "valid_months", "checklist", "sessions", "by_mode", "hours",
                 "language", "provider", "url", "summary", "description", "compliance")


def _check_out(out: Path) -> None:
    """Raise FileExistsError unless ``out`` is absent or an empty directory."""
    if out.exists() or out.is_symlink():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a directory")
        if any(out.iterdir()):
            raise FileExistsError(f"{out} is not empty")


def write_demo(out: Path, people: int, *, seed: int = 0,
               today: date = date(2026, 11, 23)) -> DemoSummary:
    """Writes a deterministic synthetic organisation of `people` people into `out` (created if needed; must be empty or absent -> raise FileExistsError if it has files).

    The organisation is valid under DESIGN.md: every reference resolves, every person is in
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
    summary = _Generator(out, people, seed, today).run()
    if _write_codeowners(out):
        summary = dataclasses.replace(summary, files=summary.files + 1)
    return summary


def _write_codeowners(out: Path) -> bool:
    """Write the generated CODEOWNERS (derived by lmsgen's policy from roles/, teams/ and the
    catalog, which are all written by now), so that ``lmsgen check`` passes on the demo as is.

    Returns False, writing nothing, when the policy modules are not available.
    """
    try:
        from ..rules import codeowners, policy
    except ImportError:  # a partial installation: the demo data stands on its own
        return False
    result = policy.load_inputs(out, use_cache=False)
    if policy.inputs_broken(result.organisation):
        raise RuntimeError("lmsgen demo wrote files that do not load: "
                           + "; ".join(str(d) for d in result.diagnostics[:5]))
    codeowners.write(out, policy.Policy(result.organisation))
    return True


class _Generator:
    """Holds the state of one generation run; ``run`` writes everything in a fixed order."""

    def __init__(self, out: Path, people: int, seed: int, today: date) -> None:
        self.w = _Writer(out)
        self.P = people
        self.today = today.toordinal()
        master = random.Random(seed)
        # One independent stream per part, drawn in a fixed order.
        self.rng_org, self.rng_cat, self.rng_req, self.rng_rec, self.rng_rules = (
            random.Random(master.getrandbits(64)) for _ in range(5))
        # ISO strings of every day we may emit.
        self.lo_day = self.today - 16 * 366
        self.iso = [date.fromordinal(o).isoformat()
                    for o in range(self.lo_day, self.today + 2 * 366)]
        self.records = 0
        self.requests = 0

    def d(self, ordinal: int) -> str:
        """ISO date string of a day ordinal."""
        return self.iso[ordinal - self.lo_day]

    # ----------------------------------------------------------------------------------------
    def run(self) -> DemoSummary:
        """Generate and write the whole organisation."""
        self.make_teams_and_people()
        self.make_catalog()
        self.make_requests()
        self.plan_rules()
        self.write_org()
        self.write_teams()
        self.write_catalog()
        self.write_requests()
        self.write_attendance()
        self.write_records()
        self.write_rules()
        self.write_team_assignments()
        self.write_roles()
        self.write_budgets()
        return DemoSummary(people=self.P, teams=self.T, courses=len(self.courses),
                           records=self.records, requests=self.requests, files=self.w.files)

    # ----------------------------------------------------------------------------------------
    def make_teams_and_people(self) -> None:
        """Build the team tree and the people (ids, names, teams, managers, mentors)."""
        rng = self.rng_org
        P = self.P
        T = max(1, round(P / 33))
        self.T = T
        width = max(4, len(str(T)))
        self.team_ids = [f"t{i + 1:0{width}d}" for i in range(T)]
        parent = [-1] * T
        depth = [0] * T
        ndiv = min(4, T - 1)
        division = [-1] * T  # index of the division (1..ndiv) a team belongs to; root: -1
        for t in range(1, ndiv + 1):
            parent[t], depth[t], division[t] = 0, 1, t
        rest = T - 1 - ndiv
        n2 = rest if rest <= ndiv * 3 else max(ndiv * 3, rest // 5)
        level2: list[int] = []
        level3: list[int] = []
        for j in range(rest):
            t = 1 + ndiv + j
            if j < n2:
                p = 1 + (j % ndiv)
            elif level3 and rng.random() < 0.15:
                p = rng.choice(level3)
            else:
                p = rng.choice(level2)
            parent[t], depth[t], division[t] = p, depth[p] + 1, division[p]
            (level2 if depth[t] == 2 else level3 if depth[t] == 3 else []).append(t)
        self.parent, self.depth, self.division, self.ndiv = parent, depth, division, ndiv

        # Team names, unique.
        names: list[str] = []
        seen: dict[str, int] = {}
        for t in range(T):
            if t == 0:
                name = "Executive Office"
            elif depth[t] == 1:
                name = _DIVISIONS[t - 1][0]
            else:
                name = f"{rng.choice(_TEAM_AREAS)} {rng.choice(_TEAM_KINDS)}"
            n = seen.get(name, 0) + 1
            seen[name] = n
            names.append(name if n == 1 else f"{name} {n}")
        self.team_names = names
        self.team_location = [rng.choice(_LOCATIONS[:-1]) for _ in range(T)]

        # Team sizes: every team gets its manager, the rest is spread with leaf teams bigger.
        weights = [(0.3, 0.4, 0.7, 1.0, 1.0)[depth[t]] * rng.uniform(0.5, 1.5) for t in range(T)]
        size = [1] * T
        if P > T:
            for t in rng.choices(range(T), weights=weights, k=P - T):
                size[t] += 1
        self.team_size = size

        # People, contiguous per team; the first member of each team is its manager.
        pid: list[str] = []
        pname: list[str] = []
        pgit: list[str] = []
        pteam: list[int] = []
        pstart: list[int] = []
        pprofile: list[str] = []
        ploc: list[str] = []
        ptitle: list[str] = []
        team_first = [0] * T
        team_manager = [0] * T
        id_count: dict[str, int] = {}
        git_seen: set[str] = set()
        today = self.today
        for t in range(T):
            team_first[t] = len(pid)
            team_manager[t] = len(pid)
            div = division[t]
            profiles = _DIVISIONS[div - 1][1] if div > 0 else _ROOT_PROFILES
            for j in range(size[t]):
                first = rng.choice(_FIRST_NAMES)
                last = rng.choice(_LAST_NAMES)
                base = f"{first}-{last}".lower()
                n = id_count.get(base, 0) + 1
                id_count[base] = n
                ident = base if n == 1 else f"{base}-{n}"  # bases have no digits: unique
                login = f"{first[0]}{last}".lower()
                g = 1
                while login in git_seen:
                    g += 1
                    login = f"{first[0]}{last}{g}".lower()
                git_seen.add(login)
                if j == 0:
                    profile = "manager"
                    if depth[t] == 0:
                        title = "Chief Executive Officer"
                    elif depth[t] == 1:
                        title = f"Vice President {names[t]}"
                    elif depth[t] == 2:
                        title = f"Head of {names[t]}"
                    else:
                        title = "Team Lead"
                    start = today - rng.randint(400, 12 * 365)
                else:
                    profile = rng.choice(profiles)
                    title = rng.choice(_TITLES[profile])
                    start = today - min(12 * 365, 7 + int(rng.expovariate(1 / 1000)))
                pid.append(ident)
                pname.append(f"{first} {last}")
                pgit.append(login)
                pteam.append(t)
                pstart.append(start)
                pprofile.append(profile)
                ploc.append(self.team_location[t] if rng.random() < 0.7 else rng.choice(_LOCATIONS))
                ptitle.append(title)
        self.pid, self.pname, self.pgit, self.pteam = pid, pname, pgit, pteam
        self.pstart, self.pprofile, self.ploc, self.ptitle = pstart, pprofile, ploc, ptitle
        self.team_first, self.team_manager = team_first, team_manager

        # Mentors: another member of the same team, for about a third of the non-managers.
        mentor = [-1] * P
        for t in range(T):
            if size[t] < 2:
                continue
            lo = team_first[t]
            hi = lo + size[t]
            for i in range(lo + 1, hi):
                if rng.random() < 0.35:
                    m = rng.randrange(lo, hi - 1)
                    mentor[i] = m if m < i else m + 1
        self.mentor = mentor

        # Approving manager of each person (-1 at the top).
        approver = [0] * P
        for i in range(P):
            t = pteam[i]
            m = team_manager[t]
            if m == i:
                m = team_manager[parent[t]] if parent[t] >= 0 else -1
            approver[i] = m
        self.approver = approver

    # ----------------------------------------------------------------------------------------
    def make_catalog(self) -> None:
        """Build the courses: compliance courses first, then one of each format, then random."""
        rng = self.rng_cat
        P = self.P
        C = max(30, min(5000, round(P / 10)))
        width = max(4, len(str(C)))
        today = self.today
        n_trainers = max(min(P, 2), round(P / 25))
        pool = sorted(rng.sample(range(P), n_trainers))
        courses: list[_Course] = []
        title_seen: dict[str, int] = {}
        ncomp = len(_COMPLIANCE)
        for i in range(C):
            c = _Course()
            c.compliance = i < ncomp
            if c.compliance:
                slug, title, skill, valid, line = _COMPLIANCE[i]
                c.fmt = "elearning"
                c.title, c.skill, c.valid_months = title, skill, valid
                c.summary = line
                c.cost = 0
                c.elective, c.approval = False, "none"
                c.hours = (1, 1.5, 1, 2, 1, 4)[i]
            else:
                fmt = (_FORMATS[i - ncomp] if i - ncomp < len(_FORMATS)
                       else rng.choices(_FORMATS, weights=_FORMAT_WEIGHTS)[0])
                c.fmt = fmt
                topic, skill = rng.choice(_TOPICS)
                if fmt == "external":
                    vendor = rng.choice(_VENDORS)
                    title = f"{vendor[0].split()[0]} {topic} {rng.choice(_VARIANTS[fmt])}"
                else:
                    title = f"{topic} {rng.choice(_VARIANTS[fmt])}"
                n = title_seen.get(title, 0) + 1
                title_seen[title] = n
                slug = _slug(title)
                if n > 1:
                    title = f"{title} {n}"
                c.title, c.skill = title, skill
                c.summary = (f"{topic} as {_FORMAT_PHRASE[fmt]} for colleagues who want to grow "
                             f"in {skill}.")
                if fmt == "elearning":
                    cost = 0 if rng.random() < 0.85 else rng.choice((49, 99, 199))
                    hours = rng.choice((1, 2, 3, 4))
                elif fmt == "microlearning":
                    cost, hours = 0, rng.choice((0.25, 0.5))
                elif fmt == "classroom":
                    cost, hours = rng.randrange(400, 2600, 100), rng.choice((7, 14, 21))
                elif fmt == "workshop":
                    cost, hours = rng.randrange(200, 1300, 50), rng.choice((4, 8))
                elif fmt == "blended":
                    cost, hours = rng.randrange(300, 1600, 100), rng.choice((6, 10, 16))
                elif fmt == "webinar":
                    cost, hours = 0, rng.choice((1, 1.5))
                elif fmt == "external":
                    cost, hours = rng.randrange(500, 4050, 50), rng.choice((16, 24, 40))
                elif fmt == "ojt":
                    cost, hours = 0, rng.choice((8, 16, 40))
                else:
                    cost, hours = 0, rng.choice((2, 4, 8))
                c.cost, c.hours = cost, hours
                if fmt in ("ojt", "checklist"):
                    c.elective, c.approval = False, "none"
                elif cost > 0 or fmt in ("classroom", "workshop", "blended", "external"):
                    c.elective, c.approval = True, "manager"
                else:
                    c.elective = rng.random() < 0.9
                    c.approval = "manager" if c.elective and rng.random() < 0.3 else "none"
                if fmt == "external":
                    c.valid_months = rng.choice((24, 36))
                elif fmt == "checklist":
                    c.valid_months = 12
                else:
                    c.valid_months = rng.choice((12, 24)) if rng.random() < 0.1 else 0
            c.id = f"c{i + 1:0{width}d}-{slug}"
            c.by_mode = _BY_MODE.get(c.fmt, "all")
            c.language = "en" if c.compliance else rng.choices(("en", "de", "fr", "es"), (80, 10, 5, 5))[0]
            if c.fmt == "external":
                c.provider = vendor[0]
                c.url = f"https://{vendor[1]}/courses/{slug}"
            else:
                c.provider = "Acme Academy"
                c.url = f"https://learn.acme.example/courses/{c.id}"
            # Prerequisites point to lower-numbered, non-compliance courses only: acyclic.
            prereqs: list[int] = []
            if not c.compliance and i >= ncomp + 4 and rng.random() < 0.15:
                prereqs.append(rng.randrange(ncomp, i))
                if rng.random() < 0.2:
                    p2 = rng.randrange(ncomp, i)
                    if p2 != prereqs[0]:
                        prereqs.append(p2)
                prereqs.sort()
            c.prereqs = prereqs
            c.trainers = sorted(rng.sample(pool, min(len(pool), 1 if rng.random() < 0.7 else 2)))
            if c.fmt == "checklist" or (c.fmt == "ojt" and rng.random() < 0.5):
                c.checklist = rng.sample(_CHECK_ITEMS, rng.randint(2, 5))
            else:
                c.checklist = None
            # Sessions: at least one in the past and one in the future.
            sessions = []
            if c.fmt in _SESSION_FORMATS:
                n = rng.randint(2, 4)
                used: set[str] = set()
                for j in range(n):
                    if j == 0:
                        day = today - rng.randint(20, 330)
                    elif j == n - 1:
                        day = today + rng.randint(5, 200)
                    else:
                        day = today + rng.randint(-300, 200)
                    place = rng.choice(_SESSION_PLACES)
                    days = 1 if c.hours <= 8 else int(c.hours // 7)
                    sid = f"{self.d(day)}-{place.lower()}"
                    if sid in used:
                        sid = f"{sid}-{j + 1}"
                    used.add(sid)
                    cap = rng.choice((6, 8, 10, 12, 12, 16, 20))
                    sessions.append([sid, day, day + days - 1, place, cap])
                sessions.sort(key=lambda s: (s[1], s[0]))
            c.sessions = sessions
            lines = [f"{c.summary}\n", "\n## What you will learn\n\n"]
            for point in rng.sample(("The core ideas and vocabulary", "How to apply it in your daily work",
                                     "Common mistakes and how to avoid them",
                                     "Where to find help and further reading",
                                     "Hands-on exercises with feedback"), 3):
                lines.append(f"- {point}\n")
            if c.prereqs:
                lines.append("\nComplete the prerequisites first.\n")
            c.description = "".join(lines)
            courses.append(c)
        self.courses = courses
        self.trainer_pool = pool

    # ----------------------------------------------------------------------------------------
    def make_requests(self) -> None:
        """Pick about one request per six people, for elective courses that need approval."""
        rng = self.rng_req
        P = self.P
        today = self.today
        courses = self.courses
        electives = [i for i, c in enumerate(courses) if c.elective and c.approval == "manager"]
        externals = [i for i in electives if courses[i].fmt == "external"]
        paid_sessions = [i for i in electives if courses[i].sessions and courses[i].cost > 0]
        target = max(min(2, P - 1), round(P / 6))
        requests: list[tuple[int, int, int, int]] = []  # (person, course, session index or -1, day)
        taken: set[tuple[int, int]] = set()
        self.requested: dict[int, list[int]] = {}
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
            person = rng.randrange(P)
            c = courses[ci]
            if (person, ci) in taken or (person in c.trainers and P > 1):
                continue
            si = -1
            hi = today - 1
            if c.sessions:
                future = [j for j, s in enumerate(c.sessions) if s[1] > today]
                past = [j for j, s in enumerate(c.sessions) if s[1] <= today]
                pick = future if future and (not past or rng.random() < 0.75 or k == 1) else past
                si = rng.choice(pick)
                hi = min(hi, c.sessions[si][1] - 1)
            lo = max(self.pstart[person], hi - 90)
            if lo > hi:
                continue
            taken.add((person, ci))
            requests.append((person, ci, si, rng.randint(lo, hi)))
            self.requested.setdefault(person, []).append(ci)
        self.request_list = requests

    # ----------------------------------------------------------------------------------------
    def write_org(self) -> None:
        """org.yaml."""
        self.w.write("org.yaml", (
            "name: Acme Corp\n"
            "git: {host: github, repo: https://github.com/acme/learning, branch: main}\n"
            "currency: EUR\n"
            "expiring_within_days: 60\n"))

    def write_teams(self) -> None:
        """teams/<team>/team.yaml."""
        pid, pname, pgit, pstart = self.pid, self.pname, self.pgit, self.pstart
        pprofile, ploc, ptitle, mentor = self.pprofile, self.ploc, self.ptitle, self.mentor
        for t in range(self.T):
            tid = self.team_ids[t]
            parts = [f"name: {_s(self.team_names[t])}\n"]
            if self.parent[t] >= 0:
                parts.append(f"parent: {self.team_ids[self.parent[t]]}\n")
            parts.append(f"manager: {pid[self.team_manager[t]]}\nmembers:\n")
            lo = self.team_first[t]
            for i in range(lo, lo + self.team_size[t]):
                ident = pid[i]
                m = mentor[i]
                parts.append(
                    f"  - {{id: {ident}, name: {pname[i]}, email: {ident.replace('-', '.')}@acme.example, "
                    f"git: {pgit[i]}, profile: {pprofile[i]}, location: {ploc[i]}, "
                    f"start_date: {self.d(pstart[i])}, title: {_s(ptitle[i])}"
                    f"{f', mentor: {pid[m]}' if m >= 0 else ''}}}\n")
            self.w.write(f"teams/{tid}/team.yaml", "".join(parts))

    def write_catalog(self) -> None:
        """catalog/<course>.yaml."""
        pid = self.pid
        courses = self.courses
        for c in courses:
            parts = [
                f"title: {_s(c.title)}\n",
                f"summary: {_s(c.summary)}\n",
                "description: |\n",
                "".join(f"  {line}" if line != "\n" else "\n"
                        for line in c.description.splitlines(keepends=True)),
                f"format: {c.fmt}\n",
                f"hours: {c.hours}\n",
                f"language: {c.language}\n",
                f"provider: {_s(c.provider)}\n",
                f"url: {c.url}\n",
                f"cost: {{amount: {c.cost}, currency: EUR}}\n",
                f"elective: {'true' if c.elective else 'false'}\n",
                f"approval: {c.approval}\n",
                f"prerequisites: [{', '.join(courses[p].id for p in c.prereqs)}]\n",
                f"skills: [{c.skill}]\n",
                f"trainers: [{', '.join(pid[t] for t in c.trainers)}]\n",
            ]
            if c.valid_months:
                parts.append(f"valid_months: {c.valid_months}\n")
            parts.append(f"completion: {{by: {_BY_TEXT[c.by_mode]}}}\n")
            if c.checklist:
                parts.append(f"checklist: [{', '.join(json.dumps(x) for x in c.checklist)}]\n")
            if c.sessions:
                parts.append("sessions:\n")
                for sid, start, end, place, cap in c.sessions:
                    parts.append(f"  - {{id: {sid}, start: {self.d(start)}T09:00, "
                                 f"end: {self.d(end)}T17:00, location: {place}, capacity: {cap}}}\n")
            self.w.write(f"catalog/{c.id}.yaml", "".join(parts))

    def write_requests(self) -> None:
        """teams/<team>/requests/<person>/<req>.yaml and their approval slips."""
        rng = self.rng_req
        pid = self.pid
        self.session_requesters: dict[tuple[int, int], list[int]] = {}
        for person, ci, si, day in self.request_list:
            c = self.courses[ci]
            iso = self.d(day)
            req = f"{iso[:7]}-{c.id}"
            folder = f"teams/{self.team_ids[self.pteam[person]]}/requests/{pid[person]}"
            kind = "external" if c.fmt == "external" else "enroll"
            parts = [f"person: {pid[person]}\n", f"course: {c.id}\n"]
            if si >= 0:
                parts.append(f"session: {c.sessions[si][0]}\n")
                self.session_requesters.setdefault((ci, si), []).append(person)
            parts.append(f"kind: {kind}\nreason: {_s(rng.choice(_REASONS))}\ndate: {iso}\n")
            if c.cost > 0:
                parts.append(f"cost: {{amount: {c.cost}, currency: EUR}}\n")
            self.w.write(f"{folder}/{req}.yaml", "".join(parts))
            self.requests += 1
            if c.cost > 0:
                note = f"note: {_s(rng.choice(_SLIP_NOTES))}\n" if rng.random() < 0.3 else ""
                self.w.write(f"{folder}/{req}.cost.yaml",
                             f"request: {req}\namount: {{amount: {c.cost}, currency: EUR}}\n{note}")
            if kind == "external":
                self.w.write(f"{folder}/{req}.external.yaml", f"request: {req}\n")

    def write_attendance(self) -> None:
        """attendance/<course>/<session>.yaml for about half of the past sessions."""
        rng = self.rng_req
        P = self.P
        pid, pstart = self.pid, self.pstart
        first = True
        for ci, c in enumerate(self.courses):
            trainers = set(c.trainers)
            for si, (sid, start, end, _place, cap) in enumerate(c.sessions):
                if end >= self.today or not (first or rng.random() < 0.5):
                    continue
                attended: list[int] = []
                seen: set[int] = set()
                for p in self.session_requesters.get((ci, si), ()):
                    if p not in seen and p not in trainers and len(attended) < cap:
                        seen.add(p)
                        attended.append(p)
                want = rng.randint(max(1, cap // 2), cap)
                tries = 0
                while len(attended) < want and tries < 4 * cap:
                    tries += 1
                    p = rng.randrange(P)
                    if p in seen or p in trainers or pstart[p] > start:
                        continue
                    seen.add(p)
                    attended.append(p)
                if not attended:
                    continue
                first = False
                note = "note: Signed by the trainer on the day\n" if rng.random() < 0.2 else ""
                self.w.write(f"attendance/{c.id}/{sid}.yaml",
                             f"attended: [{', '.join(pid[p] for p in attended)}]\n{note}")

    def write_records(self) -> None:
        """teams/<team>/records/<person>.yaml: about 20 records per person (0..40)."""
        rng = self.rng_rec
        rand, choice, sample = rng.random, rng.choice, rng.sample
        courses = self.courses
        ncomp = len(_COMPLIANCE)
        C = len(courses)
        kmax = min(32, C - ncomp)
        pid, pteam, pstart, pprofile = self.pid, self.pteam, self.pstart, self.pprofile
        mentor, approver, team_ids = self.mentor, self.approver, self.team_ids
        today = self.today
        floor = today - 3 * 365
        iso, lo_day = self.iso, self.lo_day
        cids = [c.id for c in courses]
        modes = [c.by_mode for c in courses]
        trainers = [c.trainers for c in courses]
        prereqs = [c.prereqs for c in courses]
        scored = [c.fmt in ("elearning", "microlearning", "blended") for c in courses]
        external = [c.fmt == "external" for c in courses]
        checklists = [
            f", checklist: [{', '.join(['true'] * len(c.checklist))}]" if c.checklist else ""
            for c in courses]
        comp_p = (0.85, 0.7, 0.6, None, 0.4, None)
        division_of = self.division
        division_courses = {t: picks for t, (picks, *_rest) in self.division_rules.items()}
        onboarding = set(self.onboarding_people)
        onboarding_course = self.onboarding_course
        noncomp = range(ncomp, C)
        requested = self.requested
        write = self.w.write
        total = 0
        for i in range(self.P):
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
            days = [recent + int(rand() * rspan) if rand() < 0.85 else lo + int(rand() * span)
                    for _ in range(ncomp_here)]
            days += sorted([lo + int(rand() * span) for _ in range(len(entries) - ncomp_here)])
            dated = sorted(zip(days, entries))  # chronological; ties by course number
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
        self.records = total

    # ----------------------------------------------------------------------------------------
    def plan_rules(self) -> None:
        """Choose what the records depend on: the trainers' onboarding and the division rules."""
        rng = self.rng_rules
        c = self.courses
        pool = self.trainer_pool
        self.onboarding_people = sorted(rng.sample(pool, min(len(pool), 30)))
        self.onboarding_course = ([ci for ci, x in enumerate(c)
                                   if x.fmt == "workshop" and not x.prereqs][:1] or [6])[0]
        candidates = [ci for ci, x in enumerate(c) if not x.compliance and x.fmt in
                      ("elearning", "microlearning", "ojt", "checklist")]
        self.division_rules = {}
        for t in range(1, self.ndiv + 1):
            picks = sorted(rng.sample(candidates, min(len(candidates), rng.randint(1, 2))))
            start = self.d(self.today - rng.randint(30, 400))
            due_days = rng.choice((30, 60, 90)) if t % 2 else None
            due = None if t % 2 else self.d(self.today + rng.randint(20, 150))
            self.division_rules[t] = (picks, start, due_days, due)

    def write_rules(self) -> None:
        """assignments/<rule>.yaml: org-wide rules plus one per division."""
        rng = self.rng_rules
        c = self.courses
        pid = self.pid
        P = self.P

        def people_sample(n: int) -> list[int]:
            return sorted(rng.sample(range(P), min(n, P)))

        def rule(name: str, title: str, description: str, course_ids: list[str],
                 teams=(), profiles=(), locations=(), people=(), exclude=(),
                 start: str = "", due_days: int | None = None, due: str | None = None,
                 every: int | None = None) -> None:
            parts = [f"title: {_s(title)}\n", f"description: {_s(description)}\n",
                     f"courses: [{', '.join(course_ids)}]\n",
                     f"audience: {{teams: [{', '.join(teams)}], profiles: [{', '.join(profiles)}], "
                     f"locations: [{', '.join(locations)}], people: [{', '.join(people)}]}}\n"]
            if exclude:
                parts.append("exclude:\n")
                for person, reason in exclude:
                    parts.append(f"  - {{person: {person}, reason: {_s(reason)}}}\n")
            else:
                parts.append("exclude: []\n")
            parts.append(f"from: {start}\n")
            if due_days is not None:
                parts.append(f"due_days: {due_days}\n")
            if due is not None:
                parts.append(f"due: {due}\n")
            if every is not None:
                parts.append(f"every_months: {every}\n")
            self.w.write(f"assignments/{name}.yaml", "".join(parts))

        y = date.fromordinal(self.today).year  # rule dates follow `today` (2026 by default)
        excluded = people_sample(2 if P >= 20 else 0)
        rule("code-of-conduct", "Code of conduct for everyone",
             "Everyone reads and confirms the code of conduct once a year.",
             [c[0].id], start=f"{y - 1}-01-01", due_days=30, every=12)
        rule("data-protection", "Data protection for everyone",
             "The data protection training is a certification valid for two years.",
             [c[1].id], start=f"{y - 1}-06-01", due_days=45,
             exclude=[(pid[p], rng.choice(_EXCLUDE_REASONS)) for p in excluded])
        eng = [self.team_ids[1]] if self.ndiv >= 1 else []
        rule("security-baseline", "Security baseline for engineers",
             "Engineers learn secure coding and the security basics.",
             [c[2].id, c[3].id], teams=eng, profiles=["engineer"], start=f"{y}-01-01", due_days=30)
        locs = sorted({self.ploc[p] for p in people_sample(3)})
        rule("health-and-safety", "Health and safety on site",
             "Everyone working from an office location completes the safety training.",
             [c[4].id], locations=locs, start=f"{y}-03-01", due=f"{y}-12-31")
        rule("manager-essentials", "Manager essentials",
             "Every people manager completes the leading people course within 90 days.",
             [c[5].id], profiles=["manager"], start=f"{y}-02-01", due_days=90)
        rule("trainer-onboarding", "Onboarding for trainers",
             "Trainers take a hands-on workshop themselves before running their first session.",
             [c[self.onboarding_course].id], people=[pid[p] for p in self.onboarding_people],
             start=f"{y}-04-01", due_days=60)
        for t in range(1, self.ndiv + 1):
            picks, start, due_days, due = self.division_rules[t]
            name = self.team_names[t]
            rule(f"division-{_slug(name)}", f"{name} essentials",
                 f"Courses everyone in {name} completes.",
                 [c[ci].id for ci in picks], teams=[self.team_ids[t]],
                 start=start, due_days=due_days, due=due)

    def write_team_assignments(self) -> None:
        """assignments/teams/<team>.yaml for about a quarter of the teams."""
        rng = self.rng_rules
        T = self.T
        pid = self.pid
        candidates = [c.id for c in self.courses if not c.compliance and c.fmt in
                      ("elearning", "microlearning", "ojt", "checklist", "webinar")]
        for t in sorted(rng.sample(range(T), max(1, round(T / 4)))):
            lo = self.team_first[t]
            members = list(range(lo + 1, lo + self.team_size[t]))  # not the manager
            seen: set[tuple[str, str]] = set()
            parts = ["assignments:\n"]
            for _ in range(rng.randint(1, 4)):
                who = "all" if not members or rng.random() < 0.3 else pid[rng.choice(members)]
                course = rng.choice(candidates)
                if (who, course) in seen:
                    continue
                seen.add((who, course))
                extra = ""
                if rng.random() < 0.6:
                    extra += f", due: {self.d(self.today + rng.randint(-30, 120))}"
                if rng.random() < 0.2:
                    extra += f", note: {_s(rng.choice(_ASSIGN_NOTES))}"
                parts.append(f"  - {{person: {who}, course: {course}{extra}}}\n")
            self.w.write(f"assignments/teams/{self.team_ids[t]}.yaml", "".join(parts))

    def write_roles(self) -> None:
        """roles/<role>.yaml: ld, hr, finance, executives and admin."""
        rng = self.rng_rules
        P = self.P
        # Three or more holders where possible: a holder's own slip then still has two owners.
        n = min(P, max(3, min(6, P // 2000 + 3)))
        executives = [self.team_manager[t] for t in range(self.ndiv + 1)]
        while len(executives) < min(2, P):
            extra = rng.randrange(P)
            if extra not in executives:
                executives.append(extra)
        def pick(candidates: list[int], k: int) -> list[int]:
            """k holders, from the candidates who fit the role when there are enough of them."""
            if len(candidates) < k:
                candidates = list(range(P))
            return sorted(rng.sample(candidates, k))

        by_profile: dict[str, list[int]] = {}
        for i, profile in enumerate(self.pprofile):
            by_profile.setdefault(profile, []).append(i)
        roles = (
            ("ld", "Learning and Development",
             "Runs the academy: the catalog and the org-wide assignment rules.",
             ("catalog.edit", "assign.org", "reports.org"), pick(self.trainer_pool, n)),
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
             ("roles.edit",), pick(by_profile.get("engineer", []), min(P, 2))),
        )
        for rid, name, description, grants, holders in roles:
            self.w.write(f"roles/{rid}.yaml", (
                f"name: {_s(name)}\ndescription: {_s(description)}\n"
                f"grants: [{', '.join(grants)}]\n"
                f"holders: [{', '.join(self.pid[p] for p in holders)}]\n"))

    def write_budgets(self) -> None:
        """budgets/<year>.yaml for this year and next (2026 and 2027 by default): one budget per
        division and one for the root team, each at least a quarter above what its approved
        requests commit in that year (so the demo has no overspent budget)."""
        headcount = list(self.team_size)
        for t in range(self.T - 1, 0, -1):
            headcount[self.parent[t]] += headcount[t]
        committed: dict[tuple[int, int], int] = {}
        for person, ci, _si, day in self.request_list:
            holder = max(0, self.division[self.pteam[person]])
            key = (holder, date.fromordinal(day).year)
            committed[key] = committed.get(key, 0) + self.courses[ci].cost
        this_year = date.fromordinal(self.today).year
        for year, factor in ((this_year, 1.0), (this_year + 1, 1.06)):
            lines = []
            for t in range(self.ndiv + 1):
                own = headcount[t] if t else self.team_size[0]  # the root pays for its own members
                amount = max(1000, round(own * 900 * factor, -3),
                             -(-committed.get((t, year), 0) * 5 // 4000) * 1000)
                lines.append(f"{self.team_ids[t]}: {{amount: {amount:.0f}, currency: EUR}}\n")
            self.w.write(f"budgets/{year}.yaml", "".join(lines))
