import json
import re
from pathlib import Path

from lmsgen.cli import main
from lmsgen.model.files import worktree_files
from lmsgen.model.layout import classify
from lmsgen.model.schema import schema_files

REPO = Path(__file__).resolve().parents[2]
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<target>\S+)$")


def test_checked_in_schemas_are_current():
    expected = schema_files()
    found = {path.name: path.read_text(encoding="utf-8") for path in (REPO / "schemas").glob("*.json")}
    assert found == expected, "the schemas are stale: run 'lmsgen schema --out schemas'"


def test_schema_command_writes_one_schema_per_file_kind(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path / "s")]) == 0
    assert capsys.readouterr().out == f"wrote 13 schemas to {tmp_path / 's'}\n"
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
