"""Training budgets: what approved requests commit against each team's budget, per year.

Every request on the main branch is approved, so each one commits its cost: the request's own
``cost``, else its course's ``cost`` (nothing when neither is set or the amount is zero). The
spend counts in the year of the request's ``date`` and rolls up from the requester's team to
the nearest team, itself or above, that has a budget in ``budgets/<year>.yaml``. Spend that
finds no budget is kept as an unbudgeted line of the requester's team, so finance sees it.

Budgets and spend are in the organisation's currency (``org.yaml``): a budget or cost in another
currency counts converted at org.yaml's ``money.rates`` (`money` reports one without a rate as an
error, and leaves it out here).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..model import formats as m
from ..model.diagnostics import Diagnostic, warning
from ..model.organisation import Entry, Organisation
from .money import in_org_currency, request_cost
from .withdrawals import Withdrawals


@dataclass(frozen=True)
class Spend:
    """One approved request's cost, as committed against a budget."""

    request: str
    person: str
    team: str
    """The requester's team."""
    course: str
    date: date
    amount: float
    """What the request costs, in the organisation's currency."""
    cost: m.Money
    """What the request costs, as stated (in another currency when it was converted)."""
    path: str


@dataclass(frozen=True)
class BudgetLine:
    """One team's budget for one year, what is committed against it, and what remains.

    ``budget`` and ``remaining`` are None for unbudgeted spend (no budget on the team or above).
    """

    team: str
    year: int
    currency: str
    budget: float | None
    committed: float
    spends: tuple[Spend, ...]

    @property
    def remaining(self) -> float | None:
        return None if self.budget is None else self.budget - self.committed

    @property
    def over(self) -> bool:
        return self.budget is not None and self.committed > self.budget


def _requester_team(org: Organisation, entry: Entry[m.Request]) -> str | None:
    member = org.members.get(entry.model.person)
    team = member.team if member else entry.ids.get("team")
    return team if team in org.teams else None


def _budget_year(org: Organisation, year: int) -> Entry[m.Budget] | None:
    return org.budgets.get(f"{year:04d}")


def _holder(org: Organisation, team: str, year: int) -> str | None:
    """The team whose budget pays for spend of `team` in `year`: itself or its nearest ancestor with one."""
    entry = _budget_year(org, year)
    if entry is None:
        return None
    budgets = entry.model.root
    return next((t for t in (team, *org.ancestors(team)) if t in budgets), None)


def budget_lines(org: Organisation, *, as_of: date | None = None) -> list[BudgetLine]:
    """Every budget of every year, plus unbudgeted spend, sorted by year then team.

    `as_of` leaves out requests dated after it (they do not exist yet on that date).
    """
    currency = org.currency
    spends: dict[tuple[str, int], list[Spend]] = defaultdict(list)
    withdrawals = Withdrawals(org)
    holders: dict[tuple[str, int], str] = {}  # by (team, year): found once, not once a request (16,000 at size L)
    for entry in org.requests:
        request = entry.model
        if (as_of is not None and request.date > as_of) or withdrawals.withdrawn(entry, as_of):
            continue  # not made yet, or withdrawn: a withdrawn request commits nothing
        cost = request_cost(org, request)
        team = _requester_team(org, entry)
        amount = in_org_currency(org, cost) if cost is not None else None
        if cost is None or not amount or team is None:
            continue
        year = request.date.year
        holder = holders.get((team, year))
        if holder is None:
            holder = holders[team, year] = _holder(org, team, year) or team
        spends[(holder, year)].append(Spend(entry.id, request.person, team, request.course, request.date,
                                            amount, cost, entry.source.path))
    lines: list[BudgetLine] = []
    keys = set(spends)
    for year_id, entry in org.budgets.items():
        for team in entry.model.root:
            keys.add((team, int(year_id)))
    for team, year in sorted(keys, key=lambda k: (k[1], k[0])):
        entry = _budget_year(org, year)
        money = entry.model.root.get(team) if entry else None
        found = tuple(sorted(spends.get((team, year), ()), key=lambda s: (s.date, s.request, s.person)))
        lines.append(BudgetLine(team, year, currency, in_org_currency(org, money) if money else None,
                                round(sum(s.amount for s in found), 2), found))
    return lines


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def diagnostics(org: Organisation) -> list[Diagnostic]:
    """Warnings: budgets that approved requests overspend.

    Warnings never fail ``lmsgen check`` unless ``--strict`` is given.
    """
    found: list[Diagnostic] = []
    for line in budget_lines(org):
        if not line.over:
            continue
        entry = _budget_year(org, line.year)
        requests = len(line.spends)
        found.append(warning(entry.source.path, entry.source.locate((line.team,), key=True),
                             f"budget of team '{line.team}' for {line.year} is overspent: approved requests commit "
                             f"{_money(line.committed, line.currency)} of {_money(line.budget, line.currency)} "
                             f"({requests} request{'s' * (requests != 1)}, "
                             f"{_money(line.committed - line.budget, line.currency)} over)"))
    return found
