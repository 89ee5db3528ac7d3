"""The working tree's files as a pull request may leave them: links, pipes, unreadable files and folders, a
committed cache and strange names are each one error at their path, never a hang or a traceback."""

from __future__ import annotations

import builtins
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmsgen.cli import main
from lmsgen.model import files
from lmsgen.rules.validation import validate_root

NOT_REGULAR = "not a regular file: lmsgen reads and writes regular files only; remove it, or replace it with one"
UNREADABLE = "cannot be read (permission denied): make it readable to whoever runs lmsgen, or remove it"
LINKED_FILE = "symbolic links are not followed; replace it with the file itself"
LINKED_FOLDER = "symbolic links are not followed; replace it with the folder itself"
STRAY_CACHE = (".lmsgen-cache:1:1: lmsgen's cache does not belong in the repository: lmsgen keeps it in the git folder "
               "and never reads this one; remove it (rm -r .lmsgen-cache, and git rm -r --cached .lmsgen-cache if it "
               "was committed)")


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fails the test, rather than waiting forever, when lmsgen blocks (opening a pipe waits for a writer)."""

    def hung(*_: object) -> None:
        raise TimeoutError("lmsgen waited for more than 10 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 10)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def messages(root: Path) -> list[str]:
    return [str(d) for d in validate_root(root, check_codeowners=True).diagnostics if d.is_error]


@pytest.mark.parametrize(("path", "also"), [
    ("catalog/x.yaml", []), ("teams/platform/records/dave.yaml", []), (".github/CODEOWNERS", []),
    ("org.yaml", ["org.yaml:1:1: missing org.yaml: every organisation needs one (name, git host and repository)"]),
])
def test_a_pipe_named_like_a_data_file_or_codeowners_is_refused_without_waiting(make_org, no_hang, path, also):
    root = make_org()
    (root / path).unlink(missing_ok=True)
    os.mkfifo(root / path)
    assert messages(root) == [*also, f"{path}:1:1: {NOT_REGULAR}"]


def refuse_reading(monkeypatch: pytest.MonkeyPatch, target: Path, opener: str) -> None:
    """Makes `target` unreadable. Running as root, which reads whatever the mode bits say, the test would not
    exercise the error, so there the open (or listing) of exactly that path fails as it would for anyone else."""
    target.chmod(0)
    if os.geteuid() != 0:
        return
    module, name = (builtins, "open") if opener == "open" else (os, "scandir")
    real = getattr(module, name)

    def refusing(path, *args, **kwargs):
        if not isinstance(path, int) and os.fspath(path) == str(target):
            raise PermissionError(13, "Permission denied", str(target))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(module, name, refusing)


def test_an_unreadable_file_is_one_error_at_its_path(make_org, monkeypatch):
    root = make_org()
    refuse_reading(monkeypatch, root / "catalog" / "k8s-ojt.yaml", "open")
    found = messages(root)
    (root / "catalog" / "k8s-ojt.yaml").chmod(0o644)
    assert f"catalog/k8s-ojt.yaml:1:1: {UNREADABLE}" in found


def test_an_unreadable_folder_is_one_error_at_its_path(make_org, monkeypatch, capsys):
    root = make_org()
    refuse_reading(monkeypatch, root / "teams" / "platform" / "records", "scandir")
    status = main(["--root", str(root), "check", "--no-cache"])
    (root / "teams" / "platform" / "records").chmod(0o755)
    assert status == 1
    out = capsys.readouterr().out
    assert f"teams/platform/records:1:1: {UNREADABLE}\n" in out


def test_an_unreadable_codeowners_is_one_error_at_its_path(make_org, monkeypatch):
    root = make_org()
    target = root / ".github" / "CODEOWNERS"
    target.chmod(0)
    if os.geteuid() == 0:  # see refuse_reading: CODEOWNERS is opened with os.open, relative to its folder
        real = os.open
        monkeypatch.setattr(os, "open", lambda path, flags, *args, **kwargs: (
            _raise(PermissionError(13, "Permission denied")) if path == "CODEOWNERS" else
            real(path, flags, *args, **kwargs)))
    found = messages(root)
    target.chmod(0o644)
    assert found == [f".github/CODEOWNERS:1:1: {UNREADABLE}"]


def _raise(problem: Exception) -> None:
    raise problem


def test_a_linked_codeowners_or_github_folder_is_an_error_at_the_link(make_org, tmp_path):
    root = make_org()
    copy = tmp_path / "CODEOWNERS"
    copy.write_bytes((root / ".github" / "CODEOWNERS").read_bytes())  # the right text, elsewhere
    (root / ".github" / "CODEOWNERS").unlink()
    os.symlink(copy, root / ".github" / "CODEOWNERS")
    assert messages(root) == [f".github/CODEOWNERS:1:1: {LINKED_FILE}"]
    (root / ".github" / "CODEOWNERS").unlink()
    (root / ".github").rmdir()
    os.symlink(tmp_path, root / ".github")
    assert messages(root) == [f".github:1:1: {LINKED_FOLDER}"]


def test_a_cache_folder_in_the_working_tree_is_an_error(make_org):
    root = make_org()
    (root / ".lmsgen-cache").mkdir()
    (root / ".lmsgen-cache" / "parsed-v3-py311.marshal").write_bytes(b"forged")
    assert messages(root) == [STRAY_CACHE]
    (root / ".lmsgen-cache" / "parsed-v3-py311.marshal").unlink()
    (root / ".lmsgen-cache").rmdir()
    os.symlink(root / "catalog", root / ".lmsgen-cache")  # a link counts too
    assert messages(root) == [STRAY_CACHE]


def test_a_file_name_with_a_newline_gives_one_line_per_problem(make_org, capsys):
    root = make_org({"catalog/bad\nname.yaml": "title: x\n", "catalog/tab\there.yaml": "title: x\n"})
    assert main(["--root", str(root), "check"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "catalog/bad\\nname.yaml:1:1: 'bad\\nname' is not a valid course id: use lowercase letters, digits and hyphens",
        "catalog/tab\\there.yaml:1:1: 'tab\\there' is not a valid course id: use lowercase letters, digits and "
        "hyphens",
    ]


def test_the_walk_reads_each_new_file_once(make_org, monkeypatch):
    """The checks before opening cost no extra read: a cold walk opens each data file once."""
    root = make_org()
    opened = []
    real = builtins.open
    monkeypatch.setattr(builtins, "open", lambda path, *a, **k: opened.append(path) or real(path, *a, **k))
    refs, problems = files.worktree_files(root)
    assert problems == [] and len(opened) == len(refs) == len(set(opened))
