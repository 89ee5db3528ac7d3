"""The record credits kept in the cache are keyed by their format's version (`record_credits.FORMAT`), not by lmsgen's
code digest: an upgrade of lmsgen reads them back. So a change that gives any item another credit must raise that
version; this fixed history's credits are pinned with it, and the test fails when they change while it did not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import git, init_repo, write_files

from lmsgen.history import record_credits as module
from lmsgen.history.audit import audit_all
from lmsgen.history.record_credits import record_credits
from lmsgen.history.repository import Repository

PINNED_FORMAT = 2
"""The `FORMAT` the table below was made with: raise both together, with the table as the new code gives it."""

CAROL, DAVE = "teams/platform/records/carol.yaml", "teams/platform/records/dave.yaml"
DAVE_MOVED, BATCH = "teams/security/records/dave.yaml", "completions/lrs/b1.yaml"
EXPECTED = {
    (CAROL, 0): ("c6 carol reordered, one new", None),
    (CAROL, 1): ("c1 carol and dave", None),  # two copies of one record
    (CAROL, 2): ("c1 carol and dave", None),
    (CAROL, 3): ("c2 carol grows, dave shrinks", None),
    (CAROL, 4): ("c3 side: carol grows", "m1 merge side"),
    (CAROL, 5): ("c1 carol and dave", None),  # moved down the file: the same record
    (CAROL, 6): ("m2 merge with a record of its own", None),
    (DAVE_MOVED, 0): ("c1 carol and dave", None),  # the file moved to another team
    (DAVE_MOVED, 1): ("c4 side: dave moves and grows", "m1 merge side"),
    (BATCH, 0): ("c5 a batch", None),
    (BATCH, 1): ("c5 a batch", None),
    (BATCH, 2): ("c7 the batch changes", None),
    (BATCH, 3): ("c7 the batch changes", None),
}


def records(person: str, *courses: str) -> str:
    lines = "".join(f"  - {{course: {course}, date: 2026-01-0{1 + ord(course) % 9}, by: {person}}}\n"
                    for course in courses)
    return f"person: {person}\nrecords:\n{lines}"


def batch(*entries: tuple[str, str]) -> str:
    return "source: lrs\nrecords:\n" + "".join(f"  - {{person: {p}, course: {c}, date: 2026-02-01}}\n"
                                               for p, c in entries)


def commit(root: Path, message: str, files: dict[str, str | None], *, when: int) -> None:
    write_files(root, files)
    git(root, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{1_767_225_600 + when} +0000",
           "GIT_COMMITTER_DATE": f"{1_767_225_600 + when} +0000"}
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", message], cwd=root, env=env, check=True)


def history(root: Path) -> None:
    """Direct commits, a side branch merged (a move, a merged record), a merge with a record of its own, copies,
    reordering, and a batch of imported completions growing and shrinking."""
    root.mkdir()
    init_repo(root)
    commit(root, "c1 carol and dave", {CAROL: records("carol", "a", "b", "b"), DAVE: records("dave", "a", "x")},
           when=1)
    commit(root, "c2 carol grows, dave shrinks", {CAROL: records("carol", "a", "b", "b", "c"),
                                                  DAVE: records("dave", "a")}, when=2)
    git(root, "checkout", "-q", "-b", "side")
    commit(root, "c3 side: carol grows", {CAROL: records("carol", "a", "b", "b", "c", "d")}, when=3)
    commit(root, "c4 side: dave moves and grows", {DAVE: None, DAVE_MOVED: records("dave", "a", "e")}, when=4)
    git(root, "checkout", "-q", "main")
    commit(root, "c5 a batch", {BATCH: batch(("carol", "k"), ("nobody-here", "k"), ("erin", "k"))}, when=5)
    git(root, "merge", "-q", "--no-ff", "side", "-m", "m1 merge side")
    commit(root, "c6 carol reordered, one new", {CAROL: records("carol", "z", "b", "b", "c", "d", "a")}, when=6)
    git(root, "checkout", "-q", "-b", "side2")
    commit(root, "c8 side2: nothing followed", {"README.md": "side\n"}, when=8)
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "--no-commit", "side2")
    write_files(root, {CAROL: records("carol", "z", "b", "b", "c", "d", "a", "m")})
    commit(root, "m2 merge with a record of its own", {}, when=9)
    commit(root, "c7 the batch changes", {BATCH: batch(("carol", "k"), ("nobody-here", "k"), ("erin", "l"),
                                                       ("dave", "k"))}, when=10)


def found(root: Path, *, use_cache: bool) -> dict[tuple[str, int], tuple[str, str | None]]:
    subjects = dict(line.split(" ", 1) for line in git(root, "log", "--all", "--format=%H %s").splitlines())
    with Repository(root) as repo:
        credits = record_credits(repo, use_cache=use_cache)
    table = {}
    for path in (CAROL, DAVE, DAVE_MOVED, BATCH):
        for index, credit in enumerate(credits.of_file(path)):
            if credit is not None:
                table[(path, index)] = (subjects[credit.commit.sha], subjects[credit.merge.sha] if credit.merge else None)
    return table


def test_the_credits_of_a_fixed_history_are_pinned_with_the_format(tmp_path):
    root = tmp_path / "org"
    history(root)
    subjects = dict(line.split(" ", 1) for line in git(root, "log", "--all", "--format=%H %s").splitlines())
    with Repository(root) as repo:
        trail = {(e.path, e.index): (subjects[e.commit.sha], subjects[e.merge.sha] if e.merge else None)
                 for entries in audit_all(repo).values() for e in entries if e.kind in ("record", "import")}
    assert trail == EXPECTED  # the audit trail's rules, as `lmsgen audit` shows them
    assert (module.FORMAT, found(root, use_cache=False)) == (PINNED_FORMAT, EXPECTED), (
        "the record credits of a fixed history changed: raise record_credits.FORMAT (the credits an older lmsgen "
        "kept would otherwise be read back), then PINNED_FORMAT and EXPECTED here")


def test_an_upgrade_of_lmsgen_reads_the_kept_credits_back(tmp_path, monkeypatch):
    root = tmp_path / "org"
    history(root)
    first = found(root, use_cache=True)
    import lmsgen.cache.digests as digests

    monkeypatch.setattr(digests, "code_digest", lambda: "another lmsgen")

    def walked(*args, **kwargs):
        raise AssertionError("the whole history was walked again")

    monkeypatch.setattr(module, "_walked", walked)
    monkeypatch.setattr(module, "_extended", walked)
    assert found(root, use_cache=True) == first


@pytest.mark.parametrize("format_", [1, 3])
def test_credits_kept_in_another_format_are_not_read(tmp_path, monkeypatch, format_):
    root = tmp_path / "org"
    history(root)
    monkeypatch.setattr(module, "FORMAT", format_)
    found(root, use_cache=True)  # kept under another format's key
    monkeypatch.setattr(module, "FORMAT", PINNED_FORMAT)
    calls = []
    real = module._walked
    monkeypatch.setattr(module, "_walked", lambda *args: calls.append(1) or real(*args))
    assert found(root, use_cache=True) == EXPECTED
    assert calls == [1]


def test_a_fixed_hash_seed_gives_the_same_credits_with_a_secret_digest(tmp_path, monkeypatch):
    """With PYTHONHASHSEED fixed, Python's hash has a key anyone knows, so an item's identity is BLAKE2b keyed by a
    secret of the process instead (`audit.item_key`): the credits are the same."""
    import lmsgen.history.audit as audit

    root = tmp_path / "org"
    history(root)
    monkeypatch.setattr(audit, "_digest", audit._keyed_digest)
    assert found(root, use_cache=False) == EXPECTED
    assert audit.item_key({"a": 1, "b": "x"}) == audit.item_key({"b": "x", "a": 1}) != hash(repr((("a", 1), ("b", "x"))))


@pytest.mark.parametrize(("seed", "keyed"), [("0", True), ("123", True), ("random", False), (None, False)])
def test_the_digest_is_keyed_by_a_secret_when_the_hash_seed_is_fixed(seed, keyed):
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONHASHSEED"}
    if seed is not None:
        environment["PYTHONHASHSEED"] = seed
    shown = subprocess.run(
        [sys.executable, "-c", "from lmsgen.history import audit; print(audit._digest is audit._keyed_digest)"],
        env=environment, capture_output=True, text=True, check=True).stdout
    assert shown == f"{keyed}\n"
