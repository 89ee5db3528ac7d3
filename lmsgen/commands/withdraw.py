"""`lmsgen withdraw REQUEST_PATH --reason TEXT`: withdraw a request (freeing its seat), on a new branch."""

from __future__ import annotations

import argparse

from ._helper import add_common, run_helper


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("withdraw", help="withdraw a request, freeing its seat, on a new branch ready for "
                                                  "a pull request")
    parser.add_argument("request", metavar="REQUEST_PATH",
                        help="the request file, teams/<team>/requests/<person>/<request>.yaml")
    parser.add_argument("--reason", metavar="TEXT", required=True, help="why, for the manager who reviews it")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history.withdraw_helper import withdraw

    return run_helper(args, "withdraw", lambda ws: withdraw(ws, args.request, args.reason))
