"""The package's stages import only the stages below them (docs/architecture.md), and no module outgrows its seams."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lmsgen"

STAGES = ("cache", "model", "rules", "history", "integrations", "demo", "site", "commands")
"""From the ground up: each may import those before it, and none after it."""
SHARED = ("lmsgen", "lmsgen.cores", "lmsgen.errors", "lmsgen.gcpause", "lmsgen.writing", "lmsgen.messages")
"""Modules every stage may use: the version, the processors it may keep busy, the usage errors, the collector pause, writing without following links,
the message catalogs (a package: its modules are shared too)."""
TOP_LEVEL = {"__init__.py", "__main__.py", "cli.py", "cores.py", "errors.py", "gcpause.py", "writing.py"}
MAX_LINES = 520


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every lmsgen import in the file, those inside functions included."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "lmsgen"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "lmsgen":
                continue
            # `from . import x` names a module x when one exists: the stage is the module's.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                is_module = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(".py").exists() or (
                    PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                found.append((node.lineno, candidate if is_module else target))
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_top_level_holds_only_the_shared_modules():
    top = {path.name for path in PACKAGE.glob("*.py")}
    assert top == TOP_LEVEL
    folders = {path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert folders == set(STAGES) | {"assets", "templates", "messages"}


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_stage_imports_only_the_stages_below_it(path):
    module = _module(path)
    stage = _stage(module)
    wrong = []
    for line, target in _imports(path):
        entry = (module, target) == ("lmsgen.__main__", "lmsgen.cli") or module == "lmsgen.cli" and _stage(target) == "commands"
        if target in SHARED or target.startswith("lmsgen.messages.") or entry:
            continue
        theirs = _stage(target)
        if theirs is None:
            wrong.append(f"line {line}: {target} is not a stage or a shared module")
        elif stage is None:
            wrong.append(f"line {line}: the shared module {module} imports the stage {theirs}")
        elif STAGES.index(theirs) > STAGES.index(stage):
            wrong.append(f"line {line}: {stage} imports {target}, a stage above it")
    assert not wrong, f"{path.relative_to(PACKAGE.parent)}:\n" + "\n".join(wrong)


def test_the_import_reader_sees_an_import_that_runs_back_up(tmp_path, monkeypatch):
    """The test above can fail: a model module that imports the site, even inside a function, is caught."""
    fake = tmp_path / "lmsgen" / "model"
    fake.mkdir(parents=True)
    (tmp_path / "lmsgen" / "site").mkdir()
    (tmp_path / "lmsgen" / "site" / "views.py").write_text("")
    source = fake / "bad.py"
    source.write_text("def f():\n    from ..site import views\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "lmsgen")
    assert _imports(source) == [(2, "lmsgen.site.views")]
    with pytest.raises(AssertionError, match="model imports lmsgen.site.views, a stage above it"):
        test_a_stage_imports_only_the_stages_below_it(source)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_outgrows_its_seams(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE.parent)} has {lines} lines: split it along its seams"


def test_every_stage_says_what_it_may_import():
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import:" in doc and "Must not import:" in doc, stage
