"""`lmsgen.writing`: files below a root are read and written without following any link, and what is refused
names the path at fault."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.writing import Refused, Tree, anchored

LINKED_FOLDER = "symbolic links are not followed; replace it with the folder itself"
LINKED_FILE = "symbolic links are not followed; replace it with the file itself"
NOT_REGULAR = "not a regular file: lmsgen reads and writes regular files only; remove it, or replace it with one"


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """A root to write under, and a folder outside it that links point to and that must stay empty."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    return root, outside


def everything(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_files_and_missing_folders_are_written_and_read_back(places):
    root, _ = places
    with Tree(root) as tree:
        tree.write("a/b/c.txt", b"one ", b"two")
        tree.append("a/log", b"1")
        tree.append("a/log", b"2")
        tree.write("a/b/c.txt", b"three")
        assert tree.read("a/b/c.txt") == b"three"
        assert tree.read("a/log") == b"12"
    assert everything(root) == ["a", "a/b", "a/b/c.txt", "a/log"]  # no temporary file is left beside


def test_a_link_on_the_way_is_refused_and_its_target_left_alone(places):
    root, outside = places
    (root / "teams").mkdir()
    os.symlink(outside, root / "teams" / "requests")
    with Tree(root) as tree:
        for write in (lambda: tree.write("teams/requests/carol/r.cost.yaml", b"x"),
                      lambda: tree.write("teams/requests/carol/r.cost.yaml", b"x", exclusive=True),
                      lambda: tree.append("teams/requests/log", b"x"),
                      lambda: tree.new_folder("teams/requests/carol", "site", ".tmp"),
                      lambda: tree.read("teams/requests/anything")):
            with pytest.raises(Refused) as refused:
                write()
            assert (refused.value.path, refused.value.reason) == ("teams/requests", LINKED_FOLDER)
            assert str(refused.value) == f"teams/requests: {LINKED_FOLDER}"
    assert everything(outside) == []


def test_a_dangling_link_where_a_folder_is_missing_is_not_made_at_its_target(places):
    root, outside = places
    os.symlink(outside / "made-here", root / "github")
    with Tree(root) as tree, pytest.raises(Refused, match=f"^github: {LINKED_FOLDER}$"):
        tree.write("github/CODEOWNERS", b"x")
    assert everything(outside) == []


def test_a_link_in_place_of_the_file_is_replaced_appended_to_never_and_read_never(places):
    root, outside = places
    (outside / "target").write_bytes(b"theirs")
    os.symlink(outside / "target", root / "CODEOWNERS")
    with Tree(root) as tree:
        with pytest.raises(FileExistsError):
            tree.write("CODEOWNERS", b"mine", exclusive=True)
        for refused_access in (lambda: tree.append("CODEOWNERS", b"mine"), lambda: tree.read("CODEOWNERS")):
            with pytest.raises(Refused, match=f"^CODEOWNERS: {LINKED_FILE}$"):
                refused_access()
        tree.write("CODEOWNERS", b"mine")  # a replacement: the link goes, its target stays
    assert not (root / "CODEOWNERS").is_symlink() and (root / "CODEOWNERS").read_bytes() == b"mine"
    assert (outside / "target").read_bytes() == b"theirs"


def test_a_pipe_is_refused_at_once_for_reading_and_appending(places):
    root, _ = places
    os.mkfifo(root / "journal")
    with Tree(root) as tree:
        for access in (lambda: tree.read("journal"), lambda: tree.append("journal", b"x")):
            with pytest.raises(Refused, match=f"^journal: {NOT_REGULAR}$"):
                access()


def test_a_file_where_a_folder_belongs_is_refused(places):
    root, _ = places
    (root / ".github").write_text("not a folder")
    with Tree(root) as tree, pytest.raises(Refused, match=r"^\.github: not a folder: lmsgen needs a folder here; "
                                                          r"move the file out of the way$"):
        tree.write(".github/CODEOWNERS", b"x")


def test_renames_and_removals_move_and_remove_links_not_their_targets(places):
    root, outside = places
    (outside / "keep.txt").write_text("keep")
    os.symlink(outside, root / "site")
    with Tree(root) as tree:
        staging = tree.new_folder("", "site", ".lmsgen-tmp")
        assert staging.startswith(".site.") and staging.endswith(".lmsgen-tmp")
        assert (root / staging).stat().st_mode & 0o777 == 0o700
        tree.remove_tree("site")  # a link is not a tree: nothing happens
        tree.rename("site", "moved")
        tree.remove_tree(staging)
    assert everything(root) == ["moved"] and (root / "moved").is_symlink()
    assert everything(outside) == ["keep.txt"]


def test_many_folders_are_written_with_a_few_held_open(places):
    root, _ = places
    with Tree(root) as tree:
        for number in range(300):
            tree.write(f"teams/t{number % 150}/records/p{number}.yaml", b"x", exclusive=True)
        tree.write("teams/t0/records/p0.yaml", b"again")
        assert tree.read("teams/t0/records/p0.yaml") == b"again"
    assert len(list(root.glob("teams/*/records/*.yaml"))) == 300


def test_a_path_cannot_climb_out_of_the_root(places):
    root, _ = places
    with Tree(root) as tree, pytest.raises(ValueError, match="cannot climb out"):
        tree.write("a/../../escape", b"x")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(1, 4), linked=st.data())
def test_wherever_a_link_is_on_the_way_nothing_lands_outside(tmp_path_factory, depth, linked):
    base = tmp_path_factory.mktemp("tree")
    root, outside = base / "root", base / "outside"
    root.mkdir()
    outside.mkdir()
    folders = [f"d{level}" for level in range(depth)]
    at = linked.draw(st.integers(0, depth - 1))
    (root.joinpath(*folders[:at])).mkdir(parents=True, exist_ok=True)
    os.symlink(outside, root.joinpath(*folders[:at + 1]))
    rel = "/".join([*folders, "file.yaml"])
    with Tree(root) as tree, pytest.raises(Refused) as refused:
        tree.write(rel, b"x")
    assert refused.value.path == "/".join(folders[:at + 1])
    assert everything(outside) == []


def test_an_output_folder_inside_the_organisation_is_written_from_its_root(tmp_path):
    root = tmp_path / "org"
    assert anchored(root / "public" / "site", root) == (root, "public/site")
    assert anchored(tmp_path / "elsewhere" / "site", root) == (tmp_path / "elsewhere", "site")
    assert anchored(root, root) == (root, ".")
