"""`lmsgen codeowners [--check] [--host github|gitlab]`: write (or check) the generated CODEOWNERS."""

from __future__ import annotations

import argparse
import sys
import time

from ..model.formats import GitHost
from ..rules import codeowners
from ..rules.policy import Policy, inputs_broken, load_inputs
from . import reporting
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, root_of


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("codeowners",
                                 help="write the CODEOWNERS file derived from roles/, teams/ and the catalog")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is missing or stale")
    parser.add_argument("--host", choices=[host.value for host in GitHost],
                        help="the git host's variant (default: git.host in org.yaml)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = root_of(args)
    started = time.perf_counter()
    result = load_inputs(root)
    if inputs_broken(result.organisation):
        sys.stdout.write(reporting.render(result.diagnostics, "text"))
        print("lmsgen codeowners: the files above must load before CODEOWNERS can be derived", file=sys.stderr)
        return EXIT_DATA
    policy = Policy(result.organisation)
    host = GitHost(args.host) if args.host else codeowners.host_of(result.organisation)
    if args.check:
        problems = codeowners.check_file(root, policy, host)
        sys.stdout.write(reporting.render(problems, "text"))
        if not problems:
            print(f"{codeowners.CODEOWNERS_FILE[host]} is up to date", file=sys.stderr)
        return EXIT_DATA if problems else EXIT_OK
    try:
        rel, text = codeowners.write(root, policy, host)
    except OSError as problem:  # writing.Refused names the link in the way
        print(f"lmsgen codeowners: {codeowners.CODEOWNERS_FILE[host]} was not written: {problem.strerror or problem}",
              file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {rel} ({len(text.splitlines()):,} lines, {len(text.encode()):,} bytes) "
          f"in {time.perf_counter() - started:.2f}s")
    return EXIT_OK
