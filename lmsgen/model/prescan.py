"""Which YAML texts the fast reader may see: those whose text proves them shallow and free of tags and anchors,
and that hold nothing it reads otherwise than the positional reader.

The fast reader (yaml-rs) builds nested data by recursion and kills the process, with no message, on a file of
some thousands of `- - - -` levels; a worker of the parallel parse dies with it. The positional reader is safe
(libyaml refuses more than 1,000 levels, and `yamlfile` refuses data deeper than `MAX_DEPTH` with the position
of the first node past it), so the fast reader only gets a text that this module certifies, in a few passes of
regular expressions, cheaply enough for every file of a cold run:

- no `!` (a tag: the positional reader decides whether it may stay) and no `&` (an anchor: its aliases may nest
  data deeper than the text, and `- &a - &b - ...` nests without a deep prefix);
- no line begins with `BLOCK_COLUMNS` characters of indentation and block indicators (`- `, `? `, `: `): a
  block collection starts at a column, each column holds at most two (a mapping and the sequence under one of
  its keys), so block nesting stays within twice that;
- the flow brackets `[ ] { }` of each line, with quotes, `#` and line ends as walls between which only
  adjacent pairs cancel, cancel within `FLOW_ROUNDS` rounds (`[]` and `{}` in turn): a bracket in a quoted
  scalar, a comment or a block scalar cannot then pair with one that opens real data; a flow collection nests
  at most two levels a bracket (`[a: [b: ...`), so flow nesting stays within twice that.

Both bounds together are `MAX_DEPTH`: a certified text reads to the same data through either reader, and a
text that is not certified is simply read by the positional reader (files with multi-line flow collections,
deep indentation, tags or anchors), which applies the bound exactly.

Then the constructs that the two readers read differently (`_OTHERWISE`, found by comparing them on generated
texts) send a text to the positional reader too, wherever they are, even in a comment or a quoted string. A cold
run reads every file: the search costs a few per cent of the parse.

May import: nothing of lmsgen (the standard library only).
"""

from __future__ import annotations

import re

MAX_DEPTH = 64
"""Nested mappings and lists a file may hold: no organisation file needs more than about six."""
BLOCK_COLUMNS = FLOW_ROUNDS = MAX_DEPTH // 4
"""Block nesting is at most twice BLOCK_COLUMNS and flow nesting twice FLOW_ROUNDS: MAX_DEPTH together."""

_DEEP_FIRST_LINE = re.compile(rb"[ \t?:-]{%d}" % BLOCK_COLUMNS)
_DEEP_LINE = re.compile(rb"\n[ \t?:-]{%d}" % BLOCK_COLUMNS)
_DEEP_LINE_ANY_BREAK = re.compile(rb"[\n\r][ \t?:-]{%d}" % BLOCK_COLUMNS)
"""A bare carriage return breaks lines too; searching for it is slower, so only where one is."""
_ALL_BUT_BRACKETS_AND_WALLS = bytes(byte for byte in range(256) if chr(byte) not in "[]{}\"'#\n\r")


