"""Who may read which page of the site: the reading side of the policy, from roles/ and teams/ alone.

CODEOWNERS says who approves a file; this says who reads a page, from the same inputs and the same
derivations (`Policy.roles_granting` for a role's scope, `Organisation.approving_manager` for the
management chain), so a change to roles/ or teams/ changes both. The site's URLs are not known here:
a page is named by its kind and id (`Page`), and `site/access_map.py` puts the names on URLs.

Who reads what (docs/access.md shows the same table to the people who deploy the site):

- a portal: the person, every manager up their chain, their mentor, and the holders of
  `reports.team` or `reports.org` whose scope covers the person's team; a leaver's portal, which
  the site keeps for the years their records are kept, goes to the same managers and report
  holders, no longer to the mentor (mentoring ends with the membership) nor to the leaver;
- the person's calendar page (their secret feed's address): the person alone;
- a team dashboard: the team's manager, every manager above them, and the holders of
  `reports.team`, `reports.division` or `reports.org` whose scope covers the team;
- a course's session roster (who is booked, waits, came, did not come, withdrew): the course's trainers,
  every manager up the chain of each person with a request of one of its sessions, and the holders of
  `catalog.edit` or `reports.org` in roles without a scope (`ROSTER_PERMISSIONS`);
- each organisation-wide report and export (`ORG_PAGES`): the holders of the permissions listed
  for it, in roles without a scope: such a page is one file about everyone, so a role scoped to a
  subtree cannot read it without reading beyond its scope;
- every other page of the full build (the public pages, which name trainers and approvers, the
  directories and the search index): every reader (`Audience.MEMBERS`); the calendar feeds: whoever
  has a feed's secret address (`Audience.ANYONE`, calendar apps do not sign in);
- a reader is a current member (`Organisation.present`) with an e-mail address: nobody else reads
  anything, whatever the roles say.

May import: `lmsgen.model`, and `rules.policy` (the roles' scopes).
Must not import: history, integrations, demo, site or commands.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import Enum

from ..model import formats as m
from ..model.diagnostics import Diagnostic
from ..model.organisation import Member, Organisation
from .policy import Policy
from .rosters import requesters_by_course

P = m.Permission


class Audience(str, Enum):
    """Who reads a page that no policy gives to some readers rather than others."""

    ANYONE = "anyone"
    """Whoever has its address, signed in or not: a calendar feed, at an address only its secret finds."""
    MEMBERS = "members"
    """Every reader: the pages every member may read, and nobody else."""
    NOBODY = "nobody"
    """No reader: a file the server never serves."""


@dataclass(frozen=True, order=True)
class Page:
    """A page the policy gives to some readers, by kind and id: `portal`/`calendar` (a person), `dashboard`
    (a team), `report`, `export` (by name)."""

    kind: str
    id: str

    @property
    def key(self) -> str:
        """`kind/id`: how the access map names the page."""
        return f"{self.kind}/{self.id}"


PORTAL_PERMISSIONS = (P.REPORTS_TEAM, P.REPORTS_ORG)
"""A portal shows one person's learning in full: read by the team reports in scope, and the org-wide ones."""
DASHBOARD_PERMISSIONS = (P.REPORTS_TEAM, P.REPORTS_DIVISION, P.REPORTS_ORG)
"""A dashboard shows a subtree's completion: read by the team and division reports in scope, and the org-wide ones."""

ROSTER_PERMISSIONS = (P.CATALOG_EDIT, P.REPORTS_ORG)
"""A roster names the people booked on a course's sessions: read by those who run courses and the org-wide reports."""

ORG_PAGES: dict[Page, tuple[m.Permission, ...]] = {
    # Per certification, every holder in the organisation by name.
    Page("report", "certifications"): (P.REPORTS_CERTIFICATIONS, P.REPORTS_ORG),
    # Budget, committed and remaining per team: what the cost approvers check a request against.
    Page("report", "budgets"): (P.BUDGET_EDIT, P.APPROVE_COST, P.REPORTS_ORG),
    # Completion per division and team, no names.
    Page("report", "divisions"): (P.REPORTS_DIVISION, P.REPORTS_ORG),
    # Spend per vendor and year, contracts and their contacts, no person: finance and L&D (docs/vendors.md).
    Page("report", "vendors"): (P.BUDGET_EDIT, P.APPROVE_COST, P.CATALOG_EDIT, P.REPORTS_ORG),
    Page("export", "vendors.csv"): (P.BUDGET_EDIT, P.APPROVE_COST, P.CATALOG_EDIT, P.REPORTS_ORG),
    # Every status row, every record, of everyone.
    Page("export", "status.json"): (P.REPORTS_ORG,),
    Page("export", "status.csv"): (P.REPORTS_ORG,),
    Page("export", "records.csv"): (P.REPORTS_ORG,),
    # Every certificate of everyone: the certification report in full.
    Page("export", "certifications.csv"): (P.REPORTS_CERTIFICATIONS, P.REPORTS_ORG),
    # Every request, its cost and its approvals: what the cost and external-training approvers decide on.
    Page("export", "approvals.csv"): (P.APPROVE_COST, P.APPROVE_EXTERNAL, P.REPORTS_ORG),
}
"""The organisation-wide pages and the permissions whose unscoped holders read each."""


