"""`lmsgen import-completions (--csv FILE | --xapi FILE | --lrs URL [--since DATE]) [--source S] [--dry-run]`:
completions from an e-learning tool or learning record store, as one batch file on a new branch."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, time, timezone
from pathlib import Path

from ..cache.memo import Memo
from ..model.formats import is_slug
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, root_of
from ._helper import add_common, refused, render
from .status import as_of_date

USER_VARIABLE, PASSWORD_VARIABLE = "LMSGEN_LRS_USER", "LMSGEN_LRS_PASSWORD"
"""The environment variables that hold the LRS's basic-auth credentials (never an argument: it would show in `ps`)."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("import-completions", help="import completions from a CSV export, a file of xAPI "
                                                            "statements or a learning record store, on a new branch")
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--csv", metavar="FILE", help="a CSV export: columns person (or email), course, date, score, id")
    given.add_argument("--xapi", metavar="FILE", help="xAPI statements: a JSON array, or one statement per line")
    given.add_argument("--lrs", metavar="URL", help=f"an LRS's xAPI endpoint (the URL that /statements is under); "
                                                    f"credentials from ${USER_VARIABLE} and ${PASSWORD_VARIABLE}")
    parser.add_argument("--since", type=as_of_date, metavar="DATE", help="with --lrs: only statements stored since then")
    parser.add_argument("--source", metavar="S", help="the source's id, the batch's folder (default: csv, xapi or lrs)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be imported; write nothing")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history.helpers import InvalidChange, Workspace
    from ..history.repository import Repository
    from ..integrations import completions, xapi

    source = args.source or ("csv" if args.csv else "xapi" if args.xapi else "lrs")
    if not is_slug(source):
        print(f"lmsgen import-completions: --source '{source}' is not an id: use lowercase letters, digits and "
              f"hyphens", file=sys.stderr)
        return EXIT_USAGE
    if args.since and not args.lrs:
        print("lmsgen import-completions: --since goes with --lrs", file=sys.stderr)
        return EXIT_USAGE
    root = root_of(args)
    with Repository(root) as repo:
        ws = Workspace(repo, None if args.no_cache else Memo.for_root(root), today=date.today())
        pending = completions.pending_ids(ws, source)
        try:
            if args.csv:
                imported = completions.from_csv(ws.org, source, args.csv, Path(args.csv).read_bytes(), today=ws.today,
                                                pending=pending)
            else:
                if args.xapi:
                    statements, problems = xapi.read_statements(args.xapi, Path(args.xapi).read_bytes())
                else:
                    since = datetime.combine(args.since, time(), timezone.utc) if args.since else None
                    lrs = xapi.Lrs(args.lrs, os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE))
                    statements, problems = list(lrs.statements(since)), []
                imported = completions.from_statements(ws.org, source, statements, today=ws.today, pending=pending)
                imported.problems[:0] = problems
        except OSError as problem:
            print(f"lmsgen import-completions: {problem.filename or args.csv or args.xapi}: "
                  f"{problem.strerror or problem}", file=sys.stderr)
            return EXIT_USAGE
        except xapi.LrsError as problem:
            print(f"lmsgen import-completions: {problem}", file=sys.stderr)
            return EXIT_USAGE
        if imported.problems:
            sys.stderr.write(reporting.render(imported.problems, "text"))
            print(f"lmsgen import-completions: {reporting.summary(imported.problems)} in the input, so nothing was "
                  f"written", file=sys.stderr)
            return EXIT_DATA
        sys.stdout.write(imported.summary())
        proposal = completions.batch(ws, imported)
        if proposal is None or args.dry_run:
            print("Nothing new: no branch was made." if proposal is None else
                  f"Dry run: would write {next(iter(proposal.files))}.")
            return EXIT_OK
        try:
            submitted = ws.submit(proposal, lambda files: completions.check_batch(ws, files))
        except InvalidChange as problem:
            return refused("import-completions", problem.diagnostics)
    sys.stdout.write(render(submitted))
    return EXIT_OK
