"""`lmsgen init DIR`: a new organisation repository, valid, with CI for its git host, in its first commit."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ._common import EXIT_OK, EXIT_USAGE


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("init", help="start a new organisation repository: a minimal valid organisation, "
                                              "schemas, CI and a first commit")
    parser.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    parser.add_argument("--name", help="the organisation's name (default: from DIR)")
    parser.add_argument("--host", choices=("github", "gitlab"), default="github",
                        help="the git host, whose CI files and CODEOWNERS are written (default: github)")
    parser.add_argument("--repo", metavar="URL", help="the repository's web address on the git host "
                                                      "(default: https://github.com/your-org/<DIR>)")
    parser.add_argument("--branch", default="main", help="the main branch (default: main)")
    parser.add_argument("--install", metavar="SPEC",
                        help="the lmsgen the CI installs, pinned: git+https://HOST/OWNER/REPO@<40-hex commit>, or "
                             "an https URL of a wheel or sdist ending in #sha256=<64-hex digest> (default: the "
                             "commit of this lmsgen, when it runs from a git checkout whose https origin has it)")
    parser.add_argument("--shards", type=_shards, default=1, metavar="N",
                        help="build the full site in N parts, one job each of the CI's matrix, merged by a last job, "
                             "for a site too big for one runner (default: 1, one build; docs/sharding.md)")
    parser.set_defaults(run=run)


def _shards(text: str) -> int:
    from ..history.sharding_ci import shard_count

    try:
        return shard_count(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def run(args: argparse.Namespace) -> int:
    # Imports GitPython, which other commands need not load.
    from ..history.scaffold import install_of_checkout, pinned_install, scaffold, settings

    folder = args.dir.resolve()
    name = args.name or folder.name.replace("-", " ").replace("_", " ").title()
    repo = args.repo or (f"https://{args.host}.com/your-org/{folder.name}")
    try:
        org = settings(name, args.host, repo, args.branch)
        install = pinned_install(args.install) if args.install is not None else install_of_checkout()
    except ValueError as problem:
        print(f"lmsgen init: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        made = scaffold(folder, org, today=date.today(), install=install, shards=args.shards)
    except FileExistsError:
        print(f"lmsgen init: {args.dir} is not empty; choose a new folder", file=sys.stderr)
        return EXIT_USAGE
    print(f"Created the organisation '{org.name}' in {args.dir} ({len(made.files)} files, first commit "
          f"{made.commit[:12]}).")
    print(f"Its CI installs lmsgen from {install}; the comment at LMSGEN in its CI files says how to bump it.")
    if args.shards > 1:
        print(f"Its CI builds the full site in {args.shards} shards, one job each, and merges them (docs/sharding.md).")
    print("Next: replace the two example people in teams/everyone/team.yaml and roles/admin.yaml with yours, "
          f"run 'lmsgen codeowners' and 'lmsgen check', push to {org.git.repo}, and make the settings on the git "
          "host that README.md lists and 'lmsgen doctor' prints: without them, no review is required")
    return EXIT_OK
