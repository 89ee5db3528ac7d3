"""JSON text of many flat rows: a list with one compact object per line (docs/site.md#exports).

`lmsgen status --format json` and the site's status.json print 220,000 status rows for 10,000 people. Indented
(`json.dumps(rows, indent=2)`), each row took thirteen lines and twice its bytes; here each row is one line, as
`json.dumps(row, separators=(",", ":"))` writes it, between `[` and `]` on lines of their own: still one JSON list
of objects, and a line per row for `grep`. Rows whose values are all strings, integers, booleans or None are
written here directly, each value as json.dumps writes it (ASCII, escaped), without its encoder's per-value cost.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

_string = json.encoder.encode_basestring_ascii  # what json.dumps writes a string as (ensure_ascii)
_COMPACT = (",", ":")


def rows_text(rows: Iterable[dict[str, Any]]) -> str:
    """The rows as `write_rows` writes them."""
    buffer = io.StringIO()
    write_rows(rows, buffer)
    return buffer.getvalue()


def write_rows(rows: Iterable[dict[str, Any]], stream: TextIO) -> None:
    """Writes the rows to `stream` a row at a time, so that neither the rows nor their text are ever whole in
    memory: `[`, each row on a line of its own (`,` ending all but the last), `]`; `[]` for no rows."""
    first = True
    for row in rows:
        stream.write("[\n" if first else ",\n")
        stream.write(_row(row))
        first = False
    stream.write("[]\n" if first else "\n]\n")


def _row(row: dict[str, Any]) -> str:
    """One row as `json.dumps(row, separators=(",", ":"))` writes it: directly when it is flat, else by json.dumps."""
    if row:
        try:
            return "{" + ",".join(f"{_string(key)}:{_scalar(value)}" for key, value in row.items()) + "}"
        except TypeError:  # a value that is a list or dict, or a key that is no string
            pass
    return json.dumps(row, separators=_COMPACT)


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
