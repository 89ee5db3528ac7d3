"""Session times and time zones: one written form each, known zones only, aware times in each session's zone."""

from __future__ import annotations

import textwrap
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import DESIGN_ORG

from lmsgen.cli import main
from lmsgen.model import formats as m
from lmsgen.model.times import validation_context, zone_names
from lmsgen.rules.validation import validate_root

ORG = textwrap.dedent(DESIGN_ORG["org.yaml"]).lstrip("\n")
NO_SESSION_FILES = {"teams/platform/requests/carol/2026-11-k8s-admin.yaml": None,
                    "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": None,
                    "attendance/k8s-admin/2026-12-berlin.yaml": None}


def course(*sessions: str) -> str:
    return "title: K\nformat: classroom\nsessions:\n" + "".join(f"  - {{{s}}}\n" for s in sessions)


def messages(root):
    return [str(d) for d in validate_root(root).diagnostics]


def sessions(root) -> dict[str, m.Session]:
    validated = validate_root(root)
    assert validated.ok, validated.diagnostics
    return {s.id: s for s in validated.organisation.courses["k8s-admin"].model.sessions}


def test_an_unknown_zone_is_an_error_at_its_place_with_the_name_meant(make_org):
    root = make_org({
        "org.yaml": ORG + "timezone: Europe/Amsterdm\n",
        "catalog/k8s-admin.yaml": course(
            "id: s1, start: 2026-12-03T09:00, end: 2026-12-03T17:00, timezone: europe/berlin",
            "id: s2, start: 2026-12-04T09:00, end: 2026-12-04T17:00, timezone: Mars/Olympus",
            "id: s3, start: 2026-12-05T09:00, end: 2026-12-05T17:00, timezone: ''"),
        **NO_SESSION_FILES})
    assert messages(root) == [
        "catalog/k8s-admin.yaml:4:72: sessions[0].timezone: unknown time zone 'europe/berlin' (did you mean "
        "'Europe/Berlin'?): use an IANA name such as Europe/Amsterdam, America/New_York or UTC",
        "catalog/k8s-admin.yaml:5:72: sessions[1].timezone: unknown time zone 'Mars/Olympus': use an IANA name "
        "such as Europe/Amsterdam, America/New_York or UTC",
        "catalog/k8s-admin.yaml:6:72: sessions[2].timezone: unknown time zone '': use an IANA name such as "
        "Europe/Amsterdam, America/New_York or UTC",
        "org.yaml:5:11: timezone: unknown time zone 'Europe/Amsterdm' (did you mean 'Europe/Amsterdam'?): use an "
        "IANA name such as Europe/Amsterdam, America/New_York or UTC",
    ]


def test_dates_and_times_are_written_one_way(make_org):
    root = make_org({
        "catalog/k8s-admin.yaml": course("id: s1, start: 2026-12-03 09:00, end: 1764720000",
                                         "id: s2, start: 2026-12-03t09:00z, end: 2026-12-03T17:00:60"),
        "teams/platform/records/carol.yaml": """
            person: carol
            records:
              - {course: secure-coding, date: 2026-02-30, by: carol}
              - {course: secure-coding, date: 2026-03-02T00:00, by: carol}
              - {course: secure-coding, date: 1764720000, by: carol}
            """,
        **NO_SESSION_FILES})
    time_form = ("is not a date and time: write it as YYYY-MM-DDTHH:MM, such as 2026-12-03T09:00 (local to the "
                 "session's time zone), or with its offset from UTC, such as 2026-12-03T09:00+01:00")
    date_form = "is not a date: write it as YYYY-MM-DD, such as 2026-12-03"
    assert messages(root) == [
        f"catalog/k8s-admin.yaml:4:21: sessions[0].start: '2026-12-03 09:00' {time_form}",
        f"catalog/k8s-admin.yaml:4:44: sessions[0].end: the number 1764720000 {time_form}",
        f"catalog/k8s-admin.yaml:5:21: sessions[1].start: '2026-12-03t09:00z' {time_form}",
        f"catalog/k8s-admin.yaml:5:45: sessions[1].end: '2026-12-03T17:00:60' {time_form}",
        f"teams/platform/records/carol.yaml:3:35: records[0].date: '2026-02-30' {date_form}",
        f"teams/platform/records/carol.yaml:4:35: records[1].date: '2026-03-02T00:00' {date_form}",
        f"teams/platform/records/carol.yaml:5:35: records[2].date: the number 1764720000 {date_form}",
    ]


def test_naive_times_are_local_to_the_session_else_the_org_and_offsets_are_converted(make_org):
    root = make_org({
        "org.yaml": ORG + "timezone: Europe/Amsterdam\n",
        "catalog/k8s-admin.yaml": course(
            "id: naive, start: 2026-12-03T09:00, end: 2026-12-03T17:00",
            "id: own-zone, start: 2026-12-03T09:00, end: 2026-12-03T17:00, timezone: America/New_York",
            "id: utc, start: 2026-12-03T08:00Z, end: 2026-12-03T16:00:30+00:00",
            "id: offset, start: 2026-12-03T09:00+01:00, end: 2026-12-03T19:00, timezone: Asia/Tokyo"),
        **NO_SESSION_FILES})
    amsterdam, new_york, tokyo = ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo")
    found = {sid: (s.start, s.end) for sid, s in sessions(root).items()}
    assert found == {
        "naive": (datetime(2026, 12, 3, 9, tzinfo=amsterdam), datetime(2026, 12, 3, 17, tzinfo=amsterdam)),
        "own-zone": (datetime(2026, 12, 3, 9, tzinfo=new_york), datetime(2026, 12, 3, 17, tzinfo=new_york)),
        "utc": (datetime(2026, 12, 3, 9, tzinfo=amsterdam), datetime(2026, 12, 3, 17, 0, 30, tzinfo=amsterdam)),
        "offset": (datetime(2026, 12, 3, 17, tzinfo=tokyo), datetime(2026, 12, 3, 19, tzinfo=tokyo)),
    }
    # Aware in the session's own zone: the wall clock and the zone, not only the moment, are the session's.
    assert [str(start.tzinfo) for start, _ in found.values()] == [
        "Europe/Amsterdam", "America/New_York", "Europe/Amsterdam", "Asia/Tokyo"]


