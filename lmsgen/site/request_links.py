"""The "Request this course" links of the portals, written once for the whole site (docs/site.md).

A request's file differs from person to person only in the person (in the file and in its path) and their team
(in its path), and every request file sits at the same depth. So the git host's pre-filled "new file" link is
written once per course, for a stand-in person and team (`PERSON`, `TEAM`), into one shared file,
`catalog/requests.json`; a portal's elective card carries only the course's id, and the portal the person's
and team's ids, once. The shared script (`assets/lmsgen.js`) puts the person's link on each card by replacing
the stand-ins: ids are slugs, which a URL carries as they are, so the link is exactly the one `url` gives.
Without JavaScript, a card leads to the course page's "How to request" section, which shows the file to
paste and a plain link to the git host's editor.

`requests.json` holds no personal data (courses, sessions, the repository's address): it is public, as the
course pages are (`zones.REQUESTS`).
"""

from __future__ import annotations

import json
from datetime import date

from ..history import helpers
from ..model import formats as m
from . import links
from .views import SiteData

PERSON = "someone-4b7e1d"
"""The person id that stands for the requester in the shared links."""
TEAM = "team-4b7e1d"
"""The team id that stands for the requester's team in the shared links."""
FILE = "catalog/requests.json"
"""Where the shared links are, relative to the site's root."""


def request_path(team: str, person: str, course_id: str, as_of: date) -> str:
    """The request file a "Request" link creates: the path that routes it to the right approvers."""
    return f"teams/{team}/requests/{person}/{as_of:%Y-%m}-{course_id}.yaml"


def requestable(course: m.Course) -> bool:
    """Whether a portal offers a "Request" link for the course (a course without approval is just taken)."""
    return course.approval is not m.Approval.NONE


class RequestLinks:
    """The pre-filled request of each course, for the stand-in person, written once."""

    def __init__(self, data: SiteData):
        self.data = data
        self._texts: dict[str, str] = {}
        self._urls: dict[str, str] = {}

    def text(self, course_id: str, person: str = PERSON) -> str:
        """The request file the link pre-fills: the course's first session with a seat left, the site's day."""
        if course_id not in self._texts:
            data = self.data
            session = next((seat.session.id for seat in data.bookable_sessions(course_id) if seat.left != 0), None)
            self._texts[course_id] = helpers.request_text(
                request_path(TEAM, PERSON, course_id, data.as_of), PERSON, course_id,
                data.org.courses[course_id].model, session=session,
                reason=data.words.t("site.course.example_reason"), today=data.as_of)
        return self._texts[course_id].replace(PERSON, person)

    def template(self, course_id: str) -> str | None:
        """The link for the stand-ins, None without a git host (org.yaml's `git`)."""
        settings = self.data.settings
        if settings is None:
            return None
        if course_id not in self._urls:
            path = request_path(TEAM, PERSON, course_id, self.data.as_of)
            self._urls[course_id] = links.new_file_url(settings, path, self.text(course_id))
        return self._urls[course_id]

    def url(self, course_id: str, person: str, team: str) -> str | None:
        """One person's link: the template with the stand-ins replaced, as the shared script does it."""
        template = self.template(course_id)
        return None if template is None else template.replace(PERSON, person).replace(TEAM, team)

    def json(self) -> str:
        """`catalog/requests.json`: the stand-ins and the link of each elective a portal may offer, for them."""
        urls = {course_id: self.template(course_id) for course_id, entry in sorted(self.data.org.courses.items())
                if entry.model.elective and requestable(entry.model)}
        return json.dumps({"person": PERSON, "team": TEAM, "urls": urls}, separators=(",", ":"), ensure_ascii=False)
