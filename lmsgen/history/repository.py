"""The organisation's git repository: a commit's files without a checkout, history in one pass,
and new commits built beside the working tree.

GitPython starts a process for most calls, so every question here is answered by a constant
number of them: a tree is one `git ls-tree`, blob contents go through GitPython's one persistent
`git cat-file --batch` process (and only for blobs the parse cache does not know), a history is
one `git log`. Nothing here prints or exits: problems are raised as `GitError` with a message
meant for the person at the terminal.
"""

from __future__ import annotations

import io
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import git
from gitdb.base import IStream

from ..cache.digests import blob_id
from ..cache.memo import Memo
from ..errors import GitError
from ..model.diagnostics import Diagnostic, error
from ..model.files import FileRef
from ..model.layout import DATA_ROOTS, STRAY_CACHE, STRAY_CACHE_MESSAGE
from ..model.loading import LoadResult, load
from ..writing import LINK, NOT_FOLDER, NOT_REGULAR

_STRICT_IDENTITY = "user.useConfigOnly=true"
"""Never let git guess a name and e-mail from the machine: a commit names the person who made it."""

_NO_BLOB = "0" * 40


@dataclass(frozen=True)
class TreeEntry:
    """One entry of `git ls-tree -r`: a path relative to the root, its mode and its object id."""

    path: str
    mode: str
    sha: str

    @property
    def is_file(self) -> bool:
        return self.mode in ("100644", "100755")


@dataclass(frozen=True)
class Change:
    """A path a commit changed, with the blob before and after (None: the path did not exist)."""

    path: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class LogCommit:
    """A commit of a history walk, with its changes to the paths asked about.

    For a merge, `changes` are against its first parent: what the merge brought to its branch.
    """

    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: str
    """The author date, ISO 8601 with the author's offset."""
    changes: tuple[Change, ...]


