"""Reading one YAML file safely: bounded size, depth and aliases, no duplicate keys, YAML 1.2 scalars, no tags.

Two readers share one contract. The fast one (yaml-rs, Rust) reads the whole organisation but
knows no positions; the positional one (PyYAML's composer with a YAML 1.2 resolver) is used
when the fast one is missing or refuses a file, and to find the line and column of any node
that a later check complains about. Errors are rare, so positions cost nothing on a clean run.

The fast reader only sees a text that `prescan` proves shallow and free of tags and anchors, and in
which it finds nothing the fast reader reads otherwise than YAML 1.2 and this contract; every other
text goes to the positional reader, which enforces the contract with positions:

- data nests at most `MAX_DEPTH` (64) levels of mappings and lists;
- a tag may only say what the value already is: `!!str` on any scalar (to keep `!!str 101` as text), or
  the tag the value has untagged (`!!int 3`, `!!map {a: 1}`); any other tag (`!!binary`, `!!set`,
  `!!int '3'`, `!!bool yes`, `!custom`) is an "unsupported YAML tag" error at the tagged node; the
  non-specific `!` is read as no tag;
- aliases expand to at most `MAX_ALIAS_NODES` nodes, numbers have at most 4,000 digits.

Both readers thus give the same data for every text, or both raise YamlError (tests/model/test_yamlfile.py
compares them on generated documents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .prescan import MAX_DEPTH, MAX_DIGITS, for_fast_reader

try:  # The C composer is 5-10x faster; PyYAML without libyaml still works.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

try:
    import yaml_rs
except ImportError:  # pragma: no cover - the fallback is exercised by forcing it in tests
    yaml_rs = None

MAX_FILE_BYTES = 1024 * 1024
MAX_ALIAS_NODES = 10_000
"""Nodes that aliases may add by expansion: generous for hand-written anchors, fatal to an alias bomb."""

Position = tuple[int, int]
Loc = tuple[str | int, ...]


class YamlError(Exception):
    """A file that cannot be read as data, with the 1-based position of the problem."""

    def __init__(self, message: str, position: Position = (1, 1)):
        super().__init__(message)
        self.message = message
        self.position = position


# YAML 1.2 core schema: `yes`, `on` and `0777` stay strings. Dates stay strings too, so a quoted
# '2026-01-01' and a plain one read alike; the models turn them into dates where a date belongs.
class _Resolver12(yaml.resolver.Resolver):
    yaml_implicit_resolvers: dict = {}


_IMPLICIT = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
]
for _tag, _pattern, _first in _IMPLICIT:
    _Resolver12.add_implicit_resolver(_tag, re.compile(_pattern), _first)


class _PositionalLoader(_BaseLoader):
    """PyYAML's (C) parser and composer with the YAML 1.2 resolver; only `compose` is used."""

    yaml_implicit_resolvers = _Resolver12.yaml_implicit_resolvers


_RESOLVER = _Resolver12()


_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"


def _unsupported_tag(node: yaml.Node) -> YamlError:
    shown = "!!" + node.tag.removeprefix(_CORE) if node.tag.startswith(_CORE) else node.tag
    return YamlError(f"unsupported YAML tag '{shown}': remove it (lmsgen reads plain values only)", _start(node))


def _check_tag(node: yaml.Node) -> None:
    """Refuses a tag that makes a node other than what it is untagged; `!!str` may make any scalar text."""
    if isinstance(node, yaml.ScalarNode):
        untagged = _RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False)) if not node.style else _STR
        if node.tag in (untagged, _STR):
            return
    elif node.tag == (_CORE + "map" if isinstance(node, yaml.MappingNode) else _CORE + "seq"):
        return
    raise _unsupported_tag(node)


def _scalar(node: yaml.ScalarNode) -> Any:
    value = node.value
    tag = node.tag
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        if len(value) > MAX_DIGITS:
            raise YamlError(f"a number of {len(value):,} digits is too long: at most {MAX_DIGITS:,}", _start(node))
        if value.startswith("0o"):
            return int(value[2:], 8)
        return int(value, 0) if value.startswith("0x") else int(value)
    if tag == "tag:yaml.org,2002:float":
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return float("-inf") if lowered.startswith("-") else float("inf")
        return float("nan") if lowered == ".nan" else float(value)
    if tag != _STR:
        raise _unsupported_tag(node)
    return value


