"""Reminders to a chat channel: each letter posted as JSON to an incoming webhook.

The body is `{"text": "..."}`, which both a Slack incoming webhook and a Microsoft Teams incoming
webhook (the connector, and a Workflows "post to a channel when a webhook request is received" flow)
accept; the text is Markdown-light (`*bold*`, `<url|label>`-free plain links) so that it reads the same
in both. One post per letter, in order; the first answer that is not 2xx stops the batch with a
DeliveryError that names it and the posts already made.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence

from .digests import Letter
from .mail import TIMEOUT_SECONDS, DeliveryError


def payload(letter: Letter, to_line: str) -> bytes:
    """The JSON a webhook receives for one letter."""
    lines = [f"*{letter.subject}*", to_line]
    for section in letter.sections:
        lines += ["", f"*{section.heading}*"]
        lines += [f"- {line.text}" + (f" {line.url}" if line.url else "") for line in section.lines]
    lines += [f"{link.text}: {link.url}" for link in letter.links if link.url]
    return json.dumps({"text": "\n".join(lines)}, ensure_ascii=False).encode("utf-8")


def post(url: str, bodies: Sequence[tuple[str, bytes]]) -> int:
    """Posts each (name, JSON body) to `url`; the number posted, or DeliveryError naming what failed."""
    done: list[str] = []
    for name, body in bodies:
        try:
            request = urllib.request.Request(url, data=body, method="POST",
                                             headers={"Content-Type": "application/json; charset=utf-8"})
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (the user's URL)
                answer.read()
        except urllib.error.HTTPError as problem:
            raise DeliveryError("remind.error.webhook_status", done, len(bodies), status=problem.code,
                                reason=problem.reason, name=name) from None
        except (urllib.error.URLError, OSError, ValueError) as problem:
            reason = getattr(problem, "reason", problem)
            raise DeliveryError("remind.error.webhook", done, len(bodies), problem=reason) from None
        done.append(name)
    return len(done)
