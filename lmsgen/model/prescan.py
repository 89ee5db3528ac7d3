"""Which YAML texts the fast reader may see: those whose text proves them shallow and free of tags and anchors.

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
- the flow brackets `[ ] { }` of each line, with quotes, `#` and line ends as walls between which
  only adjacent pairs cancel, cancel within `FLOW_ROUNDS` rounds (`[]` and `{}` in turn): a bracket in a quoted scalar, a comment or a
  block scalar cannot then pair with one that opens real data; a flow collection nests at most two levels a
  bracket (`[a: [b: ...`), so flow nesting stays within twice that.

Both bounds together are `MAX_DEPTH`: a certified text reads to the same data through either reader, and a
text that is not certified is simply read by the positional reader (files with multi-line flow collections,
deep indentation, tags or anchors), which applies the bound exactly.

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
