"""The CI files of an organisation repository, read as `lmsgen doctor` needs them: is every third-party
action pinned to a commit, is lmsgen installed from a pin, does the site job see the whole history, does
the site rebuild on a schedule, and is the check the ruleset requires there.

Reading is structural (the YAML a host reads, never run): what the files cannot show, such as the
host's settings, `doctor` lists for a person to set. A file that does not read is a finding, never an
exception.

May import: `lmsgen.model`, `lmsgen.writing`, and `history` (`hosting`, `scaffold`). Must not import:
integrations, demo, site or commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..model.files import read_file
from . import hosting
from .scaffold import unpinned

_COMMIT = re.compile(r"[0-9a-f]{40}")
_BUILD = re.compile(r"^\s*lmsgen\s+build\b", re.MULTILINE)
_RUNS_LMSGEN = re.compile(r"^\s*(env\s+(-u\s+\S+\s+)*)?lmsgen\s", re.MULTILINE)
_PIP_INSTALL = re.compile(r"pip3?\s+install\b[^\n]*")
_PINNED_INSTALL = 'pip install "$LMSGEN"'
_SCHEDULE_RULE = re.compile(r"\$CI_PIPELINE_SOURCE\s*==\s*[\"']schedule[\"']")
_COPY = "copy it from a repository that 'lmsgen init' makes"


@dataclass(frozen=True)
class Finding:
    """One line of the doctor's report: what was found, whether it is fine, and how to fix it when not."""

    ok: bool
    what: str
    fix: str | None = None

    def __str__(self) -> str:
        return f"{'ok' if self.ok else 'problem'}: {self.what}" + (f"; {self.fix}" if self.fix else "")


def problem(what: str, fix: str | None = None) -> Finding:
    return Finding(False, what, fix)


def listing(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _load(root: Path, rel: str, missing: str) -> tuple[dict[str, Any] | None, Finding | None]:
    """The YAML mapping at `rel`, or the finding that says why there is none (`missing`: what that means)."""
    data, refused = read_file(root, rel)
    if refused:
        return None, problem(str(refused))
    if data is None:
        return None, problem(f"{rel} is missing, so {missing}", _COPY)
    try:
        loaded = yaml.safe_load(data)
    except yaml.YAMLError as broken:
        where = getattr(broken, "problem_mark", None)
        at = f":{where.line + 1}:{where.column + 1}" if where else ""
        return None, problem(f"{rel}{at} is not valid YAML ({getattr(broken, 'problem', None) or broken})", _COPY)
    if not isinstance(loaded, dict):
        return None, problem(f"{rel} does not hold a mapping of settings", _COPY)
    return loaded, None


def _the_jobs(names: list[str], one_does: str, several_do: str) -> str:
    """`the job 'a' checks out`, `the jobs 'a' and 'b' check out`."""
    quoted = listing([f"'{name}'" for name in names])
    return f"the job {quoted} {one_does}" if len(names) == 1 else f"the jobs {quoted} {several_do}"


def _mapping(value: object) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


# --- GitHub -------------------------------------------------------------------------------------------

def github(root: Path) -> list[Finding]:
    """The workflows `lmsgen init` writes, then every workflow's actions and lmsgen install."""
    found: list[Finding] = []
    pull, missing = _load(root, hosting.PULL_REQUEST_WORKFLOW, "no pull request is checked")
    found.append(missing or _check_job(pull))
    site, missing = _load(root, hosting.SITE_WORKFLOW, "no site is built")
    found += [missing] if missing else [_github_depth(site), _github_schedule(site)]
    folder = root / ".github" / "workflows"
    names = sorted(path.name for path in folder.iterdir() if path.suffix in (".yml", ".yaml")) \
        if folder.is_dir() and not folder.is_symlink() else []
    for name in names:
        rel = f".github/workflows/{name}"
        workflow, unreadable = _load(root, rel, "")
        if unreadable:  # the workflows init writes: reported above, or by `operations_ci`
            if rel not in (hosting.PULL_REQUEST_WORKFLOW, hosting.SITE_WORKFLOW, hosting.OPERATIONS_WORKFLOW):
                found.append(unreadable)
            continue
        found += _pinned_actions(rel, workflow)
        runs = "\n".join(_text(step.get("run")) for step in _steps(workflow))
        found += _pinned_lmsgen(rel, _mapping(workflow.get("env")).get("LMSGEN"), runs)
    return found


def _jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(name): job for name, job in _mapping(workflow.get("jobs")).items() if isinstance(job, dict)}


