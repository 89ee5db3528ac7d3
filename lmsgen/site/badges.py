"""Open Badges 2.0 for the certifications: hosted assertions that any verifier can check, with no server.

The full build publishes, below ``badges/`` (docs/badges.md):

- ``issuer.json``: the organisation as the badges' issuer (a Profile of type ``Issuer``);
- ``classes/<course>.json`` and ``classes/<course>.svg``: one BadgeClass per course that certifies (it has
  `valid_months`), with an image drawn from its title;
- ``assertions/<token>.json``: one Assertion per certificate that has not expired on the build's date (the
  latest completion of such a course by someone still here, `rules.certificates`), for a person with an
  e-mail address.

An assertion is about one person, so it never names them: its recipient is the SHA-256 of their lowercase
e-mail and a salt (Open Badges' hashed identity), and its address is a token, the first 32 hexadecimal
digits of HMAC-SHA256(secret, person, course, date), which nobody can derive from a name without the secret.
Verifiers fetch assertions without signing in, so they are served to anyone, like the calendar feeds, at
addresses that only their holder is given (on their portal); `build --public` writes none of them, and no
search index lists them (`zones.BADGE_ASSERTION`). Hosted verification needs each file at the address its
`id` names, so without org.yaml's `site_url`, or without a secret of `MIN_SECRET` characters in
`LMSGEN_BADGE_SECRET`, no badge is written and the build warns once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote_plus, urlencode
from xml.sax.saxutils import escape

from ..model import formats as m
from ..rules.certificates import Certificate
from .feeds import MIN_SECRET
from .views import SiteData

BADGE_SECRET = "LMSGEN_BADGE_SECRET"
"""The environment variable that holds the secret the assertions' addresses and salts are made from."""
CONTEXT = "https://w3id.org/openbadges/v2"
TOKEN_DIGITS = 32
FOLDER = "badges"
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def token(secret: str, person: str, course: str, completed_on: date) -> str:
    """The assertion's token: the first 32 hex digits of HMAC-SHA256(key=secret, msg="person\\ncourse\\ndate")."""
    message = f"{person}\n{course}\n{completed_on.isoformat()}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()[:TOKEN_DIGITS]


def salt(secret: str, assertion_token: str) -> str:
    """The salt of an assertion's hashed identity: stable from build to build, different for every assertion."""
    return hmac.new(secret.encode("utf-8"), f"salt\n{assertion_token}".encode(), hashlib.sha256).hexdigest()[:16]


def hashed_identity(email: str, salt_text: str) -> str:
    """Open Badges' hashed e-mail: ``sha256$`` and the hex SHA-256 of the lowercase address followed by the salt."""
    return "sha256$" + hashlib.sha256((email.lower() + salt_text).encode("utf-8")).hexdigest()


def problem(site_url: str | None, secret: str | None, certifying: bool) -> str | None:
    """Why no badge can be published (a build warning, given once), None when they can or none is wanted."""
    if not certifying:
        return None
    if not site_url:
        return ("no badges were written: org.yaml has no site_url, and an Open Badges assertion must name the "
                "address it is published at; set site_url to where the site is served")
    if not secret:
        return (f"no badges were written: {BADGE_SECRET} is not set; set it to a random secret of at least "
                f"{MIN_SECRET} characters, the same on every build, to publish each certification as an Open Badge")
    if len(secret) < MIN_SECRET:
        return (f"no badges were written: {BADGE_SECRET} has {len(secret)} characters, and a secret shorter than "
                f"{MIN_SECRET} could be found by trying from one's own badge address; set a longer random one")
    return None


@dataclass(frozen=True)
class BadgeLink:
    """A badge on its holder's portal: where its assertion is, and the links that add it to a profile."""

    course: str
    title: str
    assertion_url: str
    linkedin_url: str
    expires_on: date


def assertion_path(assertion_token: str) -> str:
    """Where an assertion's file is, below the site's root."""
    return f"{FOLDER}/assertions/{assertion_token}.json"


def _time(day: date) -> str:
    """An ISO 8601 date-time in UTC, as Open Badges' `issuedOn` and `expires` want one."""
    return f"{day.isoformat()}T00:00:00Z"


