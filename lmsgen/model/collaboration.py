"""`collaboration` in org.yaml: the address of a chat between a mentor and their mentee (docs/sessions.md).

    collaboration: "https://teams.microsoft.com/l/chat/0/0?users={mentor_email},{mentee_email}"

The template is an https address whose only placeholders are `{mentor_email}` and `{mentee_email}`; any other
brace is refused, so a template cannot reach anything but the two emails. Each email is percent-encoded where it
goes in, so an address in the data cannot add query parameters or change the link's host.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from pydantic import Field

COLLABORATION_PATTERN = r"^https://(?:[^\s{}]|\{mentor_email\}|\{mentee_email\})+$"
COLLABORATION_MESSAGE = ("'{value}' is not a collaboration link template: an https:// address whose only "
                         "placeholders are {{mentor_email}} and {{mentee_email}}")

CollaborationTemplate = Annotated[str, Field(pattern=COLLABORATION_PATTERN, max_length=2000)]


def collaboration_link(template: str | None, mentor_email: str | None, mentee_email: str | None) -> str | None:
    """The chat address of a mentor and a mentee under `template`; None without a template or either email."""
    if not template or not mentor_email or not mentee_email:
        return None
    return (template.replace("{mentor_email}", quote(mentor_email, safe="@"))
            .replace("{mentee_email}", quote(mentee_email, safe="@")))
