"""`decode` skips the search for control characters in an ASCII text that holds none: with the same outcome."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lmsgen.model import yamlfile


def outcome(raw: bytes):
    try:
        return yamlfile.decode(raw)
    except yamlfile.YamlError as problem:
        return (problem.message, problem.position)


def searched(raw: bytes):
    """What decode says when it always searches."""
    saved = yamlfile._NOT_CONTROL
    yamlfile._NOT_CONTROL = b""  # nothing is deleted: every non-empty text is searched
    try:
        return outcome(raw)
    finally:
        yamlfile._NOT_CONTROL = saved


@given(st.binary(max_size=60) | st.text(alphabet=st.characters(max_codepoint=0x9F), max_size=60).map(str.encode))
def test_the_quick_path_says_what_the_search_says(raw):
    assert outcome(raw) == searched(raw)


def test_each_ascii_control_character_is_still_refused():
    for byte in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]:
        assert outcome(b"a: b" + bytes([byte])) == searched(b"a: b" + bytes([byte]))
        assert isinstance(outcome(b"a: b" + bytes([byte])), tuple)
    assert outcome(b"a: b\tc\r\n") == "a: b\tc\r\n"
