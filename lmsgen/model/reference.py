"""The reference of every file kind, written in Markdown from the same JSON Schemas editors read.

The documentation (docs/reference/) is generated from here when it is built, so a field added to a model
is documented by that change and the reference can never drift from what `lmsgen check` accepts. Each
field's text is its docstring in `formats.py` (pydantic keeps attribute docstrings as descriptions).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from .layout import FILE_KINDS, FileKind
from .schema import schemas

_LONG_ENUM = 12
"""Past this many values an enumeration is named by its size: the time zones would fill a page."""
_LONG_LITERAL = 60
"""Past this many characters a default or a pattern is left to the field's text and the schema."""


def reference_pages() -> dict[str, str]:
    """The Markdown page of each file kind, by file name (`course.md`), and `index.md` listing them."""
    all_schemas = schemas()
    pages = {f"{kind.name}.md": _page(kind, all_schemas[kind.name]) for kind in FILE_KINDS}
    rows = "\n".join(f"| [`{_cell(kind.example)}`]({kind.name}.md) | {_cell(_summary(all_schemas[kind.name]))} |"
                     for kind in FILE_KINDS)
    pages["index.md"] = (
        "# File reference\n\nEvery file of an organisation repository, generated from the models `lmsgen check` "
        "validates with. Each kind's JSON Schema is in the repository's `schemas/` folder, for editors.\n\n"
        f"| file | what it holds |\n|---|---|\n{rows}\n")
    return pages


def _page(kind: FileKind, schema: dict[str, Any]) -> str:
    lines = [f"# {kind.name}", "", f"Path: `{kind.example}`. Schema: `schemas/{kind.name}.schema.json`.", ""]
    lines += _description(schema) + _fields(schema)
    for name, definition in sorted(schema.get("$defs", {}).items()):
        lines += [f"## {name}", ""] + _description(definition)
        if "enum" in definition:
            lines += ["One of: " + ", ".join(f"`{_literal(value)}`" for value in definition["enum"]) + ".", ""]
        else:
            lines += _fields(definition)
    return "\n".join(lines) + "\n"


def _description(schema: dict[str, Any]) -> list[str]:
    # The models' docstrings end a paragraph with `::` before an example, as reStructuredText does; the
    # docstring's cleaning may have taken the example's indentation, so it is fenced instead.
    lines: list[str] = []
    example = False
    for paragraph in schema.get("description", "").strip().split("\n\n"):
        if example:
            lines += ["```yaml", textwrap.dedent(paragraph).strip("\n"), "```", ""]
        elif paragraph:
            lines += [paragraph.removesuffix("::") + (":" if paragraph.endswith("::") else ""), ""]
        example = paragraph.endswith("::")
    return lines


def _fields(schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties")
    if not properties:
        if "additionalProperties" in schema or "patternProperties" in schema:
            return [f"A mapping: {_cell(_type(schema))}.", ""]
        return []
    required = set(schema.get("required", ()))
    rows = ["| field | type | required | default | description |", "|---|---|---|---|---|"]
    for name, field in properties.items():
        default = _literal(field["default"]) if "default" in field else ""
        default = f"`{_cell(default)}`" if default and len(default) <= _LONG_LITERAL else ""
        rows.append(f"| `{name}` | {_cell(_type(field))} | {'yes' if name in required else ''} | {default} | "
                    f"{_cell(field.get('description', '').strip())} |")
    return rows + [""]


def _type(field: dict[str, Any]) -> str:
    if "$ref" in field:
        name = field["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "enum" in field:
        values = field["enum"]
        if len(values) > _LONG_ENUM:
            return f"one of {len(values)} values"
        return "one of " + ", ".join(f"`{_literal(value)}`" for value in values)
    if "const" in field:
        return f"`{_literal(field['const'])}`"
    if "anyOf" in field or "oneOf" in field:
        options = [option for option in field.get("anyOf", field.get("oneOf")) if option.get("type") != "null"]
        text = " or ".join(_type(option) for option in options)
        return f"{text} or null" if len(options) < len(field.get("anyOf", field.get("oneOf"))) else text
    kind = field.get("type", "any")
    if kind == "array":
        text = f"list of {_type(field.get('items', {}))}"
    elif kind == "object":
        values = field.get("additionalProperties")
        text = f"map to {_type(values)}" if isinstance(values, dict) else "object"
    else:
        text = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false"}.get(
            kind, kind)
        if field.get("format"):
            text = field["format"]
    return text + _limits(field)


def _limits(field: dict[str, Any]) -> str:
    limits = []
    for key, words in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<"),
                       ("minItems", "at least {:,} items"), ("maxItems", "at most {:,} items"),
                       ("maxLength", "at most {:,} characters")):
        if key in field:
            limits.append(words.format(field[key]) if "{" in words else f"{words} {field[key]:,}")
    if "pattern" in field and len(field["pattern"]) <= _LONG_LITERAL:
        limits.append(f"matching `{field['pattern']}`")
    if field.get("uniqueItems"):
        limits.append("no duplicates")
    return f" ({', '.join(limits)})" if limits else ""


def _summary(schema: dict[str, Any]) -> str:
    return schema.get("description", "").strip().split("\n\n", 1)[0].replace("\n", " ")


def _literal(value: Any) -> str:
    """A value as YAML's flow style would write it; text bare, as a reader types it."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _cell(text: str) -> str:
    """Text inside a Markdown table cell: a pipe would end the cell, a line end the row."""
    return text.replace("|", "\\|").replace("\n", " ")
