"""The `lmsgen` command line: parses arguments and hands them to a command module."""

from __future__ import annotations

import argparse
import difflib
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
    merge_shards,
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
            export_xapi, withdraw, merge_shards)


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
    for choice in commands._choices_actions:  # noqa: SLF001
        # `lmsgen check --help` opens with the line `lmsgen --help` gives the command.
        subparser = commands.choices[choice.dest]
        subparser.description = subparser.description or choice.help
    return parser


def _unknown_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """What to say when the command is misspelt: the nearest command's name, as git does."""
    names = [name for action in parser._subparsers._group_actions for name in action.choices]  # noqa: SLF001
    words = iter(argv)
    for word in words:
        if word == "--root":
            next(words, None)
        elif not word.startswith("-"):
            if word in names:
                return None
            nearest = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
            hint = f"; did you mean '{nearest[0]}'?" if nearest else f"; the commands are: {', '.join(names)}"
            return f"'{word}' is not an lmsgen command{hint}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; returns 0 when valid, 1 on data errors, 2 on usage errors."""
    parser = build_parser()
    unknown = _unknown_command(parser, sys.argv[1:] if argv is None else argv)
    if unknown:
        parser.error(unknown)
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