def _start(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _key_text(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else "<complex key>"


@dataclass
class _Builder:
    """Turns a composed node graph into plain data, refusing what the fast reader refuses.

    Without `tagged` (the text holds no `!`), every tag is the one the resolver gave: none to check.
    """

    tagged: bool
    seen: set[int] = field(default_factory=set)
    sizes: dict[int, int] = field(default_factory=dict)
    alias_nodes: int = 0

    def size(self, node: yaml.Node, active: frozenset[int] = frozenset()) -> int:
        key = id(node)
        if key in self.sizes:
            return self.sizes[key]
        if key in active:
            raise YamlError("an alias refers to itself", _start(node))
        inner = active | {key}
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(self.size(k, inner) + self.size(v, inner) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(self.size(item, inner) for item in node.value)
        else:
            total = 1
        self.sizes[key] = total
        return total

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if self.tagged:
            _check_tag(node)
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        depth += 1
        if depth > MAX_DEPTH:
            raise _too_deep(_start(node))
        if id(node) in self.seen:
            # PyYAML hands an alias back as its anchored node: a second visit is an expansion.
            self.alias_nodes += self.size(node)
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise YamlError(
                    f"aliases expand to more than {MAX_ALIAS_NODES} nodes (anchor defined here)", _start(node)
                )
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            first_seen: dict[Any, yaml.Node] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, depth)
                if isinstance(key, (dict, list)):
                    raise YamlError("a mapping key must be a plain value", _start(key_node))
                if key in first_seen:
                    line = _start(first_seen[key])[0]
                    raise YamlError(f"duplicate key '{_key_text(key_node)}' (first at line {line})", _start(key_node))
                first_seen[key] = key_node
                result[key] = self.build(value_node, depth)
            return result
        return [self.build(item, depth) for item in node.value]


def _too_deep(position: Position) -> YamlError:
    return YamlError(f"the data nests more than {MAX_DEPTH} levels deep here: flatten it", position)


def _first_too_deep(text: str, refused_at: Position | None) -> Position:
    """Where the text's nesting first passes MAX_DEPTH, read from the parser's events (no recursion).

    libyaml looks ahead up to its own bound, where it refused the file (`refused_at`): the text is cut there.
    """
    if refused_at is not None:
        # Lines as libyaml counts them: `decode` leaves no line break but \n, \r\n and \r.
        lines = text.splitlines(keepends=True)
        line, column = refused_at
        text = "".join(lines[: line - 1]) + lines[line - 1][: column - 1] if line <= len(lines) else text
    loader = _PositionalLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1, event.start_mark.column + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return (1, 1)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a single-document file, for positions; raises YamlError."""
    loader = _PositionalLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "but found another document" in str(exc):
            problem = "a file holds one YAML document; remove the '---' separator and what follows"
        if "exceeded maximum nesting depth" in str(exc):  # libyaml's own bound, 1,000 levels
            raise _too_deep(_first_too_deep(text, position)) from None
        raise YamlError(f"YAML syntax error: {problem}", position) from None
    except RecursionError:  # PyYAML's pure-Python composer, without libyaml, recurses
        raise _too_deep(_first_too_deep(text, None)) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML syntax error: {exc}") from None
    finally:
        loader.dispose()
    return node


def _positional_parse(text: str) -> Any:
    node = compose(text)
    return None if node is None else _Builder(tagged="!" in text).build(node)


def _fast_parse(text: str) -> Any:
    limits = yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_NODES)
    return yaml_rs.loads(text, alias_limits=limits, parse_datetime=False)


def decode(raw: bytes) -> str:
    """The text of a file, refusing oversize and invalid UTF-8 (a byte-order mark is dropped)."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlError(f"file is {len(raw):,} bytes, over the limit of {MAX_FILE_BYTES:,} (1 MiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})", (line, col)) from None
    text = text.removeprefix("\ufeff")
    # Most files are ASCII: their bytes hold no control character when deleting every other byte leaves none,
    # which takes a fifth of the search (a tenth of a cold run's parse at size L); the search says where one is.
    control = _CONTROL.search(text) if not text.isascii() or raw.translate(None, _NOT_CONTROL) else None
    if control:
        at = control.start()
        line, col = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        code = ord(control.group())
        if code in _BIDI:
            raise YamlError(f"bidirectional control character U+{code:04X} is not allowed: it makes text read "
                            "differently from what it is; remove it", (line, col))
        what = {0x2028: "separator", 0x2029: "separator", 0xFFFE: "noncharacter", 0xFFFF: "noncharacter"}.get(
            code, "control character")
        raise YamlError(f"{what} U+{code:04X} is not allowed in YAML: remove it", (line, col))
    return text


_BIDI = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""Embeddings, overrides and isolates: they reorder what a reviewer sees in a diff or on a page ("Trojan Source"),
so a name, a title or a comment could show one thing and say another. Right-to-left text needs none of them."""
# Not printable in YAML (C0 but tab and line ends, DEL, C1, and the noncharacters U+FFFE and U+FFFF), and the line
# separators that only YAML 1.1 breaks lines at: one reader would refuse them, or cut a value short, or break a line
# where the other does not.
_NOT_CONTROL = bytes(byte for byte in range(128) if not (byte <= 0x08 or byte in (0x0B, 0x0C) or 0x0E <= byte <= 0x1F
                                                         or byte == 0x7F))
"""The ASCII bytes that are not control characters `_CONTROL` refuses (tab, line feed and carriage return are not)."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def parse(raw: bytes, *, fast: bool = True) -> Any:
    """Plain data (dicts, lists, strings, numbers, booleans) of one single-document YAML file; raises YamlError."""
    text = decode(raw)
    if fast and yaml_rs is not None and for_fast_reader(raw, text):
        try:
            data = _fast_parse(text)
        except Exception:  # noqa: BLE001 - any refusal is read again below, for a positioned message
            pass
        else:
            # Every organisation file is a mapping. Anything else the positional reader reads again: a list at the
            # top may be several documents, and the fast reader takes some broken texts for a scalar.
            if isinstance(data, dict):
                return data
    return _positional_parse(text)


class Locator:
    """Finds the 1-based position of a node by its path of keys and indexes (as pydantic reports it)."""

    def __init__(self, text: str):
        try:
            self._root = compose(text)
        except YamlError:
            self._root = None

    def locate(self, loc: Loc, *, key: bool = False) -> Position:
        """The position of the deepest node on `loc`; with `key`, of the last mapping key itself."""
        node = self._root
        if node is None:
            return (1, 1)
        for index, step in enumerate(loc):
            last = index == len(loc) - 1
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        child = key_node if (last and key) else value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                child = node.value[step]
            if child is None:
                break
            node = child
        return _start(node)
