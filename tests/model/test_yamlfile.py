import json
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml_texts import normal, yaml_texts

from lmsgen.model import yamlfile
from lmsgen.model.prescan import MAX_DEPTH
from lmsgen.model.yamlfile import Locator, YamlError, parse

BOMB = "".join(
    f"- &{name} [{', '.join([f'*{prev}' if prev else 'x'] * 9)}]\n"
    for prev, name in zip(["", "a", "b", "c", "d", "e", "f", "g", "h"], "abcdefghi")
)

readers = pytest.mark.parametrize("fast", [True, False], ids=["yaml-rs", "pyyaml"])


@readers
@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", (3, 1), "duplicate key 'a' (first at line 1)"),
        ("a: [1,\n", (2, 1), "YAML syntax error: did not find expected node content"),
        ("a: b: c\n", (1, 5), "YAML syntax error: mapping values are not allowed in this context"),
        ("a: 1\n---\nb: 2\n", (2, 1),
         "YAML syntax error: a file holds one YAML document; remove the '---' separator and what follows"),
        (BOMB, (1, 3), "aliases expand to more than 10000 nodes (anchor defined here)"),
        ("a: !!python/object:os.system x\n", (1, 4),
         "unsupported YAML tag '!!python/object:os.system': remove it (lmsgen reads plain values only)"),
        # One reader would cut the value short at a NUL or refuse it; the other would break a line at U+2028.
        ("a: 1\ntitle: Safety\x00first\n", (2, 14), "control character U+0000 is not allowed in YAML: remove it"),
        ("title: \"Bell\x07\"\n", (1, 13), "control character U+0007 is not allowed in YAML: remove it"),
        ("title: Next\x85line\n", (1, 12), "control character U+0085 is not allowed in YAML: remove it"),
        ("title: Pasted\u2028text\n", (1, 14), "separator U+2028 is not allowed in YAML: remove it"),
        ("title: \"Not a character: \ufffe\"\n", (1, 26), "noncharacter U+FFFE is not allowed in YAML: remove it"),
        # A reviewer would read "Approved by carol" where the file says something else.
        ("name: Carol \u202eyllaer\n", (1, 13), "bidirectional control character U+202E is not allowed: it makes "
         "text read differently from what it is; remove it"),
        ("# \u2066comment\u2069\ntitle: ok\n", (1, 3), "bidirectional control character U+2066 is not allowed: it "
         "makes text read differently from what it is; remove it"),
        ("a: 1\nhours: " + "9" * 5000 + "\n", (2, 8), "a number of 5,000 digits is too long: at most 4,000"),
        ("- " + "9" * 5000 + "\n", (1, 3), "a number of 5,000 digits is too long: at most 4,000"),
    ],
)
def test_bad_yaml_is_one_positioned_error(fast, text, position, message):
    with pytest.raises(YamlError) as caught:
        parse(text.encode(), fast=fast)
    assert (caught.value.position, caught.value.message) == (position, message)


@readers
@pytest.mark.parametrize("token", ["1_000", "0b101", "0B1", "0X1F", "0O7", "+0x1", "-0o7", "1.5_0", "1e1_0", "_1"])
def test_what_yaml_1_2_reads_as_text_stays_text(fast, token):
    assert parse(f"v: {token}\n".encode(), fast=fast) == {"v": token}


@readers
def test_alias_bomb_is_answered_well_under_a_second(fast):
    started = time.perf_counter()
    with pytest.raises(YamlError):
        parse(BOMB.encode(), fast=fast)
    assert time.perf_counter() - started < 0.5


@readers
def test_yaml_1_2_scalars(fast):
    text = "a: yes\nb: on\nc: 0o17\nd: 2026-01-02\ne: 2026-12-03T09:00\nf: ~\ng: true\nh: '12'\n"
    assert parse(text.encode(), fast=fast) == {
        "a": "yes", "b": "on", "c": 15, "d": "2026-01-02", "e": "2026-12-03T09:00",
        "f": None, "g": True, "h": "12",
    }


def test_file_over_one_mebibyte():
    with pytest.raises(YamlError) as caught:
        parse(b"a: " + b"x" * yamlfile.MAX_FILE_BYTES + b"\n")
    assert caught.value.message == "file is 1,048,580 bytes, over the limit of 1,048,576 (1 MiB)"
    assert caught.value.position == (1, 1)


def test_invalid_utf8_points_at_the_byte():
    with pytest.raises(YamlError) as caught:
        parse(b"a: 1\nb: caf\xe9\n")
    assert (caught.value.position, caught.value.message) == ((2, 7), "invalid UTF-8 (byte 0xe9)")


def test_byte_order_mark_is_dropped():
    assert parse("\ufeffa: 1\n".encode()) == {"a": 1}


def test_locator_points_at_values_and_keys():
    locator = Locator("records:\n  - {course: a, date: 2026-01-01}\n  - {course: b, bogus: 1}\n")
    assert locator.locate(("records", 1, "bogus"), key=True) == (3, 17)
    assert locator.locate(("records", 1, "course")) == (3, 14)
    assert locator.locate(("records", 7, "course")) == (2, 3)  # the deepest node that exists


plain = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)).map(date.isoformat),
)
documents = st.dictionaries(
    st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=8),
    st.recursive(plain, lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.text("abcxyz", min_size=1, max_size=5), inner, max_size=4), max_leaves=12),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(documents)
