"""Withdrawn requests and no-shows (docs/sessions.md): seats, statuses, budgets, explain and the checks."""

from __future__ import annotations

import textwrap
from datetime import date, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine import BASE, build, request, table

from lmsgen.model import formats as m
from lmsgen.model.organisation import Entry, Organisation, Source
from lmsgen.rules.budgets import budget_lines
from lmsgen.rules.engine import status_rows
from lmsgen.rules.explain import explain
from lmsgen.rules.seats import Seats
from lmsgen.rules.validation import validate_root


def withdraw(person: str, team: str, rid: str, reason: str = "Project moved", day: str | None = None) -> dict:
    line = f"date: {day}\n" if day else ""
    return {f"teams/{team}/requests/{person}/{rid}.withdraw.yaml": f"reason: {reason}\n{line}"}


FULL = {  # k8s s1 seats two: sam and ben hold them, ann waits
    **request("sam", "eng", "r-z", "k8s", "2026-09-30", "s1"),
    **request("ben", "platform", "r-a", "k8s", "2026-10-01", "s1"),
    **request("ann", "platform", "r-b", "k8s", "2026-10-01", "s1"),
}


def test_a_withdrawal_frees_the_seat_for_the_first_who_waits(tmp_path: Path) -> None:
    org = build(tmp_path, {**FULL, **withdraw("ben", "platform", "r-a", day="2026-10-10")})
    before = table(status_rows(org, date(2026, 10, 9)))
    assert before[("ben", "k8s")] == ("enrolled", "2026-12-01", None, None, "request:r-a")
    assert before[("ann", "k8s")] == ("waitlisted", "2026-12-01", None, None, "request:r-b")
    after = table(status_rows(org, date(2026, 10, 10)))
    assert ("ben", "k8s") not in after  # back to what it was without the request: nothing assigns it
    assert after[("ann", "k8s")] == ("enrolled", "2026-12-01", None, None, "request:r-b")
    assert after[("sam", "k8s")] == ("enrolled", "2026-12-01", None, None, "request:r-z")


def test_a_withdrawal_without_a_date_counts_from_the_request_and_the_rule_takes_over(tmp_path: Path) -> None:
    org = build(tmp_path, {
        **FULL, **withdraw("ben", "platform", "r-a"),
        "assignments/k8s.yaml": "title: K8s\ncourses: [k8s]\naudience: {people: [ben]}\ndue: 2026-12-31\n",
    })
    rows = table(status_rows(org, date(2026, 10, 2)))
    assert rows[("ben", "k8s")] == ("due", "2026-12-31", None, None, "k8s")
    assert rows[("ann", "k8s")][0] == "enrolled"
    explanation = explain(org, "ben", "k8s", date(2026, 10, 2))
    source = next(s for s in explanation.sources if s.source == "request:r-a")
    assert not source.assigns
    assert source.reasons == ("withdrawn on 2026-10-01 (teams/platform/requests/ben/r-a.withdraw.yaml: Project "
                              "moved), so it counts for nothing",)


def test_a_withdrawn_request_commits_no_budget(tmp_path: Path) -> None:
    org = build(tmp_path, {**FULL, **withdraw("ben", "platform", "r-a", day="2026-10-10")})
    spent = {line.team: [s.request for s in line.spends] for line in budget_lines(org) if line.year == 2026}
    assert spent == {"eng": ["r-z"], "platform": ["r-b"]}
    on_the_ninth = {line.team: [s.request for s in line.spends]
                    for line in budget_lines(org, as_of=date(2026, 10, 9)) if line.year == 2026}
    assert on_the_ninth == {"eng": ["r-z"], "platform": ["r-a", "r-b"]}


