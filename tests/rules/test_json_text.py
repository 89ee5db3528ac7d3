"""rules/json_text.py writes a JSON list of rows, one compact object per line (docs/site.md#exports)."""

import json

from hypothesis import given
from hypothesis import strategies as st

from lmsgen.rules.json_text import rows_text

scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(st.text(max_size=8), scalars, max_size=2)


def _expected(rows) -> str:
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(row, separators=(",", ":")) for row in rows) + "\n]\n"


@given(st.lists(st.dictionaries(st.text(max_size=8), scalars, max_size=6), max_size=5))
def test_flat_rows_are_written_one_compact_object_a_line(rows):
    text = rows_text(rows)
    assert text == _expected(rows)
    assert json.loads(text) == rows
    assert len(text.splitlines()) == (len(rows) + 2 if rows else 1)


@given(st.lists(st.dictionaries(st.text(max_size=8) | st.integers(), values, max_size=4), max_size=4))
def test_other_rows_are_left_to_json_dumps(rows):
    assert rows_text(rows) == _expected(rows)
