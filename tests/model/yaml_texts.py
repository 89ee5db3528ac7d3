"""Hypothesis strategies that write YAML texts: block and flow collections, quoted and plain scalars, numbers,
dates, tags, anchors and aliases, comments and odd keys; shared by the reader and the fuzz tests."""

from __future__ import annotations

import json
import math

from hypothesis import strategies as st

SCALARS = [
    "a", "plain text", "x:y", "it's", "C#", "a [b]", "a{b}", "-", "- x", "?", "~", "null", "Null", "NULL", "true",
    "False", "TRUE", "yes", "no", "on", "off", "y", "0", "-0", "+1", "007", "0o17", "0o8", "0x1F", "0X1F", "0b101",
    "1_000", "1e5", "1E+5", "1.5", ".5", "5.", "-.inf", ".Inf", ".NaN", ".nan", "1e400", "9" * 30, "2026-01-02",
    "2026-01-02T09:00", "2026-01-02 09:00:00+01:00", "12:30", "1:20:30", "= x", "<<", "'quoted'", '"dq"',
    "'it''s'", '"tab\\tand \\u00e9"', '"\\x41"', "''", '""', "!!str 12", "!!int 3", "!!int '3'", "!!float 1",
    "!!bool yes", "!!null ''", "!!binary aGk=", "!!timestamp 2026-01-01", "!custom x", "! 12", "!!str", "|", ">",
    "&a1 anchored", "*a1", "*a2", "*missing", "@x", "`x", "%x", "é", "日本", "a # not a comment?", "a#b",
]
KEYS = ["a", "b", "key", "1", "0x1", "null", "~", "true", "'a'", '"b"', "2026-01-01", "1.0", "? a", "[a, b]",
        "{a: 1}", "!!str 1", "&a2 k", "*a1", "a b", "-a", "?x", "'a': x"]

scalar = st.sampled_from(SCALARS) | st.text("abc -:#'\"[]{},&*!|>?%@`.\\01", min_size=1, max_size=6)
key = st.sampled_from(KEYS) | st.text("abcxy019-_", min_size=1, max_size=4)
prefix = st.sampled_from(["", "", "", "", "&a1 ", "&a2 ", "!!map ", "!!seq ", "!!set ", "!!omap ", "!x "])


def _tree(children):
    return (st.tuples(st.just("map"), st.sampled_from(["block", "flow"]), prefix,
                      st.lists(st.tuples(key, children), max_size=4))
            | st.tuples(st.just("seq"), st.sampled_from(["block", "flow", "compact"]), prefix,
                        st.lists(children, max_size=4)))


block_text = st.tuples(st.just("text"), st.sampled_from(["|", ">", "|-", ">+", "|2", "|+", "> # c"]),
                       st.lists(st.sampled_from(["line", "", "  more", "# hash", "- dash", "[x", "'q", "\tt"]),
                                max_size=3))
trees = st.recursive(st.tuples(st.just("scalar"), scalar) | block_text, _tree, max_leaves=14)


def _flow(node) -> str:
    if node[0] == "scalar":
        return node[1]
    if node[0] == "text":
        return json.dumps("\n".join(node[2]))
    kind, _, pre, items = node
    if kind == "map":
        return pre + "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in items) + "}"
    return pre + "[" + ", ".join(_flow(item) for item in items) + "]"


def _block(node, indent: int) -> str:
    """The node as the lines that follow a `key:` or `-` at `indent - 2`, or the whole value on that line."""
    if node[0] == "text":
        return " " + node[1] + "".join("\n" + (" " * indent + line if line else "") for line in node[2])
    if node[0] == "scalar" or node[1] == "flow" or not node[3]:
        return " " + _flow(node)
    kind, style, pre, items = node
    pad = " " * indent
    if kind == "map":
        lines = [f"{pad}{k}:{_block(v, indent + 2)}" for k, v in items]
    else:
        lines = [f"{pad}-{_block(item, indent + 2)}" for item in items]
    text = "\n".join(lines)
    if style == "compact" and not pre:
        return " " + text.lstrip(" ")
    return (" " + pre.strip() if pre else "") + "\n" + text


comment = st.sampled_from(["", "", "", "", "", " # note", " #[", "\n# ]", "\n", "\n  # indented"])
head = st.sampled_from(["", "", "", "---\n", "--- ", "%YAML 1.2\n---\n", "# top\n", "\ufeff"])
tail = st.sampled_from(["", "", "", "...\n", "---\n", "--- x\n", "# end"])
SPECIAL = "-?:,[]{}#&*!|>'\"%@` \t\n\r\\0.x"


@st.composite
def documents(draw) -> str:
    """A YAML text, usually valid, sometimes not: a mapping, a list or a scalar at the top, with comments."""
    tree = draw(trees)
    text = _block(tree, 0)
    text = text[1:] if text.startswith(("\n", " ")) else text
    lines = [line + draw(comment) for line in text.split("\n")]
    text = draw(head) + "\n".join(lines) + "\n" + draw(tail)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text


@st.composite
def mutated(draw, texts) -> str:
    """A text with a few characters inserted, deleted or repeated at random places."""
    text = draw(texts)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if edit == "insert":
            text = text[:at] + draw(st.sampled_from(SPECIAL)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + text[at:at + 3] * draw(st.integers(2, 40)) + text[at:]
    return text


yaml_texts = documents() | mutated(documents())


def normal(data):
    """Data with NaN made comparable (NaN is not equal to itself) and sets marked, for comparing readers."""
    if isinstance(data, float) and math.isnan(data):
        return "NaN"
    if isinstance(data, dict):
        return {"dict": [(normal(k), normal(v)) for k, v in data.items()]}
    if isinstance(data, list):
        return [normal(item) for item in data]
    if isinstance(data, (set, tuple, bytes)):
        return {type(data).__name__: repr(data)}
    return json.dumps(data) if isinstance(data, str) else data