def test_a_no_show_is_due_again_and_explain_says_so(tmp_path: Path) -> None:
    org = build(tmp_path, {
        **request("ann", "platform", "fa", "first-aid", "2026-04-01", "may"),
        **request("ben", "platform", "fa", "first-aid", "2026-04-01", "may"),
        "attendance/first-aid/may.yaml": "attended: [ann]\nabsent: [ben]\n",
    })
    before_end = table(status_rows(org, date(2026, 5, 10)))
    assert before_end[("ben", "first-aid")] == ("enrolled", "2026-05-10", None, None, "request:fa")
    rows = table(status_rows(org, date(2026, 6, 1)))
    assert rows[("ann", "first-aid")] == ("done", None, "2026-05-11", "2028-05-11", "request:fa")
    assert rows[("ben", "first-aid")] == ("due", None, None, None, "request:fa")
    source = explain(org, "ben", "first-aid", date(2026, 6, 1)).sources[0]
    assert source.reasons[-1] == "absent from may on 2026-05-11, so the course is due again"
    assert source.outcome.status.value == "due"


def test_a_no_show_under_a_past_deadline_is_overdue(tmp_path: Path) -> None:
    org = build(tmp_path, {
        **request("ben", "platform", "fa", "first-aid", "2026-04-01", "may"),
        "assignments/fa.yaml": "title: FA\ncourses: [first-aid]\naudience: {people: [ben]}\ndue: 2026-05-31\n",
        "attendance/first-aid/may.yaml": "absent: [ben]\n",
    })
    assert table(status_rows(org, date(2026, 5, 20)))[("ben", "first-aid")] == (
        "due", "2026-05-31", None, None, "fa")
    assert table(status_rows(org, date(2026, 6, 1)))[("ben", "first-aid")] == (
        "overdue", "2026-05-31", None, None, "fa")


def errors(root: Path, files: dict[str, str]) -> list[str]:
    for rel, text in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return [str(d) for d in validate_root(root, use_cache=False).diagnostics if d.is_error]


def test_a_withdrawal_needs_its_request_and_may_not_predate_it(tmp_path: Path) -> None:
    assert errors(tmp_path, {
        **FULL, **withdraw("ben", "platform", "r-a", day="2026-09-01"), **withdraw("ann", "platform", "nope"),
    }) == [
        "teams/platform/requests/ann/nope.withdraw.yaml:1:1: no request 'nope' beside this withdrawal: expected "
        "teams/platform/requests/ann/nope.yaml",
        "teams/platform/requests/ben/r-a.withdraw.yaml:2:7: withdrawn on 2026-09-01, before the request was made "
        "(2026-10-01, at teams/platform/requests/ben/r-a.yaml:4:7)",
    ]


def test_a_withdrawal_needs_a_reason(tmp_path: Path) -> None:
    assert errors(tmp_path, {**FULL, "teams/platform/requests/ben/r-a.withdraw.yaml": "reason: ' '\n"}) == [
        "teams/platform/requests/ben/r-a.withdraw.yaml:1:9: reason: the text is blank: write it out"]


def test_absent_people_are_booked_and_not_also_attended(tmp_path: Path) -> None:
    assert errors(tmp_path, {
        **request("ann", "platform", "fa", "first-aid", "2026-04-01", "may"),
        **request("ben", "platform", "fa", "first-aid", "2026-04-01", "may"),
        **withdraw("ben", "platform", "fa"),
        "attendance/first-aid/may.yaml": "attended: [ann, tom]\nabsent: [ann, ben, tom, zed]\n",
    }) == [
        "attendance/first-aid/may.yaml:2:10: 'ann' is listed as both attended (at "
        "attendance/first-aid/may.yaml:1:12) and absent",
        "attendance/first-aid/may.yaml:2:15: 'ben' has no request of session 'may' of 'first-aid' that is not "
        "withdrawn: only people booked on a session can be absent from it",
        "attendance/first-aid/may.yaml:2:20: 'tom' is listed as both attended (at "
        "attendance/first-aid/may.yaml:1:17) and absent",
        "attendance/first-aid/may.yaml:2:25: unknown person 'zed': no team file lists this person",
    ]


# --- a property: the seats go to those who did not withdraw, in order ------------------------

