"""Times `lmsgen build`: the demo organisation and a synthetic one, step by step, with portals per second.

    python benchmarks/build.py [--people 10000] [--dir /tmp/m-site] [--out /tmp/m-out/site] [--as-of 2026-11-23]

The organisation is written once with `lmsgen demo` and reused; its parse cache is warmed by a
first build, then the build is timed (the best of --runs). Besides the whole build it reports
each step (loading, the mkdocs part, portals, dashboards) and renders the portals once more in
memory, without the disk, so that rendering and writing can be told apart: on this machine's
virtual disk, creating 20,000 files costs seconds by itself, and varies from run to run.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from lmsgen.rules.validation import validate_root
from lmsgen.site.build import build_site
from lmsgen.site.exports import calendar
from lmsgen.site.pages import Pages
from lmsgen.site.portals import Portals
from lmsgen.site.views import SiteData

REPO = Path(__file__).resolve().parents[1]
FEED_SECRET = "a-secret-for-the-benchmark-only-" + "0" * 32
"""So that the build writes every calendar feed, as a real one does."""


def timed_build(root: Path, out: Path, as_of: date, runs: int) -> dict[str, float]:
    best: dict[str, float] | None = None
    for _ in range(runs):
        result = build_site(root, out, as_of, feed_secret=FEED_SECRET)
        if not result.ok:
            raise SystemExit(f"{root} has errors; run lmsgen check --root {root}")
        if best is None or result.timings["total"] < best["total"]:
            best = dict(result.timings, people_pages=result.pages["people"])
    assert best is not None
    return best


def render_only(root: Path, as_of: date, limit: int) -> float:
    """Portals per second rendered in memory, in one process (the indexes built beforehand)."""
    org = validate_root(root).organisation
    data = SiteData(org, as_of)
    pages = Pages(data)
    portals = Portals(data)
    people = list(org.members)[:limit]
    data.warm()
    started = time.perf_counter()
    for person in people:
        portal = portals.portal(person)
        pages.person(portal, calendar=True)
        calendar(portal, as_of)
    return len(people) / (time.perf_counter() - started)


def report(name: str, timings: dict[str, float], rendered: float) -> None:
    people = timings["people_pages"]
    steps = ", ".join(f"{step} {timings[step]:.1f}s" for step in ("load", "mkdocs", "other", "people", "teams"))
    print(f"{name}: {timings['total']:.1f}s in all ({steps})")
    print(f"  portals: {people:,} in {timings['people']:.1f}s = {people / timings['people']:,.0f} pages/s written to disk; "
          f"{rendered:,.0f} pages/s rendered in memory by one process")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/m-site"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/m-out/site"))
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    demo_out = args.out.parent / "demo-site"
    build_site(REPO, demo_out, args.as_of)  # warms the parse cache
    report("demo", timed_build(REPO, demo_out, args.as_of, args.runs), render_only(REPO, args.as_of, 10_000))

    if not (args.dir / "org.yaml").exists():
        from lmsgen.demo.generator import write_demo

        summary = write_demo(args.dir, args.people)
        print(f"wrote {summary.people:,} people, {summary.records:,} records to {args.dir}")
    build_site(args.dir, args.out, args.as_of)
    report(f"{args.people:,} people", timed_build(args.dir, args.out, args.as_of, args.runs),
           render_only(args.dir, args.as_of, 3_000))


if __name__ == "__main__":
    main()
