"""What the parts of a demo organisation share: the file writer, the YAML text helpers and the days.

YAML is written as text (block mappings with one flow-style ``{...}`` entry per line, as in
docs/reference/), not through a YAML library, because size L (100,000 people, 2,000,000 records)
must be written quickly. Every free-text value goes through :func:`scalar`, which leaves it
plain only when that is unambiguous and double-quotes it otherwise. The parts' word lists hold
only plain YAML scalars that are also safe inside flow collections (no commas, colons,
brackets, braces or '#', never a YAML 1.1 boolean or null), so they are written as they are.

Dates are computed from ``today``, never from the clock, so that the same arguments always
produce the same files.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from ..writing import Tree

_YAML_WORDS = frozenset(
    "y n yes no true false on off null ~ =".split()
)
_PLAIN = re.compile(r"[A-Za-z](?:[A-Za-z0-9 .'()/&+-]*[A-Za-z0-9.)])?\Z")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def scalar(text: str) -> str:
    """Return ``text`` as a YAML scalar that is safe in block and flow context."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def slugify(text: str, limit: int = 40) -> str:
    """Lowercase slug of ``text`` (``[a-z0-9][a-z0-9-]*``), cut at ``limit`` characters."""
    slug = _SLUG_STRIP.sub("-", text.lower()).strip("-")[:limit].rstrip("-")
    return slug or "x"


class Writer:
    """Writes new text files under a root, never through a link, and counts them; close it when done."""

    def __init__(self, root: Path) -> None:
        self.files = 0
        self._tree = Tree(root)

    def write(self, rel: str, text: str) -> None:
        """Write ``text`` (UTF-8) to the new file ``rel``, a '/'-separated path below the root."""
        self._tree.write(rel, text.encode("utf-8"), exclusive=True)
        self.files += 1

    def close(self) -> None:
        self._tree.close()


class Days:
    """Day ordinals around ``today`` and their ISO strings, formatted once: size L writes millions of dates."""

    def __init__(self, today: date) -> None:
        self.today = today.toordinal()
        self.year = today.year
        self.first = self.today - 16 * 366
        """The earliest day with an ISO string; ``iso[day - first]`` is the string of ``day``."""
        self.iso = [date.fromordinal(o).isoformat() for o in range(self.first, self.today + 2 * 366)]

    def iso_date(self, ordinal: int) -> str:
        """ISO date string of a day ordinal."""
        return self.iso[ordinal - self.first]