_REQUESTS = st.lists(
    st.tuples(st.sampled_from(["p1", "p2", "p3", "p4", "p5", "p6"]), st.sampled_from(["a", "b", "c"]),
              st.dates(date(2026, 1, 1), date(2026, 12, 31)),
              st.one_of(st.none(), st.just("undated"), st.dates(date(2026, 1, 1), date(2027, 1, 31)))),
    min_size=1, max_size=10, unique_by=lambda t: t[0])


def _memory_org(requests, capacity: int | None) -> Organisation:
    people = sorted({p for p, *_ in requests})
    org = Organisation()
    team = Source("teams/t/team.yaml", lambda: b"")
    org.teams["t"] = Entry("t", m.Team(name="T", manager=people[0], members=[m.Person(id=p, name=p) for p in people]),
                           team, {"team": "t"})
    session = m.Session(id="s", start=datetime(2027, 2, 1, 9), end=datetime(2027, 2, 1, 17), capacity=capacity)
    org.courses["c"] = Entry("c", m.Course(title="C", format="classroom", elective=True, sessions=[session]),
                             Source("catalog/c.yaml", lambda: b""), {"course": "c"})
    for person, rid, day, withdrawn in requests:
        ids = {"team": "t", "person": person, "request": rid}
        folder = f"teams/t/requests/{person}"
        org.requests.append(Entry(rid, m.Request(person=person, course="c", session="s", date=day),
                                  Source(f"{folder}/{rid}.yaml", lambda: b""), ids))
        if withdrawn is not None:
            when = None if withdrawn == "undated" else max(withdrawn, day)
            org.withdrawals.append(Entry(rid, m.Withdrawal(reason="r", date=when),
                                         Source(f"{folder}/{rid}.withdraw.yaml", lambda: b""), ids))
    return org


@settings(max_examples=150, deadline=None)
@given(_REQUESTS, st.one_of(st.none(), st.integers(1, 4)), st.dates(date(2026, 1, 1), date(2027, 1, 31)))
def test_the_seats_go_in_order_to_those_who_have_not_withdrawn(requests, capacity, as_of):
    org = _memory_org(requests, capacity)
    seats = Seats(org, as_of)
    def gone(w, day):
        return w is not None and (w == "undated" or max(w, day) <= as_of)
    standing = sorted((day, rid, person) for person, rid, day, w in requests if day <= as_of and not gone(w, day))
    expected = {person: capacity is None or index < capacity for index, (_, _, person) in enumerate(standing)}
    found = {entry.model.person: seats.holds_seat(entry) for entry in org.requests
             if seats.holds_seat(entry) is not None}
    assert found == expected
    rows = {row.person: row.status.value for row in status_rows(org, as_of)}
    assert rows == {person: "enrolled" if seated else "waitlisted" for person, seated in expected.items()}
    committed = sum(len(line.spends) for line in budget_lines(org, as_of=as_of))
    assert committed == 0  # the course costs nothing: no spend either way


def test_retention_lists_a_leavers_withdrawals_and_absences(tmp_path: Path) -> None:
    from lmsgen.rules.retention import expired

    sales = BASE["teams/sales/team.yaml"].replace("location: lisbon}\n", "location: lisbon, left: 2015-01-31}\n", 2)
    sales = sales.replace("name: Sue S, profile: manager, location: lisbon, left: 2015-01-31}",
                          "name: Sue S, profile: manager, location: lisbon}")
    org = build(tmp_path, {
        "teams/sales/team.yaml": sales,
        **request("tom", "sales", "fa", "first-aid", "2014-04-01", "may"), **withdraw("tom", "sales", "fa"),
        **request("tom", "sales", "fa2", "first-aid", "2014-05-01", "may"),
        "attendance/first-aid/may.yaml": "absent: [tom]\n",
    })
    (tom,) = expired(org, date(2026, 12, 1))
    assert tom.requests == ("teams/sales/requests/tom/fa.withdraw.yaml", "teams/sales/requests/tom/fa.yaml",
                            "teams/sales/requests/tom/fa2.yaml")
    assert tom.attendance == ("attendance/first-aid/may.yaml",)
