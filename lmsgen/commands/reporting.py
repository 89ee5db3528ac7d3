"""Rendering diagnostics for people (text), tools (json) and GitHub Actions (workflow annotations)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model.diagnostics import Diagnostic, Severity

FORMATS = ("text", "json", "github")


def render(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """All diagnostics in one of FORMATS; the text ends with a newline unless it is empty."""
    if fmt == "json":
        rows = [
            {"path": d.path, "line": d.line, "col": d.col, "message": d.message, "severity": d.severity.value}
            for d in diagnostics
        ]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(_annotation(d) + "\n" for d in diagnostics)
    return "".join(f"{d}\n" for d in diagnostics)


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "no problems found"
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
    return ", ".join(parts)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(d: Diagnostic) -> str:
    level = "error" if d.severity is Severity.ERROR else "warning"
    return (f"::{level} file={_escape_property(d.path)},line={d.line},col={d.col}"
            f"::{_escape_data(d.message)}")
