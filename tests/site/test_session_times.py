"""Session times on the site and in the calendar feeds: local with their zone on pages, UTC in feeds, never a crash."""

from __future__ import annotations

import re
import textwrap
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
from conftest import DESIGN_ORG
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lmsgen.cache.digests import blob_id
from lmsgen.model import formats as m
from lmsgen.model.files import FileRef
from lmsgen.model.loading import load
from lmsgen.model.times import validation_context
from lmsgen.rules.validation import Validated, validate
from lmsgen.site import exports
from lmsgen.site.pages import Html, Pages
from lmsgen.site.portals import Portals
from lmsgen.site.reports import dashboard
from lmsgen.site.views import Seat, SiteData

ZONES = ["UTC", "Europe/Amsterdam", "America/New_York", "America/Los_Angeles", "Asia/Kolkata",
         "Australia/Lord_Howe", "Pacific/Chatham", "Pacific/Kiritimati"]
"""Zones with summer time north and south, half-hour and 45-minute offsets, and the widest offsets."""
SESSION_TIME = re.compile(r"^(DTSTART|DTEND)(?::[0-9]{8}T[0-9]{6}Z|;VALUE=DATE:[0-9]{8})$")


def organisation(org_zone: str | None, *sessions: str) -> Validated:
    """The sample organisation (conftest.py) in memory, with k8s-admin's sessions replaced (the first is the one booked)."""
    files = {path: textwrap.dedent(text).lstrip("\n") for path, text in DESIGN_ORG.items()}
    if org_zone:
        files["org.yaml"] += f"timezone: {org_zone}\n"
    files["catalog/k8s-admin.yaml"] = ("title: Kubernetes administration\nformat: classroom\nelective: true\n"
                                       "cost: {amount: 1200, currency: EUR}\n"
                                       "sessions:\n" + "".join(f"  - {{{s}}}\n" for s in sessions))
    refs = [FileRef(path, blob_id(text.encode()), lambda text=text: text.encode()) for path, text in files.items()]
    return validate(load(refs))


def render_everything(validated: Validated, as_of: date) -> dict[str, str]:
    """Every page that shows sessions, and every person's calendar feed (by person)."""
    data = SiteData(validated.organisation, as_of)
    pages, portals = Pages(data), Portals(data)
    pages.home()
    for course_id in data.org.courses:
        pages.course(course_id, 0)
    for team in data.org.teams:
        pages.team(dashboard(data, team))
    feeds = {}
    for person in data.org.members:
        portal = portals.portal(person)
        pages.person(portal, calendar=True)
        feeds[person] = exports.calendar(portal, as_of)
    return feeds


@st.composite
def written_session(draw, sid: str, org_zone: str | None) -> str:
    """A session whose start and end are each written naive (local), with Z, or with some offset; now and then
    ending before it starts."""
    start = draw(st.datetimes(datetime(2026, 10, 1), datetime(2027, 4, 30))).replace(second=0, microsecond=0,
                                                                                    tzinfo=UTC)
    end = start + timedelta(minutes=draw(st.integers(30, 4 * 24 * 60)))
    if draw(st.integers(0, 4)) == 0:
        start, end = end, start
    zone = draw(st.sampled_from([None, *ZONES]))
    local = ZoneInfo(zone or org_zone or "UTC")

    def written(moment: datetime) -> str:
        form = draw(st.sampled_from(["naive", "Z", "offset"]))
        if form == "naive":  # one the clocks repeat reads as the first: the moment may move, the test still holds
            return f"{moment.astimezone(local):%Y-%m-%dT%H:%M}"
        if form == "Z":
            return f"{moment:%Y-%m-%dT%H:%M}Z"
        offset = timezone(timedelta(minutes=draw(st.integers(-48, 56)) * 15))
        return moment.astimezone(offset).isoformat(timespec="minutes")

    return (f"id: {sid}, start: {written(start)}, end: {written(end)}, capacity: 1"
            + (f", timezone: {zone}" if zone else ""))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_zone=st.sampled_from([None, *ZONES]), data=st.data(),
       as_of=st.dates(date(2026, 11, 1), date(2027, 5, 31)))
def test_no_mix_of_naive_and_offset_times_crashes_check_or_the_site(org_zone, data, as_of):
    sessions = [data.draw(written_session(sid, org_zone)) for sid in ("2026-12-berlin", "second")]
    validated = organisation(org_zone, *sessions)
    event("valid" if validated.ok else "a session ends before it starts")
    assert all(d.path and d.line >= 1 and d.col >= 1 for d in validated.diagnostics)
    if not validated.ok:  # only ever a session that ends before (or when) it starts
        assert {re.sub(r" ends .*", "", d.message) for d in validated.diagnostics if d.is_error} <= {
            "session '2026-12-berlin'", "session 'second'"}
        return
    feeds = render_everything(validated, as_of)
    for feed in feeds.values():
        times = [line for line in feed.split("\r\n") if line.startswith(("DTSTART", "DTEND"))]
        assert all(SESSION_TIME.match(line) for line in times), times
    booked = validated.organisation.courses["k8s-admin"].model.sessions[0]
    events = [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in icalendar.Calendar.from_ical(feeds["carol"]).walk(
        "VEVENT") if str(e["UID"]).startswith("session-")]
    requested = date(2026, 11, 20)  # carol's request: it does not exist before its date
    assert events == ([(start.astimezone(UTC), end.astimezone(UTC)) for start, end in booked.meetings()]
                      if as_of >= requested else [])


