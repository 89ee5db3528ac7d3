"""`lmsgen doctor`: whether an organisation repository is set up to enforce its policy, as far as its
files can tell, and what to set on the git host by hand.

CODEOWNERS routes each change to its approvers, but only the host's branch protection makes their
review and the check required, and only CI that runs pinned code with the whole history gives a check
and a site to trust. `examine` looks at what the repository holds: the CI files (`ci_files`; the daily
operations', `operations_ci`), CODEOWNERS, owners for every path (the rule `lmsgen check` applies), no
committed cache, the ruleset to import. It works offline and never asks the host; the settings only the
host holds come back as `settings` (`hosting.host_settings`), the same list that `lmsgen init` wrote into
the README.

May import: `lmsgen.rules`, `lmsgen.model`, `lmsgen.errors`, `lmsgen.writing`, and `history` (`hosting`,
`ci_files`, `operations_ci`, `repository`). Must not import: integrations, demo, site or commands.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..model import formats as m
from ..model.diagnostics import Diagnostic
from ..model.files import read_file
from ..model.layout import STRAY_CACHE, STRAY_CACHE_MESSAGE
from ..rules import codeowners, four_eyes
from ..rules.policy import Policy, inputs_broken, load_inputs
from . import ci_files, hosting, operations_ci
from .ci_files import Finding, problem
from .repository import Repository


@dataclass(frozen=True)
class Report:
    """What `examine` found, in order, and the settings to make on the host by hand."""

    host: m.GitHost
    findings: list[Finding]
    settings: list[str]

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)


def examine(root: Path) -> Report:
    """Every finding about the repository at `root` (the top of a git working tree). Raises GitError when
    it is not one."""
    result = load_inputs(root, use_cache=False)
    org = result.organisation
    host = codeowners.host_of(org)
    git_settings = org.org.model.git if org.org else None
    findings = ci_files.github(root) if host is m.GitHost.GITHUB else ci_files.gitlab(root)
    operations = operations_ci.github if host is m.GitHost.GITHUB else operations_ci.gitlab
    findings += operations(root, org.org.model if org.org else None)
    if inputs_broken(org):
        findings.append(problem("the files CODEOWNERS derives from (org.yaml, roles/, teams/, catalog/) have errors, "
                                "so their owners cannot be checked", "run 'lmsgen check' and fix them"))
    else:
        findings += _owners(root, Policy(org), host, result.diagnostics)
    findings.append(_cache(root))
    if host is m.GitHost.GITHUB:
        findings.append(_ruleset(root))
    settings = hosting.host_settings(host, git_settings.repo if git_settings else "https://HOST/GROUP/PROJECT",
                                     git_settings.branch if git_settings else "main")
    return Report(host, findings, settings)


def _owners(root: Path, policy: Policy, host: m.GitHost, loaded: list[Diagnostic]) -> list[Finding]:
    """CODEOWNERS as `lmsgen codeowners --check` sees it, and the paths that nobody may leave unowned."""
    rel = codeowners.CODEOWNERS_FILE[host]
    stale = codeowners.check_file(root, policy, host)
    found = [problem(str(stale[0])) if stale else Finding(True, f"{rel} is up to date")]
    unowned = sorted(diagnostic for diagnostic in four_eyes.diagnostics(policy, loaded) if diagnostic.is_error)
    found += [problem(str(diagnostic)) for diagnostic in unowned]
    if not unowned:
        found.append(Finding(True, "every record, request, slip and attendance list has an owner with a login"))
    return found


def _cache(root: Path) -> Finding:
    """A cache in the working tree, committed or not, which `lmsgen check` refuses."""
    with Repository(root) as repo:
        committed = bool(repo.repo.git.ls_files("--", STRAY_CACHE))
    if committed:
        return problem(f"{STRAY_CACHE} is committed", STRAY_CACHE_MESSAGE)
    if os.path.lexists(root / STRAY_CACHE):
        return problem(f"{STRAY_CACHE} is in the working tree", STRAY_CACHE_MESSAGE)
    return Finding(True, "no lmsgen cache in the repository")


_RULES = {
    "a code owner's review": lambda rules: _parameter(rules, "pull_request", "require_code_owner_review"),
    "dismissing approvals on a new push": lambda rules: _parameter(rules, "pull_request",
                                                                   "dismiss_stale_reviews_on_push"),
    f"the status check '{hosting.CHECK_NAME}'": lambda rules: any(
        isinstance(check, dict) and check.get("context") == hosting.CHECK_NAME
        for check in _parameter(rules, "required_status_checks", "required_status_checks") or []),
    "no force pushes": lambda rules: "non_fast_forward" in rules,
    "no deletion": lambda rules: "deletion" in rules,
}
"""What the ruleset must require, each with how to see it in the ruleset's rules (by type)."""


def _parameter(rules: dict[str, dict], kind: str, name: str) -> object:
    parameters = rules.get(kind, {}).get("parameters")
    return parameters.get(name) if isinstance(parameters, dict) else None


def _ruleset(root: Path) -> Finding:
    """The GitHub ruleset to import: present, JSON, active, and requiring each of `_RULES`."""
    rel = hosting.RULESET_FILE
    fix = "copy it from a repository that 'lmsgen init' makes, then import it as the first setting below says"
    data, refused = read_file(root, rel)
    if refused:
        return problem(str(refused))
    if data is None:
        return problem(f"{rel} is missing, so there is no branch protection to import", fix)
    try:
        ruleset = json.loads(data)
    except ValueError as broken:
        return problem(f"{rel} is not JSON ({broken})", fix)
    if not isinstance(ruleset, dict):
        return problem(f"{rel} does not hold a ruleset (a JSON object)", fix)
    listed = ruleset.get("rules")
    rules = {rule["type"]: rule for rule in (listed if isinstance(listed, list) else [])
             if isinstance(rule, dict) and isinstance(rule.get("type"), str)}
    lacking = [what for what, holds in _RULES.items() if not holds(rules)]
    if lacking:
        return problem(f"{rel} does not require {ci_files.listing(lacking)}", fix)
    if ruleset.get("enforcement") != "active":
        return problem(f"{rel} is not active (enforcement: {ruleset.get('enforcement')})",
                       'set "enforcement": "active"')
    return Finding(True, f"{rel} is ready to import: code owners' review, the check '{hosting.CHECK_NAME}', "
                         "no force push, no deletion")
