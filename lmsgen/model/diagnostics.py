"""Problems found in an organisation, kept as values so that every one of a run is reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters, C0 and C1: those that end a line (`str.splitlines`) and those a terminal obeys."""


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

    def __post_init__(self) -> None:
        # Messages quote data, and paths are file names a pull request chose: a newline in either must not
        # split the one line a problem gets.
        object.__setattr__(self, "path", _escaped(self.path))
        object.__setattr__(self, "message", _escaped(self.message))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    def as_plain(self) -> tuple[str, int, int, str, str]:
        """The diagnostic as plain data, to be remembered between runs."""
        return (self.path, self.line, self.col, self.message, self.severity.value)

    @classmethod
    def from_plain(cls, plain: tuple[str, int, int, str, str] | list) -> Diagnostic:
        """The diagnostic `as_plain` gave."""
        path, line, col, message, severity = plain
        return cls(path, line, col, message, Severity(severity))

    def where(self) -> str:
        """The place alone, as `path:line:col`, for messages that name a second place."""
        return f"{self.path}:{self.line}:{self.col}"


def _escaped(text: str) -> str:
    """`text` with each control character written as its escape (a newline as \\n), as Python writes it."""
    return _CONTROL.sub(lambda c: repr(c.group())[1:-1], text)


def error(path: str, position: tuple[int, int], message: str) -> Diagnostic:
    return Diagnostic(path, position[0], position[1], message)


def warning(path: str, position: tuple[int, int], message: str) -> Diagnostic:
    return Diagnostic(path, position[0], position[1], message, Severity.WARNING)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
