"""Zensical, Material for MkDocs' successor, as the engine of the public pages and the page shells (docs/zensical.md).

Zensical reads the same project `mkdocs_project.write_project` writes for mkdocs (the same `mkdocs.yml`, pages
and assets), and the shells are cut from what it renders the same way. It runs in a process of its own
(`python -m zensical build`): its core, in Rust, prints its progress and its warnings, which are read back here
as warnings and never printed. It builds only into a folder inside the project, so the site is built there and
copied into the site folder.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .mkdocs_project import MkdocsError, MkdocsPage, MkdocsResult, take_shells, write_project

INSTALL = "pip install 'zensical==0.0.73'"
"""The Zensical lmsgen is tested with (`.ci/run` installs it; docs/zensical.md says why not 0.1)."""
_TIMEOUT = 600
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PLACE = re.compile(r"\[\s*(\S+:\d+:\d+)\s*\]")


def available() -> bool:
    """Whether Zensical is installed beside lmsgen."""
    return importlib.util.find_spec("zensical") is not None


def build(site_name: str, pages: list[MkdocsPage], site_dir: Path, *, public: bool = False,
          look: Any = None, language: str = "en") -> MkdocsResult:
    """Builds `pages` with Zensical into `site_dir` and returns the shells, as `mkdocs_project.build` does."""
    if not available():
        raise MkdocsError(f"Zensical is not installed; install it beside lmsgen ({INSTALL}), or build with mkdocs")
    with tempfile.TemporaryDirectory(prefix="lmsgen-zensical-") as folder:
        project = Path(folder)
        built = project / "site"
        config_file = write_project(project, site_name, pages, built, public=public, look=look, language=language)
        try:
            done = subprocess.run([sys.executable, "-m", "zensical", "build", "-f", str(config_file)], cwd=project,
                                  capture_output=True, text=True, errors="replace", timeout=_TIMEOUT,
                                  env={**os.environ, "NO_COLOR": "1"}, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise MkdocsError(f"Zensical did not finish in {_TIMEOUT} s") from None
        except OSError as problem:
            raise MkdocsError(f"Zensical could not be run: {problem}") from None
        output = _ANSI.sub("", done.stdout + "\n" + done.stderr)
        if done.returncode != 0 or not (built / "index.html").is_file():
            last = [line.strip() for line in output.splitlines() if line.strip()]
            raise MkdocsError(f"Zensical failed: {last[-1] if last else f'exit status {done.returncode}'}")
        site_dir.mkdir(parents=True, exist_ok=True)
        shutil.copytree(built, site_dir, dirs_exist_ok=True)
    return MkdocsResult(take_shells(site_dir, pages), len(pages), warnings(output))


def warnings(output: str) -> list[str]:
    """Zensical's warnings in its output, each `page.md:line:col: what` where it says where."""
    lines = output.splitlines()
    found = []
    for number, line in enumerate(lines):
        text = line.strip()
        if not text.startswith("Warning:"):
            continue
        what = text.removeprefix("Warning:").strip()
        place = next((match.group(1) for match in map(_PLACE.search, lines[number + 1:number + 3]) if match), None)
        found.append(f"{place}: {what}" if place else what)
    return found
