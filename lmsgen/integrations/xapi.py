"""xAPI, the e-learning side's language: statements read from a file or a learning record store (LRS), what a
statement says in lmsgen's terms, and the statements lmsgen writes for its own records.

Reading never raises on bad input: a file that is not JSON, or a statement that cannot be understood, becomes a
problem positioned at its line, or a `Skipped` statement with the reason. The LRS is spoken to through the xAPI
statements resource (version 1.0.3) with urllib and HTTP basic authentication.

May import: `lmsgen.model`, `lmsgen.errors`. Must not import: demo, site or commands.
"""

from __future__ import annotations

import base64
import json
import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin
from urllib.request import Request, urlopen

from ..model.diagnostics import Diagnostic, error

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi/verbs/"
COMPLETED, PASSED, FAILED = ADL + "completed", ADL + "passed", ADL + "failed"
VERBS = {COMPLETED: "completed", PASSED: "passed", FAILED: "failed"}
"""The verbs that make completions (completed, passed) or failed attempts (failed); any other is skipped."""
NAMESPACE = uuid.UUID("6f1d3c0e-8a3b-5b8e-9a43-3c1e5c0d7a21")
"""The namespace of the statement ids lmsgen derives from its records: the same record, the same id."""
PAGE_SIZE = 500


class LrsError(Exception):
    """The learning record store could not be reached, or refused a request (a usage problem, not data)."""


@dataclass(frozen=True)
class Statement:
    """One statement as read, with where it was read (`line`: its line in the file, or its place in the LRS's
    answers)."""

    data: Any
    path: str
    line: int


@dataclass(frozen=True)
class Reported:
    """What a statement reports, in its own terms: who (an e-mail or an account name), what (an activity id),
    the verb, when, and the score out of 100."""

    statement: Statement
    id: str
    mbox: str | None
    account: str | None
    activity: str
    verb: str
    on: date
    score: float | None

    @property
    def passed(self) -> bool:
        return self.verb != "failed"


@dataclass(frozen=True)
class Skipped:
    """A statement that makes no completion, and why."""

    statement: Statement
    reason: str

    def describe(self) -> str:
        statement_id = self.statement.data.get("id") if isinstance(self.statement.data, dict) else None
        return f"{self.statement.path}:{self.statement.line}: statement {statement_id or '(no id)'}: {self.reason}"


# --- reading -----------------------------------------------------------------------------------