def test_a_session_of_several_days_is_one_event_a_day_in_utc_across_the_change_of_the_clocks():
    validated = organisation("Europe/Berlin", "id: 2026-12-berlin, start: 2026-10-24T09:00, end: 2026-10-26T17:00")
    assert validated.ok, validated.diagnostics
    feed = render_everything(validated, date(2026, 12, 1))["carol"]
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")}
    days = [events[f"session-carol-2026-11-k8s-admin-{n}@lmsgen"] for n in (1, 2, 3)]
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in days] == [
        (datetime(2026, 10, 24, 7, tzinfo=UTC), datetime(2026, 10, 24, 15, tzinfo=UTC)),   # CEST, UTC+2
        (datetime(2026, 10, 25, 8, tzinfo=UTC), datetime(2026, 10, 25, 16, tzinfo=UTC)),   # CET from 03:00 that day
        (datetime(2026, 10, 26, 8, tzinfo=UTC), datetime(2026, 10, 26, 16, tzinfo=UTC)),
    ]
    assert [str(e["DESCRIPTION"]) for e in days][0] == (
        "Session 2026-12-berlin (day 1 of 3), 09:00-17:00 Europe/Berlin; seat: enrolled.")
    assert "DTSTART:20261024T070000Z\r\n" in feed


def _session(start: str, end: str, zone: str = "Europe/Berlin", location: str = "") -> m.Session:
    return m.Session.model_validate({"id": "s", "start": start, "end": end, "location": location},
                                    context=validation_context(zone))


def test_pages_show_a_session_in_its_local_time_with_its_zone():
    when = Html.session_when
    assert when(_session("2026-12-03T09:00", "2026-12-03T17:00")) == (
        '<time datetime="2026-12-03T09:00:00+01:00">3 Dec 2026, 09:00–17:00 CET</time>')
    assert when(_session("2026-12-03T08:00Z", "2026-12-04T16:00Z")).endswith(
        ">3–4 Dec 2026, 09:00–17:00 CET</time>")
    assert when(_session("2026-11-30T09:00", "2026-12-02T17:00")).endswith(
        ">30 Nov–2 Dec 2026, 09:00–17:00 CET</time>")
    assert when(_session("2026-12-31T09:00", "2027-01-01T17:00")).endswith(
        ">31 Dec 2026–1 Jan 2027, 09:00–17:00 CET</time>")
    assert when(_session("2026-10-24T09:00", "2026-10-26T17:00")).endswith(
        ">24–26 Oct 2026, 09:00–17:00 CEST/CET</time>")
    assert when(_session("2026-12-01T18:00", "2026-12-03T12:00")).endswith(
        ">1 Dec 2026 18:00 – 3 Dec 2026 12:00 CET</time>")
    assert when(_session("2026-12-03T09:00", "2026-12-03T17:00", "America/Chicago")).endswith(
        ">3 Dec 2026, 09:00–17:00 CST</time>")
    assert when(_session("2026-12-03T09:00", "2026-12-03T17:00", "Asia/Dubai")).endswith(
        ">3 Dec 2026, 09:00–17:00 UTC+04</time>")
    assert when(_session("2026-12-03T09:00", "2026-12-03T17:00", "UTC")).endswith(
        ">3 Dec 2026, 09:00–17:00 UTC</time>")


def test_a_session_line_escapes_its_location():
    seat = Seat("c", _session("2026-12-03T09:00", "2026-12-03T17:00", location="<b>Room</b> & hall"), 0, 0)
    assert Html.session_line(seat).endswith("CET</time> · &lt;b&gt;Room&lt;/b&gt; &amp; hall")


def test_upcoming_and_bookable_go_by_the_sessions_local_date():
    # 00:30 on 2 December in Tokyo is still 1 December in UTC.
    validated = organisation(None, "id: 2026-12-berlin, start: 2026-12-02T00:30, end: 2026-12-02T03:00, "
                                   "timezone: Asia/Tokyo")
    assert validated.ok, validated.diagnostics
    on_the_day = SiteData(validated.organisation, date(2026, 12, 2))
    assert [(s.course, s.session.id) for s in on_the_day.upcoming_sessions] == [
        ("k8s-admin", "2026-12-berlin"), ("secure-coding", "2026-12-berlin")]
    assert on_the_day.bookable_sessions("k8s-admin") == []
    day_before = SiteData(validated.organisation, date(2026, 12, 1))
    assert [s.session.id for s in day_before.bookable_sessions("k8s-admin")] == ["2026-12-berlin"]
