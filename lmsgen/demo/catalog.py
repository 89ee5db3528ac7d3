"""The catalog of a demo organisation: ``catalog/<course>.yaml``.

There are ``clamp(people / 10, 30, 5000)`` courses: the compliance courses first (in the order of
:data:`_COMPLIANCE`, which the assignment rules and the records rely on), then one of each format,
then formats drawn by weight. Prerequisites always point to lower-numbered, non-compliance
courses, so the graph is acyclic. Every course has trainers from a pool of about one person in
25; there are certifications (``valid_months``), checklists, and sessions for instructor-led
courses, at least one in the past and one in the future.
"""

from __future__ import annotations

import json
import random

from ._common import Days, Writer, scalar, slugify
from .people import People

# The compliance courses: (slug, title, skill, valid_months or 0, summary, hours).
_COMPLIANCE = (
    ("code-of-conduct", "Code of conduct", "compliance", 0,
     "How we work together and what to do when something is wrong.", 1),
    ("data-protection-essentials", "Data protection essentials", "privacy", 24,
     "Personal data, lawful processing and what to do about a breach.", 1.5),
    ("security-awareness", "Security awareness", "security", 12,
     "Phishing, passwords and reporting incidents.", 1),
    ("secure-coding-basics", "Secure coding basics", "security", 24,
     "The most common vulnerabilities and how to avoid them in code review.", 2),
    ("health-and-safety", "Health and safety at work", "safety", 12,
     "Workplace safety, first steps in an emergency and ergonomics.", 1),
    ("leading-people", "Leading people", "leadership", 0,
     "The manager essentials: one-to-ones, feedback, goals and wellbeing.", 4),
)
COMPLIANCE_COUNT = len(_COMPLIANCE)
"""The compliance courses are the catalog's first courses."""

_SESSION_PLACES = ("Berlin", "Lisbon", "London", "Madrid", "Paris", "Warsaw", "Online")
_PLACE_ZONES = {"Lisbon": "Europe/Lisbon", "London": "Europe/London"}
"""The places whose sessions name their own time zone: the others keep the org's (Europe/Berlin)."""

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
_BY_MODE = {"classroom": "tm", "workshop": "tm", "ojt": "mmt", "checklist": "mmt"}
_BY_TEXT = {"all": "[self, manager, mentor, trainer]", "tm": "[trainer, manager]",
            "mmt": "[mentor, manager, trainer]"}

_CHECK_ITEMS = (
    "Explains the procedure to a colleague", "Performs the task unsupervised",
    "Knows where the documentation lives", "Handles the common failure cases",
    "Follows the safety rules", "Completes the task within the expected time",
    "Reviews a colleague's work", "Knows whom to escalate to",
)
_LEARNING_POINTS = ("The core ideas and vocabulary", "How to apply it in your daily work",
                    "Common mistakes and how to avoid them", "Where to find help and further reading",
                    "Hands-on exercises with feedback")


class Course:
    """One generated course (indices refer to the generated people and courses).

    ``by_mode`` names who may record a completion (a key of :data:`_BY_TEXT`); ``sessions`` are
    ``[id, first day, last day, place, capacity]`` with days as ordinals, in date order.
    """

    __slots__ = ("id", "fmt", "title", "skill", "cost", "elective", "approval", "prereqs",
                 "trainers", "valid_months", "checklist", "sessions", "by_mode", "hours",
                 "language", "provider", "url", "summary", "description", "compliance")