def test_without_an_org_zone_naive_times_are_utc(make_org):
    assert sessions(make_org())["2026-12-berlin"].start == datetime(2026, 12, 3, 9, tzinfo=ZoneInfo("UTC"))
    assert m.Session(id="s", start=datetime(2026, 12, 3, 9), end=datetime(2026, 12, 3, 17)).start.tzinfo == \
        ZoneInfo("UTC")


def test_a_time_the_clocks_skip_is_refused_and_one_they_repeat_is_the_first(make_org):
    root = make_org({
        "org.yaml": ORG + "timezone: Europe/Amsterdam\n",
        "catalog/k8s-admin.yaml": course("id: spring, start: 2026-03-29T02:30, end: 2026-03-29T04:00",
                                         "id: autumn, start: 2026-10-25T02:30, end: 2026-10-25T04:00"),
        **NO_SESSION_FILES})
    assert messages(root) == [
        "catalog/k8s-admin.yaml:4:25: sessions[0].start: 2026-03-29T02:30 does not exist in Europe/Amsterdam: the "
        "clocks skip it when they go forward; choose a time before or after the change",
    ]
    autumn = m.Course.model_validate({"title": "K", "format": "classroom", "sessions": [
        {"id": "autumn", "start": "2026-10-25T02:30", "end": "2026-10-25T04:00"}]},
        context=validation_context("Europe/Amsterdam")).sessions[0]
    assert autumn.start.utcoffset().total_seconds() == 2 * 3600  # summer time, the first 02:30


def test_naive_and_offset_times_in_one_course_compare_as_moments(make_org, capsys):
    root = make_org({
        "org.yaml": ORG + "timezone: Europe/Amsterdam\n",
        "catalog/k8s-admin.yaml": course(
            "id: fine, start: 2026-12-03T09:00, end: 2026-12-03T08:30Z",       # ends 09:30 in Amsterdam
            "id: early, start: 2026-12-03T09:00+01:00, end: 2026-12-03T08:30",
            "id: same, start: 2026-12-03T09:00, end: 2026-12-03T08:00Z"),
        **NO_SESSION_FILES})
    assert main(["check", "--root", str(root)]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "catalog/k8s-admin.yaml:5:53: session 'early' ends (2026-12-03T08:30) before it starts (2026-12-03T09:00, at "
        "catalog/k8s-admin.yaml:5:24)",
        "catalog/k8s-admin.yaml:6:46: session 'same' ends (2026-12-03T09:00) when it starts (2026-12-03T09:00, at "
        "catalog/k8s-admin.yaml:6:23)",
    ]


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2026-12-03T09:00", "2026-12-03T17:00", [("2026-12-03T09:00", "2026-12-03T17:00")]),
    ("2026-12-03T09:00", "2026-12-04T17:00", [("2026-12-03T09:00", "2026-12-03T17:00"),
                                              ("2026-12-04T09:00", "2026-12-04T17:00")]),
    ("2026-10-24T09:00", "2026-10-26T17:00", [("2026-10-24T09:00", "2026-10-24T17:00"),   # across the change of
                                              ("2026-10-25T09:00", "2026-10-25T17:00"),   # the clocks: 09:00 each
                                              ("2026-10-26T09:00", "2026-10-26T17:00")]),  # day all the same
    ("2026-12-03T20:00", "2026-12-04T02:00", [("2026-12-03T20:00", "2026-12-04T02:00")]),
    ("2026-12-01T18:00", "2026-12-03T12:00", [("2026-12-01T18:00", "2026-12-03T12:00")]),
    ("2026-12-01T09:00", "2026-12-31T17:00", [(f"2026-12-{day:02d}T09:00", f"2026-12-{day:02d}T17:00")
                                              for day in range(1, 32)]),
    ("2026-12-01T09:00", "2027-01-01T17:00", [("2026-12-01T09:00", "2027-01-01T17:00")]),  # a typo's flood
    ("2026-12-01T09:00", "9998-12-01T17:00", [("2026-12-01T09:00", "9998-12-01T17:00")]),
])
def test_a_session_meets_each_day_at_its_hours_or_once_straight_through(start, end, expected):
    session = m.Session.model_validate({"id": "s", "start": start, "end": end},
                                       context=validation_context("Europe/Berlin"))
    meetings = session.meetings()
    assert [(a.strftime("%Y-%m-%dT%H:%M"), b.strftime("%Y-%m-%dT%H:%M")) for a, b in meetings] == expected
    assert all(str(moment.tzinfo) == "Europe/Berlin" for pair in meetings for moment in pair)


def test_the_zones_are_the_tzdata_packages_names():
    names = zone_names()
    assert {"UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata"} <= set(names)
    assert "localtime" not in names and "posixrules" not in names and list(names) == sorted(names)
    for name in names:
        ZoneInfo(name)  # every name accepted loads
