"""`lmsgen serve [--port N]`: build the site, serve it on 127.0.0.1 and rebuild when a file changes."""

from __future__ import annotations

import argparse
import sys
import time

from ._common import EXIT_OK, EXIT_USAGE, root_of
from .build import add_site_options, build, out_of


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("serve", help="build the site, serve it on localhost and rebuild on change")
    add_site_options(parser)
    parser.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default 8000)")
    parser.add_argument("--interval", type=float, default=1.0, metavar="SECONDS",
                        help="how often to look for changed files (default 1)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..site.serve import snapshot, start_server

    root = root_of(args)
    code, result = build(args, "serve")
    if result is None or (code != EXIT_OK and not (out_of(args) / "index.html").exists()):
        return code  # nothing to serve: no safe folder, or invalid data and no earlier site
    try:
        server = start_server(out_of(args).resolve(), args.port)
    except OSError as problem:
        print(f"lmsgen serve: cannot listen on 127.0.0.1:{args.port}: {problem.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"serving {out_of(args)} at http://127.0.0.1:{server.server_address[1]}/ "
          "(rebuilds when a file changes; Ctrl-C stops)", file=sys.stderr)
    seen = snapshot(root)
    try:
        while True:
            time.sleep(args.interval)
            now = snapshot(root)
            if now != seen:
                seen = now
                print("a file changed: rebuilding", file=sys.stderr)
                build(args, "serve")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return EXIT_OK
