"""What the commands share: exit codes and the organisation root."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2


def root_of(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve()
