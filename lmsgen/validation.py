"""Everything `lmsgen check` verifies, gathered in one place so that build and status share it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import checks
from .diagnostics import Diagnostic, has_errors
from .loading import LoadResult, Organisation, load_root


@dataclass
class Validated:
    """An organisation and every problem found in it, sorted by place."""

    organisation: Organisation
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def validate(result: LoadResult) -> Validated:
    """Runs the cross-file checks on a loaded organisation."""
    found = list(result.diagnostics)
    found += checks.check(result.organisation)
    return Validated(result.organisation, sorted(set(found)))


def validate_root(root: Path, *, use_cache: bool = True) -> Validated:
    """Loads and validates the organisation in the working tree at `root`."""
    return validate(load_root(root, use_cache=use_cache))
