"""The site's record credits (history/record_credits.py): the audit trail's, whether walked whole, read back from the
cache, or extended from a cached commit with only the commits since."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import commit_all, git, write_files

from lmsgen.cache.store import cache_home
from lmsgen.history.audit import audit_all
from lmsgen.history.record_credits import record_credits
from lmsgen.history.repository import Repository

PEOPLE = ["carol", "dave", "erin"]
COURSES = ["incident-response", "security-intro", "onboarding"]
AUTHORS = ["Bob Lee <bob@acme.example>", "Alice Moe <alice@acme.example>", "Dana Poe <dana@acme.example>"]


def expected(root: Path) -> dict[tuple[str, int], tuple[str, str | None]]:
    """What the audit trail says of each record and imported completion."""
    with Repository(root) as repo:
        return {(e.path, e.index): (e.commit.sha, e.merge.sha if e.merge else None)
                for entries in audit_all(repo).values() for e in entries if e.kind in ("record", "import")}


def credited(root: Path, *, use_cache: bool) -> dict[tuple[str, int], tuple[str, str | None]]:
    with Repository(root) as repo:
        credits = record_credits(repo, use_cache=use_cache)
    found = {}
    for path in [p.relative_to(root).as_posix() for p in root.rglob("*.yaml") if ".git" not in p.parts]:
        for index in range(200):
            credit = credits.get((path, index))
            if credit is not None:
                found[(path, index)] = (credit.commit.sha, credit.merge.sha if credit.merge else None)
    assert len(credits) == len(found)
    return found


def records_file(person: str, team: str = "platform") -> str:
    return f"teams/{team}/records/{person}.yaml"


def change(root: Path, rng: random.Random) -> None:
    """One random change to records files and batches of imported completions."""
    person = rng.choice(PEOPLE)
    path = next(iter(sorted(root.glob(f"teams/*/records/{person}.yaml"))), None)
    rel = path.relative_to(root).as_posix() if path else records_file(person)
    lines = path.read_text(encoding="utf-8").splitlines() if path else [f"person: {person}", "records:"]
    record = f"  - {{course: {rng.choice(COURSES)}, date: 2026-0{rng.randint(1, 9)}-01, by: {person}}}"
    what = rng.randrange(6)
    if what == 0 and len(lines) > 2:  # a record removed
        del lines[rng.randrange(2, len(lines))]
    elif what == 1 and len(lines) > 2:  # a record copied (the same record twice)
        lines.append(lines[rng.randrange(2, len(lines))])
    elif what == 2 and path:  # the file moves to another team
        write_files(root, {rel: None})
        rel = records_file(person, rng.choice(["platform", "security", "moved"]))
    elif what == 3:  # a batch of imported completions, new or grown
        batch = f"completions/lrs/b{rng.randrange(3)}.yaml"
        old = (root / batch).read_text(encoding="utf-8") if (root / batch).exists() else "source: lrs\nrecords:\n"
        entry = f"  - {{person: {rng.choice(PEOPLE + ['nobody-here'])}, course: {rng.choice(COURSES)}, " \
                f"date: 2026-05-0{rng.randint(1, 9)}}}\n"
        write_files(root, {batch: old + entry})
        return
    elif what == 4:  # records put in another order
        body = lines[2:]
        rng.shuffle(body)
        lines[2:] = body
    else:
        lines.append(record)
    write_files(root, {rel: "\n".join(lines) + "\n"})


@pytest.mark.parametrize("seed", range(4))
def test_cached_and_extended_credits_are_the_audit_trails(make_org, seed):
    rng = random.Random(seed)
    root = make_org()
    for step in range(14):
        if rng.random() < 0.35:  # a pull request: a side branch of a few commits, merged with a merge commit
            git(root, "checkout", "-q", "-b", f"side-{step}")
            for _ in range(rng.randint(1, 3)):
                change(root, rng)
                commit_all(root, "side change", author=rng.choice(AUTHORS))
            git(root, "checkout", "-q", "main")
            if rng.random() < 0.5:  # main moved on meanwhile
                change(root, rng)
                commit_all(root, "main change", author=rng.choice(AUTHORS))
            git(root, "-c", "user.name=Merger", "-c", "user.email=merger@acme.example",
                "merge", "-q", "--no-ff", "-X", "theirs", f"side-{step}", "-m", "merge")
        else:
            for _ in range(rng.randint(1, 2)):
                change(root, rng)
                commit_all(root, "direct change", author=rng.choice(AUTHORS))
        truth = expected(root)
        assert credited(root, use_cache=True) == truth  # extended from the last step's cache
        assert credited(root, use_cache=True) == truth  # read back as it is
        assert credited(root, use_cache=False) == truth


def test_a_commit_off_the_cached_line_walks_the_whole_history(make_org):
    root = make_org()
    rng = random.Random(7)
    base = git(root, "rev-parse", "HEAD").strip()
    for _ in range(3):
        change(root, rng)
        commit_all(root, "change", author=AUTHORS[0])
    credited(root, use_cache=True)
    git(root, "reset", "-q", "--hard", base)  # the cached commit is no longer on the line (a rewritten branch)
    change(root, rng)
    commit_all(root, "another change", author=AUTHORS[1])
    assert credited(root, use_cache=True) == expected(root)
    home, folder = cache_home(root)
    assert list((home / folder).glob("credits-*.marshal"))


def test_a_damaged_cache_is_not_believed(make_org):
    root = make_org()
    truth = credited(root, use_cache=True)
    home, folder = cache_home(root)
    for cached in (home / folder).glob("credits-*.marshal"):
        cached.write_bytes(cached.read_bytes()[:-10] + b"0123456789")
    assert credited(root, use_cache=True) == truth == expected(root)


@pytest.mark.parametrize("kept", [None, 3, ("x",), ("0" * 40, [], [], {}), ("0" * 40, [("a", "b", "c", "d")], [(0, -1)],
                                                                          {"teams/a/records/b.yaml": ("x", b"\0\0\0\0", 5)}),
                                  ("0" * 40, [("a", "b", "c", "d")], [(0, 7)], {})])
def test_a_kept_state_of_another_shape_is_not_believed(make_org, kept):
    from lmsgen.history import record_credits as module

    root = make_org()
    store = module._store(root)
    store.put(module._key(), kept)
    store.save()
    assert credited(root, use_cache=True) == expected(root)


@pytest.mark.parametrize("fails", [False, True])
def test_a_helper_process_reads_half_the_blobs(make_org, monkeypatch, fails):
    """The whole walk with its second half of blobs read in a forked process (`credits_blobs.Helper`), as on a machine
    with a core to spare; a helper that fails leaves the walk to read them itself."""
    import os

    from lmsgen.history import credits_blobs

    root = make_org()
    rng = random.Random(3)
    for _ in range(8):
        change(root, rng)
        commit_all(root, "change", author=rng.choice(AUTHORS))
    truth = expected(root)
    monkeypatch.setattr(credits_blobs, "FORKED", True)
    monkeypatch.setattr(credits_blobs, "HELPED", 1)
    if fails:
        parent, real = os.getpid(), credits_blobs._blob
        monkeypatch.setattr(credits_blobs, "_blob", lambda *args: real(*args) if os.getpid() == parent else 1 / 0)
    assert credited(root, use_cache=False) == truth
