import os

import pytest
from conftest import commit_all, git, write_files

from lmsgen.cache.memo import Memo
from lmsgen.errors import GitError
from lmsgen.history.repository import Repository, identity_problem
from lmsgen.history.revision import validate_at
from lmsgen.model.loading import load_root
from lmsgen.rules.validation import validate

RECORDS = "teams/platform/records/carol.yaml"


def test_the_root_must_be_the_top_of_a_git_repository(make_org, tmp_path):
    root = make_org()
    with pytest.raises(GitError, match=f"^{tmp_path / 'elsewhere'} is not in a git repository$"):
        (tmp_path / "elsewhere").mkdir()
        Repository(tmp_path / "elsewhere")
    with pytest.raises(GitError) as raised:
        Repository(root / "catalog")
    assert str(raised.value) == (f"{root / 'catalog'} is not the top of its git repository ({root}): "
                                 f"the organisation is the whole repository, so use --root {root}")


def test_revisions_resolve_to_commits_or_say_what_is_wrong(make_org):
    root = make_org()
    with Repository(root) as repo:
        head = repo.commit_of("HEAD")
        assert repo.commit_of("main") == head == git(root, "rev-parse", "HEAD").strip()
        with pytest.raises(GitError, match="^unknown revision 'nope': name a commit, branch or tag of this "
                                           "repository$"):
            repo.commit_of("nope")
        with pytest.raises(GitError, match="unknown revision '--all'"):
            repo.commit_of("--all")


def test_a_commit_loads_without_a_checkout_and_unchanged_blobs_come_from_the_cache(make_org, monkeypatch):
    root = make_org()
    old = git(root, "rev-parse", "HEAD").strip()
    write_files(root, {RECORDS: None, "catalog/new-course.yaml": "title: New\nformat: webinar\n"})
    commit_all(root, "later")
    write_files(root, {"catalog/uncommitted.yaml": "title: Not yet\nformat: webinar\n"})
    cache = Memo.for_root(root)
    with Repository(root) as repo:
        then = repo.load_at(old, cache).organisation
        assert [e.source.path for e in then.records] == [RECORDS]
        assert "new-course" not in then.courses and "uncommitted" not in then.courses
        now = repo.load_at("HEAD", cache).organisation
        assert then.records and not now.records and "new-course" in now.courses
        # Every blob is known now: nothing is read again.
        monkeypatch.setattr(Repository, "read", lambda self, sha: pytest.fail(f"read {sha}"))
        again = repo.load_at(old, cache)
    assert again.diagnostics == [] and len(again.organisation.courses) == len(then.courses)


def test_an_older_commit_validates_with_positions_read_from_its_blobs(make_org):
    root = make_org({"catalog/k8s-ojt.yaml": "title: Kubernetes on the job\nformat: ojt\ntitel: typo\n"})
    old = git(root, "rev-parse", "HEAD").strip()
    write_files(root, {"catalog/k8s-ojt.yaml": "title: Kubernetes on the job\nformat: ojt\n"
                                               "completion: {by: [manager, mentor]}\n"
                                               "checklist: [Deploys a service, Rolls back a release]\n"})
    commit_all(root, "fixed")
    with Repository(root) as repo:
        messages = [str(d) for d in validate_at(repo, old).diagnostics if d.is_error]
        assert "catalog/k8s-ojt.yaml:3:1: unknown key 'titel' (did you mean 'title'?)" in messages
        assert validate_at(repo, "HEAD").ok


def test_validate_at_checks_the_codeowners_of_that_commit(make_org):
    root = make_org()
    write_files(root, {".github/CODEOWNERS": None})
    commit_all(root, "no CODEOWNERS")
    with Repository(root) as repo:
        assert validate_at(repo, "HEAD~1", check_codeowners=True).ok
        found = [str(d) for d in validate_at(repo, "HEAD", check_codeowners=True).diagnostics]
    assert found == [".github/CODEOWNERS:1:1: missing: this file is generated from roles/, teams/ and the "
                     "catalog; run 'lmsgen codeowners' to regenerate it"]


def test_symbolic_links_in_a_commit_are_refused(make_org):
    root = make_org()
    os.symlink("../org.yaml", root / "catalog" / "link.yaml")
    commit_all(root, "a link")
    with Repository(root) as repo:
        refs, problems = repo.files_at("HEAD")
    assert [str(p) for p in problems] == [
        "catalog/link.yaml:1:1: symbolic links are not followed; replace it with the file itself"]
    assert "catalog/link.yaml" not in [ref.path for ref in refs]


