"""The `lmsgen` command line: parses arguments and hands them to a command module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .commands import (
    access,
    assign,
    attend,
    audit,
    build,
    check,
    codeowners,
    complete,
    demo,
    diff,
    doctor,
    erase,
    explain,
    export_xapi,
    import_completions,
    import_hr,
    init,
    policy,
    remind,
    request,
    retention,
    schema,
    serve,
    status,
    withdraw,
)
from .errors import GitError

COMMANDS = (check, status, explain, build, serve, codeowners, policy, request, complete, assign, attend, audit, diff,
            retention, erase, init, doctor, schema, demo, access, remind, import_hr, import_completions,
            export_xapi, withdraw)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lmsgen",
        description="A learning management system that lives in a git repository.",
    )
    parser.add_argument("--version", action="version", version=f"lmsgen {__version__}")
    root_help = "the organisation repository (default: the current directory)"
    parser.add_argument("--root", default=".", metavar="DIR", help=root_help)
    # `--root` is accepted after the command too; there it overrides the one before it.
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument("--root", default=argparse.SUPPRESS, metavar="DIR", help=root_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands._parser_class = lambda **kw: argparse.ArgumentParser(parents=[after], **kw)  # noqa: SLF001
    for module in COMMANDS:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; returns 0 when valid, 1 on data errors, 2 on usage errors."""
    parser = build_parser()
    args = parser.parse_args(argv)
    root = Path(args.root)
    if not root.is_dir():
        parser.error(f"--root {args.root}: {'not a directory' if root.exists() else 'no such directory'}")
    try:
        return args.run(args)
    except GitError as problem:  # an unknown revision, no repository, no git identity: usage problems
        print(f"lmsgen {args.command}: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