class Catalog:
    """The courses and the pool of people who train them."""

    def __init__(self, rng: random.Random, people: People, days: Days) -> None:
        self.people = people
        self.days = days
        count = max(30, min(5000, round(people.count / 10)))
        width = max(4, len(str(count)))
        n_trainers = max(min(people.count, 2), round(people.count / 25))
        self.trainer_pool = sorted(rng.sample(range(people.count), n_trainers))
        title_seen: dict[str, int] = {}
        self.courses = [self._draw_course(rng, i, width, title_seen) for i in range(count)]

    def _draw_course(self, rng: random.Random, i: int, width: int, title_seen: dict[str, int]) -> Course:
        c = Course()
        c.compliance = i < COMPLIANCE_COUNT
        if c.compliance:
            slug, c.title, c.skill, c.valid_months, c.summary, c.hours = _COMPLIANCE[i]
            c.fmt = "elearning"
            c.cost = 0
            c.elective, c.approval = False, "none"
            vendor = None
        else:
            slug, vendor = _draw_offer(rng, c, i, title_seen)
        c.id = f"c{i + 1:0{width}d}-{slug}"
        c.by_mode = _BY_MODE.get(c.fmt, "all")
        c.language = "en" if c.compliance else rng.choices(("en", "de", "fr", "es"), (80, 10, 5, 5))[0]
        if vendor:
            c.provider = vendor[0]
            c.url = f"https://{vendor[1]}/courses/{slug}"
        else:
            c.provider = "Acme Academy"
            c.url = f"https://learn.acme.example/courses/{c.id}"
        prereqs: list[int] = []
        if not c.compliance and i >= COMPLIANCE_COUNT + 4 and rng.random() < 0.15:
            prereqs.append(rng.randrange(COMPLIANCE_COUNT, i))
            if rng.random() < 0.2:
                p2 = rng.randrange(COMPLIANCE_COUNT, i)
                if p2 != prereqs[0]:
                    prereqs.append(p2)
            prereqs.sort()
        c.prereqs = prereqs
        pool = self.trainer_pool
        c.trainers = sorted(rng.sample(pool, min(len(pool), 1 if rng.random() < 0.7 else 2)))
        if c.fmt == "checklist" or (c.fmt == "ojt" and rng.random() < 0.5):
            c.checklist = rng.sample(_CHECK_ITEMS, rng.randint(2, 5))
        else:
            c.checklist = None
        c.sessions = self._draw_sessions(rng, c) if c.fmt in _SESSION_FORMATS else []
        lines = [f"{c.summary}\n", "\n## What you will learn\n\n"]
        lines += [f"- {point}\n" for point in rng.sample(_LEARNING_POINTS, 3)]
        if c.prereqs:
            lines.append("\nComplete the prerequisites first.\n")
        c.description = "".join(lines)
        return c

    def _draw_sessions(self, rng: random.Random, c: Course) -> list[list]:
        """Two to four sessions: the first in the past, the last in the future."""
        today = self.days.today
        sessions = []
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
            sid = f"{self.days.iso_date(day)}-{place.lower()}"
            if sid in used:
                sid = f"{sid}-{j + 1}"
            used.add(sid)
            cap = rng.choice((6, 8, 10, 12, 12, 16, 20))
            sessions.append([sid, day, day + days - 1, place, cap])
        sessions.sort(key=lambda s: (s[1], s[0]))
        return sessions

    def write(self, writer: Writer) -> None:
        """Write catalog/<course>.yaml."""
        ids = self.people.ids
        iso_date = self.days.iso_date
        courses = self.courses
        for c in courses:
            parts = [
                f"title: {scalar(c.title)}\n",
                f"summary: {scalar(c.summary)}\n",
                "description: |\n",
                "".join(f"  {line}" if line != "\n" else "\n"
                        for line in c.description.splitlines(keepends=True)),
                f"format: {c.fmt}\n",
                f"hours: {c.hours}\n",
                f"language: {c.language}\n",
                f"provider: {scalar(c.provider)}\n",
                f"url: {c.url}\n",
                f"cost: {{amount: {c.cost}, currency: EUR}}\n",
                f"elective: {'true' if c.elective else 'false'}\n",
                f"approval: {c.approval}\n",
                f"prerequisites: [{', '.join(courses[p].id for p in c.prereqs)}]\n",
                f"skills: [{c.skill}]\n",
                f"trainers: [{', '.join(ids[t] for t in c.trainers)}]\n",
            ]
            if c.valid_months:
                parts.append(f"valid_months: {c.valid_months}\n")
            parts.append(f"completion: {{by: {_BY_TEXT[c.by_mode]}}}\n")
            if c.checklist:
                parts.append(f"checklist: [{', '.join(json.dumps(x) for x in c.checklist)}]\n")
            if c.sessions:
                parts.append("sessions:\n")
                for sid, start, end, place, cap in c.sessions:
                    zone = f"timezone: {_PLACE_ZONES[place]}, " if place in _PLACE_ZONES else ""
                    parts.append(f"  - {{id: {sid}, start: {iso_date(start)}T09:00, "
                                 f"end: {iso_date(end)}T17:00, {zone}location: {place}, capacity: {cap}}}\n")
            writer.write(f"catalog/{c.id}.yaml", "".join(parts))


def _draw_offer(rng: random.Random, c: Course, i: int,
                title_seen: dict[str, int]) -> tuple[str, tuple[str, str] | None]:
    """Draw a non-compliance course's format, title, price and terms; return its slug and vendor (or None)."""
    fmt = (_FORMATS[i - COMPLIANCE_COUNT] if i - COMPLIANCE_COUNT < len(_FORMATS)
           else rng.choices(_FORMATS, weights=_FORMAT_WEIGHTS)[0])
    c.fmt = fmt
    topic, skill = rng.choice(_TOPICS)
    vendor = None
    if fmt == "external":
        vendor = rng.choice(_VENDORS)
        title = f"{vendor[0].split()[0]} {topic} {rng.choice(_VARIANTS[fmt])}"
    else:
        title = f"{topic} {rng.choice(_VARIANTS[fmt])}"
    n = title_seen.get(title, 0) + 1
    title_seen[title] = n
    slug = slugify(title)
    if n > 1:
        title = f"{title} {n}"
    c.title, c.skill = title, skill
    c.summary = f"{topic} as {_FORMAT_PHRASE[fmt]} for colleagues who want to grow in {skill}."
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
    return slug, vendor