def read_statements(path: str, raw: bytes) -> tuple[list[Statement], list[Diagnostic]]:
    """The statements of a file: a JSON array of statements, or one statement per line (JSON lines)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        return [], [error(path, (1, 1), f"not UTF-8 text (byte {problem.start + 1})")]
    if text.lstrip().startswith("["):
        return _array(path, text)
    statements, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            statements.append(Statement(json.loads(line), path, number))
        except (json.JSONDecodeError, RecursionError) as problem:
            problems.append(error(path, (number, getattr(problem, "colno", 1)), f"not a JSON statement: {_why(problem)}"))
    return statements, problems


def _array(path: str, text: str) -> tuple[list[Statement], list[Diagnostic]]:
    """A JSON array read element by element, so that each statement keeps its line."""
    decoder = json.JSONDecoder()
    statements: list[Statement] = []
    index = text.index("[") + 1
    while True:
        index = _skip_space(text, index)
        if index < len(text) and text[index] == "]" and not statements:
            index += 1
            break
        try:
            value, end = decoder.raw_decode(text, index)
        except (json.JSONDecodeError, RecursionError) as problem:
            return statements, [_at(path, text, getattr(problem, "pos", index), f"not a JSON statement: {_why(problem)}")]
        statements.append(Statement(value, path, text.count("\n", 0, index) + 1))
        index = _skip_space(text, end)
        if index < len(text) and text[index] == ",":
            index += 1
            continue
        if index < len(text) and text[index] == "]":
            index += 1
            break
        return statements, [_at(path, text, index, "expected ',' or ']' after a statement")]
    if text[_skip_space(text, index):].strip():
        return statements, [_at(path, text, _skip_space(text, index), "unexpected text after the array")]
    return statements, []


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _at(path: str, text: str, index: int, message: str) -> Diagnostic:
    line = text.count("\n", 0, index) + 1
    return error(path, (line, index - text.rfind("\n", 0, index)), message)


def _why(problem: Exception) -> str:
    return problem.msg if isinstance(problem, json.JSONDecodeError) else "nested too deeply"


def interpret(statement: Statement) -> Reported | Skipped:
    """What a statement reports, or why it reports no completion (another verb, no actor, no date...)."""
    data = statement.data
    if not isinstance(data, dict):
        return Skipped(statement, "not a JSON object")
    statement_id = data.get("id")
    if not isinstance(statement_id, str) or not statement_id.strip():
        return Skipped(statement, "no 'id': a statement without one cannot be imported exactly once")
    verb = _get(data, "verb", "id")
    if verb not in VERBS:
        return Skipped(statement, f"verb {verb or '(none)'} is not completed, passed or failed")
    activity = _get(data, "object", "id")
    if not isinstance(activity, str):
        return Skipped(statement, "its object has no activity id")
    mbox = _get(data, "actor", "mbox")
    account = _get(data, "actor", "account", "name")
    email = mbox[len("mailto:"):] if isinstance(mbox, str) and mbox.startswith("mailto:") else None
    if email is None and not isinstance(account, str):
        return Skipped(statement, "its actor has neither an 'mbox' (mailto:) nor an 'account' name")
    on = _day(data.get("timestamp")) or _day(data.get("stored"))
    if on is None:
        return Skipped(statement, "no valid 'timestamp' (or 'stored') time")
    score = _score(data.get("result"))
    if isinstance(score, str):
        return Skipped(statement, score)
    return Reported(statement, statement_id.strip(), email, account if isinstance(account, str) else None,
                    activity, VERBS[verb], on, score)


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _score(result: Any) -> float | None | str:
    """The score out of 100 (from `scaled`, else `raw` within `min`..`max`), None without one, or what is wrong."""
    score = _get(result, "score")
    if not isinstance(score, dict):
        return None
    scaled, raw, low, high = (score.get(k) for k in ("scaled", "raw", "min", "max"))
    if _number(scaled):
        value = scaled * 100
    elif _number(raw) and _number(high) and high > (low if _number(low) else 0):
        low = low if _number(low) else 0
        value = (raw - low) / (high - low) * 100
    else:
        return None
    if not 0 <= value <= 100:
        return f"score {value:g} is outside 0 to 100"
    return round(value, 2)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# --- writing -----------------------------------------------------------------------------------


def statement_id(person: str, course: str, on: date, by: str) -> str:
    """The id of the statement of one record: derived from it, so that posting it again changes nothing."""
    return str(uuid.uuid5(NAMESPACE, f"{person}/{course}/{on.isoformat()}/{by}"))


def completion_statement(statement_id: str, actor: dict[str, Any], activity: str, title: str, on: date,
                         score: float | None) -> dict[str, Any]:
    """A `completed` statement about `activity`, timed at the start of the day (UTC) it was completed."""
    result: dict[str, Any] = {"completion": True}
    if score is not None:
        result["score"] = {"scaled": round(score / 100, 4)}
    return {"id": statement_id, "actor": actor, "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
            "object": {"objectType": "Activity", "id": activity,
                       "definition": {"name": {"en-US": title}}},
            "result": result, "timestamp": f"{on.isoformat()}T00:00:00+00:00", "version": VERSION}


# --- the learning record store -----------------------------------------------------------------


@dataclass(frozen=True)
class Lrs:
    """An LRS's xAPI endpoint (the URL that `statements` is under) and its basic-auth credentials."""

    endpoint: str
    user: str | None = None
    password: str | None = None
    timeout: float = 60

    def _request(self, url: str, method: str = "GET", body: Any = None) -> tuple[int, Any]:
        headers = {"X-Experience-API-Version": VERSION, "Accept": "application/json"}
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            with urlopen(Request(url, data, headers, method=method), timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
                return response.status, json.loads(raw) if raw.strip() else None
        except HTTPError as problem:
            return problem.code, problem.read().decode("utf-8", "replace")[:500]
        except (URLError, OSError, ValueError) as problem:
            raise LrsError(f"{url}: {getattr(problem, 'reason', problem)}") from None

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"

    def statements(self, since: datetime | None = None) -> Iterator[Statement]:
        """Every statement the LRS holds (stored after `since`), following its `more` links."""
        query = {"limit": PAGE_SIZE, **({"since": since.isoformat()} if since else {})}
        url: str | None = f"{self.statements_url}?{urlencode(query)}"
        number = 0
        while url:
            status, answer = self._request(url)
            if status != 200 or not isinstance(answer, dict) or not isinstance(answer.get("statements"), list):
                raise LrsError(f"GET {url} answered {status}: {answer if isinstance(answer, str) else 'no statements'}")
            for data in answer["statements"]:
                number += 1
                yield Statement(data, self.statements_url, number)
            more = answer.get("more")
            url = urljoin(url, more) if isinstance(more, str) and more else None

    def post(self, statements: list[dict[str, Any]]) -> int:
        """Stores `statements` (each with its id) and returns how many the LRS says it stored anew; posting the
        same statements again stores nothing. A statement the LRS holds differently under the same id is an error.
        (Statements put one by one, after an LRS refused a page with an id it had, are not counted: `PUT` answers
        alike whether it stored them or had them.)"""
        stored = 0
        for start in range(0, len(statements), PAGE_SIZE):
            page = statements[start:start + PAGE_SIZE]
            status, answer = self._request(self.statements_url, "POST", page)
            if status == 200:
                stored += len(answer) if isinstance(answer, list) else len(page)
            elif status == 409:  # an LRS may refuse a page holding ids it has: put them one by one
                stored += sum(self._put(statement) for statement in page)
            elif status != 204:
                raise LrsError(f"POST {self.statements_url} answered {status}: {answer}")
        return stored

    def _put(self, statement: dict[str, Any]) -> int:
        url = f"{self.statements_url}?{urlencode({'statementId': statement['id']})}"
        status, answer = self._request(url, "PUT", statement)
        if status == 409:
            raise LrsError(f"the LRS holds another statement with the id {statement['id']}: {answer}")
        if status != 204:
            raise LrsError(f"PUT {url} answered {status}: {answer}")
        return 0
