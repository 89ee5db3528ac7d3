"""The checker every cross-file check reports through, and the references it resolves.

A reference to a person, course, team or session either resolves or becomes one error at the
place that names it, saying which file would have to exist; a reference whose file exists but
failed to load is passed over, since that file's own errors say why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.diagnostics import Diagnostic
from ..model.organisation import Entry, Organisation, Source


@dataclass
class Checker:
    """Collects the findings of the cross-file checks of one organisation."""

    org: Organisation
    found: list[Diagnostic] = field(default_factory=list)

    def report(self, source: Source, loc: tuple, message: str, *, key: bool = False) -> None:
        self.found.append(source.error(loc, message, key=key))

    def place(self, source: Source, loc: tuple = ()) -> str:
        return source.place(loc)

    # --- references ---------------------------------------------------------------------

    def is_broken(self, kind: str, id_: str | None = None) -> bool:
        """Whether a file that would resolve the reference failed to load (its own errors say why)."""
        return any(k == kind and id_ in (None, i) for k, i in self.org.broken)

    def person(self, source: Source, loc: tuple, person: str, what: str = "person") -> bool:
        if person in self.org.members:
            return True
        if self.is_broken("team"):
            return False
        self.report(source, loc, f"unknown {what} '{person}': no team file lists this person")
        return False

    def course(self, source: Source, loc: tuple, course: str) -> bool:
        if course in self.org.courses:
            return True
        if self.is_broken("course", course):
            return False
        self.report(source, loc, f"unknown course '{course}': there is no catalog/{course}.yaml")
        return False

    def team(self, source: Source, loc: tuple, team: str) -> bool:
        if team in self.org.teams:
            return True
        if self.is_broken("team", team):
            return False
        self.report(source, loc, f"unknown team '{team}': there is no teams/{team}/team.yaml")
        return False

    def session(self, source: Source, loc: tuple, course: str, session: str) -> bool:
        entry = self.org.courses[course]
        if any(s.id == session for s in entry.model.sessions):
            return True
        listed = ", ".join(s.id for s in entry.model.sessions) or "none"
        self.report(source, loc, f"unknown session '{session}' of course '{course}' "
                    f"({entry.source.path} lists: {listed})")
        return False


def check_file_owner(c: Checker, entry: Entry, person: str, what: str) -> bool:
    """The person a records or request file names must be the one its path names, in their own team."""
    if person != entry.ids["person"]:
        c.report(entry.source, ("person",), f"this {what} is in the folder of '{entry.ids['person']}' "
                 f"but names '{person}'")
        return False
    if not c.person(entry.source, ("person",), person):
        return False
    member = c.org.members[person]
    if member.team != entry.ids["team"]:
        c.report(entry.source, ("person",),
                 f"'{person}' is in team '{member.team}' ({c.place(member.source, member.loc)}), so this {what} "
                 f"belongs under teams/{member.team}/")
        return False
    return True
