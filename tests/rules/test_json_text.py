"""rules/json_text.py writes rows exactly as json.dumps(rows, indent=2) does."""

import json

from hypothesis import given
from hypothesis import strategies as st

from lmsgen.rules.json_text import rows_text

scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
values = scalars | st.lists(scalars, max_size=3) | st.dictionaries(st.text(max_size=3), scalars, max_size=2)


@given(st.lists(st.dictionaries(st.text(max_size=8), scalars, max_size=6), max_size=5))
def test_flat_rows_are_written_as_json_dumps_writes_them(rows):
    assert rows_text(rows) == json.dumps(rows, indent=2) + "\n"


@given(st.lists(st.dictionaries(st.text(max_size=8) | st.integers(), values, max_size=4), max_size=4))
def test_other_rows_are_left_to_json_dumps(rows):
    assert rows_text(rows) == json.dumps(rows, indent=2) + "\n"
