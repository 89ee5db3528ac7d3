"""The organisation as it was at a commit, validated: `--at REV` for check, status and build."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..cache.memo import Memo
from ..rules import codeowners, policy
from ..rules.validation import Validated, validate, validate_root

if TYPE_CHECKING:  # GitPython takes a tenth of a second to import; only --at needs it
    from .repository import Repository


def validate_at(repo: Repository, rev: str, *, use_cache: bool = True, check_codeowners: bool = False) -> Validated:
    """Loads and validates the organisation as it was in commit `rev`, read from git without a checkout.

    `check_codeowners` is as for `validate_root`, with the CODEOWNERS of that commit.
    """
    validated = validate(repo.load_at(rev, Memo.for_root(repo.root) if use_cache else None))
    org = validated.organisation
    if check_codeowners and not policy.inputs_broken(org):
        host = codeowners.host_of(org)
        actual, refused = repo.read_at(rev, codeowners.CODEOWNERS_FILE[host])
        found = [refused] if refused else codeowners.check_text(actual, policy.Policy(org), host)
        validated.diagnostics = sorted(set(validated.diagnostics + found))
    return validated


def validate_revision(root: Path, at: str | None, *, use_cache: bool = True,
                      check_codeowners: bool = False) -> Validated:
    """The working tree at `root` validated, or with `at`, the commit it names (raises GitError for an
    unknown revision or a folder that is not a repository's top)."""
    if at is None:
        return validate_root(root, use_cache=use_cache, check_codeowners=check_codeowners)
    from .repository import Repository

    with Repository(root) as repo:
        return validate_at(repo, at, use_cache=use_cache, check_codeowners=check_codeowners)
