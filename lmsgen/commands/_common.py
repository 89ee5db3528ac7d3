"""What the commands share: exit codes, the organisation root and the cache option."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


def root_of(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()


def add_no_cache(parser: argparse.ArgumentParser) -> None:
    """`--no-cache`, for the commands that read the organisation."""
    parser.add_argument("--no-cache", action="store_true",
                        help="parse and check every file again, ignoring what lmsgen remembers between runs")
