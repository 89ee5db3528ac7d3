"""Training vendors: the courses that name them, their contracts on a day, and what is spent with each.

The checks (`check_vendors`, errors of the data alone) say that a course's `vendor` names a file in
`vendors/`, and that a contract's `rates` name courses of that vendor, once each. The warnings of a day
(`diagnostics`, `lmsgen check` gives today) say that a paid course's vendor has no contract in force any
more, that a contract ends before a session of the course that is still to come, and that a course's
cost is not the rate its contract sets.

The report (`vendor_report`) is for finance and L&D: spend per vendor and year, counted as the budgets
count it (`budgets.budget_lines`: every request on the main branch is approved, its cost is its own or
its course's, in the organisation's currency, in the year of the request), and of that the cost of the
requests whose session the trainer marked attended; each vendor's courses; and the contracts that end
within the organisation's `expiring_within_days` (docs/vendors.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..model import formats as m
from ..model.diagnostics import Diagnostic, warning
from ..model.organisation import Entry, Organisation
from .budgets import BudgetLine, budget_lines
from .money import format_money
from .references import Checker

# --- the checks of the data alone --------------------------------------------------------------------


def check_vendors(c: Checker) -> None:
    """Courses that name a vendor with no file, and contract rates for courses that are not the vendor's."""
    org = c.org
    for course_id, entry in org.courses.items():
        vendor = entry.model.vendor
        if vendor is not None and vendor not in org.vendors and not c.is_broken("vendor", vendor):
            c.report(entry.source, ("vendor",), f"unknown vendor '{vendor}': there is no vendors/{vendor}.yaml")
    for vendor_id, entry in org.vendors.items():
        first: dict[str, int] = {}
        for index, rate in enumerate(entry.model.rates):
            loc = ("rates", index, "course")
            if rate.course in first:
                c.report(entry.source, loc, f"the rate for course '{rate.course}' is listed twice (first at "
                         f"{c.place(entry.source, ('rates', first[rate.course], 'course'))})")
                continue
            first[rate.course] = index
            if not c.course(entry.source, loc, rate.course):
                continue
            course = org.courses[rate.course]
            if course.model.vendor != vendor_id:
                named = f"names vendor '{course.model.vendor}'" if course.model.vendor else "names no vendor"
                c.report(entry.source, loc, f"course '{rate.course}' {named} ({course.source.path}), so this "
                         f"contract cannot set its rate: add `vendor: {vendor_id}` to the course, or remove the rate")


# --- the warnings of a day -------------------------------------------------------------------------------


def diagnostics(org: Organisation, on: date) -> list[Diagnostic]:
    """Warnings on `on`: a paid course whose vendor's contract has ended, a contract that ends before a session
    of its course that has not ended yet, and a course whose cost is not its contract's rate. Warnings fail
    `lmsgen check --strict` only."""
    found: list[Diagnostic] = []
    rates = {(vendor_id, rate.course): index for vendor_id, vendor in org.vendors.items()
             for index, rate in reversed(list(enumerate(vendor.model.rates)))}  # the first of a course's rates
    for course_id, entry in org.courses.items():
        course = entry.model
        vendor = org.vendors.get(course.vendor) if course.vendor else None
        if vendor is not None and (course.vendor, course_id) in rates:
            found += _rate_differs(course_id, entry, vendor, rates[(course.vendor, course_id)])
        contract = vendor.model.contract if vendor else None
        if vendor is None or contract is None:
            continue
        where = vendor.source.place(("contract", "end"))
        if course.has_cost and contract.end < on:
            found.append(warning(entry.source.path, entry.source.locate(("vendor",)),
                                 f"course '{course_id}' costs {_cost(course)}, but the contract with vendor "
                                 f"'{course.vendor}' ended on {contract.end.isoformat()} ({where}): renew the "
                                 f"contract in {vendor.source.path}, or take the course's cost or vendor out"))
            continue
        for index, session in enumerate(course.sessions):
            if session.ends_on < on or session.starts_on <= contract.end:
                continue
            found.append(warning(entry.source.path, entry.source.locate(("sessions", index, "start")),
                                 f"session '{session.id}' of course '{course_id}' starts on "
                                 f"{session.starts_on.isoformat()}, after the contract with vendor "
                                 f"'{course.vendor}' ends on {contract.end.isoformat()} ({where}): extend the "
                                 f"contract, or move the session"))
    return found


