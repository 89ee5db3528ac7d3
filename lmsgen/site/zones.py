"""The site's two zones, and who reads each kind of page of the full build: one table of every URL.

The public zone is what an organisation may show outside its walls: the catalog, the course pages
with their upcoming sessions, who approves what, and the home page, none of them with personal
data in `lmsgen build --public`. The private zone is everything about people: portals, their
calendar pages and feeds, the people and team directories, the dashboards, the reports and the
exports. `PAGE_KINDS` lists every kind of file a build writes, by its URL, with its zone and its
readers in the full build, so that the build, the tests and the access map of a reverse proxy
(`access_map`) read them from one table; a URL that no kind matches is never written (the tests
hold every build's files against the table), and a kind added here is served by the access map.

URL patterns are relative to the site's root and use `{person}`, `{team}` and `{course}` for an id,
`{file}` for a file name and `{token}` for a calendar feed's or a badge assertion's token: `PageKind.regex` turns them into
anchored regular expressions.

May import: `lmsgen.rules` (`readers`: who reads a page).
Must not import: commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ..rules.readers import Audience, Page


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
    "page": "[a-z0-9][a-z0-9-]*",
    "any": ".+",
}


@dataclass(frozen=True)
class PageKind:
    """A kind of file the site has: its URL pattern (the index.html of a folder is the folder's URL), its zone
    and who reads it in the full build."""

    name: str
    zone: Zone
    url: str
    """Relative to the site's root: ``people/{person}/``; ``{any}`` stands for any path below a folder."""
    description: str
    readers: Audience | Page
    """Who reads it in the full build (the public build is for anyone): an audience, or the page of
    `rules.readers` whose readers the policy gives, its id a `{...}` of `url` (``Page("portal", "{person}")``)."""

    def __post_init__(self) -> None:
        if isinstance(self.readers, Page) and "{" in self.readers.id and self.readers.id not in self.url:
            raise ValueError(f"{self.name}: the readers' page {self.readers.key} names no part of {self.url}")

    @property
    def folder(self) -> bool:
        """Whether the URL is a folder's, served as its index.html."""
        return self.url == "" or self.url.endswith("/")

    @property
    def prefix(self) -> str:
        """The URL's fixed beginning, before any `{...}`: ``people/`` for ``people/{person}/``. Several kinds
        share one (a calendar page lies below its portal): tell them apart with `regex`."""
        return self.url.split("{", 1)[0]

    def pattern(self, capture: str = "") -> str:
        """The URLs of this kind as a regular expression, unanchored; the `{capture}` part (``person``) in a group."""
        return "".join(f"({_PARTS[capture]})" if piece == f"{{{capture}}}"
                       else _PARTS[piece[1:-1]] if piece.startswith("{") else re.escape(piece)
                       for piece in re.split(r"(\{[a-z]+\})", self.url))

    def regex(self) -> re.Pattern[str]:
        """The URLs of this kind (relative to the root, without a leading slash), anchored at both ends."""
        return re.compile(f"^{self.pattern()}$")


PUBLIC, PRIVATE = Zone.PUBLIC, Zone.PRIVATE
ANYONE, MEMBERS, NOBODY = Audience.ANYONE, Audience.MEMBERS, Audience.NOBODY

# The public zone's pages name trainers and approvers in the full build: there, every member reads them, and
# nobody else (anyone else reads the public build).
HOME = PageKind("home", PUBLIC, "", "the home page: search, upcoming sessions, popular electives", MEMBERS)
CATALOG = PageKind("catalog", PUBLIC, "catalog/", "every course, with its filters", MEMBERS)
COURSE = PageKind("course", PUBLIC, "catalog/{course}/", "one course: sessions, seats left, how to request it",
                  MEMBERS)
REQUESTS = PageKind("requests", PUBLIC, "catalog/requests.json",
                    "each course's pre-filled request link, for a stand-in person: the portals' script fills in "
                    "the reader (docs/site.md)", MEMBERS)
POLICY = PageKind("policy", PUBLIC, "policy/", "who approves what, and the paths with a single approver", MEMBERS)
# The organisation's own look (docs/theme.md): its files and extra pages hold no personal data.
THEME_ASSETS = PageKind("theme-assets", PUBLIC, "assets/theme/{any}",
                        "the organisation's logo, favicon and extra CSS (theme/theme.yaml)", MEMBERS)
THEME_PAGE = PageKind("theme-page", PUBLIC, "pages/{page}/", "an extra page of the organisation's (theme/pages/)",
                      MEMBERS)
ASSETS = PageKind("assets", PUBLIC, "assets/{any}", "the theme's and lmsgen's CSS, JavaScript and images", MEMBERS)
SEARCH = PageKind("search", PUBLIC, "search/{any}", "the header search's index of the public pages", MEMBERS)
SEARCH_JSON = PageKind("search-json", PUBLIC, "search.json", "the same index, where Zensical writes it "
                       "(docs/zensical.md)", MEMBERS)
SITEMAP = PageKind("sitemap", PUBLIC, "sitemap.xml", "the public pages, for search engines", MEMBERS)
SITEMAP_GZ = PageKind("sitemap-gz", PUBLIC, "sitemap.xml.gz", "the same, compressed", MEMBERS)
NOT_FOUND = PageKind("not-found", PUBLIC, "404.html", "the page for a URL that does not exist", MEMBERS)
MARKER = PageKind("marker", PUBLIC, ".lmsgen-site", "lmsgen's mark on a folder it built (a fixed sentence)", NOBODY)

PEOPLE = PageKind("people", PRIVATE, "people/", "the people directory (the current members), with its own filter",
                  MEMBERS)
PORTAL = PageKind("portal", PRIVATE, "people/{person}/", "one person's learning portal", Page("portal", "{person}"))
CALENDAR = PageKind("calendar", PRIVATE, "people/{person}/calendar/",
                    "the address of one person's calendar feed: for that person alone", Page("calendar", "{person}"))
FEED = PageKind("feed", PRIVATE, "feeds/{token}.ics",
                "one person's calendar feed, at a URL that only its secret token finds (calendar apps do not log in)",
                ANYONE)
TEAMS = PageKind("teams", PRIVATE, "teams/", "the team directory, with its own filter", MEMBERS)
DASHBOARD = PageKind("dashboard", PRIVATE, "teams/{team}/", "one team's dashboard", Page("dashboard", "{team}"))
CERTIFICATIONS = PageKind("certifications", PRIVATE, "reports/certifications/", "who holds which certification",
                          Page("report", "certifications"))
BUDGETS = PageKind("budgets", PRIVATE, "reports/budgets/", "budget, committed and remaining per team and year",
                   Page("report", "budgets"))
DIVISIONS = PageKind("divisions", PRIVATE, "reports/divisions/", "completion per division and team",
                     Page("report", "divisions"))
VENDORS = PageKind("vendors", PRIVATE, "reports/vendors/", "spend per vendor and year, contracts ending soon",
                   Page("report", "vendors"))
# Open Badges (site/badges.py): verifiers fetch them without signing in; an assertion names nobody (a hashed
# e-mail) and sits at an address only its secret token finds, given to its holder alone (docs/badges.md).
BADGE_ISSUER = PageKind("badge-issuer", PRIVATE, "badges/issuer.json", "the organisation as the badges' issuer",
                        ANYONE)
BADGE_CLASS = PageKind("badge-class", PRIVATE, "badges/classes/{file}",
                       "one certification as an Open Badges BadgeClass, and its image", ANYONE)
BADGE_ASSERTION = PageKind("badge-assertion", PRIVATE, "badges/assertions/{token}.json",
                           "one person's certification as a hosted Open Badges assertion, at a secret address",
                           ANYONE)
ROSTER = PageKind("roster", PRIVATE, "sessions/{course}/",
                  "one course's session rosters: booked, waiting, attended, absent and withdrawn (the trainers' view)",
                  Page("roster", "{course}"))
EXPORTS = PageKind("exports", PRIVATE, "exports/{file}",
                   "every status, record, certificate and request, as CSV and JSON", Page("export", "{file}"))

PAGE_KINDS: tuple[PageKind, ...] = (
    HOME, CATALOG, COURSE, REQUESTS, POLICY, THEME_ASSETS, THEME_PAGE, ASSETS, SEARCH, SEARCH_JSON, SITEMAP, SITEMAP_GZ, NOT_FOUND, MARKER,
    PEOPLE, PORTAL, CALENDAR, FEED, TEAMS, DASHBOARD, CERTIFICATIONS, BUDGETS, DIVISIONS, VENDORS, BADGE_ISSUER,
    BADGE_CLASS, BADGE_ASSERTION, EXPORTS, ROSTER,
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
