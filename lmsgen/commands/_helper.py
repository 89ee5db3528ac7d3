"""What the helper commands (request, complete, assign, attend) share: open the repository, build
the change, commit it on a new branch, and say how to open the pull request."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from ..cache.memo import Memo
from ..messages import DEFAULT_LANGUAGE, Catalog
from . import _language, reporting
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
    text = _language.at_root(root)
    try:
        with Repository(root) as repo:
            workspace = Workspace(repo, None if args.no_cache else Memo.for_root(root), today=date.today())
            submitted = workspace.submit(build(workspace))
    except UnknownId as problem:
        return unknown(command, problem.what, problem.value, problem.known, text)
    except Refused as problem:
        print(f"lmsgen {command}: {text(problem.key, **problem.values) if problem.key else problem}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidChange as problem:
        return refused(command, problem.diagnostics, text=text)
    sys.stdout.write(render(submitted, text))
    return EXIT_OK


def render(submitted: Submitted, text: Catalog | None = None) -> str:
    """What was committed where, who approves it, and the commands that open the pull request."""
    text = text or Catalog(DEFAULT_LANGUAGE)
    out = [text("cli.committed", commit=submitted.commit[:12], branch=submitted.branch)]
    for path in submitted.files:
        owners = submitted.approvers.get(path) or []
        approved = text("cli.approved_by", owners=text("cli.or").join(owners))
        out.append(f"  {path}" + (f"  {approved}" if owners else ""))
    out += [text("cli.push", target=submitted.target), f"  git push -u origin {submitted.branch}"]
    if submitted.url:
        out.append(f"  {submitted.url}")
    return "\n".join(out) + "\n"


def refused(command: str, diagnostics: list[Diagnostic], why: str | None = None, text: Catalog | None = None) -> int:
    """Prints the problems (`path:line:col` diagnostics, in English), then why nothing was written (`why`, with
    `{problems}` for how many, else the catalog's `cli.refused.invalid`); exit 1."""
    sys.stderr.write(reporting.render(diagnostics, "text"))
    if why is not None:
        print(f"lmsgen {command}: {why.format(problems=reporting.summary(diagnostics))}, so nothing was written",
              file=sys.stderr)
    else:
        text = text or Catalog(DEFAULT_LANGUAGE)
        print(f"lmsgen {command}: {text('cli.refused.invalid', problems=_language.summary(text, diagnostics))}",
              file=sys.stderr)
    return EXIT_DATA
