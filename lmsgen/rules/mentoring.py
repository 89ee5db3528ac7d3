"""Who a person's portal links to for a chat with their mentor and mentees (org.yaml's `collaboration`)."""

from __future__ import annotations

from datetime import date

from ..model.collaboration import collaboration_link
from ..model.organisation import Organisation


def mentoring_chats(org: Organisation, person: str, mentees: list[str], on: date) -> dict[str, str]:
    """The chat link with `person`'s mentor and with each of their `mentees`, by the other's id: only where
    org.yaml has a `collaboration` template, both are current members on `on`, and both have an e-mail."""
    template = org.org.model.collaboration if org.org else None
    present = org.present(on)
    member = present.get(person)
    if template is None or member is None or not member.person.email:
        return {}
    chats: dict[str, str] = {}
    mentor = present.get(member.person.mentor or "")
    if mentor is not None:
        link = collaboration_link(template, mentor.person.email, member.person.email)
        if link:
            chats[mentor.person.id] = link
    for mentee_id in mentees:
        mentee = present.get(mentee_id)
        link = collaboration_link(template, member.person.email, mentee.person.email) if mentee else None
        if link:
            chats[mentee_id] = link
    return chats
