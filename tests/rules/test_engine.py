"""The learning engine against docs/status.md, with worked dates."""

from __future__ import annotations

import itertools
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsgen.model import formats as m
from lmsgen.model.organisation import Entry, Organisation, Source
from lmsgen.rules.dates import add_months
from lmsgen.rules.engine import Engine, Status, StatusRow, completions, status_rows
from lmsgen.rules.explain import explain
from lmsgen.rules.validation import validate_root

# company
# ├── eng (mia)            mia, eve (start 2026-03-15), sam (lisbon)
# │   └── platform (pat)   pat, ann, ben (remote, start 2025-01-01)
# └── sales (sue)          sue, tom
BASE: dict[str, str] = {
    "org.yaml": """
        name: Test Org
        git: {host: github, repo: https://github.com/test/learning}
        currency: EUR
        expiring_within_days: 60
        """,
    "roles/admin.yaml": """
        name: Administrators
        grants: [roles.edit, catalog.edit, approve.cost]
        holders: [ceo, mia]
        """,
    "teams/company/team.yaml": """
        name: Company
        manager: ceo
        members:
          - {id: ceo, git: ceo, name: Cee Oh, profile: manager, location: berlin}
        """,
    "teams/eng/team.yaml": """
        name: Engineering
        parent: company
        manager: mia
        members:
          - {id: mia, git: mia, name: Mia M, profile: manager, location: berlin}
          - {id: eve, git: eve, name: Eve E, profile: engineer, location: berlin, start_date: 2026-03-15}
          - {id: sam, git: sam, name: Sam S, profile: engineer, location: lisbon}
        """,
    "teams/platform/team.yaml": """
        name: Platform
        parent: eng
        manager: pat
        members:
          - {id: pat, git: pat, name: Pat P, profile: manager, location: berlin}
          - {id: ann, git: ann, name: Ann A, profile: engineer, location: berlin}
          - {id: ben, git: ben, name: Ben B, profile: engineer, location: remote, start_date: 2025-01-01}
        """,
    "teams/sales/team.yaml": """
        name: Sales
        parent: company
        manager: sue
        members:
          - {id: sue, git: sue, name: Sue S, profile: manager, location: lisbon}
          - {id: tom, git: tom, name: Tom T, profile: sales, location: lisbon}
        """,
    "catalog/sec.yaml": """
        title: Security awareness
        format: elearning
        valid_months: 12
        """,
    "catalog/conduct.yaml": """
        title: Code of conduct
        format: elearning
        """,
    "catalog/k8s.yaml": """
        title: Kubernetes
        format: classroom
        elective: true
        cost: {amount: 1000, currency: EUR}
        sessions:
          - {id: s1, start: 2026-12-01T09:00, end: 2026-12-02T17:00, capacity: 2}
          - {id: s2, start: 2027-02-01T09:00, end: 2027-02-01T17:00}
        """,
    "catalog/first-aid.yaml": """
        title: First aid
        format: workshop
        elective: true
        valid_months: 24
        sessions:
          - {id: may, start: 2026-05-10T09:00, end: 2026-05-11T17:00, capacity: 10}
        """,
}


def build(root: Path, files: dict[str, str], *, base: bool = True) -> Organisation:
    """Writes the (dedented) files under `root`, loads them and insists they are valid."""
    for rel, text in {**(BASE if base else {}), **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    validated = validate_root(root, use_cache=False)
    assert [str(d) for d in validated.diagnostics if d.is_error] == []
    return validated.organisation


def records(person: str, team: str, *lines: str) -> dict[str, str]:
    body = "".join(f"\n  - {{{line}, by: {person}}}" for line in lines)
    return {f"teams/{team}/records/{person}.yaml": f"person: {person}\nrecords:{body}\n"}


def table(rows: list[StatusRow]) -> dict[tuple[str, str], tuple]:
    """(person, course) → (status, due, completed_on, expires_on, source), with ISO strings."""
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {(r.person, r.course): (r.status.value, iso(r.due), iso(r.completed_on), iso(r.expires_on), r.source)
            for r in rows}


def row(org: Organisation, as_of: str, person: str, course: str) -> tuple | None:
    return table(status_rows(org, date.fromisoformat(as_of), person=person)).get((person, course))


# --- month arithmetic ----------------------------------------------------------------------


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 15), 24) == date(2028, 3, 15)
    assert add_months(date(9999, 6, 1), 12) == date.max


