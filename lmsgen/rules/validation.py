"""Everything `lmsgen check` verifies, gathered in one place so that build and status share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..gcpause import collector_paused
from ..model.diagnostics import Diagnostic, has_errors
from ..model.loading import LoadResult, load_root
from ..model.organisation import Organisation
from . import budgets, checks, checks_kept, codeowners, four_eyes, policy, slips, theme, vendors


@dataclass
class Validated:
    """An organisation and every problem found in it, sorted by place."""

    organisation: Organisation
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def validate(result: LoadResult, *, root: Path | None = None, whole_tree: bool = False) -> Validated:
    """Runs the cross-file checks on a loaded organisation; with `root`, also checks that the
    CODEOWNERS checked in there is current (unless a file it derives from failed to load).

    `whole_tree` says that the organisation is the working tree's, so that the parse cache may forget
    what this run did not need.
    """
    with collector_paused():
        found = list(result.diagnostics)
        found += checks.check(result.organisation, result.memo)
        org = result.organisation  # budgets and slips read neither records nor the day: remembered (checks_kept)
        found += checks_kept.kept(org, result.memo, "budgets", lambda: budgets.diagnostics(org))  # overspent
        found += vendors.diagnostics(result.organisation, date.today())  # warnings: contracts ended or ending
        found += theme.diagnostics(result.organisation)  # theme/: the files theme.yaml names, template overrides
        found += checks_kept.kept(org, result.memo, "slips",
                                  lambda: [missing.diagnostic() for missing in slips.missing_slips(org)])
        owners = policy.Policy(result.organisation, result.memo)
        found += four_eyes.diagnostics(owners, found)
        if root is not None and not policy.inputs_broken(result.organisation):
            found += codeowners.check_file(root, owners)
    result.memo.save(forget_unused=whole_tree)  # with what the checks and the policy derived
    return Validated(result.organisation, sorted(set(found)))


def validate_root(root: Path, *, use_cache: bool = True, check_codeowners: bool = False) -> Validated:
    """Loads and validates the organisation in the working tree at `root`.

    `check_codeowners` adds the check that the checked-in CODEOWNERS is current: the gate of `lmsgen
    check`, which status and build, computing from the data alone, do without.
    """
    return validate(load_root(root, use_cache=use_cache, save=False), root=root if check_codeowners else None,
                    whole_tree=True)
