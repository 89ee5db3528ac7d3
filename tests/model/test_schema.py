import functools
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from lmsgen.cli import main
from lmsgen.model.files import worktree_files
from lmsgen.model.layout import KINDS_BY_NAME, classify
from lmsgen.model.schema import schema_files, schemas
from lmsgen.model.times import validation_context, zone_names
from lmsgen.model.yamlfile import parse

REPO = Path(__file__).resolve().parents[2]
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<target>\S+)$")


def test_checked_in_schemas_are_current():
    expected = schema_files()
    found = {path.name: path.read_text(encoding="utf-8") for path in (REPO / "schemas").glob("*.json")}
    assert found == expected, "the schemas are stale: run 'lmsgen schema --out schemas'"


def test_schema_command_writes_one_schema_per_file_kind(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    assert capsys.readouterr().out == f"wrote 20 schemas to {tmp_path / 's'}\n"
    course = json.loads((tmp_path / "s" / "course.schema.json").read_text())
    assert course["additionalProperties"] is False
    assert "sessions" in course["properties"]
    rule = json.loads((tmp_path / "s" / "rule.schema.json").read_text())
    assert "from" in rule["properties"]


def test_every_demo_file_points_its_editor_at_the_right_schema():
    refs, problems = worktree_files(REPO)
    assert problems == []
    assert refs, "the demo organisation is missing"
    for ref in refs:
        kind, _, problem = classify(ref.path)
        assert problem is None, ref.path
        if kind is None:
            continue
        first_line = ref.read().decode().splitlines()[0]
        match = SCHEMA_LINE.match(first_line)
        assert match, f"{ref.path} does not start with a yaml-language-server schema line"
        target = (REPO / ref.path).parent / match["target"]
        assert target.resolve() == REPO / "schemas" / f"{kind.name}.schema.json", ref.path


# --- the schemas accept exactly what check accepts --------------------------------------------------------------


@functools.cache
def validator(kind: str) -> Draft202012Validator:
    """The schema of `kind` as an editor applies it: formats (`date`) are checked too."""
    return Draft202012Validator(schemas()[kind], format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_accepts(kind: str, data: object) -> bool:
    return validator(kind).is_valid(data)


def check_accepts(kind: str, data: object) -> bool:
    """What `lmsgen check` makes of a file on its own (the cross-file checks are beyond any schema)."""
    try:
        KINDS_BY_NAME[kind].model.model_validate(data, context=validation_context(None))
    except ValidationError:
        return False
    return True


def data_files(root: Path) -> list[tuple[str, str, object]]:
    """(path, kind, parsed data) of every data file under `root`."""
    refs, problems = worktree_files(root)
    assert problems == [] and refs
    found = []
    for ref in refs:
        kind, _, problem = classify(ref.path)
        assert problem is None, ref.path
        if kind is not None:
            found.append((ref.path, kind.name, parse(ref.read())))
    return found


def test_every_file_of_the_shipped_demo_and_of_a_generated_one_is_valid_to_its_schema(tmp_path):
    # An editor checks every `format` the schemas use; so must this test, or a `date-time` would pass unchecked.
    formats = set(re.findall(r'"format": "([^"]+)"', "".join(schema_files().values())))
    assert formats <= set(Draft202012Validator.FORMAT_CHECKER.checkers)
    assert main(["demo", "--people", "300", "--out", str(tmp_path / "demo")]) == 0
    for root in (REPO, tmp_path / "demo"):
        files = data_files(root)
        assert {kind for _, kind, _ in files} >= {"org", "course", "team", "records", "request", "rule", "attendance"}
        refused = [(path, error.message) for path, kind, data in files for error in validator(kind).iter_errors(data)]
        assert refused == []
        assert any(isinstance(s, dict) and "timezone" in s for _, kind, data in files if kind == "course"
                   for s in data.get("sessions", []))  # the zones' list is exercised too


def _digits(width: int, low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:0{width}d}")


_YEARS = _digits(4, 0, 9999) | st.integers(0, 99_999).map(str)
_DAYS = st.tuples(_YEARS, _digits(2, 0, 13), _digits(2, 0, 32)).map("-".join)
_CLOCKS = st.tuples(_digits(2, 0, 25), _digits(2, 0, 61), st.sampled_from(["", ":00", ":59", ":60", ".5", ":00.25"]),
                    ).map(lambda parts: f"{parts[0]}:{parts[1]}{parts[2]}")
_OFFSETS = st.sampled_from(["", "", "Z", "z", "+00:00", "-00:00"]) | st.tuples(
    st.sampled_from("+-"), _digits(2, 0, 25), st.sampled_from([":", ""]), _digits(2, 0, 61)).map("".join)
_TIMES = st.tuples(_DAYS, st.sampled_from(["T", "T", "t", " ", "_"]), _CLOCKS, _OFFSETS).map("".join)
# Not a trailing line break: Python's jsonschema runs patterns with `re.search`, where `$` also matches before a
# final newline, unlike the ECMA-262 regular expressions that JSON Schema specifies and editors use.
_ANYTHING = (st.text(st.characters(blacklist_characters="\n"), max_size=30) | st.integers() | st.floats()
             | st.booleans() | st.none() | st.lists(st.integers(), max_size=2)
             | st.datetimes().map(lambda d: d.isoformat()) | st.dates().map(lambda d: d.isoformat()))
_WRITTEN = _TIMES | _DAYS | _ANYTHING

FIELDS = {
    "session start": ("course", lambda v: {"title": "T", "format": "classroom",
                                           "sessions": [{"id": "s", "start": v, "end": "2030-01-01T00:00"}]}),
    "session end": ("course", lambda v: {"title": "T", "format": "classroom",
                                         "sessions": [{"id": "s", "start": "2020-01-01T00:00", "end": v}]}),
    "record date": ("records", lambda v: {"person": "p", "records": [{"course": "c", "date": v, "by": "p"}]}),
    "rule from": ("rule", lambda v: {"title": "T", "courses": ["c"], "from": v}),
    "start date": ("team", lambda v: {"name": "T", "manager": "p", "members": [{"id": "p", "name": "P",
                                                                                 "start_date": v}]}),
    "session zone": ("course", lambda v: {"title": "T", "format": "classroom", "sessions": [
        {"id": "s", "start": "2020-01-01T00:00", "end": "2030-01-01T00:00", "timezone": v}]}),
    "org zone": ("org", lambda v: {"name": "N", "git": {"repo": "https://example.org/r"}, "timezone": v}),
}
_ZONES = st.sampled_from(zone_names()) | st.sampled_from(zone_names()).map(str.lower) | _ANYTHING


@pytest.mark.parametrize("field", FIELDS)
@settings(max_examples=200, deadline=None)
@given(value=_WRITTEN | _ZONES)
@example(value="2000-02-29")
@example(value="1900-02-29")
@example(value="2024-02-29T09:00")
@example(value="2023-02-29T09:00")
@example(value="0000-01-01")
@example(value="0001-01-01T00:00")
@example(value="9999-12-31T23:59:59-23:59")
@example(value="9998-12-31T23:59:59-23:59")
@example(value="0001-01-01T00:00+14:00")
@example(value="2026-12-03T24:00")
@example(value="2026-12-03T09:00+24:00")
@example(value="2026-12-03T09:00+01")
@example(value="2026-12-03")
@example(value="1764720000")
@example(value=1764720000)
@example(value="Europe/Amsterdam")
@example(value="localtime")
@example(value="UTC")
def test_check_and_the_schemas_agree_on_dates_times_and_zones(field, value):
    kind, data = FIELDS[field]
    assert check_accepts(kind, data(value)) == schema_accepts(kind, data(value))


@pytest.mark.parametrize(("kind", "data", "accepted"), [
    ("course", {"title": "T", "format": "classroom", "hours": "2"}, False),
    ("course", {"title": "T", "format": "classroom", "hours": True}, False),
    ("course", {"title": "T", "format": "classroom", "hours": 2}, True),
    ("course", {"title": "T", "format": "classroom", "valid_months": "12"}, False),
    ("course", {"title": "T", "format": "classroom", "valid_months": 12.0}, True),
    ("course", {"title": "T", "format": "classroom", "valid_months": 12.5}, False),
    ("course", {"title": "T", "format": "classroom", "valid_months": 0}, False),
    ("course", {"title": "T", "format": "classroom", "skills": ["a", "a"]}, False),
    ("course", {"title": "T", "format": "classroom", "checklist": ["  "]}, False),
    ("course", {"title": "T", "format": "classroom", "sessions": [
        {"id": "s", "start": "2026-12-03T09:00", "end": "2026-12-03T17:00", "capacity": 0}]}, False),
    ("course", {"title": "T", "format": "classroom", "cost": {"amount": "5", "currency": "EUR"}}, False),
    ("records", {"person": " p", "records": []}, False),
    ("records", {"person": "p", "records": [{"course": "c", "date": "2026-12-03", "by": "p", "score": "92"}]}, False),
    ("rule", {"title": "T", "courses": ["c"], "due": "2026-12-31", "due_days": 30}, False),
    ("rule", {"title": "T", "courses": ["c"], "due": None, "due_days": 30}, True),
    ("rule", {"title": "T", "courses": ["c"], "exclude": [{"person": "p", "reason": " "}]}, False),
    ("course", {"title": "T", "format": "ojt", "skills": ["a", {"id": "b", "level": 2}]}, True),
    ("course", {"title": "T", "format": "ojt", "skills": [{"id": "b", "level": 6}]}, False),
    ("course", {"title": "T", "format": "ojt", "skills": [{"id": "b", "level": "2"}]}, False),
    ("course", {"title": "T", "format": "ojt", "skills": [{"id": "B"}]}, False),
    ("rule", {"title": "T", "courses": ["program:p", "c"]}, True),
    ("rule", {"title": "T", "courses": ["Program:p"]}, False),
    ("rule", {"title": "T", "courses": ["program:" + "p" * 100]}, True),
    ("rule", {"title": "T", "courses": ["program:" + "p" * 101]}, False),
    ("team-assignments", {"assignments": [{"person": "all", "course": "program:p"}]}, True),
    ("program", {"title": "P", "steps": [{"course": "a"}, {"any": 1, "of": ["b", "c"]}], "due_days": 30}, True),
    ("program", {"title": "P", "steps": [{"course": "a", "any": 1}]}, False),
    ("program", {"title": "P", "steps": [{"any": 1}]}, False),
    ("program", {"title": "P", "steps": [{"any": 0, "of": ["b"]}]}, False),
    ("program", {"title": "P", "steps": []}, False),
    ("profile", {"title": "P", "skills": {"a": 1, "b": 5}}, True),
    ("profile", {"title": "P", "skills": {"a": 0}}, False),
    ("profile", {"title": "P", "skills": {"A": 1}}, False),
    ("admin-slip", {"reason": "\n"}, False),
    ("admin-slip", {"reason": "Corrected a typo"}, True),
    ("org", {"name": "N", "git": {"repo": "https://example.org/r"}, "expiring_within_days": "60"}, False),
])
def test_check_and_the_schemas_agree_on_numbers_ids_lists_and_text(kind, data, accepted):
    assert (check_accepts(kind, data), schema_accepts(kind, data)) == (accepted, accepted)


def test_schemas_are_never_written_through_a_link_in_the_repository(make_org, tmp_path, capsys):
    root = make_org()
    (tmp_path / "outside").mkdir()
    os.symlink(tmp_path / "outside", root / "schemas")
    assert main(["--root", str(root), "schema", "--out", str(root / "schemas")]) == 2
    assert capsys.readouterr().err == (f"lmsgen schema: the schemas were not written to {root / 'schemas'}: schemas: "
                                       "symbolic links are not followed; replace it with the folder itself\n")
    assert list((tmp_path / "outside").iterdir()) == []
