"""Calendar feeds at secret addresses: the token, no feed without a secret that will do, and the person's page."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import icalendar
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.site import feeds
from lmsgen.site.build import build_site

AS_OF = date(2026, 12, 1)
SECRET = "0123456789abcdef0123456789abcdef"
NOT_SET = ("no calendar feeds were written: LMSGEN_FEED_SECRET is not set; set it to a random secret of at least 32 "
           "characters, the same on every build, to publish each person's feed at its secret address")


def build(root: Path, secret: str | None):
    """The site and the build's result, its warnings about the feeds alone (the badges' are tests/site/test_badges.py's)."""
    out = root.parent / "site"
    result = build_site(root, out, AS_OF, feed_secret=secret)
    assert result.ok, result.diagnostics
    result.warnings[:] = [warning for warning in result.warnings if not warning.startswith("no badges")]
    return out, result


def test_the_token_is_the_hmac_of_the_id_under_the_secret():
    # openssl: echo -n carol | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
    assert feeds.token(SECRET, "carol") == "fb1c76296e451da4563440a7af4809b1"
    assert feeds.token(SECRET, "zoë") == "4851b6b1e0d371a70e2242d1ac53d512"  # UTF-8
    assert feeds.feed_path(SECRET, "carol") == "feeds/fb1c76296e451da4563440a7af4809b1.ics"


@given(secret=st.text(min_size=32), other=st.text(min_size=32), person=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}",
                                                                                       fullmatch=True))
def test_a_token_is_stable_and_changes_with_the_secret(secret, other, person):
    token = feeds.token(secret, person)
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert feeds.token(secret, person) == token
    if other != secret:
        assert feeds.token(other, person) != token


def test_each_person_has_a_feed_at_their_token_and_a_page_that_gives_it(make_org):
    site, result = build(make_org(), SECRET)
    assert result.warnings == [] and result.pages["feeds"] == 6
    assert sorted(path.name for path in (site / "feeds").iterdir()) == sorted(
        f"{feeds.token(SECRET, person)}.ics" for person in ("alice", "bob", "carol", "dave", "erin", "dana"))
    calendar = icalendar.Calendar.from_ical((site / feeds.feed_path(SECRET, "carol")).read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Learning: Carol Diaz"
    page = (site / "people/carol/calendar/index.html").read_text(encoding="utf-8")
    assert f'<a class="md-button lms-button" href="../../../feeds/{feeds.token(SECRET, "carol")}.ics">' in page
    assert "<title>Carol Diaz: calendar - Acme Corp</title>" in page
    assert feeds.token(SECRET, "dave") not in page
    portal = (site / "people/carol/index.html").read_text(encoding="utf-8")
    assert '<a href="calendar/">Your calendar feed</a>' in portal
    assert feeds.token(SECRET, "carol") not in portal  # managers may read the portal; the address is on its own page
    assert not (site / "people/carol/learning.ics").exists()


def test_the_secret_is_never_written_into_the_site(make_org):
    site, _ = build(make_org(), SECRET)
    assert [path for path in site.rglob("*") if path.is_file() and SECRET.encode() in path.read_bytes()] == []


def test_without_a_secret_no_feed_is_written_and_the_build_says_why(make_org):
    site, result = build(make_org(), None)
    assert result.warnings == [NOT_SET]
    assert result.pages["feeds"] == 0
    assert not (site / "feeds").exists() and not (site / "people/carol/calendar").exists()
    portal = (site / "people/carol/index.html").read_text(encoding="utf-8")
    assert "this site publishes no calendar feeds" in portal and 'href="calendar/"' not in portal


def test_a_short_secret_is_refused(make_org):
    site, result = build(make_org(), "too-short")
    assert result.warnings == [
        "no calendar feeds were written: LMSGEN_FEED_SECRET has 9 characters, and a secret shorter than 32 could be "
        "found by trying from one's own feed address; set a longer random one"]
    assert not (site / "feeds").exists()
    assert build(make_org(name="empty"), "")[1].warnings == [NOT_SET]


def test_a_public_build_writes_no_feed(make_org):
    root = make_org()
    out = root.parent / "public"
    result = build_site(root, out, AS_OF, public=True, feed_secret=SECRET)
    assert result.ok and result.warnings == []
    assert not (out / "feeds").exists() and not (out / "people").exists()
