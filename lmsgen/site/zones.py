"""The site's two zones: which pages anyone may read, and which only some people may.

The public zone is what an organisation may show outside its walls: the catalog, the course pages
with their upcoming sessions, who approves what, and the home page, none of them with personal
data in `lmsgen build --public`. The private zone is everything about people: portals, their
calendar pages and feeds, the people and team directories, the dashboards, the reports and the
exports. `PAGE_KINDS` lists every kind of file a build writes, by its URL, so that the build,
the tests and the access map of a reverse proxy read the zones from one table; a URL that no kind
matches is never written (the tests hold every build's files against the table).

URL patterns are relative to the site's root and use `{person}`, `{team}` and `{course}` for an id,
`{file}` for a file name and `{token}` for a calendar feed's token: `PageKind.regex` turns them into
anchored regular expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Zone(str, Enum):
    PUBLIC = "public"
    """Anyone may read it: no personal data in `lmsgen build --public`."""
    PRIVATE = "private"
    """Only the people the policy gives it to (behind single sign-on; a feed, behind its secret URL)."""


_PARTS = {
    "person": "[a-z0-9][a-z0-9-]*",
    "team": "[a-z0-9][a-z0-9-]*",
    "course": "[a-z0-9][a-z0-9-]*",
    "file": "[A-Za-z0-9][A-Za-z0-9._-]*",
    "token": "[0-9a-f]{32}",
    "any": ".+",
}


@dataclass(frozen=True)
class PageKind:
    """A kind of file the site has: its URL pattern (the index.html of a folder is the folder's URL) and zone."""

    name: str
    zone: Zone
    url: str
    """Relative to the site's root: ``people/{person}/``; ``{any}`` stands for any path below a folder."""
    description: str

    @property
    def prefix(self) -> str:
        """The URL's fixed beginning, before any `{...}`: ``people/`` for ``people/{person}/``. Several kinds
        share one (a calendar page lies below its portal): tell them apart with `regex`."""
        return self.url.split("{", 1)[0]

    def regex(self) -> re.Pattern[str]:
        """The URLs of this kind (relative to the root, without a leading slash), anchored at both ends."""
        pattern = "".join(_PARTS[piece[1:-1]] if piece.startswith("{") else re.escape(piece)
                          for piece in re.split(r"(\{[a-z]+\})", self.url))
        return re.compile(f"^{pattern}$")


PUBLIC, PRIVATE = Zone.PUBLIC, Zone.PRIVATE

HOME = PageKind("home", PUBLIC, "", "the home page: search, upcoming sessions, popular electives")
CATALOG = PageKind("catalog", PUBLIC, "catalog/", "every course, with its filters")
COURSE = PageKind("course", PUBLIC, "catalog/{course}/", "one course: sessions, seats left, how to request it")
POLICY = PageKind("policy", PUBLIC, "policy/", "who approves what, and the paths with a single approver")
ASSETS = PageKind("assets", PUBLIC, "assets/{any}", "the theme's and lmsgen's CSS, JavaScript and images")
SEARCH = PageKind("search", PUBLIC, "search/{any}", "the header search's index of the public pages")
SITEMAP = PageKind("sitemap", PUBLIC, "sitemap.xml", "the public pages, for search engines")
SITEMAP_GZ = PageKind("sitemap-gz", PUBLIC, "sitemap.xml.gz", "the same, compressed")
NOT_FOUND = PageKind("not-found", PUBLIC, "404.html", "the page for a URL that does not exist")
MARKER = PageKind("marker", PUBLIC, ".lmsgen-site", "lmsgen's mark on a folder it built (a fixed sentence)")

PEOPLE = PageKind("people", PRIVATE, "people/", "the people directory, with its own filter")
PORTAL = PageKind("portal", PRIVATE, "people/{person}/", "one person's learning portal")
CALENDAR = PageKind("calendar", PRIVATE, "people/{person}/calendar/",
                    "the address of one person's calendar feed: for that person alone")
FEED = PageKind("feed", PRIVATE, "feeds/{token}.ics",
                "one person's calendar feed, at a URL that only its secret token finds (calendar apps do not log in)")
TEAMS = PageKind("teams", PRIVATE, "teams/", "the team directory, with its own filter")
DASHBOARD = PageKind("dashboard", PRIVATE, "teams/{team}/", "one team's dashboard")
CERTIFICATIONS = PageKind("certifications", PRIVATE, "reports/certifications/", "who holds which certification")
BUDGETS = PageKind("budgets", PRIVATE, "reports/budgets/", "budget, committed and remaining per team and year")
DIVISIONS = PageKind("divisions", PRIVATE, "reports/divisions/", "completion per division and team")
EXPORTS = PageKind("exports", PRIVATE, "exports/{file}",
                   "every status, record, certificate and request, as CSV and JSON")

PAGE_KINDS: tuple[PageKind, ...] = (
    HOME, CATALOG, COURSE, POLICY, ASSETS, SEARCH, SITEMAP, SITEMAP_GZ, NOT_FOUND, MARKER,
    PEOPLE, PORTAL, CALENDAR, FEED, TEAMS, DASHBOARD, CERTIFICATIONS, BUDGETS, DIVISIONS, EXPORTS,
)
"""Every kind of file a build writes; the first that matches a URL is its kind."""

_REGEXES = tuple((kind, kind.regex()) for kind in PAGE_KINDS)


def kind_of(url: str) -> PageKind | None:
    """The kind of the file at `url` (relative to the site's root; ``people/carol/index.html`` or
    ``people/carol/``), None for a URL no kind has."""
    url = url.lstrip("/")
    if url == "index.html" or url.endswith("/index.html"):
        url = url.removesuffix("index.html")
    return next((kind for kind, regex in _REGEXES if regex.match(url)), None)


def zone_of(url: str) -> Zone | None:
    """The zone of the file at `url`, None for a URL the site never has."""
    kind = kind_of(url)
    return kind.zone if kind else None
