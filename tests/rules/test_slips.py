"""`check --fix` writes approval slips into the organisation, and never through a link a pull request put there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from lmsgen.cli import main
from lmsgen.model.loading import load_root
from lmsgen.rules.slips import missing_slips, write_slips

SLIP = "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml"
LINKED_FILE = "symbolic links are not followed; replace it with the file itself"
LINKED_FOLDER = "symbolic links are not followed; replace it with the folder itself"


def everything(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_fix_writes_nothing_into_a_linked_requests_folder(make_org, tmp_path, capsys):
    root = make_org({SLIP: None})
    outside = tmp_path / "outside"
    shutil.move(root / "teams/platform/requests", outside)  # the requests, now behind a link
    os.symlink(outside, root / "teams/platform/requests")
    before = everything(outside)
    assert main(["--root", str(root), "check", "--fix"]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"teams/platform/requests:1:1: {LINKED_FILE}\n"
    assert "wrote" not in captured.err
    assert everything(outside) == before


def test_a_link_that_appears_on_the_way_is_a_problem_at_the_link_and_nothing_is_written(make_org, tmp_path):
    root = make_org({SLIP: None})
    missing = missing_slips(load_root(root, use_cache=False).organisation)
    assert [slip.path for slip in missing] == [SLIP]
    outside = tmp_path / "outside"
    shutil.move(root / "teams/platform/requests/carol", outside)  # swapped for a link after the check
    os.symlink(outside, root / "teams/platform/requests/carol")
    written, problems = write_slips(root, missing)
    assert written == []
    assert [str(p) for p in problems] == [
        f"teams/platform/requests/carol:1:1: {LINKED_FOLDER} (the approval slip {SLIP} was not written)"]
    assert everything(outside) == ["2026-11-k8s-admin.yaml"]


def test_fix_never_writes_over_a_link_in_the_slips_place(make_org, tmp_path, capsys):
    root = make_org({SLIP: None})
    target = tmp_path / "elsewhere.yaml"
    os.symlink(target, root / SLIP)  # dangling: writing through it would make the file outside
    assert main(["--root", str(root), "check", "--fix"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{SLIP}:1:1: {LINKED_FILE}",
        f"teams/platform/requests/carol/2026-11-k8s-admin.yaml:2:1: missing approval slip {SLIP}: a request costing "
        "1200 EUR needs the approval of the holders of approve.cost (run 'lmsgen check --fix' to write it)"]
    assert not target.exists()
