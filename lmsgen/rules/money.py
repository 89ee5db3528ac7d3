"""Money that matches: what each request costs, that its slips approve exactly that, and that budgets can count it.

A request costs what its course costs. It may state the cost (so that its approvers read it in the
file they approve), and then it states the course's; one that states none takes the course's. A
course priced per request (`cost_per_request: true`: external training, a conference) leaves the
amount to each request. An approval slip that states an amount states what its request costs, and
a cost slip always states it: finance approves the number in the slip, so a 1 EUR slip beside a
1,200 EUR request, or a 1 EUR request for a 1,200 EUR course, must not pass.

Budgets count in the organisation's `currency` (org.yaml). An amount in another currency counts at
the rate `money.rates` gives for it; without a rate it is an error where the amount is stated (the
course, the request or the budget), since the budgets could not count it. Zero is zero in any
currency.
"""

from __future__ import annotations

from ..model import formats as m
from ..model.organisation import Entry, Organisation
from .references import Checker


def request_cost(org: Organisation, request: m.Request) -> m.Money | None:
    """What a request costs: its own `cost`, else its course's (None when neither states one)."""
    if request.cost is not None:
        return request.cost
    course = org.courses.get(request.course)
    return course.model.cost if course else None


def is_free(money: m.Money | None) -> bool:
    return money is None or money.amount == 0


def in_org_currency(org: Organisation, money: m.Money) -> float | None:
    """The amount in the organisation's currency, at org.yaml's rate; None when there is no rate for it."""
    if money.currency == org.currency:
        return money.amount
    rate = org.org.model.money.rates.get(money.currency) if org.org else None
    return None if rate is None else money.amount * rate


def format_money(amount: float, currency: str) -> str:
    """`1,200 EUR`, `49.50 EUR`: cents only when there are some."""
    return f"{amount:,.2f}".removesuffix(".00") + f" {currency}"


def number(value: float) -> str:
    """An amount as YAML states it: `1200`, `49.5`."""
    return str(int(value)) if value == int(value) else str(value)


def amount_line(money: m.Money) -> str:
    """A slip's `amount` line for `money`, as `lmsgen check --fix` writes it."""
    return f"amount: {{amount: {number(money.amount)}, currency: {money.currency}}}"


def check_money(c: Checker) -> None:
    """Amounts that budgets cannot count, requests that state another cost than their course's, and slips
    that approve another amount than their request's cost (or, for a cost slip, none)."""
    org = c.org.org
    if org is not None and org.model.currency in org.model.money.rates:
        c.report(org.source, ("money", "rates", org.model.currency), f"a rate for {org.model.currency}, the currency "
                 f"budgets count in ({c.place(org.source, ('currency',))}), is never used: remove it", key=True)
    for entry in c.org.courses.values():
        _countable(c, entry, ("cost",), entry.model.cost, "the cost")
    for entry in c.org.requests:
        _countable(c, entry, ("cost",), entry.model.cost, "the cost")
        _matches_course(c, entry)
    for entry in c.org.budgets.values():
        for team, money in entry.model.root.items():
            _countable(c, entry, (team,), money, "the budget")
    requests = {(entry.ids["team"], entry.ids["person"], entry.id): entry for entry in c.org.requests}
    for slip in c.org.slips:
        request = requests.get((slip.ids["team"], slip.ids["person"], slip.id))
        if request is not None and slip.model.request == slip.id:  # else the references checks say why
            _matches_request(c, slip, request)


def _countable(c: Checker, entry: Entry, loc: tuple, money: m.Money | None, what: str) -> None:
    if money is None or is_free(money) or in_org_currency(c.org, money) is not None:
        return
    currency, org_currency = money.currency, c.org.currency
    where = c.place(c.org.org.source, ("currency",)) if c.org.org else "org.yaml"
    c.report(entry.source, (*loc, "currency"),
             f"{what} is in {currency}, but budgets count in {org_currency} ({where}) and "
             f"no rate converts {currency}: add one to org.yaml (money: {{rates: {{{currency}: <{org_currency} for "
             f"1 {currency}>}}}}), or state it in {org_currency}")


def _matches_course(c: Checker, entry: Entry[m.Request]) -> None:
    request = entry.model
    course = c.org.courses.get(request.course)
    if request.cost is None or course is None or course.model.cost_per_request:
        return
    stated, price = request.cost, course.model.cost
    if _same(stated, price):
        return
    loc = ("cost", "currency") if price is not None and stated.amount == price.amount else ("cost", "amount")
    if price is None:
        costs = f"states no cost ({course.source.path})"
    else:
        costs = f"{'is free' if is_free(price) else 'costs ' + _text(price)} ({c.place(course.source, ('cost',))})"
    c.report(entry.source, loc, f"this request states a cost of {_text(stated)}, but course '{request.course}' "
             f"{costs}: state the course's cost, or leave 'cost' out to take it (a course whose price is set per "
             f"request says 'cost_per_request: true')")


def _matches_request(c: Checker, slip: Entry[m.Slip], request: Entry[m.Request]) -> None:
    if request.model.cost is None and request.model.course not in c.org.courses:
        return  # the request's unknown course is its own error; what it costs is not known
    cost = request_cost(c.org, request.model)
    amount = slip.model.amount
    if amount is None:
        if slip.ids["slip"] != m.SlipKind.COST.value:
            return
        fix = ("remove this slip, which a free request does not need" if cost is None or is_free(cost) else
               f"add '{amount_line(cost)}'")
        c.report(slip.source, (), f"this cost slip states no amount, and request '{request.id}' costs "
                 f"{_what_it_costs(c, request)}: {fix}")
    elif not _same(amount, cost):
        loc = ("amount", "currency") if cost is not None and amount.amount == cost.amount else ("amount", "amount")
        c.report(slip.source, loc, f"this slip approves {_text(amount)}, but request '{request.id}' costs "
                 f"{_what_it_costs(c, request)}: a slip approves exactly what its request costs")


def _what_it_costs(c: Checker, request: Entry[m.Request]) -> str:
    """What a request costs and where that is stated, for a message: `1,200 EUR (path:line:col)`."""
    if request.model.cost is not None:
        return f"{_text(request.model.cost)} ({c.place(request.source, ('cost',))})"
    course = c.org.courses[request.model.course]
    if course.model.cost is None:
        return f"nothing (neither it nor {course.source.path} states a cost)"
    return f"{_text(course.model.cost)}, its course's cost ({c.place(course.source, ('cost',))})"


def _same(one: m.Money | None, other: m.Money | None) -> bool:
    if one is None or other is None or is_free(one) or is_free(other):
        return is_free(one) and is_free(other)
    return (one.amount, one.currency) == (other.amount, other.currency)


def _text(money: m.Money | None) -> str:
    return "nothing" if money is None else format_money(money.amount, money.currency)
