"""`lmsgen access --format nginx [--out FILE]`: the site's access map for a reverse proxy behind SSO."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from ..model.diagnostics import has_errors
from ..rules.policy import inputs_broken, load_inputs
from ..site.access_map import HEADER, Settings, UnsafeSetting, nginx
from ..writing import Tree, anchored
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, root_of
from .status import as_of_date


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("access", help="write the site's access map for a web server behind SSO")
    parser.add_argument("--format", required=True, choices=["nginx"], help="the web server's configuration language")
    parser.add_argument("--out", type=Path, metavar="FILE", help="the file to write (default: standard output)")
    parser.add_argument("--site", metavar="DIR",
                        help="the built site's folder on the server, absolute (default: site/ in the repository)")
    parser.add_argument("--header", default=HEADER,
                        help=f"the header in which the SSO proxy passes the verified e-mail (default: {HEADER})")
    parser.add_argument("--listen", default="127.0.0.1:8080", metavar="ADDRESS",
                        help="where nginx listens for the SSO proxy (default: 127.0.0.1:8080)")
    parser.add_argument("--server-name", default="_", metavar="NAME", help="nginx's server_name (default: _)")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="DATE",
                        help="who is a member on this day (default: today); regenerate the map daily")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = root_of(args)
    started = time.perf_counter()
    settings = Settings(args.site or str(root / "site"), args.listen, args.header, args.server_name)
    result = load_inputs(root, also=("request",))  # a roster's readers: the managers of the booked
    if inputs_broken(result.organisation):
        sys.stdout.write(reporting.render(result.diagnostics, "text"))
        print("lmsgen access: the files above must load before the access map can be derived", file=sys.stderr)
        return EXIT_DATA
    try:
        text, problems = nginx(result.organisation, args.as_of or date.today(), settings)
    except UnsafeSetting as problem:
        print(f"lmsgen access: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if has_errors(problems):
        sys.stdout.write(reporting.render(problems, "text"))
        print("lmsgen access: nothing was written; fix the e-mail addresses above", file=sys.stderr)
        return EXIT_DATA
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    within, rel = anchored(args.out, root)
    try:
        with Tree(within) as tree:
            tree.write(rel, text.encode())
    except OSError as problem:  # writing.Refused names the link in the way
        print(f"lmsgen access: {args.out} was not written: {problem.strerror or problem}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {args.out} ({len(text.splitlines()):,} lines, {len(text.encode()):,} bytes) "
          f"in {time.perf_counter() - started:.2f}s", file=sys.stderr)
    return EXIT_OK