@dataclass(frozen=True)
class Readers:
    """Who reads each page the policy gives to some readers (`Page`), as person ids, and each reader's e-mail."""

    emails: dict[str, str]
    """Each reader's e-mail, lowercase: the current members with one. Anyone else reads nothing."""
    pages: dict[Page, frozenset[str]]
    """The readers of each page."""
    diagnostics: list[Diagnostic]
    """E-mail addresses that cannot identify one reader: their people read nothing."""

    def may_read(self, person: str, page: Page | Audience) -> bool:
        """Whether `person` may read `page`, or the pages of an audience."""
        if page is Audience.ANYONE:
            return True
        if person not in self.emails or page is Audience.NOBODY:
            return False
        return page is Audience.MEMBERS or person in self.pages.get(page, ())


def readers(org: Organisation, on: date, policy: Policy | None = None) -> Readers:
    """Who reads each page of `org`'s full site that the policy gives to some readers, on `on`."""
    policy = policy or Policy(org)
    emails, diagnostics = _emails(org, on)
    chains: dict[str, list[str]] = {}

    def chain(person: str) -> list[str]:
        """The managers above `person`, nearest first, as the policy finds each one's approving manager."""
        if person not in chains:
            found: list[str] = []
            current = org.approving_manager(person)
            while current is not None and current != person and current not in found:
                found.append(current)
                current = org.approving_manager(current)
            chains[person] = found
        return chains[person]

    def holders(permissions: tuple[m.Permission, ...], team: str | None) -> set[str]:
        return {holder for permission in permissions for role in policy.roles_granting(permission, team)
                for holder in org.roles[role].model.holders}

    pages: dict[Page, set[str]] = defaultdict(set)
    scoped: dict[str, set[str]] = {}
    for person, member in org.members.items():
        if member.team not in scoped:
            scoped[member.team] = holders(PORTAL_PERMISSIONS, member.team)
        mentor = [member.person.mentor] if member.person.mentor and member.person.is_current(on) else []
        pages[Page("portal", person)] = {person, *chain(person), *mentor, *scoped[member.team]}
        pages[Page("calendar", person)] = {person}
    for team, entry in org.teams.items():
        manager = entry.model.manager
        pages[Page("dashboard", team)] = {manager, *chain(manager), *holders(DASHBOARD_PERMISSIONS, team)}
    for page, permissions in ORG_PAGES.items():
        pages[page] = holders(permissions, None)
    booked, runners = requesters_by_course(org), holders(ROSTER_PERMISSIONS, None)
    for course_id, entry in org.courses.items():
        if entry.model.sessions:
            managers = {manager for person in booked.get(course_id, ()) for manager in chain(person)}
            pages[Page("roster", course_id)] = {*entry.model.trainers, *runners, *managers}
    return Readers(emails, {page: frozenset(who & emails.keys()) for page, who in pages.items()}, diagnostics)


def _emails(org: Organisation, on: date) -> tuple[dict[str, str], list[Diagnostic]]:
    """The e-mail of each current member; an address two current members share identifies neither."""
    by_email: dict[str, list[Member]] = defaultdict(list)
    for member in org.present(on).values():
        if member.person.email:
            by_email[member.person.email.lower()].append(member)
    emails, diagnostics = {}, []
    for email, members in by_email.items():
        if len(members) == 1:
            emails[members[0].person.id] = email
            continue
        names = ", ".join(member.person.id for member in members)
        for member in members:
            diagnostics.append(member.source.error(
                (*member.loc, "email"),
                f"the e-mail {email} is {names}'s: an address must name one person, so none of them may read "
                "the site until it does"))
    return emails, sorted(diagnostics, key=lambda d: (d.path, d.line, d.col))
