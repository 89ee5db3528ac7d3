"""The site's access map for nginx: each page of a built site served to exactly the readers the policy gives it.

The site is static, so who may read a page is decided by the web server in front of it, from the
e-mail address an SSO proxy (oauth2-proxy, for one) has verified and passes in a header. Who reads
what is `rules/readers.py`'s, and which URL is which page is `zones.PAGE_KINDS`' (the one table of
the site's URLs, with each kind's readers); this module writes both as one nginx `http`-level
include: two maps and a server.

- `$lmsgen_reader`: the header's e-mail -> the reader's id ("" for anyone else, and without the header);
- `$lmsgen_allowed`: `"<reader>|<page>"` -> 1 for each page a reader may read, 0 otherwise; `<page>`
  is set by the location that matched the URL, from the id its regular expression captured;
- the server: one location per page kind, so every file a build writes is served to its readers:
  the feeds to anyone (by their unguessable names, never listed), the pages every member reads
  (the public zone of the full build, the directories) to every reader, each other page only
  when `$lmsgen_allowed` says so; anything else is refused.

A kind's URL without a variable part is an exact location, a folder of files (`assets/{any}`) a
prefix one, and only the others are regular expressions, tried in the table's order. The config
grows by a few lines per person, never by a location per page, and nginx looks each request up in
two hashes: at 10,000 people it stays fast to load and to serve (docs/access.md).
Everything from the data goes into the config quoted, and a value nginx would read as more than a
string (a quote, `;`, braces, `$`, a backslash, whitespace) is refused, never escaped.

May import: `lmsgen.model`, `lmsgen.rules`, `site.zones`.
Must not import: commands.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from ..model.diagnostics import Diagnostic
from ..model.organisation import Organisation
from ..rules.readers import Audience, Page, Readers, readers
from .zones import PAGE_KINDS, PageKind

HEADER = "X-Auth-Request-Email"
"""oauth2-proxy's header for the verified e-mail (with `--set-xauthrequest`)."""

_UNSAFE = re.compile(r"[\"'\\;{}$#\s\x00-\x1f\x7f]")
"""What could end a quoted nginx string, start a variable or a comment, or hide in a log: refused, never escaped."""
_HEADER_NAME = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
_INDEX = r"(?:index\.html)?"


class UnsafeSetting(ValueError):
    """A setting that cannot go into the config as a plain string."""


@dataclass(frozen=True)
class Settings:
    """Where and how nginx serves the site."""

    site: str
    """The built site's folder on the server, absolute."""
    listen: str = "127.0.0.1:8080"
    """nginx's `listen`: where the SSO proxy sends requests."""
    header: str = HEADER
    server_name: str = "_"

    def check(self) -> None:
        """Raises UnsafeSetting for a value nginx could not take as one plain string."""
        if not _HEADER_NAME.match(self.header):
            raise UnsafeSetting(f"--header {self.header!r} is not a header name (letters, digits and '-')")
        if not PurePosixPath(self.site).is_absolute():
            raise UnsafeSetting(f"--site {self.site!r} must be an absolute path on the server")
        for option, value in (("--site", self.site), ("--listen", self.listen), ("--server-name", self.server_name)):
            if not value or _UNSAFE.search(value):
                raise UnsafeSetting(f"{option} {value!r}: nginx would not read it as one plain value; quotes, "
                                    "';', braces, '$', '#', backslashes and whitespace are refused")

    @property
    def variable(self) -> str:
        """The nginx variable that holds the header: `$http_` and its name, lowercase, '-' as '_'."""
        return "$http_" + self.header.lower().replace("-", "_")


def nginx(org: Organisation, on: date, settings: Settings) -> tuple[str, list[Diagnostic]]:
    """The nginx include for `org`'s site on `on`, and the problems with its e-mail addresses (whose people
    are left out: they read nothing). Raises UnsafeSetting for a setting nginx could not take."""
    settings.check()
    found = readers(org, on)
    diagnostics = list(found.diagnostics)
    refused = {person for person, email in found.emails.items() if _UNSAFE.search(email)}
    for person in sorted(refused):
        member = org.members[person]
        diagnostics.append(member.source.error(
            (*member.loc, "email"),
            f"the e-mail {found.emails[person]!r} cannot go into the access map: quotes, ';', braces, '$', '#', "
            "backslashes and whitespace are refused, so this person may read no page of the site"))
    return render(found, settings, on, refused), diagnostics


