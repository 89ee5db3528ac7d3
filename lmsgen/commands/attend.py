"""`lmsgen attend COURSE SESSION [PERSON...] [--absent ID]...`: the trainer's attendance list (who came, and
the no-shows), on a new branch."""

from __future__ import annotations

import argparse
import sys

from . import _language
from ._common import EXIT_USAGE, root_of
from ._helper import add_common, run_helper


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("attend", help="mark who attended a session, on a new branch ready for a "
                                                "pull request")
    parser.add_argument("course", metavar="COURSE", help="the course id")
    parser.add_argument("session", metavar="SESSION", help="the session id")
    parser.add_argument("people", nargs="*", metavar="PERSON", help="who attended")
    parser.add_argument("--absent", action="append", default=[], metavar="ID",
                        help="someone booked who did not come (a no-show; repeat for each)")
    add_common(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history import helpers

    if not args.people and not args.absent:
        text = _language.at_root(root_of(args))
        print(f"lmsgen attend: {text('cli.attend.nobody')}", file=sys.stderr)
        return EXIT_USAGE
    return run_helper(args, "attend", lambda ws: helpers.attend(ws, args.course, args.session, args.people,
                                                                args.absent))
