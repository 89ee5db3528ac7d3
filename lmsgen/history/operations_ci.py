"""The daily operations' CI, read as `lmsgen doctor` needs it: is it there, and is it as `lmsgen init`
writes it, or which of its parts differ (docs/deploy.md, "Daily operations").

The operations hold the secrets of the HR system, the LRS and the mail server, and push branches with a
bot's token, so their gates, environment and permissions matter; `init` writes them with care. The
check compares the file (GitHub's `operations.yml`) or the operations' jobs (in GitLab's `.gitlab-ci.yml`)
with what `init` would write for this organisation, as YAML, and names each part that differs. What is
checked elsewhere is left out of the comparison: the lmsgen pin (`ci_files`: is it a pin) and the
commits actions are pinned to (bumped in their own right). Which operations are on, the host alone
knows (its variables): `doctor` lists them among the settings.

May import: `lmsgen.model`, and `history` (`hosting`, `scaffold`, `ci_files`). Must not import:
integrations, demo, site or commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..model import formats as m
from . import hosting
from .ci_files import Finding, _load, _mapping, listing, problem
from .scaffold import rendered

_FIX = ("compare it with the one in a repository that 'lmsgen init' makes (docs/deploy.md, 'Daily operations'), and "
        "keep a difference only if you meant it")
_MISSING = "nothing imports from HR or the LRS, nor sends reminders, on a schedule"
_PLACEHOLDER_PIN = "git+https://HOST/OWNER/lmsgen@" + "0" * 40
_GITLAB_KEYS = (".operations", ".open-merge-requests", *(flow.job for flow in hosting.FLOWS))
"""The parts of .gitlab-ci.yml that run the operations (besides the stage `operations` in `stages`)."""


def github(root: Path, org: m.Org | None) -> list[Finding]:
    """.github/workflows/operations.yml: present, and as `init` writes it."""
    rel = hosting.OPERATIONS_WORKFLOW
    workflow, missing = _load(root, rel, _MISSING)
    if missing:
        return [missing]
    expected = yaml.safe_load(rendered(rel, _org(org, m.GitHost.GITHUB), _PLACEHOLDER_PIN))
    if "LMSGEN" in _mapping(workflow.get("env")):  # whether it is a pin, `ci_files` says
        expected["env"]["LMSGEN"] = workflow["env"]["LMSGEN"]
    differences = _top_level(expected, workflow, skip={"jobs"})
    differences += _jobs(_mapping(expected["jobs"]), workflow.get("jobs"))
    if differences:
        return [problem(f"{rel} differs from what 'lmsgen init' writes: {'; '.join(differences)}", _FIX)]
    switches = listing([flow.switch for flow in hosting.FLOWS])
    return [Finding(True, f"{rel} is as 'lmsgen init' writes it: {_the_jobs()}, each on when its repository "
                          f"variable ({switches}) is 'on', with the secrets of the environment "
                          f"'{hosting.OPERATIONS_ENVIRONMENT}'")]


def gitlab(root: Path, org: m.Org | None) -> list[Finding]:
    """The operations' jobs in .gitlab-ci.yml: there, and as `init` writes them. A file that is missing or does
    not read, `ci_files.gitlab` reports."""
    rel = hosting.GITLAB_CI
    ci, missing = _load(root, rel, "")
    if missing:
        return []
    expected = yaml.safe_load(rendered(rel, _org(org, m.GitHost.GITLAB), _PLACEHOLDER_PIN))
    differences = [] if "operations" in (ci.get("stages") if isinstance(ci.get("stages"), list) else []) \
        else ["'stages' has no stage 'operations'"]
    differences += _jobs({key: expected[key] for key in _GITLAB_KEYS},
                         {key: ci[key] for key in _GITLAB_KEYS if key in ci}, only_expected=True)
    if differences:
        return [problem(f"{rel}: the daily operations differ from what 'lmsgen init' writes: "
                        f"{'; '.join(differences)}", _FIX)]
    switches = listing([flow.switch for flow in hosting.FLOWS])
    return [Finding(True, f"{rel} runs the daily operations as 'lmsgen init' writes them: {_the_jobs()}, each in "
                          f"the scheduled pipelines when its CI/CD variable ({switches}) is 'on', with the variables "
                          f"of the environment '{hosting.OPERATIONS_ENVIRONMENT}'")]


def _the_jobs() -> str:
    return "the jobs " + listing([f"'{flow.job}'" for flow in hosting.FLOWS])


def _org(org: m.Org | None, host: m.GitHost) -> m.Org:
    """The organisation whose CI `init` would write: org.yaml's, else one with the defaults."""
    return org if org is not None else m.Org(name="-", git=m.GitSettings(host=host, repo="https://HOST/GROUP/PROJECT",
                                                                         branch="main"))


def _top_level(expected: dict[Any, Any], actual: dict[Any, Any], skip: set[str]) -> list[str]:
    keys = [key for key in expected if key not in skip] + [key for key in actual if key not in expected]
    return [f"'{_name(key)}'" + ("" if key in expected else " (which it does not write)")
            for key in keys if _normal(expected.get(key)) != _normal(actual.get(key))]


def _jobs(expected: dict[Any, Any], actual: object, only_expected: bool = False) -> list[str]:
    """Each job that is missing, added (unless `only_expected`) or changed, with the keys that differ."""
    jobs = _mapping(actual)
    found = []
    for name, job in expected.items():
        if name not in jobs:
            found.append(f"no job '{name}'")
        elif _normal(job) != _normal(jobs[name]):
            if isinstance(job, dict) and isinstance(jobs[name], dict):
                keys = [key for key in [*job, *(key for key in jobs[name] if key not in job)]
                        if _normal(job.get(key)) != _normal(jobs[name].get(key))]
                found.append(f"the job '{name}' ({listing([repr(_name(key)) for key in keys])})")
            else:
                found.append(f"the job '{name}'")
    if not only_expected:
        found += [f"a job '{_name(name)}' that it does not write" for name in jobs if name not in expected]
    return found


def _name(key: object) -> str:
    return "on" if key is True else str(key)  # YAML 1.1 reads the key `on` as true


def _normal(value: object) -> object:
    """`value` with each action's pinned commit left out (`uses: actions/checkout@<commit>` is `actions/checkout`)."""
    if isinstance(value, dict):
        return {key: (item.partition("@")[0] if key == "uses" and isinstance(item, str) else _normal(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value