class Repository:
    """The git repository whose working tree top is the organisation root.

    Use it as a context manager, so the persistent `git cat-file` process ends with it.
    """

    def __init__(self, root: Path):
        root = root.resolve()
        try:
            repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(f"{root} is not in a git repository") from None
        top = Path(repo.working_tree_dir).resolve() if repo.working_tree_dir else None
        if top != root:
            repo.close()
            raise GitError(f"{root} is not the top of its git repository ({top}): "
                           f"the organisation is the whole repository, so use --root {top}")
        self.root = root
        self.repo = repo

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.repo.close()

    def _run(self, *args: str, env: dict[str, str] | None = None, strip: bool = True) -> str:
        try:
            return self.repo.git.execute(["git", *args], env=env, strip_newline_in_stdout=strip)
        except git.GitCommandError as problem:
            raise GitError(_last_line(problem.stderr) or f"git {args[0]} failed") from None

    # --- revisions ----------------------------------------------------------------------

    def commit_of(self, rev: str) -> str:
        """The full id of the commit `rev` names (a branch, tag, id or expression like HEAD~2)."""
        try:
            return self.repo.git.execute(["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
                                          f"{rev}^{{commit}}"])
        except git.GitCommandError:
            raise GitError(f"unknown revision '{rev}': name a commit, branch or tag of this repository") from None

    def merge_base(self, one: str, other: str) -> str:
        """The best common ancestor of two commits: where a pull request's branch left its target."""
        commits = [self.commit_of(one), self.commit_of(other)]
        try:
            return self.repo.git.execute(["git", "merge-base", *commits])
        except git.GitCommandError:
            raise GitError(f"'{one}' and '{other}' have no common history (in a shallow clone, fetch the "
                           f"history first: git fetch --unshallow)") from None

    def has_commit(self, rev: str) -> bool:
        try:
            self.commit_of(rev)
        except GitError:
            return False
        return True

    # --- trees and blobs ----------------------------------------------------------------

    def tree(self, rev: str, paths: Iterable[str] = DATA_ROOTS) -> list[TreeEntry]:
        """Every entry below `paths` in the commit's tree, recursively, from one `git ls-tree`."""
        out = self._run("ls-tree", "-r", "-z", "--full-tree", self.commit_of(rev), "--", *paths, strip=False)
        entries = []
        for item in out.split("\0"):
            if item:
                meta, path = item.split("\t", 1)
                mode, _type, sha = meta.split(" ")
                entries.append(TreeEntry(path, mode, sha))
        return entries

    def read(self, sha: str) -> bytes:
        """A blob's bytes, through GitPython's one persistent `git cat-file --batch` process."""
        return self.repo.git.get_object_data(sha)[3]

    def read_all(self, shas: list[str]) -> Iterator[tuple[str, bytes]]:
        """Each blob's id and bytes, in order, from one `git cat-file --batch` process fed all the ids at once:
        for thousands of blobs, a call each through `read` costs more than reading them."""
        if not shas:
            return
        try:
            process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as problem:
            raise GitError(f"git cat-file could not be started: {problem}") from None
        assert process.stdin is not None and process.stdout is not None
        stdin = process.stdin

        def feed() -> None:
            try:
                stdin.write("".join(f"{sha}\n" for sha in shas).encode())
                stdin.close()
            except OSError:  # git ended early; the reader says why
                pass

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            for sha in shas:
                header = process.stdout.readline().split()
                if len(header) != 3 or header[1] != b"blob":
                    raise GitError(f"git cat-file could not read blob {sha}")
                raw = process.stdout.read(int(header[2]) + 1)[:-1]
                yield sha, raw
        finally:
            process.stdout.close()
            writer.join()
            process.wait()

    def files_at(self, rev: str) -> tuple[list[FileRef], list[Diagnostic]]:
        """The organisation's files in commit `rev`, as the loader takes them, and the entries it refuses
        (links, submodules, and a committed cache folder).

        Nothing is read here: the loader reads a blob only when the parse cache does not know it.
        """
        refs, problems = [], []
        stray_cache = False
        for entry in self.tree(rev, (*DATA_ROOTS, STRAY_CACHE)):
            if entry.path.split("/", 1)[0] == STRAY_CACHE:
                stray_cache = True
            elif entry.is_file:
                refs.append(FileRef(entry.path, entry.sha, lambda sha=entry.sha: self.read(sha)))
            else:
                problems.append(_refused(entry, "file"))
        if stray_cache:
            problems.append(error(STRAY_CACHE, (1, 1), STRAY_CACHE_MESSAGE))
        return refs, problems

    def file_at(self, rev: str, path: str) -> bytes | None:
        """The bytes of one file in commit `rev`, or None when it has no such file."""
        found = [entry for entry in self.tree(rev, [path]) if entry.path == path and entry.is_file]
        return self.read(found[0].sha) if found else None

    def read_at(self, rev: str, path: str) -> tuple[bytes | None, Diagnostic | None]:
        """As `file_at`, but a link (at the path or at a folder above it) or a submodule there is not "no such
        file": it is refused, as an error at its path, as the working tree's would be."""
        folders = ["/".join(path.split("/")[:depth]) for depth in range(1, path.count("/") + 1)]
        entries = {entry.path: entry for entry in self.tree(rev, [path, *folders])}
        for folder in folders:
            if folder in entries:  # a folder is no entry of `ls-tree -r`: what is there instead is a link or file
                return None, _refused(entries[folder], "folder")
        found = entries.get(path)
        if found is None:
            return None, None
        return (self.read(found.sha), None) if found.is_file else (None, _refused(found, "file"))

    def load_at(self, rev: str, memo: Memo | None = None, overlay: dict[str, bytes | None] | None = None
                ) -> LoadResult:
        """The organisation as it was in commit `rev`, read from git objects without a checkout.

        `overlay` (path to bytes, or None for a file removed) adds, replaces or removes files: the organisation a
        commit would make.
        """
        refs, problems = self.files_at(rev)
        if overlay:
            refs = [ref for ref in refs if ref.path not in overlay]
            refs += [FileRef(path, blob_id(raw), lambda raw=raw: raw) for path, raw in sorted(overlay.items())
                     if raw is not None]
        result = load(refs, memo)
        result.diagnostics[:0] = problems
        return result

    def changed_paths(self, rev: str) -> list[str]:
        """The paths whose content in the working tree differs from commit `rev`, sorted: tracked files
        (committed or not) and new files under the data folders that git does not track yet."""
        tracked = self._run("diff", "--name-only", "-z", "--no-renames", self.commit_of(rev), "--", strip=False)
        untracked = self._run("ls-files", "-z", "--others", "--exclude-standard", "--", *DATA_ROOTS, strip=False)
        return sorted({path for path in (tracked + untracked).split("\0") if path})

    # --- history ------------------------------------------------------------------------

    def log(self, rev: str, pathspecs: Iterable[str], *, since: str | None = None) -> list[LogCommit]:
        """Every commit reachable from `rev` that changed a path in `pathspecs`, and every merge, in one `git log`;
        with `since`, only those that are not reachable from it.

        Children come before parents. Parents are rewritten to the nearest listed ancestor, so
        following first parents from the first commit walks the branch's own line; a merge's
        changes are those against its first parent (what the merge brought in).
        """
        fields = "%x01%H%x00%P%x00%an%x00%ae%x00%aI%x00"
        out = self._run("log", "-z", "--raw", "--no-abbrev", "--no-renames", "--root", "--full-history",
                        "--parents", "--topo-order", "--diff-merges=first-parent", "--no-show-signature",
                        f"--format={fields}", self.commit_of(rev), *([f"^{self.commit_of(since)}"] if since else []),
                        "--", *pathspecs, strip=False)
        commits = []
        for chunk in out.split("\x01")[1:]:
            sha, parents, author, email, when, rest = chunk.split("\0", 5)
            tokens = rest.lstrip("\0\n").split("\0")
            changes = []
            for meta, path in zip(tokens[0::2], tokens[1::2]):
                if meta.startswith(":"):
                    _old_mode, _new_mode, old, new, _status = meta[1:].split(" ")
                    changes.append(Change(path, None if old == _NO_BLOB else old, None if new == _NO_BLOB else new))
            commits.append(LogCommit(sha, tuple(parents.split()), author, email, when, tuple(changes)))
        return commits

    def first_parent_line(self, old: str, new: str) -> bool:
        """Whether commit `old` is on the first-parent line of commit `new` (or is it): what `new` adds to it is
        then the commits of `git log old..new`, and its branch went through `old`."""
        old, new = self.commit_of(old), self.commit_of(new)
        if old == new:
            return True
        line = self._run("rev-list", "--first-parent", "--parents", f"^{old}", new).splitlines()
        return bool(line) and line[-1].split()[1:2] == [old]

    # --- writing ------------------------------------------------------------------------

    def has_branch(self, name: str) -> bool:
        """Whether `name` is a branch here, or on a remote as this clone last fetched it (`refs/remotes/*/name`)."""
        return bool(self._run("for-each-ref", "--count=1", "--format=%(refname)", f"refs/heads/{name}",
                              f"refs/remotes/*/{name}"))

    def branch_tips(self, *patterns: str) -> list[str]:
        """The commits that the refs matching `patterns` (git for-each-ref's, such as `refs/heads/x-*`) point to."""
        return sorted(set(self._run("for-each-ref", "--format=%(objectname)", *patterns).split()))

    def free_branch(self, name: str) -> str:
        """`name`, or `name-2`, `name-3`, ... : the first that is not a branch yet, here or on a remote as this clone
        last fetched it (a CI job's fresh clone pushes what it makes, where yesterday's branch may be)."""
        candidate, number = name, 1
        while self.has_branch(candidate):
            number += 1
            candidate = f"{name}-{number}"
        return candidate

    def commit_on_new_branch(self, parent: str, files: dict[str, bytes | None], message: str, branch: str) -> str:
        """Commits `files` (path to new bytes, or None to remove the file) on top of commit `parent` as the new
        branch `branch`; a file removed and the same bytes added elsewhere is a move, as `git mv` makes it.

        The working tree, the index and the checked-out branch are not touched: the blobs are
        written to the object store and the tree is built in a temporary index. Returns the commit id.
        """
        blobs = {path: self.repo.odb.store(IStream("blob", len(raw), io.BytesIO(raw))).hexsha.decode()
                 for path, raw in files.items() if raw is not None}
        removed = [path for path, raw in files.items() if raw is None]
        with tempfile.TemporaryDirectory(prefix="lmsgen-index-") as folder:
            env = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
            self._run("read-tree", parent, env=env)
            infos = [arg for path, sha in blobs.items() for arg in ("--cacheinfo", f"100644,{sha},{path}")]
            self._run("update-index", "--add", *infos, env=env)
            if removed:
                self._run("update-index", "--force-remove", "--", *removed, env=env)
            tree = self._run("write-tree", env=env)
        commit = self._run("-c", _STRICT_IDENTITY, "commit-tree", tree, "-p", parent, "-m", message)
        # The empty old value makes git refuse to move a branch that appeared meanwhile.
        self._run("update-ref", "-m", "lmsgen: new branch", f"refs/heads/{branch}", commit, _NO_BLOB)
        return commit


