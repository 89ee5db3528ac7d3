"""The layout of an organisation repository: which paths hold which kind of file, and the ids a path names.

Ids are lowercase slugs, and a file's id is its file name's stem; a path whose ids fail that check
is refused here, before any id becomes part of another path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel

from . import formats as m

THEME_ASSETS = "theme/"
"""The theme's own files (images, CSS, Markdown, templates) beside theme.yaml: no data, and not in the layout."""
DATA_ROOTS = ("org.yaml", "catalog", "roles", "teams", "assignments", "attendance", "budgets", "completions",
              "programs", "profiles", "vendors", "theme")
"""The top-level names that hold organisation data; everything else in the repository is ignored."""
STRAY_CACHE = ".lmsgen-cache"
"""Where lmsgen once kept its cache: in a repository (committed by a pull request, or left by an old lmsgen)
it could only mislead, so it is refused."""
STRAY_CACHE_MESSAGE = ("lmsgen's cache does not belong in the repository: lmsgen keeps it in the git folder and "
                       f"never reads this one; remove it (rm -r {STRAY_CACHE}, and git rm -r --cached {STRAY_CACHE} "
                       f"if it was committed)")

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
    ids = {group: _ID.format(group) for group in ("team", "person", "course", "role", "rule", "session", "source",
                                                   "program", "profile", "vendor")}
    ids["batch"] = r"(?P<batch>[^/.]+)"
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
    # Before slips, whose pattern would also match `<request>.withdraw.yaml`.
    _kind("withdrawal", r"teams/{team}/requests/{person}/{request}\.withdraw\.yaml", m.Withdrawal,
          "teams/<team>/requests/<person>/<request>.withdraw.yaml"),
    _kind("slip", r"teams/{team}/requests/{person}/{request}\.{slip}\.yaml", m.Slip,
          "teams/<team>/requests/<person>/<request>.<kind>.yaml"),
    _kind("request", r"teams/{team}/requests/{person}/{request}\.yaml", m.Request,
          "teams/<team>/requests/<person>/<request>.yaml"),
    _kind("team-assignments", r"assignments/teams/{team}\.yaml", m.TeamAssignments,
          "assignments/teams/<team>.yaml"),
    _kind("rule", r"assignments/{rule}\.yaml", m.Rule, "assignments/<rule>.yaml"),
    # Before attendance, whose pattern would also match `<session>.admin.yaml`.
    _kind("attendance-admin-slip", r"attendance/{course}/(?P<subject>[^/.]+)\.admin\.yaml", m.AdminSlip,
          "attendance/<course>/<session>.admin.yaml"),
    _kind("attendance", r"attendance/{course}/{session}\.yaml", m.Attendance,
          "attendance/<course>/<session>.yaml"),
    _kind("budget", r"budgets/(?P<year>[0-9]{{4}})\.yaml", m.Budget, "budgets/<year>.yaml"),
    # Before completions, whose pattern would also match `<batch>.admin.yaml`.
    _kind("completions-admin-slip", r"completions/{source}/(?P<subject>[^/.]+)\.admin\.yaml", m.AdminSlip,
          "completions/<source>/<batch>.admin.yaml"),
    _kind("completions", r"completions/{source}/{batch}\.yaml", m.Completions, "completions/<source>/<batch>.yaml"),
    _kind("program", r"programs/{program}\.yaml", m.Program, "programs/<program>.yaml"),
    _kind("profile", r"profiles/{profile}\.yaml", m.Profile, "profiles/<profile>.yaml"),
    _kind("vendor", r"vendors/{vendor}\.yaml", m.Vendor, "vendors/<vendor>.yaml"),
    _kind("theme", r"theme/theme\.yaml", m.Theme, "theme/theme.yaml"),
)
KINDS_BY_NAME = {kind.name: kind for kind in FILE_KINDS}
_KINDS_BY_TOP: dict[str, list[FileKind]] = {}
for _file_kind in FILE_KINDS:  # in order: a path is tried only against the kinds of its top-level name
    _KINDS_BY_TOP.setdefault(_file_kind.example.split("/", 1)[0], []).append(_file_kind)


