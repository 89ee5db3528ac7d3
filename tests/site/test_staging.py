"""The fast paths of the incremental build (`staging`, `beside`): the last site's files linked into the staging folder
without ever following a link in it, the person folders made beside the rendering, the exports written beside it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_incremental import build, demo, files  # noqa: F401 - `demo` is the module's fixture

from lmsgen.site import beside, staging
from lmsgen.site.manifest import file_stat
from lmsgen.writing import Refused


def _folder(path: Path) -> int:
    return os.open(path, os.O_DIRECTORY)


def _linked(old: Path, new: Path, paths: list[str]) -> tuple[list[str], list[str]]:
    stats = {path: file_stat(os.lstat(old / path)) for path in paths}
    old_fd, new_fd = _folder(old), _folder(new)
    try:
        return staging.link_kept(old_fd, new_fd, paths, stats, "site")
    finally:
        os.close(old_fd)
        os.close(new_fd)


def test_kept_files_are_linked_into_folders_made_as_needed_and_a_rendered_file_stands(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for path in ("index.html", "people/ann/index.html", "people/ann/calendar/index.html", "people/bob/index.html",
                 "teams/t/index.html"):
        (old / path).parent.mkdir(parents=True, exist_ok=True)
        (old / path).write_text(path)
    (new / "people/bob").mkdir(parents=True)
    (new / "people/bob/index.html").write_text("rendered")

    linked, stood = _linked(old, new, ["people/ann/index.html", "people/ann/calendar/index.html", "index.html",
                                       "people/bob/index.html", "teams/t/index.html"])

    assert sorted(linked) == ["index.html", "people/ann/calendar/index.html", "people/ann/index.html",
                              "teams/t/index.html"]
    assert stood == ["people/bob/index.html"] and (new / "people/bob/index.html").read_text() == "rendered"
    for path in linked:
        assert (new / path).stat().st_ino == (old / path).stat().st_ino


def test_a_link_in_the_old_site_is_never_followed(tmp_path):
    """A linked folder or file is refused even when it leads to the very file the manifest names."""
    old, new, elsewhere = tmp_path / "old", tmp_path / "new", tmp_path / "elsewhere"
    for folder in (old / "people/ann", new, elsewhere):
        folder.mkdir(parents=True)
    (elsewhere / "index.html").write_text("not the site's")
    stats = {"people/ann/index.html": file_stat(os.lstat(elsewhere / "index.html"))}
    os.rmdir(old / "people/ann")
    (old / "people/ann").symlink_to(elsewhere)  # the folder a link
    old_fd, new_fd = _folder(old), _folder(new)
    try:
        with pytest.raises(Refused):
            staging.link_kept(old_fd, new_fd, ["people/ann/index.html"], stats, "site")
        (old / "people/ann").unlink()
        (old / "people/ann").mkdir()
        (old / "people/ann/index.html").symlink_to(elsewhere / "index.html")  # the file a link
        with pytest.raises(Refused):
            staging.link_kept(old_fd, new_fd, ["people/ann/index.html"], stats, "site")
    finally:
        os.close(old_fd)
        os.close(new_fd)
    assert not (new / "people/ann/index.html").exists() and not (new / "people/ann/index.html").is_symlink()


def test_the_walk_skips_the_kept_peoples_and_teams_folders_and_asks_no_stat_of_a_linked_file(tmp_path):
    for path in ("people/ann/index.html", "people/bob/index.html", "people/index.html", "teams/t/index.html",
                 "teams/u/index.html", "feeds/ann.ics"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path)

    found = staging.rendered_files(str(tmp_path), {"people": {"ann"}, "teams": {"t"}}, {"feeds/ann.ics": (1, 2, 3)})

    assert sorted(found) == ["feeds/ann.ics", "people/bob/index.html", "people/index.html", "teams/u/index.html"]
    assert found["feeds/ann.ics"] == (1, 2, 3)
    assert found["people/index.html"] == file_stat(os.lstat(tmp_path / "people/index.html"))


def _old_site(old: Path) -> dict[str, tuple[int, int, int]]:
    for path in ("index.html", "people/ann/index.html", "people/ann/calendar/index.html", "people/bob/index.html",
                 "feeds/ann.ics", "teams/t/index.html", "teams/u/index.html"):
        (old / path).parent.mkdir(parents=True, exist_ok=True)
        (old / path).write_text(path)
    return {path: file_stat(os.lstat(old / path)) for path in _paths(old)}


def _paths(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())


def test_the_files_not_as_the_last_build_wrote_them_are_found(tmp_path):
    old, elsewhere = tmp_path / "old", tmp_path / "elsewhere"
    stats = _old_site(old)
    elsewhere.mkdir()
    (old / "index.html").write_text("replaced, of another size")
    (old / "people/bob/index.html").unlink()
    (old / "people/bob/index.html").write_text("people/bob/index.html")  # the same size: another inode
    os.utime(old / "teams/u/index.html", ns=(1, 1))
    shutil.move(old / "people/ann", elsewhere / "ann")
    (old / "people/ann").symlink_to(elsewhere / "ann")  # the very files, behind a link
    stats["gone.html"] = (1, 2, 3)
    fd = _folder(old)
    try:
        found = staging.spoiled(fd, sorted(stats), stats)
    finally:
        os.close(fd)

    assert sorted(found) == ["gone.html", "index.html", "people/ann/calendar/index.html", "people/ann/index.html",
                             "people/bob/index.html", "teams/u/index.html"]


def _manifest(stats):
    from lmsgen.site.manifest import Manifest

    units = {"person:ann": ("a", ["people/ann/index.html", "people/ann/calendar/index.html", "feeds/ann.ics"]),
             "person:bob": ("b", ["people/bob/index.html"]), "team:t": ("t", ["teams/t/index.html"]),
             "public": ("p", ["index.html"])}
    return Manifest(units, stats)


@pytest.mark.parametrize("forked", [True, False])
def test_the_kept_files_are_checked_and_linked_beside_the_build_or_in_it(tmp_path, monkeypatch, forked):
    from lmsgen.site.kept_files import KeptFiles

    monkeypatch.setattr(beside, "FORKED", forked)
    old, new = tmp_path / "old", tmp_path / "new"
    stats = _old_site(old)
    (old / "teams/u/index.html").write_text("changed")
    new.mkdir()
    kept = KeptFiles(_folder(old), str(new), _manifest(stats), "site")
    assert kept.spoiled() == {"teams/u/index.html"}
    kept.link_early(["person:ann"])
    (new / "people/bob").mkdir(parents=True)
    (new / "people/bob/index.html").write_text("rendered")

    linked, stood = kept.finish(["person:bob", "team:t", "public"])

    assert sorted(linked) == ["feeds/ann.ics", "index.html", "people/ann/calendar/index.html",
                              "people/ann/index.html", "teams/t/index.html"]
    assert stood == ["people/bob/index.html"] and (new / "people/bob/index.html").read_text() == "rendered"
    assert _paths(new) == sorted([*linked, *stood])
    for path in linked:
        assert (new / path).stat().st_ino == stats[path][0]


@pytest.mark.parametrize("forked", [True, False])
def test_a_kept_file_replaced_after_the_check_fails_the_linking(tmp_path, monkeypatch, forked):
    from lmsgen.site.kept_files import KeptFiles

    monkeypatch.setattr(beside, "FORKED", forked)
    old, new = tmp_path / "old", tmp_path / "new"
    stats = _old_site(old)
    new.mkdir()
    kept = KeptFiles(_folder(old), str(new), _manifest(stats), "site")
    assert kept.spoiled() == set()
    (old / "planted").write_text("planted")
    os.replace(old / "planted", old / "people/ann/index.html")  # another inode (made while the first is in use)
    kept.link_early(["person:ann"])

    with pytest.raises(OSError, match="people/ann/index.html"):
        kept.finish(["team:t"])
    assert not (new / "people/ann/index.html").exists()


def test_a_failed_build_ends_the_linking_process(tmp_path, monkeypatch):
    from lmsgen.site.kept_files import KeptFiles

    monkeypatch.setattr(beside, "FORKED", True)
    old, new = tmp_path / "old", tmp_path / "new"
    stats = _old_site(old)
    new.mkdir()
    kept = KeptFiles(_folder(old), str(new), _manifest(stats), "site")
    pid = kept._pid
    assert pid
    kept.stop()
    kept.stop()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert _paths(new) == []


def test_work_beside_hands_back_its_result_or_its_failure(tmp_path, monkeypatch):
    monkeypatch.setattr(beside, "FORKED", True)
    assert beside.Beside(lambda: {"a": (1, b"x")}).join() == {"a": (1, b"x")}
    assert beside.Beside(lambda: 3, fork=False).join() == 3

    def fails():
        raise ValueError("no room")

    with pytest.raises(OSError, match="ValueError: no room"):
        beside.Beside(fails).join()
    slow = beside.Beside(lambda: (tmp_path / "late").write_text("x") if os.system("sleep 5") == 0 else None)
    slow.stop()  # the build failed meanwhile: ended, not waited for
    assert not (tmp_path / "late").exists()
    monkeypatch.setattr(beside, "FORKED", False)
    assert beside.Beside(lambda: os.getpid()).join() == os.getpid()  # no core to spare: done at once, here


@pytest.mark.parametrize("forked", [True, False])
def test_an_incremental_build_is_the_same_with_work_beside_or_without(demo, tmp_path, monkeypatch, forked):  # noqa: F811
    monkeypatch.setattr(beside, "FORKED", forked)
    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    path = next((root / "teams").glob("*/records/helena.yaml"))
    path.write_text(path.read_text() + "  - {course: data-protection, date: 2026-11-20, by: helena, score: 95}\n")

    again = build(root, site)

    assert again.ok and 0 < again.written.wrote < 40
    assert files(site) == files(build(root, tmp_path / "full", full=True).out)


def test_a_link_planted_in_the_old_site_is_rendered_over_and_the_file_it_points_to_left_alone(demo, tmp_path):  # noqa: F811
    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    assert build(root, site).ok
    expected = files(site)
    elsewhere.mkdir()
    os.link(site / "people/helena/index.html", elsewhere / "index.html")  # the very file the manifest names
    shutil.rmtree(site / "people/helena")
    (site / "people/helena").symlink_to(elsewhere)
    os.link(site / "people/index.html", elsewhere / "directory.html")
    (site / "people/index.html").unlink()
    (site / "people/index.html").symlink_to(elsewhere / "directory.html")
    before = files(elsewhere)

    again = build(root, site)

    assert again.ok and files(site) == expected
    assert not (site / "people/helena").is_symlink() and not (site / "people/index.html").is_symlink()
    assert files(elsewhere) == before
    assert build(root, site).written.wrote == 0  # and what was rendered anew is kept by the next build
