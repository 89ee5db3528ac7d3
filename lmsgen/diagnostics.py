"""Problems found in an organisation, kept as values so that every one of a run is reported."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: `path` is relative to the organisation root, `line` and `col` are 1-based."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    def where(self) -> str:
        """The place alone, as `path:line:col`, for messages that name a second place."""
        return f"{self.path}:{self.line}:{self.col}"


def error(path: str, position: tuple[int, int], message: str) -> Diagnostic:
    return Diagnostic(path, position[0], position[1], message)


def warning(path: str, position: tuple[int, int], message: str) -> Diagnostic:
    return Diagnostic(path, position[0], position[1], message, Severity.WARNING)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
