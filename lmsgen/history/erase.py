"""Erasure: one person out of the working tree and out of every commit, with git-filter-repo.

Retention (`rules/retention.py`) says whose records may go; this removes them, for good. What goes:

- their own files, from every commit: `teams/*/records/<person>.yaml` (and its admin slip) and the folder
  `teams/*/requests/<person>/`, in whichever team they were;
- every other trace (`scrub.Traces`): their member entry becomes a pseudonym's (`erased-<8 hex>`, with the
  date they left, so that it stays a leaver that owns nothing), and their id, name, e-mail address and git
  login become the pseudonym wherever they appear, in every file of every commit and in every commit message:
  others' records they recorded (`by:`), the mentees they had, the roles they held, the attendance lists;
- their identities as an author or committer, through a mailmap;
- branch and tag names that name them.

Others' records keep every field, with the pseudonym where the person was, so they still validate and the
audit still credits them to their commits. The CODEOWNERS at the tip is regenerated when the rewrite
changed what it should say, in a commit of its own.

`plan` finds all of it and changes nothing (the dry run); `apply` runs git-filter-repo (the PyPI package,
run as `python -m git_filter_repo` with this interpreter, so it is the version lmsgen declares) in its
sensitive-data-removal mode, then checks that nothing is left. What a rewrite cannot reach (other clones,
forks, the git host's pull-request refs and caches) is in `finishing_steps`.

May import: `lmsgen.rules`, `lmsgen.model`, `lmsgen.cache`, `lmsgen.errors`, `lmsgen.writing`.
Must not import: integrations, demo, site or commands.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Container
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from ..cache.store import cache_home
from ..errors import GitError
from ..model import formats as m
from ..model.formats import is_slug
from ..model.loading import load_root
from ..model.organisation import Organisation
from ..rules import codeowners
from ..rules.policy import Policy, inputs_broken, load_inputs
from .scrub import Traces, expressions, new_pseudonym

REGENERATED = "Regenerate CODEOWNERS after an erasure (lmsgen erase)"
"""The message of the commit that brings CODEOWNERS up to date after the rewrite; it names nobody."""


@dataclass(frozen=True)
class Plan:
    """Everything an erasure removes or rewrites, found without changing anything."""

    traces: Traces
    team: str
    paths: tuple[str, ...]
    """Files removed from every commit (the person's records and requests, in every team they were in)."""
    mentions: tuple[str, ...]
    """`path:line` of each line of another file at HEAD that names them."""
    commits: tuple[str, ...]
    """Commits the rewrite changes (it also changes every commit after them)."""
    identities: tuple[tuple[str, str], ...]
    """(name, e-mail) of each of their identities as an author or committer."""
    refs: tuple[tuple[str, str], ...]
    """(old, new) full names of the branches and tags whose names name them."""
    total_commits: int
    remote: str | None
    """The URL of the remote `origin`, where the rewritten history must be pushed."""


@dataclass(frozen=True)
class Erased:
    """What `apply` did."""

    plan: Plan
    regenerated: str | None
    """The commit that regenerated CODEOWNERS, when the rewrite made it stale."""
    remaining: tuple[str, ...]
    """Commits that still hold a trace after the rewrite (none, unless a trace was in a form the rules miss)."""
    log: str
    """What git-filter-repo said."""


def _git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1].removeprefix("fatal: ") if message else f"git {args[0]} failed")
    return done.stdout.decode("utf-8", "replace")


def plan(root: Path, person: str, *, today: date, force: bool = False, pseudonym: str | None = None) -> Plan:
    """What erasing `person` from the repository at `root` would do. Raises GitError when it must not be done:
    `person` is not in the organisation, has not left by `today` (unless `force`), or the working tree has
    changes (the rewrite would check out over them)."""
    if not is_slug(person):
        raise GitError(f"'{person}' is not a person id: use lowercase letters, digits and hyphens")
    if _git(root, "rev-parse", "--show-toplevel").strip() != str(root.resolve()):
        raise GitError(f"{root} is not the top of a git repository")
    if dirty := _git(root, "status", "--porcelain", "--untracked-files=all").splitlines():
        raise GitError(f"the working tree has changes ({len(dirty)} path{'s' * (len(dirty) != 1)}, such as "
                       f"{dirty[0][3:]}): commit or remove them first, since a rewrite checks out the new history")
    org = load_root(root, use_cache=False, save=False).organisation
    member = org.members.get(person)
    if member is None:
        raise GitError(f"no person '{person}' in any team file: only someone listed in teams/*/team.yaml can be "
                       f"erased (for an id nobody is listed with, nothing would be found)")
    if clash := _other_meaning(org, person):
        raise GitError(f"'{person}' is also {clash}: replacing it as a word everywhere would change that too; "
                       f"erase this person by hand")
    traces = Traces(person, member.person.name, member.person.email, member.person.git, member.person.left,
                    pseudonym or _free_pseudonym(org.members))
    if not re.search(traces.entry_rule()[0], member.source.read()):
        line, _col = member.source.locate(member.loc)
        raise GitError(f"the entry of '{person}' in {member.source.path} (line {line}) is not written as one flow "
                       f"mapping, '- {{id: {person}, name: ...}}': write it so first, so that erasing can replace "
                       f"all of it")
    left = member.person.left
    if not force and (left is None or left > today):
        raise GitError(f"'{person}' has not left (no 'left' date{'' if left is None else ' on or before today'} "
                       f"in {member.source.path}): erasure is for leavers past retention (lmsgen retention); "
                       f"--force erases someone who has not left")
    paths = _their_paths(root, person)
    identities = _identities(root, traces)
    remote = _git(root, "remote", "get-url", "origin", check=False).strip() or None
    return Plan(traces, member.team, paths, _mentions(root, traces, paths), _touched(root, traces, paths, identities),
                tuple(identities), _refs(root, traces), int(_git(root, "rev-list", "--all", "--count").strip() or 0),
                remote)