def _refused(entry: TreeEntry, kind: str) -> Diagnostic:
    """Why a tree entry that is not a regular file is refused where a `kind` (file or folder) belongs."""
    if entry.mode == "120000":
        return error(entry.path, (1, 1), LINK.format(kind))
    if entry.mode == "160000":
        return error(entry.path, (1, 1), "a git submodule is not part of the layout")
    return error(entry.path, (1, 1), NOT_FOLDER if kind == "folder" else NOT_REGULAR)


def identity_problem(where: Path) -> str | None:
    """Why git, run in the folder `where`, could not sign a commit with a name and e-mail, or None when it can."""
    for who in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        try:
            git.Git(where).execute(["git", "-c", _STRICT_IDENTITY, "var", who])
        except git.GitCommandError:
            return ('git does not know who you are: set your name and e-mail with '
                    'git config --global user.name "Your Name" and '
                    'git config --global user.email you@example.org')
    return None


def init_repository(root: Path, branch: str, message: str) -> str:
    """`git init` in `root` with `branch` as its first branch, and one commit of everything in it."""
    try:
        git.Repo.init(root, initial_branch=branch).close()
    except git.GitCommandError as problem:
        raise GitError(_last_line(problem.stderr) or "git init failed") from None
    with Repository(root) as created:
        created._run("add", "--all")
        created._run("-c", _STRICT_IDENTITY, "commit", "--quiet", "--no-verify", "-m", message)
        return created.commit_of("HEAD")


def _last_line(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return last.removeprefix("stderr: ").strip("'").removeprefix("fatal: ")