_SLUG_ID = rf"[a-z0-9][a-z0-9-]{{0,{m.MAX_ID_LENGTH - 1}}}"
_COMMON: dict[str, tuple[re.Pattern[str], FileKind]] = {
    "records": (re.compile(rf"teams/(?P<team>{_SLUG_ID})/records/(?P<person>{_SLUG_ID})\.yaml"),
                KINDS_BY_NAME["records"]),
    "requests": (re.compile(rf"teams/(?P<team>{_SLUG_ID})/requests/(?P<person>{_SLUG_ID})/(?P<request>{_SLUG_ID})"
                            r"\.yaml"), KINDS_BY_NAME["request"]),
    "catalog": (re.compile(rf"catalog/(?P<course>{_SLUG_ID})\.yaml"), KINDS_BY_NAME["course"]),
}
"""The kinds of nearly every file of a large organisation, each with a pattern that only matches a path of it
whose ids are all valid: `classify` answers for those at once, as its loop would (no kind before it in the
loop matches such a path: the ids hold no dot, so no `.admin`, `.withdraw` or slip suffix)."""

RECORDS_PATH = _COMMON["records"][0]
"""The path of a records file whose ids are valid: `classify` answers for such a path with the records kind and the
pattern's groups (the loader matches it first, without calling `classify`)."""
FAST_PATHS: tuple[tuple[re.Pattern[str], FileKind], ...] = (
    (RECORDS_PATH, KINDS_BY_NAME["records"]),
    (re.compile(rf"teams/(?P<team>{_SLUG_ID})/requests/(?P<person>{_SLUG_ID})/(?P<request>{_SLUG_ID})"
                rf"\.(?P<slip>{'|'.join(kind.value for kind in m.SlipKind)})\.yaml"), KINDS_BY_NAME["slip"]),
    (re.compile(rf"teams/(?P<team>{_SLUG_ID})/team\.yaml"), KINDS_BY_NAME["team"]),
)
"""Patterns of paths of a kind whose ids are all valid, for which `classify` answers (kind, the pattern's groups,
None), as its loop would: the loader tries them before `classify` (records files, approval slips and team files are
most of a large organisation; tests/model/test_layout_common.py checks both agree)."""


def classify(path: str) -> tuple[FileKind | None, dict[str, str], str | None]:
    """The kind of file at `path` and the ids its path names, or why it does not belong in the layout."""
    top, _, rest = path.partition("/")
    common = _COMMON.get(rest.split("/", 2)[1] if top == "teams" and rest.count("/") >= 2 else top)
    if common is not None:
        match = common[0].fullmatch(path)
        if match:
            return common[1], match.groupdict(), None
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
                    return None, {}, _bad_id(key, value)
            if kind.name == "slip" and ids["slip"] not in {k.value for k in m.SlipKind}:
                allowed = ", ".join(f"<request>.{k.value}.yaml" for k in m.SlipKind)
                return None, {}, f"unknown approval slip kind '{ids['slip']}': expected {allowed}"
            return kind, ids, None
    if path.startswith(THEME_ASSETS):
        return None, {}, None  # the theme's files: read by what theme.yaml names (rules/theme.py)
    layout = ", ".join(kind.example for kind in FILE_KINDS)
    return None, {}, f"this file is not part of the layout; expected one of: {layout}"


def _bad_id(key: str, value: str) -> str:
    if len(value) > m.MAX_ID_LENGTH:
        return f"the {key} id is {len(value):,} characters long: an id has at most {m.MAX_ID_LENGTH}"
    return f"'{value}' is not a valid {key} id: use lowercase letters, digits and hyphens"


def stem(kind: FileKind, ids: dict[str, str]) -> str:
    """The id of a file of `kind` whose path names `ids`: the stem of its name (`org` for org.yaml)."""
    key = _STEM_KEYS[kind.name]
    return ids[key] if key else kind.name


_STEM_KEYS = {"org": None, "course": "course", "role": "role", "team": "team", "records": "person",
              "slip": "request", "withdrawal": "request", "admin-slip": "subject", "request": "request",
              "team-assignments": "team", "rule": "rule", "attendance-admin-slip": "subject", "attendance": "session",
              "budget": "year", "completions-admin-slip": "subject", "completions": "batch",
              "program": "program", "profile": "profile", "vendor": "vendor", "theme": None}
