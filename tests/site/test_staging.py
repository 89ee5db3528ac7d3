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


def test_the_walk_skips_the_kept_peoples_folders(tmp_path):
    for path in ("people/ann/index.html", "people/bob/index.html", "people/index.html", "teams/t/index.html"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path)

    assert sorted(staging.rendered_files(str(tmp_path), {"ann"})) == [
        "people/bob/index.html", "people/index.html", "teams/t/index.html"]


def test_the_person_folders_are_made_beside_and_only_of_ids(tmp_path, monkeypatch):
    monkeypatch.setattr(beside, "FORKED", True)
    (tmp_path / "people/ann").mkdir(parents=True)
    made = staging.Premade(str(tmp_path), ["ann", "bob", "../outside", "a/b"])
    made.wait()
    made.wait()  # waiting twice is waiting once

    assert sorted(os.listdir(tmp_path / "people")) == ["ann", "bob"]
    assert sorted(os.listdir(tmp_path)) == ["people"]


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
