"""`lmsgen check`: validate the organisation and report every problem."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..cache.memo import Memo
from ..model.diagnostics import Diagnostic, has_errors
from ..model.organisation import Organisation
from ..rules import slips
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, add_no_cache, root_of
from ._revision import add_at, validated_for


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("check", help="validate everything and report each problem as path:line:col")
    parser.add_argument("--format", choices=reporting.FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    add_no_cache(parser)
    parser.add_argument("--fix", action="store_true", help="write the approval slips that requests lack, then check again")
    parser.add_argument("--base", metavar="REF", default=None,
                        help="also apply the pull-request rules to the change since REF (from its merge base): "
                             "merged records, requests, slips and attendance stay as they are, what it adds is "
                             "judged by the organisation at REF and dated no later than today, CODEOWNERS changes "
                             "only with roles, teams or trainers")
    add_at(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = root_of(args)
    if args.fix and args.at is not None:
        print("lmsgen check: --fix writes into the working tree, so it cannot go with --at", file=sys.stderr)
        return EXIT_USAGE
    validated = validated_for(args, check_codeowners=True)
    not_written: list[Diagnostic] = []
    if args.fix:
        written, not_written = slips.write_slips(root, slips.missing_slips(validated.organisation))
        for path in written:
            print(f"wrote {path}", file=sys.stderr)  # stderr: stdout stays the report, in any format
        if written:
            validated = validated_for(args, check_codeowners=True)
    diagnostics = sorted(set(validated.diagnostics + not_written))
    if args.base is not None:
        rules = _pull_request_rules(args, validated.organisation)
        # A rule the change breaks replaces the warning the whole-repository check gave for the same place.
        errors = {(d.path, d.line, d.col, d.message) for d in rules if d.is_error}
        kept = [d for d in diagnostics if d.is_error or (d.path, d.line, d.col, d.message) not in errors]
        diagnostics = sorted(set(kept + rules))
    sys.stdout.write(reporting.render(diagnostics, args.format))
    if args.format == "text":
        print(reporting.summary(diagnostics), file=sys.stderr)
    failed = has_errors(diagnostics) or (args.strict and diagnostics)
    return EXIT_DATA if failed else EXIT_OK


def _pull_request_rules(args: argparse.Namespace, head: Organisation) -> list[Diagnostic]:
    from ..history import pull_requests
    from ..history.repository import Repository

    root = root_of(args)
    with Repository(root) as repo:
        memo = None if args.no_cache else Memo.for_root(root)
        return pull_requests.check_change(repo, args.base, head, args.at, memo, today=date.today())
