"""lmsgen's own documentation (docs/, mkdocs.yml) builds without a warning, and its file reference is complete."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lmsgen.model.layout import FILE_KINDS
from lmsgen.model.reference import reference_pages
from lmsgen.model.schema import schemas

ROOT = Path(__file__).resolve().parent.parent


def test_the_docs_build_strict(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "docs")],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    for kind in FILE_KINDS:
        assert (tmp_path / "docs" / "reference" / kind.name / "index.html").is_file()


def test_the_reference_names_every_field_of_every_file_kind():
    pages = reference_pages()
    assert set(pages) == {"index.md", *(f"{kind.name}.md" for kind in FILE_KINDS)}
    for name, schema in schemas().items():
        for definition in [schema, *schema.get("$defs", {}).values()]:
            for field in definition.get("properties", {}):
                assert f"| `{field}` |" in pages[f"{name}.md"], (name, field)


def test_a_field_docstring_is_its_description():
    org = reference_pages()["org.md"]
    assert ("| `retention_years` | whole number (≥ 1, ≤ 100) |  | `7` | How many years after a person leaves their "
            "records are kept; `lmsgen retention` lists whose may go. |") in org
    assert "```yaml\nhr_import: {columns: {id: employee_id, team: department}}\n```" in org
