"""The public pages rendered by mkdocs in a forked process, while the build renders the private ones (docs/site.md).

At 10,000 people mkdocs takes seconds of one core to render the thousand course pages, and the portals, the
dashboards and the reports need nothing of it but the page shells. So the build first makes the shells from a small
project of its own: the same project without the course pages, which are in no navigation (`mkdocs_project`:
`not_in_nav`), so that the shells Material renders are the same with them or without. A forked process meanwhile
renders the course pages' bodies and builds the whole project, as a build without this module does, into a scratch
folder inside the staging folder; `Background.join` waits for it, checks that its shells are the ones the private
pages were poured into, and moves its files into the site, under what the build wrote there itself (as when mkdocs
ran first and the build wrote after it).

Only mkdocs is run so (Zensical runs in a process of its own already) and only from `PARALLEL_COURSES` course pages
on, with more than one core, where the operating system can fork; the forked process inherits the organisation and
its status rows, made before the fork, and hands back only its page count and warnings.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .mkdocs_project import MkdocsError, MkdocsPage, MkdocsResult
from .pages import Shell
from .theme_templates import ThemeError

PARALLEL_COURSES = 200
"""From this many course pages on, mkdocs renders them in a forked process (`wanted`)."""
SCRATCH = ".lmsgen-public"
"""The folder inside the staging folder that the forked mkdocs builds into; moved into the site by `join`."""

_ERRORS: dict[str, type[Exception]] = {"mkdocs": MkdocsError, "theme": ThemeError, "os": OSError}


def wanted(engine: str, courses: int) -> bool:
    """Whether `courses` course pages are worth a forked process here."""
    return (engine == "mkdocs" and courses >= PARALLEL_COURSES and (os.cpu_count() or 1) > 1
            and "fork" in multiprocessing.get_all_start_methods())


Build = Callable[[list[MkdocsPage], Path], MkdocsResult]
"""Builds a project of these pages into a folder (`mkdocs_project.build` with the site's settings)."""


class Background:
    """One build's public pages: the shells now, the rest rendered by a forked process until `join`."""

    def __init__(self, site: Path, pages: list[MkdocsPage], every_page: Callable[[], list[MkdocsPage]],
                 build: Build):
        """Forks the process that builds `every_page()` (rendered there: the course pages' bodies take seconds) into
        `site`'s scratch folder, then builds `pages` alone (home, catalog, policy, the theme's) for the shells."""
        self.site = site
        self.folder = site / SCRATCH
        reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._reader = reader
        self._process = multiprocessing.get_context("fork").Process(
            target=_in_child, args=(writer, lambda: build(every_page(), self.folder)), daemon=True)
        self._process.start()
        writer.close()
        _running.append(self)
        try:
            with tempfile.TemporaryDirectory(prefix="lmsgen-shells-") as scratch:
                self.shells: dict[int, Shell] = build(pages, Path(scratch) / "site").shells
        except BaseException:
            self.stop()
            raise

    def join(self) -> tuple[int, list[str], set[str]]:
        """Waits for the forked build and moves its files into the site: (pages built, mkdocs' warnings, the files
        it wrote, by their path in the site). Raises what the forked build raised (`MkdocsError`, `ThemeError`,
        `OSError`)."""
        if self in _running:
            _running.remove(self)
        try:
            answer = self._reader.recv()
        except EOFError:
            answer = ("mkdocs", "the process that built the public pages ended without a result")
        finally:
            self._reader.close()
            self._process.join()
        if answer[0] != "ok":
            shutil.rmtree(self.folder, ignore_errors=True)
            raise _ERRORS.get(answer[0], MkdocsError)(answer[1])
        _, pages, warnings, shells = answer
        if shells != self.shells:  # never seen: the shells follow from the navigation alone
            shutil.rmtree(self.folder, ignore_errors=True)
            raise MkdocsError("the page shells changed with the course pages; build again with --no-cache")
        return pages, warnings, _move_into(self.folder, self.site)

    def stop(self) -> None:
        """Ends the forked build (the build failed meanwhile) and removes what it wrote."""
        if self in _running:
            _running.remove(self)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._reader.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _in_child(writer, job: Callable[[], MkdocsResult]) -> None:
    try:
        result = job()
        answer: tuple = ("ok", result.pages, result.warnings, result.shells)
    except MkdocsError as problem:
        answer = ("mkdocs", str(problem))
    except ThemeError as problem:
        answer = ("theme", str(problem))
    except OSError as problem:
        answer = ("os", str(problem))
    except Exception as problem:  # noqa: BLE001 - told to the parent, which raises it as the build's failure
        answer = ("mkdocs", f"{type(problem).__name__}: {problem}")
    writer.send(answer)
    writer.close()


def _move_into(folder: Path, site: Path) -> set[str]:
    """Moves every file below `folder` to the same path below `site`, where the build did not write one already
    (its own stands, as it did when it wrote after mkdocs), and removes `folder`; returns the files' paths."""
    moved = set()
    start = len(str(folder)) + 1
    for directory, _, names in os.walk(folder):
        target = site / directory[start:] if len(directory) >= start else site
        target.mkdir(exist_ok=True)
        for name in names:
            path = os.path.join(directory, name)
            moved.add(path[start:])
            destination = target / name
            if not os.path.lexists(destination):
                os.rename(path, destination)
    shutil.rmtree(folder)
    return moved


_running: list[Background] = []


@contextlib.contextmanager
def stopped_on_failure() -> Iterator[None]:
    """Around the rendering: should it fail, the forked build ends before its staging folder is removed."""
    try:
        yield
    except BaseException:
        while _running:
            _running.pop().stop()
        raise