def _other_meaning(org: Organisation, person: str) -> str | None:
    """What else `person` names in the files, besides the person: a key or value of the formats, or the id
    of a team, course, session, role or rule. None when nothing does."""
    formats = [value for value in vars(m).values() if isinstance(value, type) and value.__module__ == m.__name__]
    words = {name for model in formats if issubclass(model, BaseModel) for field, info in model.model_fields.items()
             for name in (field, info.alias) if name}
    if person in words | {member.value for enum in formats if issubclass(enum, Enum) for member in enum}:
        return "a word of lmsgen's file formats"
    for what, ids in (("a team", org.teams), ("a course", org.courses), ("a role", org.roles), ("a rule", org.rules),
                      ("a session", {s.id for c in org.courses.values() for s in c.model.sessions})):
        if person in ids:
            return f"the id of {what}"
    return None


def _free_pseudonym(taken: Container[str]) -> str:
    """A pseudonym that is nobody's id yet."""
    while (candidate := new_pseudonym()) in taken:
        pass
    return candidate


def _their_paths(root: Path, person: str) -> tuple[str, ...]:
    """Every path, in any commit, of the person's own records (and admin slip) and requests folder."""
    own = re.compile(rf"^teams/[^/]+/(?:records/{re.escape(person)}(?:\.admin)?\.yaml|requests/{re.escape(person)}/)")
    found = set()
    for path in _git(root, "log", "--all", "--no-renames", "--format=", "--name-only", "-z").split("\0"):
        if own.match(path):
            parts = path.split("/")
            found.add(path if parts[2] == "records" else "/".join(parts[:4]) + "/")
    return tuple(sorted(found))


def _mentions(root: Path, traces: Traces, paths: tuple[str, ...]) -> tuple[str, ...]:
    """`path:line` of every line at HEAD, outside the person's own files, that names them."""
    out = _git(root, "grep", "-n", "-I", "-E", "-e", traces.grep_pattern(), "HEAD", "--",
               ".", *[f":(exclude){path}" for path in paths], check=False)
    found = []
    for line in out.splitlines():
        _rev, path, number, _text = line.split(":", 3)
        found.append(f"{path}:{number}")
    return tuple(found)


def _all_identities(root: Path) -> list[tuple[str, str, str, str, str]]:
    """(commit, author name, author e-mail, committer name, committer e-mail) of every commit."""
    out = _git(root, "log", "--all", "--format=%H%x00%an%x00%ae%x00%cn%x00%ce%x00")
    rows = []
    for line in out.splitlines():
        sha, an, ae, cn, ce, _ = line.split("\0")
        rows.append((sha, an, ae, cn, ce))
    return rows


def _identities(root: Path, traces: Traces) -> list[tuple[str, str]]:
    """Their identities as the author or committer of a commit, or the tagger of a tag."""
    found = set()
    for _sha, an, ae, cn, ce in _all_identities(root):
        found.update((name, email) for name, email in ((an, ae), (cn, ce)) if traces.is_theirs(name, email))
    taggers = _git(root, "for-each-ref", "--format=%(taggername)%00%(taggeremail)", "refs/tags").splitlines()
    for name, email in (line.split("\0") for line in taggers if line.strip("\0")):
        email = email.strip("<>")
        if traces.is_theirs(name, email):
            found.add((name, email))
    return sorted(found)


def _touched(root: Path, traces: Traces, paths: tuple[str, ...], identities: list[tuple[str, str]]) -> tuple[str, ...]:
    """The commits that change: those touching their files, with a trace in a change or a message, or by them."""
    found = set(_git(root, "log", "--all", "--format=%H", "--", *paths).split()) if paths else set()
    found.update(_git(root, "log", "--all", "--format=%H", "-G", traces.grep_pattern()).split())
    found.update(_git(root, "log", "--all", "--format=%H", "-E", f"--grep={traces.grep_pattern()}").split())
    theirs = set(identities)
    found.update(sha for sha, an, ae, cn, ce in _all_identities(root) if {(an, ae), (cn, ce)} & theirs)
    order = _git(root, "rev-list", "--all", "--topo-order", "--reverse").split()
    return tuple(sha for sha in order if sha in found)


