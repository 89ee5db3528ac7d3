from pathlib import Path

import pytest
from conftest import commit_all, git, write_files

from lmsgen.history.audit import audit, audit_all, pathspecs
from lmsgen.history.repository import Repository

RECORDS = "teams/platform/records/carol.yaml"
BOB = "Bob Lee <bob@acme.example>"
ALICE = "Alice Moe <alice@acme.example>"
DANA = "Dana Poe <dana@acme.example>"


def append(root: Path, path: str, line: str) -> None:
    with open(root / path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def credits(entries):
    """(kind, course or request file, commit, merge) of each entry."""
    return [(e.kind, e.item.get("course"), e.commit.sha, e.merge.sha if e.merge else None) for e in entries]


@pytest.fixture
def history(make_org):
    """main: organisation; feature (bob): a record, merged with --no-ff by alice; main (dana): a direct record."""
    root = make_org()
    base = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "-b", "bob-records")
    append(root, RECORDS, "  - {course: incident-response, date: 2026-06-01, by: carol}")
    by_bob = commit_all(root, "Carol finished incident response", author=BOB)
    git(root, "checkout", "-q", "main")
    write_files(root, {"catalog/extra.yaml": "title: Extra\nformat: webinar\n"})
    commit_all(root, "An unrelated course")
    git(root, "-c", "user.name=Alice Moe", "-c", "user.email=alice@acme.example",
        "merge", "-q", "--no-ff", "bob-records", "-m", "Merge bob-records")
    merge = git(root, "rev-parse", "HEAD").strip()
    append(root, RECORDS, "  - {course: security-intro, date: 2026-07-01, by: carol}")
    by_dana = commit_all(root, "Security intro", author=DANA)
    return root, {"base": base, "bob": by_bob, "merge": merge, "dana": by_dana}


def test_each_record_and_request_names_the_commit_that_added_it(history):
    root, c = history
    with Repository(root) as repo:
        entries = audit(repo, "carol")
    assert credits(entries) == [
        ("record", "secure-coding", c["base"], None),
        ("record", "k8s-ojt", c["base"], None),
        ("record", "incident-response", c["bob"], c["merge"]),
        ("record", "security-intro", c["dana"], None),
        ("request", "k8s-admin", c["base"], None),
    ]
    merged = entries[2]
    assert (merged.commit.author, merged.commit.email) == ("Bob Lee", "bob@acme.example")
    assert (merged.merge.author, merged.path, merged.index) == ("Alice Moe", RECORDS, 2)
    assert entries[3].commit.author == "Dana Poe"
    assert entries[4].path == "teams/platform/requests/carol/2026-11-k8s-admin.yaml"
    assert entries[4].as_json()["merge"] is None


def test_a_move_to_another_team_keeps_the_credits_and_an_edit_is_credited_to_the_editor(history):
    root, c = history
    git(root, "mv", "teams/platform/records", "teams/engineering/records")
    moved = commit_all(root, "Carol's records move with her")
    text = (root / "teams/engineering/records/carol.yaml").read_text()
    (root / "teams/engineering/records/carol.yaml").write_text(text.replace("score: 92", "score: 95"))
    edited = commit_all(root, "Correct a score", author=ALICE)
    with Repository(root) as repo:
        entries = audit(repo, "carol")
    assert moved not in [e.commit.sha for e in entries]
    assert credits(entries)[:4] == [
        ("record", "secure-coding", edited, None),
        ("record", "k8s-ojt", c["base"], None),
        ("record", "incident-response", c["bob"], c["merge"]),
        ("record", "security-intro", c["dana"], None),
    ]
    assert entries[0].path == "teams/engineering/records/carol.yaml"


def test_a_fast_forward_and_a_rebase_credit_the_branch_commits_without_a_merge(make_org):
    root = make_org()
    git(root, "checkout", "-q", "-b", "quick")
    append(root, RECORDS, "  - {course: incident-response, date: 2026-06-01, by: carol}")
    by_bob = commit_all(root, "record", author=BOB)
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--ff-only", "quick")
    with Repository(root) as repo:
        assert credits(audit(repo, "carol"))[2] == ("record", "incident-response", by_bob, None)


def test_a_branch_merged_into_a_branch_credits_the_oldest_commit_that_added_it(make_org):
    root = make_org()
    git(root, "checkout", "-q", "-b", "outer")
    git(root, "checkout", "-q", "-b", "inner")
    append(root, RECORDS, "  - {course: incident-response, date: 2026-06-01, by: carol}")
    by_bob = commit_all(root, "record", author=BOB)
    git(root, "checkout", "-q", "outer")
    git(root, "merge", "-q", "--no-ff", "inner", "-m", "inner into outer")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "outer", "-m", "outer into main")
    merge = git(root, "rev-parse", "HEAD").strip()
    with Repository(root) as repo:
        assert credits(audit(repo, "carol"))[2] == ("record", "incident-response", by_bob, merge)


def test_a_removed_record_leaves_the_trail_and_identical_records_keep_their_own_commits(make_org):
    root = make_org()
    first = git(root, "rev-parse", "HEAD").strip()
    line = "  - {course: incident-response, date: 2026-06-01, by: carol}"
    append(root, RECORDS, line)
    second = commit_all(root, "once")
    append(root, RECORDS, line)
    third = commit_all(root, "twice")
    text = (root / RECORDS).read_text()
    (root / RECORDS).write_text(text.replace("  - {course: k8s-ojt, date: 2026-05-10, by: bob, checklist: [true, true]}\n",
                                             ""))
    commit_all(root, "remove one")
    with Repository(root) as repo:
        assert credits(audit(repo, "carol")) == [
            ("record", "secure-coding", first, None),
            ("record", "incident-response", second, None),
            ("record", "incident-response", third, None),
            ("request", "k8s-admin", first, None),
        ]


def test_everyone_at_once_from_one_pass(history):
    root, c = history
    append(root, "teams/platform/records/dave.yaml", "person: dave\nrecords:\n"
           "  - {course: incident-response, date: 2026-06-02, by: dave}")
    by_dave = commit_all(root, "dave's first record")
    with Repository(root) as repo:
        everyone = audit_all(repo)
        assert everyone["carol"] == audit(repo, "carol")
    assert sorted(everyone) == ["carol", "dave"]
    assert credits(everyone["dave"]) == [("record", "incident-response", by_dave, None)]


def test_a_person_id_must_be_a_slug():
    with pytest.raises(ValueError, match="'../x' is not a person id"):
        pathspecs("../x")


def test_audit_at_an_older_revision(history):
    root, c = history
    with Repository(root) as repo:
        assert [e.item.get("course") for e in audit(repo, "carol", c["bob"])] == [
            "secure-coding", "k8s-ojt", "incident-response", "k8s-admin"]
        assert audit(repo, "nobody") == []
