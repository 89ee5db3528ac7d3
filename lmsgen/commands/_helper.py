"""What the helper commands (request, complete, assign, attend) share: open the repository, build
the change, commit it on a new branch, and say how to open the pull request."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from ..cache.memo import Memo
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, add_no_cache, root_of
from .status import unknown

if TYPE_CHECKING:  # imported when a helper runs: GitPython is slow to import for every other command
    from ..history.helpers import Proposal, Submitted, Workspace
    from ..model.diagnostics import Diagnostic


def add_common(parser: argparse.ArgumentParser) -> None:
    add_no_cache(parser)


def run_helper(args: argparse.Namespace, command: str, build: Callable[[Workspace], Proposal]) -> int:
    """Builds the proposal on the organisation at HEAD and commits it on a new branch; 0, 1 or 2."""
    from ..history.helpers import InvalidChange, Refused, UnknownId, Workspace
    from ..history.repository import Repository

    root = root_of(args)
    try:
        with Repository(root) as repo:
            workspace = Workspace(repo, None if args.no_cache else Memo.for_root(root), today=date.today())
            submitted = workspace.submit(build(workspace))
    except UnknownId as problem:
        return unknown(command, problem.what, problem.value, problem.known)
    except Refused as problem:
        print(f"lmsgen {command}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidChange as problem:
        return refused(command, problem.diagnostics)
    sys.stdout.write(render(submitted))
    return EXIT_OK


def refused(command: str, diagnostics: list[Diagnostic]) -> int:
    """Reports the errors a change would add (nothing was written); 1."""
    sys.stderr.write(reporting.render(diagnostics, "text"))
    print(f"lmsgen {command}: the change would add {reporting.summary(diagnostics)} to the organisation, so "
          f"nothing was written", file=sys.stderr)
    return EXIT_DATA


def render(submitted: Submitted) -> str:
    """What was committed where, who approves it, and the commands that open the pull request."""
    out = [f"Committed {submitted.commit[:12]} on the new branch {submitted.branch} (your checkout is unchanged):"]
    for path in submitted.files:
        owners = submitted.approvers.get(path) or []
        out.append(f"  {path}" + (f"  (approved by {' or '.join(owners)})" if owners else ""))
    out += [f"Push it, then open the pull request into {submitted.target}:",
            f"  git push -u origin {submitted.branch}"]
    if submitted.url:
        out.append(f"  {submitted.url}")
    return "\n".join(out) + "\n"