def test_a_commit_on_a_new_branch_leaves_the_checkout_as_it_was(make_org):
    root = make_org()
    write_files(root, {"catalog/draft.yaml": "title: Draft\nformat: webinar\n"})  # uncommitted work
    git(root, "add", "catalog/draft.yaml")
    status = git(root, "status", "--porcelain")
    with Repository(root) as repo:
        head = repo.commit_of("HEAD")
        commit = repo.commit_on_new_branch(head, {RECORDS: b"person: carol\n", "budgets/2027.yaml": b"{}\n"},
                                           "Two files\n\nwhy", "lmsgen/two")
        assert repo.free_branch("lmsgen/two") == "lmsgen/two-2"
        assert repo.commit_of("HEAD") == head
    assert git(root, "branch", "--show-current") == "main\n"
    assert git(root, "status", "--porcelain") == status
    assert git(root, "rev-parse", "lmsgen/two").strip() == commit
    assert git(root, "log", "-1", "--format=%P%n%B", commit) == f"{head}\nTwo files\n\nwhy\n\n"
    assert git(root, "diff", "--name-status", head, commit) == "A\tbudgets/2027.yaml\nM\t" + RECORDS + "\n"
    assert git(root, "show", f"{commit}:{RECORDS}") == "person: carol\n"


def test_a_branch_on_the_remote_is_taken_too(make_org):
    """A CI job's fresh clone must not make yesterday's pushed branch again under its name: its push would fail."""
    root = make_org()
    git(root, "update-ref", "refs/remotes/origin/lmsgen/import-lrs-2026-12-03", "HEAD")
    with Repository(root) as repo:
        assert repo.free_branch("lmsgen/import-lrs-2026-12-03") == "lmsgen/import-lrs-2026-12-03-2"
        assert repo.free_branch("lmsgen/import-lrs-2026-12-04") == "lmsgen/import-lrs-2026-12-04"


def test_a_branch_that_appeared_meanwhile_is_not_moved(make_org):
    root = make_org()
    git(root, "branch", "taken")
    with Repository(root) as repo, pytest.raises(GitError):
        repo.commit_on_new_branch(repo.commit_of("HEAD"), {"budgets/2027.yaml": b"{}\n"}, "x", "taken")
    assert git(root, "rev-parse", "taken") == git(root, "rev-parse", "main")


def test_a_missing_identity_is_named_before_anything_is_written(make_org, no_identity):
    root = make_org()
    git(root, "config", "--unset", "user.name")
    git(root, "config", "--unset", "user.email")
    expected = ('git does not know who you are: set your name and e-mail with git config --global user.name '
                '"Your Name" and git config --global user.email you@example.org')
    assert identity_problem(root) == expected
    git(root, "config", "user.name", "Someone")
    git(root, "config", "user.email", "someone@example.org")
    assert identity_problem(root) is None


def test_changed_paths_include_uncommitted_and_new_data_files(make_org):
    root = make_org()
    base = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "-b", "change")
    write_files(root, {"budgets/2027.yaml": "engineering: {amount: 1, currency: EUR}\n"})
    commit_all(root, "committed")
    write_files(root, {RECORDS: None, "catalog/new.yaml": "title: New\nformat: webinar\n", "notes.txt": "x\n"})
    with Repository(root) as repo:
        assert repo.changed_paths(base) == ["budgets/2027.yaml", "catalog/new.yaml", RECORDS]


def test_one_pass_history_lists_merges_with_their_first_parent_changes(make_org):
    root = make_org()
    first = git(root, "rev-parse", "HEAD").strip()
    git(root, "checkout", "-q", "-b", "side")
    write_files(root, {RECORDS: "person: carol\nrecords: []\n"})
    side = commit_all(root, "side")
    git(root, "checkout", "-q", "main")
    write_files(root, {"budgets/2027.yaml": "{}\n"})
    commit_all(root, "unrelated")
    git(root, "merge", "-q", "--no-ff", "side", "-m", "merge")
    merge = git(root, "rev-parse", "HEAD").strip()
    with Repository(root) as repo:
        log = repo.log("HEAD", ["teams/platform/records"])
    assert [(c.sha, c.parents) for c in log] == [(merge, (first, side)), (side, (first,)), (first, ())]
    assert [(ch.path, ch.old is not None, ch.new is not None) for ch in log[0].changes] == [(RECORDS, True, True)]
    assert log[0].changes == log[1].changes
    assert log[2].changes[0].old is None and log[2].author == "Test Author" and log[2].email == "author@example.org"


def test_loading_a_commit_matches_loading_its_checkout(make_org):
    root = make_org()
    with Repository(root) as repo:
        from_git = validate(repo.load_at("HEAD"))
    from_tree = validate(load_root(root, use_cache=False))
    assert from_git.diagnostics == from_tree.diagnostics
    assert from_git.organisation.members.keys() == from_tree.organisation.members.keys()
