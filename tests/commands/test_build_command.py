"""`lmsgen build`: `--public`, and the calendar feeds' secret read from the environment."""

from __future__ import annotations

import re

from lmsgen.cli import main
from lmsgen.site import feeds

SECRET = "0123456789abcdef0123456789abcdef"


def run_build(root, *args: str) -> int:
    return main(["--root", str(root), "build", "--out", str(root.parent / "site"), "--as-of", "2026-12-01", *args])


def summary(err: str) -> str:
    """The last line, without the seconds it took."""
    return re.sub(r" in [0-9.]+s.*", "", err.splitlines()[-1])


def test_without_the_secret_the_build_warns_and_writes_no_feed(make_org, capsys, monkeypatch):
    monkeypatch.delenv("LMSGEN_FEED_SECRET", raising=False)
    root = make_org()
    assert run_build(root) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "lmsgen build: no calendar feeds were written: LMSGEN_FEED_SECRET is not set; set it to a random secret of "
        "at least 32 characters, the same on every build, to publish each person's feed at its secret address")
    assert summary(err) == (f"built 22 pages (6 portals, no calendar feeds, 2 team dashboards, 6 reports and "
                            f"directories, 8 catalog and other pages) into {root.parent / 'site'}")
    assert not (root.parent / "site" / "feeds").exists()


def test_the_secret_comes_from_the_environment(make_org, capsys, monkeypatch):
    monkeypatch.setenv("LMSGEN_FEED_SECRET", SECRET)
    root = make_org()
    assert run_build(root) == 0
    err = capsys.readouterr().err
    assert "LMSGEN_FEED_SECRET" not in err and SECRET not in err
    assert summary(err) == (f"built 28 pages (6 portals, 6 calendar pages and feeds, 2 team dashboards, 6 reports "
                            f"and directories, 8 catalog and other pages) into {root.parent / 'site'}")
    assert (root.parent / "site" / feeds.feed_path(SECRET, "carol")).is_file()


def test_public_builds_the_public_zone_alone(make_org, capsys, monkeypatch):
    monkeypatch.setenv("LMSGEN_FEED_SECRET", SECRET)
    root = make_org()
    assert run_build(root, "--public") == 0
    err = capsys.readouterr().err
    assert err.splitlines() == [err.splitlines()[-1]]  # no warning: a public build has no feeds to miss
    assert summary(err) == f"built the public zone alone: 8 catalog and other pages into {root.parent / 'site'}"
    site = root.parent / "site"
    assert sorted(path.name for path in site.iterdir()) == [".lmsgen-site", "404.html", "assets", "catalog",
                                                            "index.html", "policy", "search", "sitemap.xml"]