def _steps(workflow: dict[str, Any], job: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    jobs = [job] if job is not None else list(_jobs(workflow).values())
    return [step for each in jobs for step in _list(each.get("steps")) if isinstance(step, dict)]


def _check_job(workflow: dict[str, Any]) -> Finding:
    rel = hosting.PULL_REQUEST_WORKFLOW
    if any(job.get("name") == hosting.CHECK_NAME for job in _jobs(workflow).values()):
        return Finding(True, f"{rel} checks every pull request in the job '{hosting.CHECK_NAME}'")
    return problem(f"{rel} has no job named '{hosting.CHECK_NAME}', the status check that branch protection "
                   f"requires", f"give the job that runs 'lmsgen check --base' the name: {hosting.CHECK_NAME}")


def _github_depth(site: dict[str, Any]) -> Finding:
    rel = hosting.SITE_WORKFLOW
    builds = {name: job for name, job in _jobs(site).items()
              if any(_BUILD.search(_text(step.get("run"))) for step in _steps(site, job))}
    if not builds:
        return problem(f"{rel} has no job that runs 'lmsgen build'", _COPY)
    shallow = [name for name, job in builds.items()
               if not any(_text(step.get("uses")).startswith("actions/checkout@")
                          and str(_mapping(step.get("with")).get("fetch-depth")) == "0"
                          for step in _steps(site, job))]
    if shallow:
        return problem(f"{rel}: {_the_jobs(shallow, 'checks out', 'check out')} the last commit alone, so the "
                       "audit trail and records.csv name that commit for every record",
                       "set fetch-depth: 0 under the 'with:' of the job's actions/checkout step")
    return Finding(True, f"{rel} builds the site from the whole history (fetch-depth: 0)")


def _github_schedule(site: dict[str, Any]) -> Finding:
    rel = hosting.SITE_WORKFLOW
    triggers = site.get("on", site.get(True))  # YAML 1.1 reads the key `on` as true
    crons = [_text(entry.get("cron")) for entry in _list(_mapping(triggers).get("schedule"))
             if isinstance(entry, dict) and entry.get("cron")]
    if crons:
        return Finding(True, f"{rel} rebuilds the site on a schedule (cron \"{crons[0]}\")")
    return problem(f"{rel} has no schedule, so the site shows the statuses of the day of the last push",
                   f"add under 'on:': schedule: [{{cron: \"{hosting.SCHEDULE}\"}}]")


def _pinned_actions(rel: str, workflow: dict[str, Any]) -> list[Finding]:
    found = []
    uses = [_text(step.get("uses")) for step in _steps(workflow) if step.get("uses")]
    uses += [_text(job.get("uses")) for job in _jobs(workflow).values() if job.get("uses")]  # reusable workflows
    for use in uses:
        if use.startswith("./") or (use.startswith("docker://") and "@sha256:" in use):
            continue
        action, _, ref = use.partition("@")
        if not _COMMIT.fullmatch(ref):
            repository = "/".join(action.split("/")[:2])
            found.append(problem(
                f"{rel}: {use} is not pinned to a commit, so whoever moves '{ref or 'its default branch'}' "
                "changes the code it runs",
                f"pin the 40-hex commit, with the version beside it: uses: {action}@<commit>  # {ref or 'version'} "
                f"(git ls-remote https://github.com/{repository} {ref or 'HEAD'} prints it)"))
    if not found:
        found.append(Finding(True, f"{rel}: every action is pinned to a commit"))
    return found


def _pinned_lmsgen(rel: str, pin: object, runs: str) -> list[Finding]:
    """That a file that runs lmsgen installs it with `pip install "$LMSGEN"`, and LMSGEN is a pin."""
    if not _RUNS_LMSGEN.search(runs):
        return []
    found = [problem(f"{rel}: '{install.strip()}' does not install the pinned lmsgen",
                     f"install it with {_PINNED_INSTALL}, and set LMSGEN to a pin")
             for install in _PIP_INSTALL.findall(runs) if install.strip() != _PINNED_INSTALL]
    if not isinstance(pin, str):
        found.append(problem(f"{rel} runs lmsgen but sets no LMSGEN to install it from",
                             "set LMSGEN to a pinned lmsgen (git+https://HOST/OWNER/REPO@<40-hex commit>)"))
    elif why := unpinned(pin):
        found.append(problem(f"{rel}: LMSGEN '{pin}' is not a pin: {why}"))
    if not found:
        found.append(Finding(True, f"{rel} installs lmsgen from a pin ({pin})"))
    return found


# --- GitLab -------------------------------------------------------------------------------------------

def gitlab(root: Path) -> list[Finding]:
    """.gitlab-ci.yml: the pinned install, the clone depth and the schedule of the site's jobs."""
    rel = hosting.GITLAB_CI
    ci, missing = _load(root, rel, "no merge request is checked and no site is built")
    if missing:
        return [missing]
    jobs = {name: _resolved(ci, name) for name, job in ci.items() if isinstance(job, dict)
            and not str(name).startswith(".") and "script" in _resolved(ci, name)}
    scripts = {name: "\n".join(_text(line) for line in _list(job.get("script"))) for name, job in jobs.items()}
    before = "\n".join(_text(line) for line in _list(_mapping(ci.get("default")).get("before_script")))
    found = _pinned_lmsgen(rel, _mapping(ci.get("variables")).get("LMSGEN"), "\n".join([before, *scripts.values()]))
    builds = [name for name, script in scripts.items() if _BUILD.search(script)]
    if not builds:
        return [*found, problem(f"{rel} has no job that runs 'lmsgen build'", _COPY)]
    depth = _mapping(ci.get("variables")).get("GIT_DEPTH")
    shallow = [name for name in builds if str(_mapping(jobs[name].get("variables")).get("GIT_DEPTH", depth)) != "0"]
    if shallow:
        found.append(problem(f"{rel}: {_the_jobs(shallow, 'clones', 'clone')} the last commits alone, so the "
                             "audit trail and records.csv name the wrong commit for older records",
                             "set GIT_DEPTH: 0 under 'variables:'"))
    else:
        found.append(Finding(True, f"{rel} builds the site from the whole history (GIT_DEPTH: 0)"))
    scheduled = [name for name in builds if any(_SCHEDULE_RULE.search(_text(_mapping(rule).get("if")))
                                                for rule in _list(jobs[name].get("rules")))]
    if scheduled:
        found.append(Finding(True, f"{rel} builds the site in the pipeline schedule's pipelines "
                                   f"({listing([repr(name) for name in scheduled])})"))
    else:
        found.append(problem(f"{rel} runs no site job in a scheduled pipeline, so the site shows the statuses of "
                             "the day of the last push",
                             "add the rule - if: $CI_PIPELINE_SOURCE == \"schedule\" to the job that runs "
                             "'lmsgen build', and create the schedule (below)"))
    return found


def _resolved(ci: dict[str, Any], name: object, seen: frozenset[object] = frozenset()) -> dict[str, Any]:
    """A job with what it `extends` (one name or a list, hidden jobs among them) merged under its own keys."""
    job = _mapping(ci.get(name))
    if name in seen:
        return job
    parents = job.get("extends")
    merged: dict[str, Any] = {}
    for parent in [parents] if isinstance(parents, str) else _list(parents):
        merged.update(_resolved(ci, parent, seen | {name}))
    return {**merged, **job}
