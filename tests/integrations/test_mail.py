"""The reminder e-mail: escaped HTML, a calendar that parses, the same bytes every time, settings from the
environment checked before anything is sent."""

from __future__ import annotations

import email
import itertools
from datetime import date
from email.policy import default

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from reminder_org import AS_OF, REMINDER_ORG

from lmsgen.integrations import digests, mail
from lmsgen.integrations.mail import DeliveryError
from lmsgen.rules.validation import validate_root


def _letters(make_org, changes=None):
    validated = validate_root(make_org({**REMINDER_ORG, **(changes or {})}), use_cache=False)
    assert validated.ok
    return digests.letters(validated.organisation, AS_OF)[1]


def test_the_calendar_attachment_holds_the_due_dates(make_org):
    [dave] = [letter for letter in _letters(make_org) if letter.digest.name == "person-dave"]
    parsed = email.message_from_bytes(mail.as_bytes(mail.message(dave, AS_OF, "learning@acme.example")),
                                      policy=default)
    [attachment] = list(parsed.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert (str(event["SUMMARY"]), event["DTSTART"].dt, str(calendar["X-WR-CALNAME"])) == (
        "Due: Secure coding basics", date(2026, 1, 31), "Learning: Dave Kim")


_EXAMPLES = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
       .filter(lambda t: t.strip() == t and t.strip()))
def test_any_course_title_is_text_in_the_html_and_the_bytes_repeat(make_org, title):
    name = f"org-{next(_EXAMPLES)}"
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    letters = _letters(lambda changes: make_org(changes, name=name),
                       {"catalog/first-aid.yaml": f'title: "{quoted}"\nformat: classroom\nvalid_months: 12\n'})
    [dave] = [letter for letter in letters if letter.digest.name == "person-dave"]
    first = mail.as_bytes(mail.message(dave, AS_OF, "learning@acme.example"))
    assert first == mail.as_bytes(mail.message(dave, AS_OF, "learning@acme.example"))
    html = email.message_from_bytes(first, policy=default).get_body(("html",)).get_content()
    assert f"<li><a href=\"https://learning.acme.example/catalog/first-aid/\">{escape(title)}: expires on " in html


@given(st.dictionaries(st.sampled_from(mail.ENVIRONMENT), st.text(max_size=12)))
def test_any_environment_gives_settings_or_says_what_is_wrong(environ):
    try:
        found = mail.smtp_settings(environ)
    except DeliveryError as problem:
        assert str(problem).startswith("the SMTP settings are incomplete: ")  # in English, the default language
    else:
        assert found.host == environ["LMSGEN_SMTP_HOST"] and 0 < found.port < 65536
