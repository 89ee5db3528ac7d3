"""`--at REV`: commands that read the organisation read it as it was at a commit, straight from git."""

from __future__ import annotations

import argparse

from ..history.revision import validate_revision
from ..rules.validation import Validated
from ._common import root_of


def add_at(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", metavar="REV", default=None,
                        help="read the organisation as it was at this commit (a branch, tag or commit id), "
                             "from git, without a checkout")


def validated_for(args: argparse.Namespace, *, check_codeowners: bool = False) -> Validated:
    """The organisation of the working tree, or of the commit `--at` names, validated (raises GitError)."""
    return validate_revision(root_of(args), getattr(args, "at", None), use_cache=not getattr(args, "no_cache", False),
                             check_codeowners=check_codeowners)
