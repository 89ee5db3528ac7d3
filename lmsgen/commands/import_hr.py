"""`lmsgen import-hr FILE [--dry-run]`: joiners, movers and leavers from an HR export, on a new branch."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..cache.memo import Memo
from ._common import EXIT_OK, EXIT_USAGE, add_no_cache, root_of
from ._helper import refused, render


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("import-hr", help="joiners, movers and leavers from an HR export (CSV), on a new "
                                                   "branch ready for a pull request")
    parser.add_argument("file", metavar="FILE", help="the HR system's export: CSV with a header, ',' or ';' between "
                                                     "fields, UTF-8")
    parser.add_argument("--dry-run", action="store_true", help="print the summary only; write nothing")
    add_no_cache(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history.helpers import InvalidChange, Refused, Workspace
    from ..history.repository import Repository
    from ..integrations.hr import ExportRefused, import_hr, summary

    try:
        raw = Path(args.file).read_bytes()
    except OSError as problem:
        print(f"lmsgen import-hr: cannot read {args.file}: {problem.strerror or problem}", file=sys.stderr)
        return EXIT_USAGE
    root = root_of(args)
    try:
        with Repository(root) as repo:
            workspace = Workspace(repo, None if args.no_cache else Memo.for_root(root), today=date.today())
            imported = import_hr(workspace, args.file, raw, dry_run=args.dry_run)
    except ExportRefused as problem:
        return refused("import-hr", problem.diagnostics, "the export has {problems}")
    except Refused as problem:
        print(f"lmsgen import-hr: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidChange as problem:
        return refused("import-hr", problem.diagnostics)
    sys.stdout.write(summary(imported.changes))
    if imported.pending:
        print(f"\nThis import is waiting on the branch {imported.pending} already: nothing new was written.")
    elif imported.submitted:
        sys.stdout.write("\n" + render(imported.submitted))
    elif args.dry_run and not imported.changes.empty:
        print("\nDry run: nothing was written.")
    return EXIT_OK
