"""`--at REV`: commands that read the organisation read it as it was at a commit, straight from git."""

from __future__ import annotations

import argparse

from ..validation import Validated, validate_at, validate_root
from ._common import root_of


def add_at(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--at", metavar="REV", default=None,
                        help="read the organisation as it was at this commit (a branch, tag or commit id), "
                             "from git, without a checkout")


def validated_for(args: argparse.Namespace, *, check_codeowners: bool = False) -> Validated:
    """The organisation of the working tree, or of the commit `--at` names, validated (raises GitError)."""
    use_cache = not getattr(args, "no_cache", False)
    if getattr(args, "at", None) is None:
        return validate_root(root_of(args), use_cache=use_cache, check_codeowners=check_codeowners)
    from ..git import Repository

    with Repository(root_of(args)) as repo:
        return validate_at(repo, args.at, use_cache=use_cache, check_codeowners=check_codeowners)