def _rate_differs(course_id: str, entry: Entry[m.Course], vendor: Entry[m.Vendor], index: int) -> list[Diagnostic]:
    """A course whose cost is not the rate (`rates[index]`) its vendor's contract sets for it: one of the two is
    out of date."""
    course = entry.model
    rate = vendor.model.rates[index]
    if course.cost is None or course.cost_per_request:
        return []
    if (course.cost.amount, course.cost.currency) == (rate.amount, rate.currency):
        return []
    return [warning(entry.source.path, entry.source.locate(("cost",)),
                    f"course '{course_id}' costs {_cost(course)}, but the contract with vendor '{course.vendor}' "
                    f"sets its rate at {format_money(rate.amount, rate.currency)} "
                    f"({vendor.source.place(('rates', index, 'amount'))}): change the course's cost or the rate")]


def _cost(course: m.Course) -> str:
    assert course.cost is not None
    return format_money(course.cost.amount, course.cost.currency)


# --- the report ------------------------------------------------------------------------------------------


@dataclass
class VendorYear:
    """What was spent with one vendor in one year, in the organisation's currency."""

    year: int
    committed: float = 0.0
    """The cost of every approved request for the vendor's courses."""
    attended: float = 0.0
    """Of that, the cost of the requests whose session the trainer marked attended."""
    requests: int = 0
    attended_requests: int = 0


@dataclass
class VendorSummary:
    """One vendor as the report shows it."""

    id: str
    entry: Entry[m.Vendor]
    contract_state: str
    """``none`` (no contract), ``future`` (not begun), ``active``, ``expiring`` (ends within the window) or
    ``ended``."""
    days_left: int | None
    """Days from the report's date to the contract's last day; None without a contract."""
    courses: list[str] = field(default_factory=list)
    years: dict[int, VendorYear] = field(default_factory=dict)

    @property
    def vendor(self) -> m.Vendor:
        return self.entry.model

    @property
    def committed(self) -> float:
        return round(sum(y.committed for y in self.years.values()), 2)

    @property
    def attended(self) -> float:
        return round(sum(y.attended for y in self.years.values()), 2)


@dataclass(frozen=True)
class VendorReport:
    """Every vendor (the preferred first, then by name), the years with spend, and the contracts that end
    within the window."""

    as_of: date
    currency: str
    window: int
    vendors: list[VendorSummary]
    years: list[int]
    """The years any vendor has spend in, newest first."""

    @property
    def expiring(self) -> list[VendorSummary]:
        """The vendors whose contract ends within the window, soonest first."""
        return sorted((v for v in self.vendors if v.contract_state == "expiring"),
                      key=lambda v: (v.days_left, v.id))


def contract_state(contract: m.Contract | None, on: date, window: int) -> tuple[str, int | None]:
    """The state of a contract on `on` and the days to its last day (see `VendorSummary.contract_state`)."""
    if contract is None:
        return "none", None
    days = (contract.end - on).days
    if contract.end < on:
        return "ended", days
    if on < contract.start:
        return "future", days
    return ("expiring" if on + timedelta(days=window) >= contract.end else "active"), days


def vendor_report(org: Organisation, on: date, lines: list[BudgetLine] | None = None) -> VendorReport:
    """The vendors report on `on`: requests dated after it do not count yet. `lines`: the budget lines of the
    same day (`budget_lines(org, as_of=on)`), when the caller has them already."""
    window = org.org.model.expiring_within_days if org.org else 60
    summaries: dict[str, VendorSummary] = {}
    for vendor_id, entry in org.vendors.items():
        state, days = contract_state(entry.model.contract, on, window)
        summaries[vendor_id] = VendorSummary(vendor_id, entry, state, days)
    vendor_of: dict[str, str] = {}
    for course_id, course in sorted(org.courses.items()):
        if course.model.vendor in summaries:
            vendor_of[course_id] = course.model.vendor
            summaries[course.model.vendor].courses.append(course_id)
    attended = {(entry.ids["course"], entry.ids["session"]): set(entry.model.attended) for entry in org.attendance}
    sessions = {entry.source.path: entry.model.session for entry in org.requests}
    for line in budget_lines(org, as_of=on) if lines is None else lines:
        for spend in line.spends:
            vendor = vendor_of.get(spend.course)
            if vendor is None:
                continue
            year = summaries[vendor].years.setdefault(spend.date.year, VendorYear(spend.date.year))
            year.committed += spend.amount
            year.requests += 1
            session = sessions.get(spend.path)
            if session is not None and spend.person in attended.get((spend.course, session), ()):
                year.attended += spend.amount
                year.attended_requests += 1
    for summary in summaries.values():
        for year in summary.years.values():
            year.committed, year.attended = round(year.committed, 2), round(year.attended, 2)
    ordered = sorted(summaries.values(), key=lambda v: (not v.vendor.preferred, v.vendor.name.lower(), v.id))
    years = sorted({year for v in ordered for year in v.years}, reverse=True)
    return VendorReport(on, org.currency, window, ordered, years)

