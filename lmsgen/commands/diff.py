"""`lmsgen diff --base REF`: what a change does, for its reviewers (and as a pull-request comment)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..cache.memo import Memo
from ..rules.validation import Validated, validate, validate_root
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, add_no_cache, root_of
from .status import as_of_date


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("diff", help="what the change since REF does: assignments, due dates, approvals, "
                                              "money")
    parser.add_argument("--base", required=True, metavar="REF",
                        help="the branch the change goes into; compared from its merge base with HEAD to the "
                             "working tree")
    parser.add_argument("--format", choices=("text", "markdown"), default="text",
                        help="text, or markdown for a pull-request comment (default: text)")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="DATE",
                        help="the date the statuses are compared on (default: today)")
    add_no_cache(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history.diffreport import render_markdown, render_text, report
    from ..history.repository import Repository

    root = root_of(args)
    with Repository(root) as repo:
        base_rev = repo.merge_base(args.base, "HEAD")
        base = validate(repo.load_at(base_rev, None if args.no_cache else Memo.for_root(root)))
        head = validate_root(root, use_cache=not args.no_cache)
        changed = repo.changed_paths(base_rev)
    for side, name in ((head, "the change"), (base, f"{args.base} (at {base_rev[:12]})")):
        if not side.ok:
            return _invalid(side, name, args.format)
    found = report(base.organisation, head.organisation, changed, args.as_of or date.today())
    sys.stdout.write(render_markdown(found) if args.format == "markdown" else render_text(found))
    return EXIT_OK


def _invalid(side: Validated, name: str, fmt: str) -> int:
    errors = [d for d in side.diagnostics if d.is_error]
    sys.stderr.write(reporting.render(errors, "text"))
    note = f"{name} has errors ({reporting.summary(errors)}), so it cannot be summarised: see lmsgen check."
    print(f"**{note}**" if fmt == "markdown" else f"lmsgen diff: {note}")
    return EXIT_DATA