def test_both_readers_agree_with_what_was_written(document):
    text = json.dumps(document, ensure_ascii=False, indent=1)  # JSON is YAML 1.2
    assert parse(text.encode(), fast=True) == document
    assert parse(text.encode(), fast=False) == document


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_no_input_raises_anything_but_yaml_error(raw):
    for fast in (True, False):
        try:
            parse(raw, fast=fast)
        except YamlError:
            pass


DEEP = "the data nests more than 64 levels deep here: flatten it"


@readers
@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("- " * 12_000 + "x\n", (1, 129)),  # killed the process in the fast reader
        ("[" * 12_000 + "]" * 12_000 + "\n", (1, 65)),
        ("{a: " * 12_000 + "1" + "}" * 12_000 + "\n", (1, 257)),
        ("a: " + "[" * 990 + "]" * 990 + "\n", (1, 67)),  # a RecursionError in the positional reader
        ("a: 1\r" * 3 + "b: " + "[" * 1200 + "]" * 1200 + "\n", (4, 67)),  # lines as libyaml counts them
        ("".join(" " * depth + "a:\n" for depth in range(1_200)) + " " * 1_200 + "b: 1\n", (65, 65)),
        ("- &a " + "[" * 60 + "x" + "]" * 60 + "\n- [[[[*a]]]]\n", (1, 65)),  # an alias nests its anchor's data deeper
    ],
)
def test_deep_nesting_is_refused_where_it_passes_the_bound(fast, text, position):
    started = time.perf_counter()
    with pytest.raises(YamlError) as caught:
        parse(text.encode(), fast=fast)
    assert (caught.value.position, caught.value.message) == (position, DEEP)
    assert time.perf_counter() - started < 1


@readers
def test_sixty_four_levels_are_read(fast):
    expected = json.loads("[" * MAX_DEPTH + '"x"' + "]" * MAX_DEPTH)
    assert parse(("- " * MAX_DEPTH + "x\n").encode(), fast=fast) == expected


@readers
@pytest.mark.parametrize(
    ("text", "position", "tag"),
    [
        ("a: !!binary aGk=\n", (1, 4), "!!binary"),  # the fast reader took it as text, the positional one refused it
        ("a: !!set {x, y}\n", (1, 4), "!!set"),  # the fast reader made a Python set
        ("a: !!int abc\n", (1, 4), "!!int"),  # a ValueError in both readers
        ("a: !!float x\n", (1, 4), "!!float"),
        ("a: !!int '3'\n", (1, 4), "!!int"),
        ("a: !!bool yes\n", (1, 4), "!!bool"),
        ("a: !!map [1]\n", (1, 4), "!!map"),
        ("b: 1\na: !custom {b: 1}\n", (2, 4), "!custom"),  # tags on mappings were ignored
        ("- !!omap [a: 1]\n", (1, 3), "!!omap"),
        ("a: !<tag:example.com,2026:x> 1\n", (1, 4), "tag:example.com,2026:x"),
    ],
)
def test_a_tag_that_changes_a_value_is_refused_by_both_readers(fast, text, position, tag):
    with pytest.raises(YamlError) as caught:
        parse(text.encode(), fast=fast)
    assert (caught.value.position, caught.value.message) == (
        position, f"unsupported YAML tag '{tag}': remove it (lmsgen reads plain values only)")


@readers
def test_a_tag_that_says_what_the_value_is_is_read(fast):
    text = "a: !!str 101\nb: !!int 3\nc: !!map {d: !!null ~}\ne: !!seq [!!float 1.5, !!bool true]\nf: ! 12\n"
    assert parse(text.encode(), fast=fast) == {"a": "101", "b": 3, "c": {"d": None}, "e": [1.5, True], "f": 12}


@readers
@pytest.mark.parametrize(
    ("text", "data"),
    [
        # Each of these the fast reader read otherwise; the positional reader's answer is the contract.
        ("a: |\n", {"a": ""}),  # an empty block scalar at the end: the fast reader made it a line break
        ("a: >\n# end\n", {"a": ""}),
        ("a: 1\nb: {?x: 1}\n", {"a": 1, "b": {"x": 1}}),  # the fast reader kept `?x` as text
    ],
)
def test_what_the_fast_reader_read_otherwise_reads_as_the_positional_reader_does(fast, text, data):
    assert parse(text.encode(), fast=fast) == data


@readers
@pytest.mark.parametrize(
    "text",
    ["[a, b]: 1\n", "{a: 1}: 0\n", "? [a]\n: 1\n",  # the fast reader made a tuple or a frozenset the key
     "a: 1\n: 2\n", "{xa: ?}\n", "{>}\n", "%@YAML 1.2\n---\n{}\n", "a: |\n  \tb\n", "\t{}\n", "|\nline\n",
     "a: {9y9: b, _c:?x}\n", "{:-}\n"],
)
def test_what_the_fast_reader_took_and_the_positional_reader_refuses_is_refused(fast, text):
    with pytest.raises(YamlError):
        parse(text.encode(), fast=fast)


def _outcome(text: str, *, fast: bool):
    try:
        return normal(parse(text.encode(), fast=fast))
    except YamlError:
        return YamlError


@settings(max_examples=400, deadline=None)
@given(yaml_texts)
def test_both_readers_give_the_same_outcome_on_any_text(text):
    assert _outcome(text, fast=True) == _outcome(text, fast=False)
