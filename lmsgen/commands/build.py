"""`lmsgen build [--out DIR] [--as-of DATE] [--public | --shard K/N] [--engine mkdocs|zensical]`: render the static
site (or its public zone alone, or one part of it for a CI matrix: docs/sharding.md).

The calendar feeds' secret is read here, from the environment (`LMSGEN_FEED_SECRET`), and so is the Open
Badges' (`LMSGEN_BADGE_SECRET`), so that neither is ever an argument that shows in a process list or a CI log.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from . import reporting
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, add_no_cache, root_of
from ._revision import add_at
from .status import as_of_date

if TYPE_CHECKING:
    from ..site.build import BuildResult


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("build", help="render the static site: catalog, portals, dashboards, reports")
    add_site_options(parser)
    parser.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                        help="part K of N of the site, for one job of a CI matrix: the portals and dashboards of "
                             "its share of the people and teams, and in part 1 the shared pages; 'lmsgen "
                             "merge-shards' assembles the parts (docs/sharding.md)")
    parser.set_defaults(run=run)


def _shard(text: str):
    from ..site.shards import parse

    try:
        return parse(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """The options `build` and `serve` share."""
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="where the site goes (default: site/ in the organisation repository)")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="DATE",
                        help="the date the site shows the status for (default: today)")
    parser.add_argument("--public", action="store_true",
                        help="the public zone alone (catalog, courses, who approves what, home), with no personal "
                             "data, for a site anyone may read")
    parser.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs",
                        help="what renders the theme, the navigation and the search: mkdocs-material (the default) "
                             "or Zensical, its successor, when installed (docs/zensical.md)")
    add_no_cache(parser)
    add_at(parser)


def out_of(args: argparse.Namespace) -> Path:
    return args.out if args.out is not None else root_of(args) / "site"


def build(args: argparse.Namespace, command: str) -> tuple[int, BuildResult | None]:
    """Builds once and reports on stderr; returns the exit code and the result."""
    from ..site.badges import BADGE_SECRET
    from ..site.build import SiteError, build_site  # Jinja2, Markdown and mkdocs load only for the commands that build
    from ..site.feeds import FEED_SECRET

    shard = getattr(args, "shard", None)  # `serve` has no --shard
    if shard is not None and args.public:
        print(f"lmsgen {command}: --shard splits the full site; the public zone (--public) is built whole",
              file=sys.stderr)
        return EXIT_USAGE, None
    try:
        result = build_site(root_of(args), out_of(args), args.as_of or date.today(), use_cache=not args.no_cache,
                            at=args.at, public=args.public, feed_secret=os.environ.get(FEED_SECRET),
                            engine=args.engine, badge_secret=os.environ.get(BADGE_SECRET), shard=shard)
    except SiteError as problem:
        print(f"lmsgen {command}: {problem}", file=sys.stderr)
        return EXIT_USAGE, None
    if not result.ok:
        sys.stderr.write(reporting.render(result.diagnostics, "text"))
        print(f"lmsgen {command}: the organisation has errors ({reporting.summary(result.diagnostics)}); "
              f"the site in {result.out} was left as it was", file=sys.stderr)
        return EXIT_DATA, result
    for note in result.warnings:
        print(f"lmsgen {command}: {note}", file=sys.stderr)
    people = result.timings.get("people", 0)
    written = result.written
    if written.kept:  # an incremental build (docs/site.md): what it rendered is the news, not a rate
        rate = f"; {written.wrote:,} files written, {written.kept:,} unchanged since the last build"
    else:
        rate = f", {result.pages['people'] / people:,.0f} portals/s" if people > 0 else ""
    print(f"built {_summary(result)} into {result.out} in {result.timings['total']:.1f}s{rate}", file=sys.stderr)
    return EXIT_OK, result


def _summary(result: BuildResult) -> str:
    """What was built, in words: `183 pages (65 portals, 65 calendar pages and feeds, ...)`."""
    pages = result.pages
    total = sum(pages.values())
    if result.public:
        return f"the public zone alone: {total:,} catalog and other pages"
    dashboards = "team dashboard" if pages["teams"] == 1 else "team dashboards"
    feeds = f"{pages['feeds']:,} calendar pages and feeds" if pages["feeds"] else "no calendar feeds"
    badges = f", {pages['badges']:,} Open Badges" if pages.get("badges") else ""
    part = f"shard {result.shard} of the site: " if result.shard is not None else ""
    return (f"{part}{total:,} pages ({pages['people']:,} portals, {feeds}{badges}, {pages['teams']:,} {dashboards}, "
            f"{pages['reports']} reports and directories, {pages['mkdocs']:,} catalog and other pages)")


def run(args: argparse.Namespace) -> int:
    return build(args, "build")[0]
