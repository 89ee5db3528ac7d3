"""The public pages built by a forked mkdocs beside the private ones (site/public_fork.py) are those one process
builds, byte for byte, with the same warnings and counts; a failure in the forked build fails the build."""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path

import pytest
from conftest import committed_demo

from lmsgen.site import mkdocs_project, public_fork
from lmsgen.site.build import SiteError, build_site

AS_OF = date(2026, 11, 23)
FEED_SECRET = "public-fork-test-feed-secret-0123456789"

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return committed_demo(tmp_path_factory.mktemp("public-fork") / "org")


def forked(monkeypatch: pytest.MonkeyPatch) -> list[public_fork.Background]:
    """Every build forks mkdocs from here on; the Backgrounds made are listed."""
    made: list[public_fork.Background] = []
    monkeypatch.setattr(public_fork, "PARALLEL_COURSES", 1)
    monkeypatch.setattr(public_fork.os, "cpu_count", lambda: 2)
    original = public_fork.Background.__init__

    def init(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(public_fork.Background, "__init__", init)
    return made


def test_the_forked_build_is_the_one_process_build(demo, tmp_path, monkeypatch):
    one = build_site(demo, tmp_path / "one", AS_OF, use_cache=False, feed_secret=FEED_SECRET)
    made = forked(monkeypatch)
    two = build_site(demo, tmp_path / "two", AS_OF, use_cache=False, feed_secret=FEED_SECRET)
    assert one.ok and two.ok and len(made) == 1
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert one.pages == two.pages and one.warnings == two.warnings
    assert not (tmp_path / "two" / public_fork.SCRATCH).exists()


def test_an_incremental_build_after_a_forked_one_keeps_the_public_pages(demo, tmp_path, monkeypatch):
    made = forked(monkeypatch)
    first = build_site(demo, tmp_path / "site", AS_OF, feed_secret=FEED_SECRET)
    assert first.ok and len(made) == 1
    before = files(tmp_path / "site")
    again = build_site(demo, tmp_path / "site", AS_OF, feed_secret=FEED_SECRET)
    assert len(made) == 1  # the public unit is taken over: nothing to fork
    assert again.written.wrote == 0 and files(tmp_path / "site") == before


def test_a_failure_of_the_forked_build_fails_the_build_and_leaves_nothing(demo, tmp_path, monkeypatch):
    forked(monkeypatch)
    real = mkdocs_project.build

    def failing(site_name, pages, site_dir, **options):
        if any(page.path.startswith("catalog/") and page.path != "catalog/index.md" for page in pages):
            raise mkdocs_project.MkdocsError("the course pages broke")
        return real(site_name, pages, site_dir, **options)

    monkeypatch.setattr(mkdocs_project, "build", failing)
    with pytest.raises(SiteError, match="the course pages broke"):
        build_site(demo, tmp_path / "site", AS_OF, use_cache=False)
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())
    assert [path.name for path in tmp_path.iterdir()] in ([], ["site"])
    assert public_fork._running == []


def test_a_theme_that_fails_on_a_course_page_fails_the_forked_build_as_it_fails_one_process(make_org, tmp_path,
                                                                                          monkeypatch):
    root = make_org({"theme/templates/course.html": "<p>{{ nothing.here }}</p>\n"})
    with pytest.raises(SiteError) as alone:
        build_site(root, tmp_path / "one", AS_OF, use_cache=False)
    forked(monkeypatch)
    with pytest.raises(SiteError) as beside:
        build_site(root, tmp_path / "two", AS_OF, use_cache=False)
    assert str(beside.value) == str(alone.value)
    assert str(alone.value).startswith("the site was not built, the theme failed: theme/templates/course.html:1:")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["org"]
    assert public_fork._running == []
