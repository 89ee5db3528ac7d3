"""Editing a team file's members in place, the way a person would: only the text that changes changes.

A reviewer reads the import's pull request as a diff, so a changed field is its value replaced where it
stands, a new field goes at the end of the member's mapping, a member who moves away loses their lines, and
a joiner is one more flow-style line at the end of the list (`helpers.append_to_list`). Comments, order,
quoting and line breaks of everything else stay byte for byte. The positions come from PyYAML's composer
(`yamlfile.compose`), whose marks count characters of the text.

May import: `lmsgen.model`, `lmsgen.history`.
Must not import: rules, demo, site or commands.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..history.helpers import append_to_list, node_end, yaml_scalar
from ..model.yamlfile import YamlError, compose, parse


@dataclass
class MemberEdits:
    """What changes in one team file: fields per member (by index in `members`; None removes the field),
    members who leave the list, and lines of members who join it."""

    fields: dict[int, dict[str, Any]] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    added: list[str] = field(default_factory=list)


def edit_members(text: str, edits: MemberEdits) -> str:
    """`text` with `edits` made; raises YamlError when the file's `members` is not a list of mappings."""
    root = compose(text)
    members = _members(root)
    spans: list[tuple[int, int, str]] = []
    for index, changes in edits.fields.items():
        if index not in edits.removed:
            spans += _field_spans(text, members.value[index], changes)
    if edits.removed:
        spans += _removal_spans(text, root, members, edits.removed)
    text = _apply(text, spans)
    for line in edits.added:
        text = append_to_list(text, "members", line)
    return text


def _members(root: yaml.Node | None) -> yaml.SequenceNode:
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "members":
                if isinstance(value, yaml.SequenceNode) and all(isinstance(item, yaml.MappingNode)
                                                                for item in value.value):
                    return value
                raise YamlError("'members' is not a list of people", _position(value))
    raise YamlError("the file has no list of 'members'")


def _position(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _field_spans(text: str, member: yaml.MappingNode, changes: dict[str, Any]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for each changed field of one member's mapping."""
    spans = []
    pairs = [(key.value, key, value) for key, value in member.value]
    names = [name for name, _, _ in pairs]
    new = {name: value for name, value in changes.items() if name not in names and value is not None}
    for position, (name, key, value) in enumerate(pairs):
        if name not in changes:
            continue
        if changes[name] is not None:
            written = yaml_scalar(changes[name]) if member.flow_style else _block_scalar(changes[name])
            spans.append((value.start_mark.index, value.end_mark.index, written))
        elif member.flow_style:
            # `, key: value` after the field before it; the first field takes its separator after it.
            if position:
                spans.append((pairs[position - 1][2].end_mark.index, value.end_mark.index, ""))
            else:
                end = pairs[1][1].start_mark.index if len(pairs) > 1 else value.end_mark.index
                spans.append((key.start_mark.index, end, ""))
        else:
            start = text.rfind("\n", 0, key.start_mark.index) + 1
            spans.append((start, _line_end(text, node_end(value)), ""))
    if new:
        if member.flow_style:
            close = member.end_mark.index - 1  # the `}`
            spans.append((close, close, "".join(f", {name}: {yaml_scalar(value)}" for name, value in new.items())))
        else:
            first = member.value[0][0].start_mark
            end = _line_end(text, node_end(member.value[-1][1]))
            spans.append((end, end, "".join(f"{' ' * first.column}{name}: {_block_scalar(value)}\n"
                                            for name, value in new.items())))
    return spans


def _block_scalar(value: Any) -> str:
    """`yaml_scalar`, which is plain where a flow mapping reads it back, quoted where a block mapping would not
    (`>` and `|` start block scalars there, `? ` a key)."""
    written = yaml_scalar(value)
    if not isinstance(value, str) or written.startswith('"'):
        return written
    try:
        plain = parse(f"k: {written}\n".encode()) == {"k": value}
    except YamlError:
        plain = False
    return written if plain else json.dumps(value, ensure_ascii=False)


def _removal_spans(text: str, root: yaml.MappingNode, members: yaml.SequenceNode,
                   removed: set[int]) -> list[tuple[int, int, str]]:
    items = members.value
    if len(removed) == len(items):
        # An empty block list would read as no list at all: the team keeps `members: []`.
        key = next(k for k, v in root.value if v is members)
        end = members.end_mark.index if members.flow_style else _line_end(text, node_end(items[-1]))
        return [(key.end_mark.index, end, ": []" + ("" if members.flow_style else "\n"))]
    spans = []
    for index in sorted(removed):
        item = items[index]
        if members.flow_style:
            if index:
                spans.append((items[index - 1].end_mark.index, item.end_mark.index, ""))
            else:
                spans.append((item.start_mark.index, items[1].start_mark.index, ""))
        else:
            start = text.rfind("\n", 0, item.start_mark.index) + 1
            spans.append((start, _line_end(text, node_end(item)), ""))
    return spans


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` with each span replaced, from the last to the first; overlapping removals merge into one."""
    merged: list[tuple[int, int, str]] = []
    for start, end, replacement in sorted(spans):
        if merged and start < merged[-1][1] and not replacement and not merged[-1][2]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), "")
        else:
            merged.append((start, end, replacement))
    for start, end, replacement in reversed(merged):
        text = text[:start] + replacement + text[end:]
    return text


def _line_end(text: str, index: int) -> int:
    """The start of the line after the one holding `index` (the end of the text on the last line)."""
    end = text.find("\n", index)
    return len(text) if end == -1 else end + 1
