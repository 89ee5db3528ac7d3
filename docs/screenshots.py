"""Copies the browser tests' screenshots of the pages the role guides show into docs/images/.

    .venv/bin/python -m pytest -m browser tests/site/test_browser.py -k guide_pages   # writes test-artifacts/guide-*.png
    .venv/bin/python docs/screenshots.py                                            # copies them to docs/images/

The screenshots are the 1280x900 viewport of the shipped demo's site (tests/site/test_browser.py's GUIDE_PAGES).
Each must stay under MAX_BYTES, so the repository stays small: a larger one is reported and not copied.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
IMAGES = ROOT / "docs" / "images"
NAMES = ("portal", "course", "team", "roster", "budgets", "policy")
MAX_BYTES = 300_000


def main() -> int:
    IMAGES.mkdir(exist_ok=True)
    failed = 0
    for name in NAMES:
        source = ARTIFACTS / f"guide-{name}.png"
        if not source.is_file():
            print(f"{source.relative_to(ROOT)} is missing: run the browser tests first (-k guide_pages)")
            failed += 1
        elif source.stat().st_size > MAX_BYTES:
            print(f"{source.relative_to(ROOT)} is {source.stat().st_size:,} bytes, more than {MAX_BYTES:,}: not copied")
            failed += 1
        else:
            shutil.copyfile(source, IMAGES / f"{name}.png")
            print(f"docs/images/{name}.png  {source.stat().st_size:,} bytes")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
