"""JSON Schemas of every file kind, so an editor validates and completes YAML as people type."""

from __future__ import annotations

import json
from typing import Any

from ..writing import Tree
from .layout import FILE_KINDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per file kind, keyed by the kind's name (`course`, `records`, ...)."""
    result = {}
    for kind in FILE_KINDS:
        schema = kind.model.model_json_schema(by_alias=True, mode="validation")
        result[kind.name] = {
            "$schema": SCHEMA_DIALECT,
            "$id": f"{kind.name}.schema.json",
            "title": f"lmsgen {kind.name}: {kind.example}",
            **{key: value for key, value in schema.items() if key != "title"},
        }
    return result


def schema_files() -> dict[str, str]:
    """The file name and text of each schema, deterministic so a stale copy is detectable."""
    return {
        f"{name}.schema.json": json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for name, schema in schemas().items()
    }


def write_schemas(tree: Tree, folder: str) -> list[str]:
    """Writes every schema into `folder` of `tree` (never through a link) and returns the paths written.
    Raises OSError (`writing.Refused` for a link on the way)."""
    written = []
    for name, text in schema_files().items():
        path = f"{folder}/{name}"
        tree.write(path, text.encode("utf-8"))
        written.append(path)
    return written


def schema_comment(kind: str, path: str) -> str:
    """The first line of a data file at `path` (relative to the root): it points editors to the
    schema of its kind in `schemas/`."""
    return f"# yaml-language-server: $schema={'../' * path.count('/')}schemas/{kind}.schema.json"
