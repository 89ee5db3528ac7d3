"""`lmsgen demo --out DIR`: a new or empty folder of the person's choosing, never one reached through a link."""

from __future__ import annotations

import os

from lmsgen.cli import main


def test_a_demo_is_not_written_into_a_linked_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    os.symlink(tmp_path / "empty", tmp_path / "link")
    assert main(["demo", "--people", "3", "--out", str(tmp_path / "link")]) == 2
    assert capsys.readouterr().err == (f"lmsgen demo: {tmp_path / 'link'} is a symbolic link, which lmsgen does not "
                                       "write through; choose a new folder\n")
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_small_demo_is_written_and_valid(tmp_path, capsys):
    out = tmp_path / "new" / "demo"
    assert main(["demo", "--people", "12", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("wrote 12 people in ")
    assert main(["--root", str(out), "check"]) == 0
