"""A file's data validated into its model, and pydantic's errors turned into messages a person can act on.

Each message names the place (the dotted key path, at the line and column of the offending node),
says what is wrong in the words of the file format, and for an unknown key suggests the one meant.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from . import formats as m
from .collaboration import COLLABORATION_MESSAGE, COLLABORATION_PATTERN
from .diagnostics import Diagnostic
from .layout import FileKind
from .learning import COURSE_REF_PATTERN, UNION_TAGS
from .organisation import Source
from .theme_format import COLOUR_MESSAGE, COLOUR_PATTERN, THEME_PATH_MESSAGE, THEME_PATH_PATTERN


def validate_data(kind: FileKind, data: Any, source: Source, diagnostics: list[Diagnostic],
                  context: dict[str, Any] | None = None) -> Any:
    """The model of `kind` for `data`, or None with each problem added to `diagnostics`.

    `context` is what validation needs from other files (`times.validation_context`: the org's zone)."""
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {_yaml_type(data)}"
        diagnostics.append(source.error((), f"expected a mapping of keys ({kind.example}), found {found}"))
        return None
    try:
        return kind.model.model_validate(data, context=context)
    except ValidationError as exc:
        for problem in exc.errors(include_url=False):
            diagnostics.append(_diagnostic(kind, problem, source))
        return None


def _yaml_type(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "value")


def _yaml_value(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:40]}...'"
    return f"the number {value}" if isinstance(value, (int, float)) else f"a {_yaml_type(value)}"


def _diagnostic(kind: FileKind, problem: dict[str, Any], source: Source) -> Diagnostic:
    loc = tuple(step for step in problem["loc"] if step != "[key]" and step not in UNION_TAGS)
    kind_of_error = problem["type"]
    where = _dotted(loc[:-1]) if kind_of_error in ("extra_forbidden", "missing") else _dotted(loc)
    prefix = f"{where}: " if where else ""
    if kind_of_error == "extra_forbidden":
        key = str(loc[-1])
        hint = _did_you_mean(kind.model, loc[:-1], key)
        return source.error(loc, f"{prefix}unknown key '{key}'{hint}", key=True)
    if kind_of_error == "missing":
        return source.error(loc[:-1], f"{prefix}missing required key '{loc[-1]}'")
    is_key = "[key]" in problem["loc"]
    if is_key:
        where = _dotted(loc[:-1])
        prefix = f"{where}: " if where else ""
    message = problem["msg"]
    pattern = (problem.get("ctx") or {}).get("pattern")
    if kind_of_error == "string_pattern_mismatch" and pattern in _PATTERN_MESSAGES:
        message = _PATTERN_MESSAGES[pattern].format(value=problem["input"])
    elif kind_of_error == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind_of_error == "bool_type":
        message = f"expected true or false, found {_yaml_value(problem.get('input'))}"
    elif kind_of_error in _WRITTEN_FORMS:
        message = _WRITTEN_FORMS[kind_of_error].format(value=_yaml_value(problem.get("input")))
    elif kind_of_error in ("int_type", "float_type"):
        message = f"{message[:1].lower() + message[1:]}, found {_yaml_value(problem.get('input'))}"
        if isinstance(problem.get("input"), str) and _is_number(problem["input"]):
            message += ": a number in quotes is text to YAML; remove the quotes"
    elif kind_of_error == "string_type" and isinstance(problem.get("input"), (bool, int, float)):
        # An id such as `101` or a login such as `12345` is a number to YAML: say how to keep it text.
        message = (f"input should be a valid string, but YAML reads this value as a "
                   f"{_yaml_type(problem['input'])}: put it in quotes")
    else:
        message = message[:1].lower() + message[1:]
    return source.error(loc, f"{prefix}{message}", key=is_key)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_NOT_A_DATE = "{value} is not a date: write it as YYYY-MM-DD, such as 2026-12-03"
_WRITTEN_FORMS = {
    "date_format": _NOT_A_DATE, "date_parsing": _NOT_A_DATE, "date_from_datetime_parsing": _NOT_A_DATE,
    "time_format": "{value} is not a date and time: write it as YYYY-MM-DDTHH:MM, such as 2026-12-03T09:00 "
                   "(local to the session's time zone), or with its offset from UTC, such as 2026-12-03T09:00+01:00",
}

_PATTERN_MESSAGES = {
    THEME_PATH_PATTERN: THEME_PATH_MESSAGE,
    COLOUR_PATTERN: COLOUR_MESSAGE,
    COLLABORATION_PATTERN: COLLABORATION_MESSAGE,
    m.SLUG_PATTERN: "'{value}' is not a valid id: use lowercase letters, digits and hyphens",
    COURSE_REF_PATTERN: "'{value}' is not a course id or program:<id>: use lowercase letters, digits and hyphens",
    m.CURRENCY_PATTERN: "'{value}' is not a currency code: use three capital letters, such as EUR",
    m.URL_PATTERN: "'{value}' is not a web address: it starts with https:// or http://",
    m.NON_BLANK_PATTERN: "the text is blank: write it out",
    m.LOGIN_PATTERN: "'{value}' is not a login on a git host: use letters, digits, '-', '_' and '.', starting "
                     "with a letter, digit or '_'",
    m.GIT_TEAM_PATTERN: "'{value}' is not a team on a git host: write org/team on GitHub, or a group's path "
                        "(group or group/subgroup) on GitLab",
}


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _did_you_mean(model: type[BaseModel], loc: tuple[Any, ...], key: str) -> str:
    fields = _fields_at(model, loc)
    close = difflib.get_close_matches(key, fields, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _fields_at(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc` inside `model`, following nested models and lists of them."""
    for step in loc:
        if isinstance(step, int) or not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        info = model.model_fields.get(step) or next(
            (f for f in model.model_fields.values() if f.alias == step), None
        )
        if info is None:
            return []
        model = _inner_model(info.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
