"""What the site weighs: its size on disk, the median portal, and which kinds of file make it up.

    python benchmarks/site_size.py [--people 10000] [--dir /tmp/lmsgen-10000] [--site DIR]

Builds the organisation of size --people (written once with `lmsgen demo` and reused; size M is 10,000 people)
into a temporary folder, as of 2026-11-23, and measures it; `--site DIR` measures a site already built instead.
Sizes are the files' own (`st_size`), as `benchmarks/scale.py` counts them, not the disk's blocks. The kinds are
those of `lmsgen.site.zones` (portals, dashboards, exports, ...), so a figure says which part to look at.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from timing import arguments, demo_repository

from lmsgen.site.zones import kind_of

AS_OF = "2026-11-23"


def measure(site: Path) -> None:
    sizes: dict[str, list[int]] = defaultdict(list)
    for path in site.rglob("*"):
        if path.is_file() and not path.is_symlink():
            kind = kind_of(path.relative_to(site).as_posix())
            sizes[kind.name if kind else "?"].append(path.stat().st_size)
    total = sum(sum(values) for values in sizes.values())
    portals = sizes.get("portal", [])
    print(f"site: {total / 1e6:,.1f} MB in {sum(map(len, sizes.values())):,} files")
    if portals:
        print(f"portals: {len(portals):,}, median {statistics.median(portals) / 1e3:.1f} KB, "
              f"largest {max(portals) / 1e3:.1f} KB")
    print(f"\n{'kind':<16} {'files':>7} {'MB':>9} {'median KB':>10}")
    for name, values in sorted(sizes.items(), key=lambda item: -sum(item[1])):
        print(f"{name:<16} {len(values):>7,} {sum(values) / 1e6:>9.1f} {statistics.median(values) / 1e3:>10.1f}")


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--site", help="measure this site instead of building one")
    options = parser.parse_args()
    if options.site:
        measure(Path(options.site))
        return
    root = Path(options.dir or f"/tmp/lmsgen-{options.people}")
    if not (root / "org.yaml").exists():
        demo_repository(root, options.people)
    folder = Path(tempfile.mkdtemp(prefix="lmsgen-size-"))
    try:
        out = folder / "site"
        subprocess.run([sys.executable, "-m", "lmsgen", "--root", str(root), "build", "--out", str(out),
                        "--as-of", AS_OF], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        measure(out)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