class Badges:
    """Every badge file of one site: the issuer, the classes, and the assertions of the certificates in force."""

    def __init__(self, data: SiteData, site_url: str, secret: str):
        self.data = data
        self.secret = secret
        self.site = site_url.rstrip("/") + "/"
        self.base = f"{self.site}{FOLDER}/"
        org = data.org
        self.courses = sorted(course for course, entry in org.courses.items() if entry.model.valid_months)
        self.issued: list[tuple[Certificate, str, str]] = []
        """(certificate, token, e-mail) of each assertion."""
        for certificate in data.all_certificates():
            member = org.members.get(certificate.person)
            if certificate.state == "expired" or member is None or not member.person.email:
                continue
            assertion_token = token(secret, certificate.person, certificate.course, certificate.completed_on)
            self.issued.append((certificate, assertion_token, member.person.email))

    # --- the documents --------------------------------------------------------------------------

    def issuer(self) -> dict[str, object]:
        return {"@context": CONTEXT, "type": "Issuer", "id": f"{self.base}issuer.json", "name": self.data.name,
                "url": self.site}

    def badge_class(self, course_id: str) -> dict[str, object]:
        course = self.data.org.courses[course_id].model
        months = course.valid_months
        provider = f" ({course.provider})" if course.provider and course.provider != "Internal" else ""
        narrative = self.data.words.plural("site.badge.narrative", months, course=course.title, provider=provider,
                                           org=self.data.name)
        found: dict[str, object] = {
            "@context": CONTEXT, "type": "BadgeClass", "id": f"{self.base}classes/{course_id}.json",
            "name": course.title, "description": course.summary.strip() or course.title,
            "image": f"{self.base}classes/{course_id}.svg",
            "criteria": {"id": f"{self.site}catalog/{course_id}/", "narrative": narrative},
            "issuer": f"{self.base}issuer.json",
        }
        if course.skills:
            found["tags"] = list(course.skill_levels)
        return found

    def assertion(self, certificate: Certificate, assertion_token: str, email: str) -> dict[str, object]:
        salt_text = salt(self.secret, assertion_token)
        return {
            "@context": CONTEXT, "type": "Assertion", "id": self.assertion_url(assertion_token),
            "recipient": {"type": "email", "hashed": True, "salt": salt_text,
                          "identity": hashed_identity(email, salt_text)},
            "badge": f"{self.base}classes/{certificate.course}.json",
            "verification": {"type": "hosted"},
            "issuedOn": _time(certificate.completed_on),
            "expires": _time(certificate.expires_on),
        }

    def assertion_url(self, assertion_token: str) -> str:
        return f"{self.base}assertions/{assertion_token}.json"

    def shared_files(self) -> dict[str, str]:
        """The issuer and the badge classes, by path below the site's root."""
        found = {f"{FOLDER}/issuer.json": _json(self.issuer())}
        for course_id in self.courses:
            if not m.is_slug(course_id):  # never reached: the layout refuses such ids
                continue
            found[f"{FOLDER}/classes/{course_id}.json"] = _json(self.badge_class(course_id))
            found[f"{FOLDER}/classes/{course_id}.svg"] = image(self.data.org.courses[course_id].model.title)
        return found

    def assertion_text(self, certificate: Certificate, assertion_token: str, email: str) -> str:
        """An assertion's file (at `assertion_path`)."""
        return _json(self.assertion(certificate, assertion_token, email))

    # --- the portal's links ---------------------------------------------------------------------

    def links(self) -> dict[str, list[BadgeLink]]:
        """Each holder's badges, for their portal: the assertion's address, and LinkedIn's add-to-profile link."""
        found: dict[str, list[BadgeLink]] = {}
        starts: dict[str, str] = {}  # the link's part that is the same for every holder of a course, encoded once
        for certificate, assertion_token, _ in self.issued:
            title = self.data.course_title(certificate.course)
            if certificate.course not in starts:
                starts[certificate.course] = LINKEDIN_ADD + "?" + urlencode({
                    "startTask": "CERTIFICATION_NAME", "name": title, "organizationName": self.data.name})
            url = self.assertion_url(assertion_token)
            done, expires = certificate.completed_on, certificate.expires_on
            linkedin = (f"{starts[certificate.course]}&issueYear={done.year}&issueMonth={done.month}"
                        f"&expirationYear={expires.year}&expirationMonth={expires.month}"
                        f"&certUrl={quote_plus(url)}&certId={assertion_token}")
            found.setdefault(certificate.person, []).append(
                BadgeLink(certificate.course, title, url, linkedin, expires))
        return found


def _json(document: dict[str, object]) -> str:
    """Compact JSON: the C encoder (an indented one is pure Python, and there are tens of thousands)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def image(title: str) -> str:
    """A square SVG badge: a ribbon, a circle and the title's initials, with the whole title as its accessible name
    (escaped: a title is text from the catalog)."""
    initials = "".join(word[0] for word in title.split() if word[:1].isalnum())[:3].upper() or "?"
    name = escape(title, {'"': "&quot;"})
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" role="img" '
        f'aria-label="{name}">\n'
        f"  <title>{name}</title>\n"
        '  <path d="M88 150 L60 240 L98 222 L118 252 L128 170 Z M168 150 L196 240 L158 222 L138 252 L128 170 Z" '
        'fill="#3f51b5"/>\n'
        '  <circle cx="128" cy="108" r="96" fill="#ffffff" stroke="#3f51b5" stroke-width="12"/>\n'
        '  <text x="128" y="126" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="56" '
        f'font-weight="bold" fill="#1a237e">{escape(initials)}</text>\n'
        "</svg>\n"
    )
