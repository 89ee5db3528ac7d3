"""Whom a rule's audience and a manager's assignment select, from indexes built once per organisation.

Audiences
    A rule's audience is AND across its keys (teams, profiles, locations, people) and OR within
    a key; an empty key does not restrict, so an empty audience is everyone. ``teams`` include
    their subteams.

Manager assignments
    A team's assignment file covers the team's subtree, as its manager does. ``person: all``
    means every member of that subtree *except the team's own manager*: a manager assigns work
    to their people, and their own training comes from their manager's file (or a rule). Naming
    the manager explicitly still assigns it to them.

Leavers
    Given a date, every index holds only the people still there on it (`Person.is_current`): a leaver
    is in no audience, so has no status, and in no team's count.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cached_property

from ..model import formats as m
from ..model.organisation import Organisation


class Audiences:
    """The people of each team, subtree, profile and location, indexed on first use and shared by every audience."""

    def __init__(self, org: Organisation, on: date | None = None):
        self.org = org
        self.people = org.members if on is None else org.present(on)
        """The people audiences select from: everyone listed, or with a date, those still there on it."""
        self._subtrees: dict[str, frozenset[str]] = {}

    @cached_property
    def people_by_team(self) -> dict[str, list[str]]:
        """The people of each team (its own members, not the teams below it)."""
        found: dict[str, list[str]] = defaultdict(list)
        for person, member in self.people.items():
            found[member.team].append(person)
        return found

    @cached_property
    def _by_profile(self) -> dict[str, set[str]]:
        return self._people_by("profile")

    @cached_property
    def _by_location(self) -> dict[str, set[str]]:
        return self._people_by("location")

    def _people_by(self, field: str) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for person, member in self.people.items():
            value = getattr(member.person, field)
            if value:
                found[value].add(person)
        return found

    def subtree_teams(self, team: str) -> frozenset[str]:
        """`team` and every team below it (none for a team that does not exist)."""
        if team not in self._subtrees:
            self._subtrees[team] = frozenset(self.org.subtree(team)) if team in self.org.teams else frozenset()
        return self._subtrees[team]

    def people_in_subtree(self, team: str) -> set[str]:
        """Every person in `team` or a team below it."""
        return {p for t in self.subtree_teams(team) for p in self.people_by_team.get(t, ())}

    def of_rule(self, rule: m.Rule) -> set[str]:
        """The people a rule's audience selects (before exclusions)."""
        sets: list[set[str]] = []
        wanted = rule.audience
        if wanted.teams:
            sets.append(set().union(*(self.people_in_subtree(t) for t in wanted.teams)))
        if wanted.profiles:
            sets.append(set().union(*(self._by_profile.get(p, set()) for p in wanted.profiles)))
        if wanted.locations:
            sets.append(set().union(*(self._by_location.get(x, set()) for x in wanted.locations)))
        if wanted.people:
            sets.append({p for p in wanted.people if p in self.people})
        if not sets:
            return set(self.people)
        sets.sort(key=len)
        return sets[0].intersection(*sets[1:])

    def of_assignment(self, team: str, assignment: m.TeamAssignment) -> set[str]:
        """Whom one line of a team's assignment file assigns: a named person in the subtree, or `all`."""
        subtree = self.people_in_subtree(team)
        if assignment.person == "all":
            manager = self.org.teams[team].model.manager if team in self.org.teams else None
            return subtree - {manager}
        return {assignment.person} & subtree
