"""`lmsgen doctor`: checks an organisation repository's setup, offline, and prints what to set on the host."""

from __future__ import annotations

import argparse

from ._common import EXIT_DATA, EXIT_OK, root_of


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("doctor", help="check the repository's CI, CODEOWNERS and branch protection file, "
                                                "and print what to set on the git host by hand")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history.doctor import examine  # GitPython, which other commands need not load
    from ..history.hosting import HOST_NAMES

    report = examine(root_of(args))
    for finding in report.findings:
        print(finding)
    print()
    print(f"Set on {HOST_NAMES[report.host]} by hand (lmsgen cannot see these):")
    for number, setting in enumerate(report.settings, 1):
        print(f"{number}. {setting}")
    return EXIT_OK if report.ok else EXIT_DATA
