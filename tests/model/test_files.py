"""The working tree's files as a pull request may leave them: a committed cache is an error at its path."""

from __future__ import annotations

import os
from pathlib import Path

from lmsgen.rules.validation import validate_root

STRAY_CACHE = (".lmsgen-cache:1:1: lmsgen's cache does not belong in the repository: lmsgen keeps it in the git folder "
               "and never reads this one; remove it (rm -r .lmsgen-cache, and git rm -r --cached .lmsgen-cache if it "
               "was committed)")


def messages(root: Path) -> list[str]:
    return [str(d) for d in validate_root(root, check_codeowners=True).diagnostics if d.is_error]


def test_a_cache_folder_in_the_working_tree_is_an_error(make_org):
    root = make_org()
    (root / ".lmsgen-cache").mkdir()
    (root / ".lmsgen-cache" / "parsed-v3-py311.marshal").write_bytes(b"forged")
    assert messages(root) == [STRAY_CACHE]
    (root / ".lmsgen-cache" / "parsed-v3-py311.marshal").unlink()
    (root / ".lmsgen-cache").rmdir()
    os.symlink(root / "catalog", root / ".lmsgen-cache")  # a link counts too
    assert messages(root) == [STRAY_CACHE]