def _refs(root: Path, traces: Traces) -> tuple[tuple[str, str], ...]:
    """Branches and tags whose names name the person, with the names they get."""
    word = re.compile(rf"(?<![A-Za-z0-9_-]){re.escape(traces.person)}(?![A-Za-z0-9_-])")
    names = _git(root, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/tags").split()
    return tuple((name, word.sub(traces.pseudonym, name)) for name in names if word.search(name))


def apply(root: Path, planned: Plan) -> Erased:
    """Rewrites the whole history as `planned` says (see the module docstring); raises GitError when
    git-filter-repo fails or the working tree changed since the plan."""
    if _git(root, "status", "--porcelain", "--untracked-files=all").strip():
        raise GitError("the working tree has changes: commit or remove them first")
    for old, new in planned.refs:
        if old.startswith("refs/heads/"):  # moves HEAD too when it is the branch checked out
            _git(root, "branch", "-m", old.removeprefix("refs/heads/"), new.removeprefix("refs/heads/"))
        else:
            _git(root, "update-ref", new, old)
            _git(root, "update-ref", "-d", old)
    traces = planned.traces
    with tempfile.TemporaryDirectory(prefix="lmsgen-erase-") as folder:
        files = {"blobs": expressions(traces.blob_rules()), "messages": expressions(traces.message_rules()),
                 "mailmap": traces.mailmap(list(planned.identities)),
                 "paths": "".join(f"{path}\n" for path in planned.paths).encode()}
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        command = [sys.executable, "-m", "git_filter_repo", "--force", "--sensitive-data-removal", "--no-fetch",
                   "--replace-text", f"{folder}/blobs", "--replace-message", f"{folder}/messages",
                   "--mailmap", f"{folder}/mailmap"]
        if planned.paths:
            command += ["--invert-paths", "--paths-from-file", f"{folder}/paths"]
        done = subprocess.run(command, cwd=root, capture_output=True, stdin=subprocess.DEVNULL)
    log = (done.stdout + done.stderr).decode("utf-8", "replace")
    if done.returncode != 0:
        lines = [line for line in log.splitlines() if line.strip()]
        raise GitError(f"git-filter-repo failed: {lines[-1] if lines else done.returncode}")
    _forget_cache(root)
    regenerated = _regenerate_codeowners(root)
    remaining = _touched(root, traces, _their_paths(root, traces.person), _identities(root, traces))
    return Erased(planned, regenerated, remaining, log)


def _forget_cache(root: Path) -> None:
    """Deletes lmsgen's parse cache, which holds what the old files said (their parsed records too)."""
    home = cache_home(root)
    if home is not None:
        shutil.rmtree(home[0] / home[1], ignore_errors=True)  # refuses a link, and then leaves it


def _regenerate_codeowners(root: Path) -> str | None:
    """Commits the CODEOWNERS the rewritten tip needs, when it differs from the one checked in; None when it
    is current, or cannot be derived (the checks will say why)."""
    loaded = load_inputs(root, use_cache=False)
    if inputs_broken(loaded.organisation):
        return None
    policy = Policy(loaded.organisation)
    if not codeowners.check_file(root, policy):
        return None
    rel, _text = codeowners.write(root, policy)
    _git(root, "add", "--", rel)
    _git(root, "commit", "--quiet", "--no-verify", "-m", REGENERATED)
    return _git(root, "rev-parse", "HEAD").strip()


def finishing_steps(planned: Plan) -> list[str]:
    """What must follow a rewrite, in order: a rewrite changes only this clone."""
    remote = planned.remote or "the organisation's repository on the git host"
    renamed = [old.removeprefix("refs/heads/").removeprefix("refs/tags/") for old, _new in planned.refs]
    steps = [
        "Check the result: lmsgen check, and lmsgen audit on a few people.",
        f"Force-push every branch and tag to {remote}: git push --force --all origin && "
        "git push --force --tags origin (branch protection must allow it for the moment: lift it, push, "
        "restore it).",
    ]
    if renamed:
        steps.append(f"Delete the old names there: git push origin --delete {' '.join(renamed)}")
    steps += [
        "Every other clone must be deleted and cloned again: never pull, merge or push from an old clone, which "
        "would bring the old history back. That includes CI caches, mirrors and backups.",
        "Open pull requests and forks still hold the old commits: close and reopen the pull requests from the "
        "new history, and ask the owners of forks to delete them.",
        "The git host keeps pull-request refs and cached views of old commits: on GitHub, contact GitHub Support "
        "(sensitive data removal) with the first changed commits listed in .git/filter-repo/first-changed-commits; "
        "on GitLab, an owner removes the blobs (Settings > Repository > Remove blobs) and runs housekeeping.",
        "Rebuild and redeploy the site (lmsgen build): its pages, exports and calendar feeds were built from the "
        "old data; delete old build artifacts.",
        "Run lmsgen codeowners and commit if lmsgen check says CODEOWNERS is stale.",
    ]
    return steps
