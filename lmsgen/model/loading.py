"""Reading a whole organisation repository into typed models, with every problem as a Diagnostic.

The loader takes files as (path, bytes) from any source, the working tree or a git commit, so
that the same code answers "what does the repository say now" and "what did it say then".
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from ..cache.store import ParseCache, blob_id, code_digest, stat_key
from ..gcpause import collector_paused
from . import formats as m
from .diagnostics import Diagnostic, error
from .yamlfile import Loc, Locator, Position, YamlError, decode, parse

M = TypeVar("M", bound=BaseModel)

DATA_ROOTS = ("org.yaml", "catalog", "roles", "teams", "assignments", "attendance", "budgets")
"""The top-level names that hold organisation data; everything else in the repository is ignored."""

_ID = r"(?P<{}>[^/]+)"


@dataclass(frozen=True)
class FileKind:
    """One kind of file in the layout: where it lives, what it holds, and its schema's name."""

    name: str
    pattern: re.Pattern[str]
    model: type[BaseModel]
    example: str

    def match(self, path: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(path)


def _kind(name: str, pattern: str, model: type[BaseModel], example: str) -> FileKind:
    ids = {group: _ID.format(group) for group in ("team", "person", "course", "role", "rule", "session")}
    ids["request"] = r"(?P<request>[^/.]+)"
    ids["slip"] = r"(?P<slip>[^/.]+)"
    return FileKind(name, re.compile(pattern.format(**ids)), model, example)


FILE_KINDS: tuple[FileKind, ...] = (
    _kind("org", r"org\.yaml", m.Org, "org.yaml"),
    _kind("course", r"catalog/{course}\.yaml", m.Course, "catalog/<course>.yaml"),
    _kind("role", r"roles/{role}\.yaml", m.Role, "roles/<role>.yaml"),
    _kind("team", r"teams/{team}/team\.yaml", m.Team, "teams/<team>/team.yaml"),
    # Before records and slips, whose patterns would also match `<stem>.admin.yaml`.
    _kind("admin-slip", r"teams/{team}/(?:records|requests/{person})/(?P<subject>[^/.]+)\.admin\.yaml", m.AdminSlip,
          "teams/<team>/records/<person>.admin.yaml (or requests/<person>/<request>.admin.yaml)"),
    _kind("records", r"teams/{team}/records/{person}\.yaml", m.Records, "teams/<team>/records/<person>.yaml"),
    _kind("slip", r"teams/{team}/requests/{person}/{request}\.{slip}\.yaml", m.Slip,
          "teams/<team>/requests/<person>/<request>.<kind>.yaml"),
    _kind("request", r"teams/{team}/requests/{person}/{request}\.yaml", m.Request,
          "teams/<team>/requests/<person>/<request>.yaml"),
    _kind("team-assignments", r"assignments/teams/{team}\.yaml", m.TeamAssignments,
          "assignments/teams/<team>.yaml"),
    _kind("rule", r"assignments/{rule}\.yaml", m.Rule, "assignments/<rule>.yaml"),
    _kind("attendance", r"attendance/{course}/{session}\.yaml", m.Attendance,
          "attendance/<course>/<session>.yaml"),
    _kind("budget", r"budgets/(?P<year>[0-9]{{4}})\.yaml", m.Budget, "budgets/<year>.yaml"),
)
KINDS_BY_NAME = {kind.name: kind for kind in FILE_KINDS}
_KINDS_BY_TOP: dict[str, list[FileKind]] = {}
for _file_kind in FILE_KINDS:  # in order: a path is tried only against the kinds of its top-level name
    _KINDS_BY_TOP.setdefault(_file_kind.example.split("/", 1)[0], []).append(_file_kind)


# --- where the bytes come from --------------------------------------------------------------


@dataclass(frozen=True)
class FileRef:
    """A file of the organisation: its path relative to the root, its blob id, and how to read it."""

    path: str
    blob: str
    read: Callable[[], bytes]


def worktree_files(root: Path, cache: ParseCache | None = None) -> tuple[list[FileRef], list[Diagnostic]]:
    """Every file under the data folders of `root`; symbolic links are refused, never followed.

    A file whose size, times and inode the cache knows is not read: its blob id comes from the cache.
    """
    cache = cache or ParseCache.disabled()
    refs: list[FileRef] = []
    problems: list[Diagnostic] = []
    for top in DATA_ROOTS:
        start = root / top
        if start.is_symlink():
            problems.append(error(top, (1, 1), "symbolic links are not followed; replace it with the file itself"))
        elif start.is_file():
            refs.append(_worktree_ref(root, top, os.stat(start), cache))
        elif start.is_dir():
            for rel, stat in _walk(start, top):
                if stat is None:
                    problems.append(error(rel, (1, 1), "symbolic links are not followed; replace it with the file itself"))
                else:
                    refs.append(_worktree_ref(root, rel, stat, cache))
    return refs, problems


def _worktree_ref(root: Path, rel: str, stat: os.stat_result, cache: ParseCache) -> FileRef:
    full = os.path.join(root, rel)  # plain strings: pathlib costs a third of a warm run at size M

    def read() -> bytes:
        with open(full, "rb") as handle:
            return handle.read()

    key = stat_key(stat)
    blob = cache.known_blob(rel, key)
    if blob is None:
        raw = read()
        blob = blob_id(raw)
        cache.remember_blob(rel, key, blob)
        return FileRef(rel, blob, lambda: raw)  # the bytes the blob id is of, and read once in a cold run
    return FileRef(rel, blob, read)


def _walk(folder: Path, rel: str) -> Iterator[tuple[str, os.stat_result | None]]:
    """Relative paths and stats of the files below `folder`, sorted; a symbolic link has no stat."""
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            path = f"{rel}/{entry.name}"
            if entry.is_symlink():
                yield path, None
            elif entry.is_dir():
                yield from _walk(Path(entry.path), path)
            else:
                yield path, entry.stat()


# --- what was loaded ------------------------------------------------------------------------


@dataclass
class Source:
    """One file as read: its path and text, and positions of its nodes on demand."""

    path: str
    read: Callable[[], bytes]
    blob: str | None = None
    """The git blob id of the bytes, when known."""
    _locator: Locator | None = field(default=None, repr=False)

    def locate(self, loc: Loc = (), *, key: bool = False) -> Position:
        """1-based line and column of the node at `loc` (a path of keys and indexes)."""
        if self._locator is None:
            try:
                text = decode(self.read())
            except YamlError:
                return (1, 1)
            self._locator = Locator(text)
        return self._locator.locate(loc, key=key)

    def error(self, loc: Loc, message: str, *, key: bool = False) -> Diagnostic:
        return error(self.path, self.locate(loc, key=key), message)


class Entry(Generic[M]):
    """A validated file: its id (the file name's stem), its model, its source and the ids in its path."""

    __slots__ = ("_model", "_pending", "id", "ids", "source")

    def __init__(self, id: str, model: M, source: Source, ids: dict[str, str]):
        self.id = id
        self.source = source
        self.ids = ids
        self._model: M | None = model
        self._pending: tuple[type[M], Callable[[], Any]] | None = None

    @classmethod
    def deferred(cls, id: str, model_type: type[M], data: Callable[[], Any], source: Source,
                 ids: dict[str, str]) -> Entry[M]:
        """An entry whose bytes are known to be valid (they passed validation by this lmsgen before): `data`
        gives their parsed form, validated into the model when the model is first used."""
        entry = cls(id, None, source, ids)  # type: ignore[arg-type]
        entry._pending = (model_type, data)
        return entry

    @property
    def model(self) -> M:
        """The file's validated model (for a deferred entry, validated now if this is its first use)."""
        if self._pending is not None:
            model_type, data = self._pending
            with collector_paused(freeze=False):  # as when loading: many long-lived objects, no cycles
                self._model = model_type.model_validate(data())
            self._pending = None
        return self._model  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Entry({self.source.path!r})"


@dataclass(frozen=True)
class Member:
    """A person as listed in a team file, with where they are listed."""

    person: m.Person
    team: str
    index: int
    source: Source

    @property
    def loc(self) -> Loc:
        return ("members", self.index)


_REFERENCE_KINDS = ("org", "role", "team", "course")


@dataclass
class Organisation:
    """Everything an organisation repository holds, as validated models with their sources."""

    org: Entry[m.Org] | None = None
    courses: dict[str, Entry[m.Course]] = field(default_factory=dict)
    roles: dict[str, Entry[m.Role]] = field(default_factory=dict)
    teams: dict[str, Entry[m.Team]] = field(default_factory=dict)
    records: list[Entry[m.Records]] = field(default_factory=list)
    requests: list[Entry[m.Request]] = field(default_factory=list)
    slips: list[Entry[m.Slip]] = field(default_factory=list)
    admin_slips: list[Entry[m.AdminSlip]] = field(default_factory=list)
    rules: dict[str, Entry[m.Rule]] = field(default_factory=dict)
    team_assignments: dict[str, Entry[m.TeamAssignments]] = field(default_factory=dict)
    attendance: list[Entry[m.Attendance]] = field(default_factory=list)
    budgets: dict[str, Entry[m.Budget]] = field(default_factory=dict)
    broken: set[tuple[str, str]] = field(default_factory=set)
    """(kind, id) of files that exist but failed to read or validate: their own errors say why."""
    _approvers: dict[str, str | None] = field(default_factory=dict, repr=False)

    @cached_property
    def members(self) -> dict[str, Member]:
        """Each person by id, where first listed (a second listing is an error reported by the checks)."""
        found: dict[str, Member] = {}
        for team_id, entry in self.teams.items():
            for index, person in enumerate(entry.model.members):
                found.setdefault(person.id, Member(person, team_id, index, entry.source))
        return found

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """The teams directly under each team, sorted."""
        result: dict[str, list[str]] = {team: [] for team in self.teams}
        for team_id, entry in self.teams.items():
            if entry.model.parent in result:
                result[entry.model.parent].append(team_id)
        return {team: sorted(kids) for team, kids in result.items()}

    def subtree(self, team: str) -> list[str]:
        """`team` and every team below it."""
        found, stack = [], [team]
        while stack:
            current = stack.pop()
            if current in found:  # a cycle, reported by the checks
                continue
            found.append(current)
            stack.extend(self.children.get(current, []))
        return found

    def ancestors(self, team: str) -> list[str]:
        """The teams above `team`, nearest first; stops at a cycle."""
        chain: list[str] = []
        current = self.teams[team].model.parent if team in self.teams else None
        while current in self.teams and current not in chain and current != team:
            chain.append(current)
            current = self.teams[current].model.parent
        return chain

    def approving_manager(self, person: str) -> str | None:
        """The manager of the person's team, or for that manager the first manager above who is someone else."""
        if person not in self._approvers:
            self._approvers[person] = self._find_approving_manager(person)
        return self._approvers[person]

    def _find_approving_manager(self, person: str) -> str | None:
        member = self.members.get(person)
        if member is None:
            return None
        for team in [member.team, *self.ancestors(member.team)]:
            manager = self.teams[team].model.manager
            if manager != person:
                return manager
        return None

    def alternate_manager(self, person: str) -> str | None:
        """The next manager up from the approving manager: the second approver and absence cover."""
        first = self.approving_manager(person)
        if first is None:
            return None
        second = self.approving_manager(first)
        return second if second not in (None, person) else None

    @cached_property
    def reference_digest(self) -> str:
        """A digest of the files every other file is checked against (org.yaml, roles, teams, the catalog, and
        which of them failed to load) and of lmsgen's code: what follows from them can be remembered under it."""
        inputs = [self.org] if self.org else []
        digest = hashlib.blake2b(code_digest().encode(), digest_size=20)
        for entry in sorted([*inputs, *self.roles.values(), *self.teams.values(), *self.courses.values()],
                            key=lambda e: e.source.path):
            blob = entry.source.blob or blob_id(entry.source.read())
            digest.update(f"{entry.source.path}\0{blob}\0".encode())
        digest.update(repr(sorted(item for item in self.broken if item[0] in _REFERENCE_KINDS)).encode())
        return digest.hexdigest()

    def records_of(self, person: str) -> list[m.Record]:
        return [record for entry in self.records if entry.model.person == person for record in entry.model.records]

    @property
    def currency(self) -> str:
        return self.org.model.currency if self.org else "EUR"


@dataclass
class LoadResult:
    organisation: Organisation
    diagnostics: list[Diagnostic]
    cache: ParseCache | None = None
    """The parse cache the files came through, for results derived from them (None: caching is off)."""


# --- loading --------------------------------------------------------------------------------

_PARALLEL_BYTES = 8 * 1024 * 1024
"""Above this many uncached bytes the parse is spread over processes; below, start-up costs more."""


def load(files: Iterable[FileRef], cache: ParseCache | None = None, *, save: bool = True) -> LoadResult:
    """Parses, validates and assembles an organisation from its files; never raises on bad data.

    The cache is saved at the end unless `save` is False: for a caller that adds to it and saves it once.
    """
    with collector_paused():
        result = _load(files, cache)
    if save and result.cache is not None:
        result.cache.save()
    return result


def _load(files: Iterable[FileRef], cache: ParseCache | None) -> LoadResult:
    cache = cache or ParseCache.disabled()
    diagnostics: list[Diagnostic] = []
    classified: list[tuple[FileRef, FileKind, dict[str, str]]] = []
    for ref in files:
        kind, ids, problem = classify(ref.path)
        if problem:
            diagnostics.append(error(ref.path, (1, 1), problem))
        elif kind is not None:
            classified.append((ref, kind, ids))

    # Records are most of a large organisation, and a warm `check` reads only those that changed: bytes that
    # this lmsgen found valid before are neither decoded nor validated until something reads them.
    code = code_digest()
    deferred = {ref.path for ref, kind, _ in classified
                if kind.name == "records" and cache.get(f"valid:{code}:records:{ref.blob}")}
    parsed = _parse_all([ref for ref, _, _ in classified if ref.path not in deferred], cache)
    organisation = Organisation()
    for ref, kind, ids in classified:
        source = Source(ref.path, ref.read, ref.blob)
        stem = _stem(kind, ids)
        if ref.path in deferred:
            cache.keep(ref.blob)
            _add(organisation, kind, Entry.deferred(stem, kind.model, _remembered_data(ref, cache), source, ids))
            continue
        outcome = parsed[ref.path]
        if isinstance(outcome, YamlError):
            diagnostics.append(error(ref.path, outcome.position, outcome.message))
            model = None
        else:
            model = _validate(kind, outcome, source, diagnostics)
        if model is None:
            organisation.broken.add((kind.name, stem))
        else:
            _add(organisation, kind, Entry(stem, model, source, ids))
            if kind.name == "records":
                cache.put(f"valid:{code}:records:{ref.blob}", True)
    return LoadResult(organisation, diagnostics, None if cache.path is None else cache)


def _remembered_data(ref: FileRef, cache: ParseCache) -> Callable[[], Any]:
    """The parsed data of a file known to be valid: from the cache, or parsed again if the cache dropped it."""
    return lambda: cache.get(ref.blob) or parse(ref.read())


def classify(path: str) -> tuple[FileKind | None, dict[str, str], str | None]:
    """The kind of file at `path` and the ids its path names, or why it does not belong in the layout."""
    name = path.rsplit("/", 1)[-1]
    if name.lower() in ("readme.md", ".gitkeep"):
        return None, {}, None
    if name.endswith(".yml"):
        return None, {}, "use the .yaml extension, not .yml"
    for kind in _KINDS_BY_TOP.get(path.split("/", 1)[0], ()):
        match = kind.match(path)
        if match:
            ids = {key: value for key, value in match.groupdict().items() if value is not None}
            for key, value in ids.items():
                if key != "year" and not m.is_slug(value):
                    return None, {}, f"'{value}' is not a valid {key} id: use lowercase letters, digits and hyphens"
            if kind.name == "slip" and ids["slip"] not in {k.value for k in m.SlipKind}:
                allowed = ", ".join(f"<request>.{k.value}.yaml" for k in m.SlipKind)
                return None, {}, f"unknown approval slip kind '{ids['slip']}': expected {allowed}"
            return kind, ids, None
    layout = ", ".join(kind.example for kind in FILE_KINDS)
    return None, {}, f"this file is not part of the layout; expected one of: {layout}"


def _stem(kind: FileKind, ids: dict[str, str]) -> str:
    key = {"org": None, "course": "course", "role": "role", "team": "team", "records": "person",
           "slip": "request", "admin-slip": "subject", "request": "request", "team-assignments": "team", "rule": "rule",
           "attendance": "session", "budget": "year"}[kind.name]
    return ids[key] if key else "org"


def _add(organisation: Organisation, kind: FileKind, entry: Entry[Any]) -> None:
    collections: dict[str, Any] = {
        "course": organisation.courses, "role": organisation.roles, "team": organisation.teams,
        "rule": organisation.rules, "team-assignments": organisation.team_assignments,
        "budget": organisation.budgets, "records": organisation.records, "request": organisation.requests,
        "slip": organisation.slips, "admin-slip": organisation.admin_slips, "attendance": organisation.attendance,
    }
    if kind.name == "org":
        organisation.org = entry
    elif isinstance(collections[kind.name], dict):
        collections[kind.name][entry.id] = entry
    else:
        collections[kind.name].append(entry)


def _parse_all(refs: list[FileRef], cache: ParseCache) -> dict[str, Any]:
    results: dict[str, Any] = {}
    missing: list[FileRef] = []
    for ref in refs:
        data = cache.get(ref.blob)
        if data is None:
            missing.append(ref)
        else:
            results[ref.path] = data
    raws = [ref.read() for ref in missing]
    if sum(map(len, raws)) > _PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
        workers = os.cpu_count() or 2
        chunk = max(1, len(raws) // (workers * 4))
        from concurrent.futures import ProcessPoolExecutor  # a hundredth of a second to import: only when cold

        with ProcessPoolExecutor(workers) as pool:
            outcomes = list(pool.map(_parse_one, raws, chunksize=chunk))
    else:
        outcomes = [_parse_one(raw) for raw in raws]
    for ref, outcome in zip(missing, outcomes):
        results[ref.path] = outcome
        if not isinstance(outcome, YamlError) and outcome is not None:
            cache.put(ref.blob, outcome)
    return results


def _parse_one(raw: bytes) -> Any:
    try:
        return parse(raw)
    except YamlError as problem:
        return problem


# --- turning pydantic's errors into messages a person can act on ----------------------------


def _validate(kind: FileKind, data: Any, source: Source, diagnostics: list[Diagnostic]) -> Any:
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {_yaml_type(data)}"
        diagnostics.append(source.error((), f"expected a mapping of keys ({kind.example}), found {found}"))
        return None
    try:
        return kind.model.model_validate(data)
    except ValidationError as exc:
        for problem in exc.errors(include_url=False):
            diagnostics.append(_diagnostic(kind, problem, source))
        return None


def _yaml_type(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(type(value), "value")


def _yaml_value(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:40]}...'"
    return f"the number {value}" if isinstance(value, (int, float)) else f"a {_yaml_type(value)}"


def _diagnostic(kind: FileKind, problem: dict[str, Any], source: Source) -> Diagnostic:
    loc = tuple(step for step in problem["loc"] if step != "[key]")
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
    elif kind_of_error == "string_type" and isinstance(problem.get("input"), (bool, int, float)):
        # An id such as `101` or a login such as `12345` is a number to YAML: say how to keep it text.
        message = (f"input should be a valid string, but YAML reads this value as a "
                   f"{_yaml_type(problem['input'])}: put it in quotes")
    else:
        message = message[:1].lower() + message[1:]
    return source.error(loc, f"{prefix}{message}", key=is_key)


_PATTERN_MESSAGES = {
    m.SLUG_PATTERN: "'{value}' is not a valid id: use lowercase letters, digits and hyphens",
    m.CURRENCY_PATTERN: "'{value}' is not a currency code: use three capital letters, such as EUR",
    m.URL_PATTERN: "'{value}' is not a web address: it starts with https:// or http://",
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


def load_root(root: Path, *, use_cache: bool = True, save: bool = True) -> LoadResult:
    """Loads the organisation in the working tree at `root` (`save` as for `load`)."""
    cache = ParseCache.for_root(root) if use_cache else None
    refs, problems = worktree_files(root, cache)
    result = load(refs, cache, save=save)
    result.diagnostics[:0] = problems
    return result
