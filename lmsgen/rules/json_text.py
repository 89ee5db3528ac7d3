"""JSON text of many flat rows, as `json.dumps(rows, indent=2)` writes it, without its indenting encoder.

`json.dumps` with `indent` encodes in Python, value by value: for the 220,000 status rows of 10,000 people
(`lmsgen status --format json`, the site's status.json) that takes seconds. Rows whose values are all strings,
integers, booleans or None are written here directly, each value as json.dumps writes it (ASCII, escaped).
"""

from __future__ import annotations

import json
from typing import Any

_string = json.encoder.encode_basestring_ascii  # what json.dumps writes a string as (ensure_ascii)


def rows_text(rows: list[dict[str, Any]]) -> str:
    """`json.dumps(rows, indent=2) + "\\n"` for a list of flat, non-empty dicts with string keys."""
    if not rows or not all(rows):
        return json.dumps(rows, indent=2) + "\n"
    try:
        return _text(rows)
    except TypeError:  # a value that is a list or dict, or a key that is no string
        return json.dumps(rows, indent=2) + "\n"


def _text(rows: list[dict[str, Any]]) -> str:
    return "[\n" + ",\n".join("  {\n" + ",\n".join(f"    {_string(key)}: {_scalar(value)}" for key, value in row.items())
                               + "\n  }" for row in rows) + "\n]\n"


def _scalar(value: object) -> str:
    """A value as json.dumps writes it."""
    if type(value) is str:
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if isinstance(value, (dict, list, tuple)):
        raise TypeError("not a scalar")
    return json.dumps(value)