def render(found: Readers, settings: Settings, on: date, refused: Collection[str] = ()) -> str:
    """The config text for `found`, leaving out the readers in `refused`."""
    emails = {person: email for person, email in sorted(found.emails.items()) if person not in refused}
    allowed = sorted(f"{person}|{page.key}" for page, people in found.pages.items()
                     for person in people if person in emails)
    longest = max([len(key) for key in [*emails.values(), *allowed]], default=1)
    lines = [
        f"# The access map of the site, generated by `lmsgen access --format nginx` as of {on.isoformat()}: "
        "regenerate it, never edit it.",
        "# Include it in nginx's http {} block. The SSO proxy in front MUST set the header "
        f"{settings.header} itself, replacing any copy a client sent.",
        "",
        f"map_hash_max_size {_hash_size(max(len(emails), len(allowed)))};",
        f"map_hash_bucket_size {_bucket_size(longest)};",
        "",
        "# The verified e-mail -> the reader's id; anyone else (and no header) is nobody.",
        f"map {settings.variable} $lmsgen_reader {{",
        '    default "";',
        *(f'    "{email}" "{person}";' for person, email in sorted(emails.items(), key=lambda item: item[1])),
        "}",
        "",
        "# \"<reader>|<page>\" -> 1 when the policy lets the reader read the page.",
        'map "$lmsgen_reader|$lmsgen_page" $lmsgen_allowed {',
        "    default 0;",
        *(f'    "{key}" 1;' for key in allowed),
        "}",
        "",
        *_server(settings),
    ]
    return "\n".join(lines) + "\n"


def _server(settings: Settings) -> list[str]:
    return [
        "server {",
        f'    listen {settings.listen};',
        f'    server_name "{settings.server_name}";',
        f'    root "{settings.site}";',
        "    index index.html;",
        "    autoindex off;",
        "    error_page 404 /404.html;",
        "    # No shared cache may keep a page: what one reader may read is not another's.",
        '    add_header Cache-Control "private" always;',
        '    set $lmsgen_page "";',
        "",
        *(f"    {location}" for kind in PAGE_KINDS for location in _locations(kind)),
        "",
        "    # Anything else is no page of the site.",
        "    location / { return 403; }",
        "}",
    ]


def _locations(kind: PageKind) -> list[str]:
    """The nginx locations of `kind`'s URLs, each letting through the kind's readers alone; none for a kind
    nobody reads (the last location refuses it)."""
    readers = kind.readers
    if readers is Audience.NOBODY:
        return []
    captured = ""
    if readers is Audience.ANYONE:
        allow = ""
    elif readers is Audience.MEMBERS:
        allow = ' if ($lmsgen_reader = "") { return 403; } '
    else:
        assert isinstance(readers, Page)
        captured = readers.id[1:-1] if readers.id.startswith("{") else ""
        page = f"{readers.kind}/$1" if captured else readers.key
        allow = f' set $lmsgen_page "{page}"; if ($lmsgen_allowed != 1) {{ return 403; }} '
    comment = f"# {kind.name}: {kind.description}"
    if "{" not in kind.url:
        index = ["index.html"] if kind.folder else []
        return [comment, *(f'location = "/{kind.url}{name}" {{{allow}}}' for name in ["", *index])]
    if kind.url == kind.prefix + "{any}":
        return [comment, f'location ^~ "/{kind.prefix}" {{{allow}}}']
    index = _INDEX if kind.folder else ""  # a folder's URL, and its index.html, to which nginx's index leads
    return [comment, f'location ~ "^/{kind.pattern(captured)}{index}$" {{{allow}}}']


def _hash_size(entries: int) -> int:
    """A `map_hash_max_size` that holds `entries` with room, so nginx finds a table size quickly."""
    size = 2048
    while size < 2 * entries:
        size *= 2
    return size


def _bucket_size(longest_key: int) -> int:
    """A `map_hash_bucket_size` with room for four of the longest keys, so nginx finds a table without collisions
    overflowing a bucket: an element is the key, two bytes of length and a pointer, aligned to 8, and a bucket ends
    with one more pointer; a power of two."""
    element = 8 + (longest_key + 2 + 7) // 8 * 8
    size = 64
    while size < 4 * element + 8:
        size *= 2
    return size