def shallow_and_plain(raw: bytes) -> bool:
    """True when the UTF-8 text `raw` provably nests at most `MAX_DEPTH` levels and has no tag or anchor.

    False says nothing about the file but that the positional reader must read it. Bytes, not text: every
    character tested is ASCII, which never occurs inside the encoding of another character.
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if b"!" in raw or b"&" in raw or _DEEP_FIRST_LINE.match(raw):
        return False
    if (_DEEP_LINE_ANY_BREAK if b"\r" in raw else _DEEP_LINE).search(raw):
        return False
    brackets = raw.translate(None, _ALL_BUT_BRACKETS_AND_WALLS)
    # Each replacement cancels only pairs adjacent before it, one level: nesting within the budget is gone after it.
    for round_number in range(FLOW_ROUNDS):
        if b"[" not in brackets and b"{" not in brackets:
            return True
        brackets = brackets.replace(b"[]" if round_number % 2 == 0 else b"{}", b"")
    return b"[" not in brackets and b"{" not in brackets


MAX_DIGITS = 4000
"""Python refuses to read integers of more than 4,300 digits; nothing in an organisation needs a tenth of that."""


_OTHERWISE: list[tuple[str, re.Pattern[str]]] = [
    # What the fast reader takes for a number and YAML 1.2 does not (`1_000`, `0b101`, `0X1F`, `+0x1`).
    ("_", re.compile(r"\d_|_\d")),
    ("0", re.compile(r"0(?:[bBXO]|(?<=[-+]0)[xo])")),
    # A `?` that may be an explicit key: it reads `{a: ?}` and `{?x: 1}` as text, libyaml the second as `x: 1`.
    ("?", re.compile(r"\?(?:[\s,\]}]|\Z)|(?:\A|[\s\[{,:])\?")),
    # A flow collection as a key (`[a, b]: 1`), which it makes a tuple or a frozenset.
    ("]", re.compile(r"\][ \t]*:")),
    ("}", re.compile(r"}[ \t]*:")),
    # An empty key (`: 1`, `- : 1`, `{:-}`), which it reads as null or as text.
    ("\n", re.compile(r"\n[ \t]*:(?:[\s,\]}]|\Z)")),
    ("-", re.compile(r"-[ \t]*:(?:[\s,\]}]|\Z)")),
    ("[", re.compile(r"\[[ \t]*:")),
    ("{", re.compile(r"{[ \t]*:")),
    (",", re.compile(r",[ \t]*:")),
    # A directive (it takes `%@YAML` for one), a tab after a line's indentation (libyaml refuses some it takes).
    ("%", re.compile(r"(?:\A|[\n\r])%")),
    ("\t", re.compile(r"(?:\A|[\n\r]) *\t")),
    # A carriage return alone, a line break the patterns above do not look behind.
    ("\r", re.compile(r"\r(?!\n)")),
    # `|` or `>` starting a value in a flow collection (it reads `{>}`).
    ("|", re.compile(r"[\[{,][ \t]*\|")),
    (">", re.compile(r"[\[{,][ \t]*>")),
]
"""Each construct with a character it cannot do without. A pattern that starts with a literal character is
searched for at memory speed; the others are searched only in a text that holds their character at all."""
_EMPTY_KEY_FIRST = re.compile(r"[ \t]*:(?:[\s,\]}]|\Z)")
_LONG_NUMBER = re.compile(rf"\d{{{MAX_DIGITS + 1}}}")
_BLOCK_SCALAR_HEADER = re.compile(r"(?:^|[ \t])[|>][-+0-9]*(?:[ \t]+#.*)?$")


def for_fast_reader(raw: bytes, text: str) -> bool:
    """Whether the fast reader may read the file of bytes `raw` and text `text` (decoded, without a byte-order mark).

    Besides `shallow_and_plain`, the text must hold nothing the fast reader reads otherwise, even in a comment
    or a quoted string, and no number too long to read (the positional reader says where it is).
    """
    if not shallow_and_plain(raw):
        return False
    for needed, pattern in _OTHERWISE:
        if needed in text and pattern.search(text):
            return False
    if _EMPTY_KEY_FIRST.match(text) or len(text) > MAX_DIGITS and _LONG_NUMBER.search(text):
        return False
    return not (("|" in text or ">" in text) and _ends_in_block_scalar_header(text))


def _ends_in_block_scalar_header(text: str) -> bool:
    """Whether the last line with content (a comment is none) may open a block scalar: the fast reader makes an
    empty one at the end of a file a line break."""
    end = len(text)
    while True:
        text_end = len(text[:end].rstrip())
        start = text.rfind("\n", 0, text_end) + 1
        last_line = text[start:text_end]
        if not last_line.lstrip().startswith("#") or start == 0:
            return _BLOCK_SCALAR_HEADER.search(last_line) is not None
        end = start
