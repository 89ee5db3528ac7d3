"""A digest in words: the sections by urgency, links under `site_url`, and a long digest cut short."""

from __future__ import annotations

from reminder_org import AS_OF, REMINDER_ORG, SITE

from lmsgen.integrations import digests
from lmsgen.rules.validation import validate_root


def _letters(make_org, changes=None):
    validated = validate_root(make_org({**REMINDER_ORG, **(changes or {})}), use_cache=False)
    assert validated.ok
    return {letter.digest.name: letter for letter in digests.letters(validated.organisation, AS_OF)[1]}


def test_a_long_digest_lists_the_most_urgent_lines_and_says_how_many_more(make_org, monkeypatch):
    monkeypatch.setattr(digests, "LINES_SHOWN", 2)
    erin = _letters(make_org)["manager-erin"]
    assert [(s.heading, [line.text for line in s.lines]) for s in erin.sections] == [
        ("Overdue", ["Bob Lee, Secure coding basics: was due on 2026-01-31, 308 days overdue",
                     "Dana Poe, Secure coding basics: was due on 2026-01-31, 308 days overdue",
                     "and 2 more: the site lists them all"])]
    assert [(link.text, link.url) for link in erin.links] == [("Open the dashboard of Engineering",
                                                                f"{SITE}teams/engineering/")]


def test_without_a_site_url_there_are_no_links(make_org):
    org_yaml = REMINDER_ORG["org.yaml"].replace("site_url: https://learning.acme.example\n", "")
    dave = _letters(make_org, {"org.yaml": org_yaml})["person-dave"]
    assert {line.url for section in dave.sections for line in section.lines} | {link.url for link in dave.links} == {
        None}
    assert dave.address == "dave@acme.example" and [due.summary for due in dave.due_dates] == [
        "Due: Secure coding basics"]
