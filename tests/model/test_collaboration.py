"""`collaboration` in org.yaml: an https template with only {mentor_email} and {mentee_email}."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.model.collaboration import collaboration_link

ORG = "name: Acme\ngit: {{repo: https://github.com/acme/learning}}\ncollaboration: {template}\n"


def messages(make_org, template: str) -> list[str]:
    from lmsgen.model.loading import load_root

    root = make_org({"org.yaml": ORG.format(template=template)})
    return [str(d) for d in load_root(root, use_cache=False).diagnostics]


def test_a_template_with_the_two_placeholders_is_accepted(make_org):
    assert messages(make_org, '"https://teams.microsoft.com/l/chat/0/0?users={mentor_email},{mentee_email}"') == []


@pytest.mark.parametrize("template", ["http://chat.example/{mentor_email}", "https://chat.example/{manager_email}",
                                      "https://chat.example/{mentor_email", "'https://chat example/{mentee_email}'"])
def test_anything_else_is_refused(make_org, template):
    shown = template.strip("'")
    assert messages(make_org, template) == [
        f"org.yaml:3:16: collaboration: '{shown}' is not a collaboration link template: an https:// address whose "
        "only placeholders are {mentor_email} and {mentee_email}"]


def test_the_emails_are_percent_encoded():
    template = "https://chat.example/dm?users={mentor_email},{mentee_email}"
    assert collaboration_link(template, "a+b@x.com", "c&d=e#f@y.com") == \
        "https://chat.example/dm?users=a%2Bb@x.com,c%26d%3De%23f@y.com"
    assert collaboration_link(None, "a@x.com", "b@y.com") is None
    assert collaboration_link(template, "a@x.com", None) is None


@given(st.text(max_size=20), st.text(max_size=20))
def test_an_email_never_leaves_its_place(local, domain):
    email = f"{local}@{domain}"
    link = collaboration_link("https://chat.example/u/{mentor_email}/{mentee_email}", email, email)
    assert link is not None
    rest = link.removeprefix("https://chat.example/u/")
    assert not set(rest) & set("?#& {}\n")
    assert link.count("/") == 5