@given(st.dates(max_value=date(9000, 1, 1)), st.integers(0, 600))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(day: date, months: int) -> None:
    result = add_months(day, months)
    index = day.year * 12 + day.month - 1 + months
    assert (result.year, result.month) == (index // 12, index % 12 + 1)
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)


@given(st.dates(max_value=date(9000, 1, 1)), st.integers(0, 300), st.integers(0, 300))
def test_add_months_is_monotonic(day: date, a: int, b: int) -> None:
    small, large = sorted((a, b))
    assert add_months(day, small) <= add_months(day, large)


# --- due dates -----------------------------------------------------------------------------


def test_relative_due_date_is_from_or_start_date_plus_due_days(tmp_path: Path) -> None:
    org = build(tmp_path, {"assignments/onboarding.yaml": """
        title: Onboarding
        courses: [conduct]
        audience: {teams: [eng]}
        from: 2026-01-01
        due_days: 30
        """})
    rows = table(status_rows(org, date(2026, 2, 15)))
    # sam has no start date: from + 30
    assert rows[("sam", "conduct")] == ("overdue", "2026-01-31", None, None, "onboarding")
    # eve started after `from`: her start date + 30
    assert rows[("eve", "conduct")] == ("due", "2026-04-14", None, None, "onboarding")
    # ben started before `from`: from + 30; the subtree (platform) is included
    assert rows[("ben", "conduct")] == ("overdue", "2026-01-31", None, None, "onboarding")
    assert {p for p, _ in rows} == {"mia", "eve", "sam", "pat", "ann", "ben"}


def test_due_days_without_from_counts_from_the_start_date_or_gives_no_date(tmp_path: Path) -> None:
    org = build(tmp_path, {"assignments/onboarding.yaml": """
        title: Onboarding
        courses: [conduct]
        audience: {people: [ben, sam]}
        due_days: 10
        """})
    rows = table(status_rows(org, date(2026, 2, 15)))
    assert rows[("ben", "conduct")] == ("overdue", "2025-01-11", None, None, "onboarding")
    assert rows[("sam", "conduct")] == ("due", None, None, None, "onboarding")


def test_fixed_due_date_is_due_on_the_day_and_overdue_after(tmp_path: Path) -> None:
    org = build(tmp_path, {"assignments/conduct.yaml": """
        title: Conduct
        courses: [conduct]
        audience: {people: [tom]}
        from: 2026-01-01
        due: 2026-06-30
        """})
    assert row(org, "2026-06-29", "tom", "conduct") == ("due", "2026-06-30", None, None, "conduct")
    assert row(org, "2026-06-30", "tom", "conduct") == ("due", "2026-06-30", None, None, "conduct")
    assert row(org, "2026-07-01", "tom", "conduct") == ("overdue", "2026-06-30", None, None, "conduct")


def test_a_rule_without_due_or_due_days_has_no_due_date_and_is_never_overdue(tmp_path: Path) -> None:
    org = build(tmp_path, {"assignments/conduct.yaml": """
        title: Conduct
        courses: [conduct]
        audience: {people: [tom]}
        from: 2020-01-01
        """})
    assert row(org, "2030-01-01", "tom", "conduct") == ("due", None, None, None, "conduct")


# --- audiences -----------------------------------------------------------------------------


