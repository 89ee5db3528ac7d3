"""JSON text of many flat rows, as `json.dumps(rows, indent=2)` writes it, without its indenting encoder.

`json.dumps` with `indent` encodes in Python, value by value: for the 220,000 status rows of 10,000 people
(`lmsgen status --format json`, the site's status.json) that takes seconds. Rows whose values are all strings,
integers, booleans or None are written here directly, each value as json.dumps writes it (ASCII, escaped).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

_string = json.encoder.encode_basestring_ascii  # what json.dumps writes a string as (ensure_ascii)


def rows_text(rows: Iterable[dict[str, Any]]) -> str:
    """`json.dumps(list(rows), indent=2) + "\\n"`."""
    buffer = io.StringIO()
    write_rows(rows, buffer)
    return buffer.getvalue()


def write_rows(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
    """Writes `json.dumps(list(rows), indent=2) + "\\n"` to `stream` a row at a time, so that neither the rows nor
    their text are ever whole in memory."""
    first = True
    for row in rows:
        stream.write("[\n" if first else ",\n")
        stream.write(_row(row))
        first = False
    stream.write("[]\n" if first else "\n]\n")


def _row(row: dict[str, Any]) -> str:
    """One row as json.dumps writes it in a list: directly when it is flat, else by json.dumps itself."""
    if row:
        try:
            return "  {\n" + ",\n".join(f"    {_string(key)}: {_scalar(value)}" for key, value in row.items()) + "\n  }"
        except TypeError:  # a value that is a list or dict, or a key that is no string
            pass
    return "  " + json.dumps(row, indent=2).replace("\n", "\n  ")


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
