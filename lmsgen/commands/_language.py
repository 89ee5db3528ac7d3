"""The language the command line speaks to end users: org.yaml's `language` (docs/translations.md).

The commands that load the organisation take it from there (`of_org`); the helpers, which refuse before
loading it, read org.yaml's one key cheaply (`at_root`). Anything unreadable or unknown falls back to
English: `lmsgen check` reports it, at its line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..messages import CATALOGS, DEFAULT_LANGUAGE, Catalog
from ..model.organisation import Organisation


def of_org(org: Organisation | None) -> Catalog:
    """The catalog of the organisation's language (English without an org.yaml)."""
    settings = org.org.model if org is not None and org.org else None
    return Catalog(settings.language.value if settings else DEFAULT_LANGUAGE)


def at_root(root: Path) -> Catalog:
    """The catalog of the language org.yaml at `root` names, without loading the organisation."""
    from ..model.yamlfile import YamlError, parse

    try:
        data = parse((root / "org.yaml").read_bytes())
    except (OSError, YamlError, ValueError):
        data = None
    language = data.get("language") if isinstance(data, dict) else None
    return Catalog(language if isinstance(language, str) and language in CATALOGS else DEFAULT_LANGUAGE)


def problems(text: Catalog, errors: int, warnings: int) -> str:
    """'2 errors, 1 warning' in the catalog's language."""
    if not errors and not warnings:
        return text("cli.problems.none")
    parts = [counted(text, "cli.problems.errors", errors)] if errors else []
    return ", ".join(parts + ([counted(text, "cli.problems.warnings", warnings)] if warnings else []))


def summary(text: Catalog, diagnostics: Sequence) -> str:
    """`reporting.summary`, in the catalog's language."""
    errors = sum(1 for d in diagnostics if d.is_error)
    return problems(text, errors, len(diagnostics) - errors)


def counted(text: Catalog, key: str, count: int) -> str:
    """`key.one` or `key.other` with the count filled in."""
    return text(f"{key}.one") if count == 1 else text(f"{key}.other", count=count)