def test_audience_is_and_across_keys_or_within_and_teams_include_subteams(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/mixed.yaml": """
            title: Mixed
            courses: [conduct]
            audience: {teams: [eng, sales], profiles: [engineer, sales], locations: [berlin, lisbon]}
            """,
        "assignments/everyone.yaml": """
            title: Everyone
            courses: [sec]
            """,
        "assignments/named.yaml": """
            title: Named
            courses: [first-aid]
            audience: {people: [tom, ann], locations: [berlin]}
            """,
    })
    rows = status_rows(org, date(2026, 6, 1))
    by_course = {c: sorted(r.person for r in rows if r.course == c) for c in ("conduct", "sec", "first-aid")}
    # engineers or sales people, in eng's or sales' subtree, in berlin or lisbon:
    # ben is remote, managers fail on profile
    assert by_course["conduct"] == ["ann", "eve", "sam", "tom"]
    assert by_course["sec"] == ["ann", "ben", "ceo", "eve", "mia", "pat", "sam", "sue", "tom"]
    # named AND in berlin: tom is in lisbon
    assert by_course["first-aid"] == ["ann"]


def test_exclusion_makes_it_exempt_for_that_rule_but_another_source_still_assigns(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/sec-all.yaml": """
            title: Security for all
            courses: [sec]
            audience: {teams: [platform]}
            exclude: [{person: ann, reason: Certified externally}, {person: ben, reason: On leave}]
            due: 2026-09-30
            """,
        "assignments/sec-remote.yaml": """
            title: Security for remote people
            courses: [sec]
            audience: {locations: [remote]}
            due: 2026-12-31
            """,
        "assignments/teams/platform.yaml": """
            assignments:
              - {person: all, course: conduct}
            """,
    })
    rows = table(status_rows(org, date(2026, 10, 1)))
    assert rows[("ann", "sec")] == ("exempt", None, None, None, "sec-all")
    assert rows[("ben", "sec")] == ("due", "2026-12-31", None, None, "sec-remote")
    assert rows[("pat", "sec")] == ("overdue", "2026-09-30", None, None, "sec-all")


def test_team_assignment_all_covers_the_subtree_except_the_teams_manager(tmp_path: Path) -> None:
    org = build(tmp_path, {"assignments/teams/eng.yaml": """
        assignments:
          - {person: all, course: conduct}
          - {person: ben, course: sec, due: 2026-08-01}
          - {person: mia, course: first-aid}
        """})
    rows = table(status_rows(org, date(2026, 8, 2)))
    assert sorted(p for p, c in rows if c == "conduct") == ["ann", "ben", "eve", "pat", "sam"]
    assert rows[("ben", "sec")] == ("overdue", "2026-08-01", None, None, "team:eng")
    assert rows[("mia", "first-aid")] == ("due", None, None, None, "team:eng")  # named explicitly: assigned


# --- completions, certifications and recurrence --------------------------------------------

SEC_FOR_ANN = {"assignments/sec.yaml": """
    title: Security
    courses: [sec]
    audience: {people: [ann]}
    from: 2025-01-01
    due_days: 30
    """}


def test_an_expiring_certificate_is_expiring_in_the_window_then_due_on_its_expiry_day_then_overdue(
        tmp_path: Path) -> None:
    org = build(tmp_path, {**SEC_FOR_ANN, **records("ann", "platform", "course: sec, date: 2025-06-10")})
    done = ("done", "2026-06-10", "2025-06-10", "2026-06-10", "sec")
    expiring = ("expiring", "2026-06-10", "2025-06-10", "2026-06-10", "sec")
    assert row(org, "2026-04-10", "ann", "sec") == done  # 61 days before expiry
    assert row(org, "2026-04-11", "ann", "sec") == expiring  # 60 days: inside the window
    assert row(org, "2026-06-09", "ann", "sec") == expiring
    assert row(org, "2026-06-10", "ann", "sec") == ("due", "2026-06-10", "2025-06-10", "2026-06-10", "sec")
    assert row(org, "2026-06-11", "ann", "sec") == ("overdue", "2026-06-10", "2025-06-10", "2026-06-10", "sec")


def test_a_recurring_rule_is_due_again_every_months_after_the_last_completion(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/conduct.yaml": """
            title: Conduct every year
            courses: [conduct]
            audience: {people: [tom]}
            from: 2024-01-01
            due: 2024-03-31
            every_months: 12
            """,
        **records("tom", "sales", "course: conduct, date: 2024-02-29", "course: conduct, date: 2025-02-20"),
    })
    # no expiry on the course: only the recurrence; the last completion is 2025-02-20
    assert row(org, "2026-02-19", "tom", "conduct") == ("done", "2026-02-20", "2025-02-20", None, "conduct")
    assert row(org, "2026-02-20", "tom", "conduct") == ("due", "2026-02-20", "2025-02-20", None, "conduct")
    assert row(org, "2026-02-21", "tom", "conduct") == ("overdue", "2026-02-20", "2025-02-20", None, "conduct")
    # on an earlier date, the 2025 record does not exist yet: 2024-02-29 + 12 months is clamped to 2025-02-28
    assert row(org, "2025-02-19", "tom", "conduct") == ("done", "2025-02-28", "2024-02-29", None, "conduct")
    assert row(org, "2024-02-28", "tom", "conduct") == ("due", "2024-03-31", None, None, "conduct")


def test_recurrence_and_expiry_the_earlier_date_counts(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/sec.yaml": """
            title: Security twice a year
            courses: [first-aid]
            audience: {people: [tom]}
            every_months: 6
            """,
        **records("tom", "sales", "course: first-aid, date: 2026-01-31"),
    })
    # expires 2028-01-31 (24 months), recurs 2026-07-31 (6 months): the recurrence comes first
    assert row(org, "2026-07-30", "tom", "first-aid") == ("done", "2026-07-31", "2026-01-31", "2028-01-31", "sec")
    assert row(org, "2026-08-01", "tom", "first-aid") == ("overdue", "2026-07-31", "2026-01-31", "2028-01-31", "sec")


def test_a_completion_before_the_rules_from_counts(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/conduct.yaml": """
            title: Conduct
            courses: [conduct]
            audience: {people: [tom]}
            from: 2026-01-01
            due_days: 30
            """,
        **records("tom", "sales", "course: conduct, date: 2025-11-01"),
    })
    assert row(org, "2026-03-01", "tom", "conduct") == ("done", None, "2025-11-01", None, "conduct")


def test_a_certificate_that_lapsed_before_a_new_rules_deadline_is_due_by_that_deadline(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/sec.yaml": """
            title: Security
            courses: [sec]
            audience: {people: [tom]}
            from: 2026-01-01
            due_days: 30
            """,
        **records("tom", "sales", "course: sec, date: 2025-01-05"),
    })
    # expired 2026-01-05, but the rule gives everyone until 2026-01-31
    assert row(org, "2026-01-20", "tom", "sec") == ("due", "2026-01-31", "2025-01-05", "2026-01-05", "sec")
    assert row(org, "2026-02-01", "tom", "sec") == ("overdue", "2026-01-31", "2025-01-05", "2026-01-05", "sec")


def test_the_last_completion_is_the_latest_on_or_before_as_of_and_later_records_do_not_exist_yet(
        tmp_path: Path) -> None:
    org = build(tmp_path, {**SEC_FOR_ANN, **records("ann", "platform", "course: sec, date: 2025-06-10",
                                                    "course: sec, date: 2024-01-01",
                                                    "course: sec, date: 2026-06-20")})
    assert row(org, "2026-06-19", "ann", "sec") == ("overdue", "2026-06-10", "2025-06-10", "2026-06-10", "sec")
    assert row(org, "2026-06-20", "ann", "sec") == ("done", "2027-06-20", "2026-06-20", "2027-06-20", "sec")
    # before the first record: due 30 days after from (2025-01-01); the 2024 record has expired on 2025-01-01
    assert row(org, "2024-12-31", "ann", "sec") is None  # the rule's `from` is after as-of: not yet
    assert row(org, "2025-01-15", "ann", "sec") == ("due", "2025-01-31", "2024-01-01", "2025-01-01", "sec")


def test_an_attendance_sheet_completes_the_course_on_the_sessions_end_date(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/first-aid.yaml": """
            title: First aid for platform
            courses: [first-aid]
            audience: {teams: [platform]}
            due: 2026-06-30
            """,
        "attendance/first-aid/may.yaml": "attended: [ann, tom]\n",
    })
    assert row(org, "2026-05-10", "ann", "first-aid") == ("due", "2026-06-30", None, None, "first-aid")
    assert row(org, "2026-05-11", "ann", "first-aid") == ("done", "2028-05-11", "2026-05-11", "2028-05-11",
                                                          "first-aid")
    # tom attended but nobody assigns it: no status row, yet the completion is in his history
    assert row(org, "2026-05-11", "tom", "first-aid") is None
    history = completions(org, date(2026, 5, 11))
    assert [(e.course, e.on, e.via, e.session, e.expires_on) for e in history["tom"]] == [
        ("first-aid", date(2026, 5, 11), "attendance", "may", date(2028, 5, 11))]
    assert "tom" not in completions(org, date(2026, 5, 10))


def test_completion_history_includes_unassigned_courses(tmp_path: Path) -> None:
    org = build(tmp_path, records("sue", "sales", "course: conduct, date: 2026-02-01",
                                  "course: sec, date: 2026-01-01", "course: sec, date: 2027-01-01"))
    history = completions(org, date(2026, 6, 1))
    assert [(e.course, e.on.isoformat(), e.via, e.by, e.expires_on) for e in history["sue"]] == [
        ("sec", "2026-01-01", "record", "sue", date(2027, 1, 1)),
        ("conduct", "2026-02-01", "record", "sue", None),
    ]
    assert status_rows(org, date(2026, 6, 1)) == []


# --- several sources -----------------------------------------------------------------------


def test_the_earliest_due_date_wins_and_names_the_source(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/late.yaml": """
            title: Late
            courses: [conduct, sec]
            audience: {teams: [platform]}
            due: 2026-12-31
            """,
        "assignments/undated.yaml": """
            title: Undated
            courses: [conduct, first-aid]
            audience: {teams: [platform]}
            """,
        "assignments/teams/platform.yaml": """
            assignments:
              - {person: ann, course: conduct, due: 2026-10-01}
              - {person: all, course: first-aid, due: 2027-01-15}
            """,
    })
    rows = table(status_rows(org, date(2026, 9, 1), team="platform"))
    assert rows[("ann", "conduct")] == ("due", "2026-10-01", None, None, "team:platform")
    assert rows[("ben", "conduct")] == ("due", "2026-12-31", None, None, "late")
    assert rows[("ben", "first-aid")] == ("due", "2027-01-15", None, None, "team:platform")  # a date beats none
    assert rows[("pat", "first-aid")] == ("due", None, None, None, "undated")  # `all` leaves out the manager
    assert rows[("ann", "sec")] == ("due", "2026-12-31", None, None, "late")
    assert len(rows) == 3 * 3  # one row per person and course


def test_every_source_exempting_makes_it_exempt(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/a.yaml": """
            title: A
            courses: [conduct]
            audience: {people: [tom]}
            exclude: [{person: tom, reason: Done elsewhere}]
            """,
        "assignments/b.yaml": """
            title: B
            courses: [conduct]
            audience: {teams: [sales]}
            due: 2026-01-01
            exclude: [{person: tom, reason: Done elsewhere}]
            """,
        **records("tom", "sales", "course: conduct, date: 2025-01-01"),
    })
    assert row(org, "2026-06-01", "tom", "conduct") == ("exempt", None, "2025-01-01", None, "a")


# --- requests and seats --------------------------------------------------------------------


def request(person: str, team: str, rid: str, course: str, day: str, session: str | None = None) -> dict[str, str]:
    line = f"session: {session}\n" if session else ""
    folder = f"teams/{team}/requests/{person}"
    files = {f"{folder}/{rid}.yaml": f"person: {person}\ncourse: {course}\n{line}date: {day}\n"}
    if course == "k8s":  # the one course with a cost: its approval slip
        files[f"{folder}/{rid}.cost.yaml"] = f"request: {rid}\namount: {{amount: 1000, currency: EUR}}\n"
    return files


def test_seats_go_by_request_date_then_id_and_the_rest_are_waitlisted(tmp_path: Path) -> None:
    org = build(tmp_path, {
        **request("ann", "platform", "r-b", "k8s", "2026-10-01", "s1"),
        **request("ben", "platform", "r-a", "k8s", "2026-10-01", "s1"),
        **request("sam", "eng", "r-z", "k8s", "2026-09-30", "s1"),
        **request("tom", "sales", "r-0", "k8s", "2026-10-02", "s1"),
        **request("eve", "eng", "r-1", "k8s", "2026-10-05", "s2"),
        **request("sue", "sales", "r-2", "k8s", "2026-10-05"),
    })
    rows = table(status_rows(org, date(2026, 11, 1)))
    assert rows == {
        ("sam", "k8s"): ("enrolled", "2026-12-01", None, None, "request:r-z"),
        ("ben", "k8s"): ("enrolled", "2026-12-01", None, None, "request:r-a"),
        ("ann", "k8s"): ("waitlisted", "2026-12-01", None, None, "request:r-b"),
        ("tom", "k8s"): ("waitlisted", "2026-12-01", None, None, "request:r-0"),
        ("eve", "k8s"): ("enrolled", "2027-02-01", None, None, "request:r-1"),  # no capacity: no limit
        ("sue", "k8s"): ("enrolled", None, None, None, "request:r-2"),  # no session: no date
    }


def test_requests_dated_after_as_of_do_not_exist_yet_nor_take_seats(tmp_path: Path) -> None:
    org = build(tmp_path, {
        **request("ann", "platform", "early", "k8s", "2026-10-01", "s1"),
        **request("ben", "platform", "later", "k8s", "2026-10-20", "s1"),
        **request("sam", "eng", "latest", "k8s", "2026-10-21", "s1"),
    })
    assert table(status_rows(org, date(2026, 10, 19))) == {
        ("ann", "k8s"): ("enrolled", "2026-12-01", None, None, "request:early")}
    assert table(status_rows(org, date(2026, 10, 21)))[("sam", "k8s")][0] == "waitlisted"


def test_a_request_with_a_valid_completion_is_done(tmp_path: Path) -> None:
    org = build(tmp_path, {
        **request("ann", "platform", "fa", "first-aid", "2026-04-01", "may"),
        **request("ben", "platform", "fa", "first-aid", "2026-04-01", "may"),
        "attendance/first-aid/may.yaml": "attended: [ann]\n",
    })
    rows = table(status_rows(org, date(2026, 6, 1)))
    assert rows[("ann", "first-aid")] == ("done", None, "2026-05-11", "2028-05-11", "request:fa")
    assert rows[("ben", "first-aid")] == ("enrolled", "2026-05-10", None, None, "request:fa")  # no show: still enrolled


def test_an_enrolment_before_the_deadline_beats_the_rule_and_one_after_it_does_not(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/k8s.yaml": """
            title: Kubernetes for platform
            courses: [k8s]
            audience: {teams: [platform]}
            due: 2026-12-31
            """,
        **request("ann", "platform", "k-s1", "k8s", "2026-10-01", "s1"),
        **request("ben", "platform", "k-s2", "k8s", "2026-10-01", "s2"),
    })
    rows = table(status_rows(org, date(2026, 11, 1)))
    assert rows[("ann", "k8s")] == ("enrolled", "2026-12-01", None, None, "request:k-s1")
    assert rows[("ben", "k8s")] == ("due", "2026-12-31", None, None, "k8s")


# --- data after the as-of date -------------------------------------------------------------


def test_a_rule_whose_from_is_after_as_of_does_not_apply(tmp_path: Path) -> None:
    org = build(tmp_path, {"assignments/future.yaml": """
        title: Future
        courses: [conduct]
        from: 2027-01-01
        due_days: 10
        """})
    assert status_rows(org, date(2026, 12, 31)) == []
    assert row(org, "2027-01-01", "tom", "conduct") == ("due", "2027-01-11", None, None, "future")


def test_attendance_counts_on_the_sessions_local_end_date(tmp_path: Path) -> None:
    # 2026-12-03T23:30-08:00 is 2026-12-04T07:30 in UTC: in Los Angeles the session ended on the 3rd; in a
    # session of the org's zone (UTC here) the same moment is on the 4th.
    org = build(tmp_path, {
        "catalog/night.yaml": """
            title: Night shift safety
            format: workshop
            sessions:
              - {id: la, start: 2026-12-03T20:00-08:00, end: 2026-12-03T23:30-08:00, timezone: America/Los_Angeles}
              - {id: org, start: 2026-12-03T20:00-08:00, end: 2026-12-03T23:30-08:00}
            """,
        "attendance/night/la.yaml": "attended: [ann]\n",
        "attendance/night/org.yaml": "attended: [tom]\n",
    })
    on = {person: [(e.course, e.on, e.session) for e in events]
          for person, events in completions(org, date(2026, 12, 31)).items()}
    assert on == {"ann": [("night", date(2026, 12, 3), "la")], "tom": [("night", date(2026, 12, 4), "org")]}
    assert "ann" in completions(org, date(2026, 12, 3)) and "tom" not in completions(org, date(2026, 12, 3))


def test_a_session_that_ends_after_as_of_does_not_complete_yet(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/k8s.yaml": """
            title: Kubernetes
            courses: [k8s]
            audience: {people: [ann]}
            """,
        "attendance/k8s/s1.yaml": "attended: [ann]\n",
    })
    assert row(org, "2026-12-01", "ann", "k8s") == ("due", None, None, None, "k8s")
    assert row(org, "2026-12-02", "ann", "k8s") == ("done", None, "2026-12-02", None, "k8s")


# --- filters and explanations --------------------------------------------------------------


def test_filters_by_person_and_team_subtree(tmp_path: Path) -> None:
    org = build(tmp_path, {"assignments/all.yaml": "title: All\ncourses: [conduct]\n"})
    as_of = date(2026, 1, 1)
    assert {r.person for r in status_rows(org, as_of, team="eng")} == {"mia", "eve", "sam", "pat", "ann", "ben"}
    assert {r.person for r in status_rows(org, as_of, team="platform")} == {"pat", "ann", "ben"}
    assert [r.person for r in status_rows(org, as_of, person="tom")] == ["tom"]
    assert status_rows(org, as_of, person="tom", team="eng") == []
    assert [r.team for r in status_rows(org, as_of, person="ann")] == ["platform"]


def test_explain_names_the_rule_audience_due_date_and_completion(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/sec.yaml": """
            title: Security for engineers
            courses: [sec]
            audience: {teams: [eng], profiles: [engineer]}
            from: 2026-01-01
            due_days: 30
            every_months: 6
            """,
        **records("eve", "eng", "course: sec, date: 2026-05-01", "course: sec, date: 2026-12-01"),
    })
    x = explain(org, "eve", "sec", date(2026, 6, 1))
    assert x.row is not None and x.row.status is Status.DONE and x.row.due == date(2026, 11, 1)
    [source] = x.sources
    assert source.assigns and source.source == "sec" and source.path == "assignments/sec.yaml"
    assert source.reasons == ("in the audience: team 'eng' is 'eng'",
                              "in the audience: profile 'engineer' is in [engineer]")
    assert source.due == date(2026, 4, 14)
    assert "later of the rule's 'from' (2026-01-01) and your start date (2026-03-15)" in source.due_reason
    assert x.counting is not None and x.counting.on == date(2026, 5, 1)
    assert [e.on for e in x.completions] == [date(2026, 5, 1), date(2026, 12, 1)]
    assert x.validity == "the certificate is valid until 2027-05-01 (12 months; it expires on that day)"


def test_explain_says_why_a_course_is_not_assigned(tmp_path: Path) -> None:
    org = build(tmp_path, {
        "assignments/sec.yaml": """
            title: Security for engineers
            courses: [sec]
            audience: {teams: [eng], profiles: [engineer]}
            exclude: [{person: sue, reason: Not needed}]
            """,
        "assignments/later.yaml": """
            title: Later
            courses: [sec]
            from: 2030-01-01
            """,
        "assignments/teams/eng.yaml": "assignments:\n  - {person: all, course: sec}\n",
    })
    x = explain(org, "sue", "sec", date(2026, 6, 1))
    assert x.row is None
    reasons = {s.source: s.reasons for s in x.sources}
    assert reasons["sec"] == ("not in the audience: team 'sales' is not in [eng] or below them",
                              "not in the audience: profile 'manager' is not in [engineer]",
                              "(also listed as excluded: Not needed)")
    assert reasons["later"] == ("the rule starts on 2030-01-01, after 2026-06-01, so it does not apply yet",)
    assert "team:eng" not in reasons  # sue is outside eng: the team's file does not mention her
    mia = explain(org, "mia", "sec", date(2026, 6, 1))
    assert {s.source: s.reasons for s in mia.sources}["team:eng"] == (
        "it is assigned to all of team 'eng', which leaves out the team's manager, 'mia'",)


# --- properties over generated organisations -----------------------------------------------


def _memory_org(requests: list[tuple[str, str, date]], capacity: int | None,
                records_by_person: dict[str, list[date]], *, shuffle: int = 0) -> Organisation:
    """An organisation built in memory (no files), for property tests."""
    source = Source("memory.yaml", lambda: b"")
    people = sorted({p for p, _, _ in requests} | set(records_by_person))
    org = Organisation()
    org.teams["t"] = Entry("t", m.Team(name="T", manager=people[0],
                                       members=[m.Person(id=p, name=p) for p in people]), source, {"team": "t"})
    session = m.Session(id="s", start=datetime(2026, 12, 1, 9), end=datetime(2026, 12, 1, 17), capacity=capacity)
    org.courses["c"] = Entry("c", m.Course(title="C", format="classroom", elective=True, valid_months=12,
                                           sessions=[session]), source, {"course": "c"})
    entries = [Entry(rid, m.Request(person=p, course="c", session="s", date=d), source,
                     {"team": "t", "person": p, "request": rid}) for p, rid, d in requests]
    org.requests = entries[shuffle % max(1, len(entries)):] + entries[:shuffle % max(1, len(entries))]
    org.records = [Entry(p, m.Records(person=p, records=[m.Record(course="c", date=d, by=p) for d in dates]),
                         source, {"team": "t", "person": p}) for p, dates in records_by_person.items()]
    org.rules["r"] = Entry("r", m.Rule.model_validate({"title": "R", "courses": ["c"], "from": date(2025, 1, 1),
                                                       "due_days": 30, "every_months": 6}), source, {"rule": "r"})
    return org


_requests = st.lists(
    st.tuples(st.sampled_from(["p1", "p2", "p3", "p4", "p5", "p6"]), st.sampled_from(["a", "b", "c", "d"]),
              st.dates(date(2026, 1, 1), date(2026, 12, 31))),
    min_size=1, max_size=12, unique_by=lambda t: (t[0], t[1]))


@settings(max_examples=150, deadline=None)
@given(_requests, st.one_of(st.none(), st.integers(1, 5)), st.integers(0, 20),
       st.dates(date(2026, 1, 1), date(2027, 1, 31)))
def test_seat_allocation_invariants(requests, capacity, shuffle, as_of) -> None:
    org = _memory_org(requests, capacity, {})
    engine = Engine(org, as_of)
    states = {(r.person, r.source): r.status for r in engine.rows() if r.source.startswith("request:")}
    by_request = {(e.model.person, e.id): engine.seat(e) for e in org.requests if engine.seat(e) is not None}
    existing = sorted((d, rid, p) for p, rid, d in requests if d <= as_of)
    holders = list(dict.fromkeys(p for _, _, p in existing))  # first request of each person, in seat order
    enrolled = holders if capacity is None else holders[:capacity]
    # exactly the first `capacity` people by (date, id) hold a seat, whatever the file order
    assert {p for (p, _), s in by_request.items() if s is Status.ENROLLED} == set(enrolled)
    assert {p for (p, _), s in by_request.items() if s is Status.WAITLISTED} == set(holders) - set(enrolled)
    assert len(by_request) == len(existing)  # requests after as-of hold nothing
    assert engine.rows() == Engine(_memory_org(requests, capacity, {}, shuffle=shuffle + 1), as_of).rows()
    assert set(states.values()) <= {Status.ENROLLED, Status.WAITLISTED, Status.DUE, Status.OVERDUE}


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["p1", "p2", "p3"]),
                       st.lists(st.dates(date(2023, 1, 1), date(2028, 1, 1)), max_size=4), min_size=1),
       st.dates(date(2024, 1, 1), date(2028, 1, 1)))
def test_status_invariants_over_random_completions(records_by_person, as_of) -> None:
    org = _memory_org([], None, records_by_person)
    window = 60
    for r in Engine(org, as_of).rows():
        last = max((d for d in records_by_person.get(r.person, []) if d <= as_of), default=None)
        assert r.completed_on == last
        assert r.expires_on == (add_months(last, 12) if last else None)
        if r.status is Status.OVERDUE:
            assert r.due is not None and r.due < as_of
        if r.status is Status.DUE:
            assert r.due is None or r.due >= as_of
        # Due again 6 months after the last completion, but never before the rule's own first due date.
        if r.status in (Status.DONE, Status.EXPIRING):
            assert last is not None and as_of < add_months(last, 6)
            assert r.due == max(add_months(last, 6), date(2025, 1, 31))
        if r.status is Status.EXPIRING:
            assert 0 < (r.expires_on - as_of).days <= window
        if last is not None and as_of >= add_months(last, 6):
            assert r.status in (Status.DUE, Status.OVERDUE) and r.due == max(add_months(last, 6), date(2025, 1, 31))


@pytest.mark.parametrize("as_of", ["2026-01-01", "2026-06-15", "2027-03-01"])
def test_rows_for_one_person_equal_that_persons_rows_in_the_whole_table(tmp_path: Path, as_of: str) -> None:
    org = build(tmp_path, {
        "assignments/a.yaml": "title: A\ncourses: [sec, conduct]\naudience: {teams: [eng]}\ndue: 2026-05-01\n",
        "assignments/teams/company.yaml": "assignments:\n  - {person: all, course: first-aid}\n",
        **request("ann", "platform", "k", "k8s", "2026-03-01", "s1"),
        **records("ann", "platform", "course: sec, date: 2026-02-01"),
    })
    engine = Engine(org, date.fromisoformat(as_of))
    everything = engine.rows()
    for person in org.members:
        assert engine.rows([person]) == [r for r in everything if r.person == person]
    assert len({(r.person, r.course) for r in everything}) == len(everything)
    assert list(itertools.chain.from_iterable(engine.rows([p]) for p in sorted(org.members))) == everything
