"""JSON Schemas of every file kind, so an editor validates and completes YAML as people type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def write_schemas(out: Path) -> list[Path]:
    """Writes every schema into `out` and returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def schema_comment(kind: str, path: str) -> str:
    """The first line of a data file at `path` (relative to the root): it points editors to the
    schema of its kind in `schemas/`."""
    return f"# yaml-language-server: $schema={'../' * path.count('/')}schemas/{kind}.schema.json"
