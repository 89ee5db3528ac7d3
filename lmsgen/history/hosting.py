"""What an organisation repository needs from its git host: the CI files `lmsgen init` writes, the names
they share with branch protection, and the settings only a person can make on the host.

`scaffold` writes these into the new repository (its README lists the settings) and `doctor` checks
the files and prints the same settings, so both say the same thing. The settings are the enforcement:
CODEOWNERS only routes reviews; the host makes them required, and that is configured by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from ..model import formats as m

CHECK_NAME = "lmsgen check"
"""The name of the pull-request job that runs `lmsgen check`: the status check branch protection requires."""
PULL_REQUEST_WORKFLOW = ".github/workflows/pull-request.yml"
SITE_WORKFLOW = ".github/workflows/site.yml"
GITLAB_CI = ".gitlab-ci.yml"
RULESET_FILE = ".github/rulesets/lmsgen.json"
"""The GitHub ruleset an admin imports (Settings > Rules > Rulesets > New ruleset > Import a ruleset)."""
GITHUB_ACTIONS_APP = 15368
"""GitHub Actions' app id: the required check must come from a workflow, not from anyone who may set a status."""
SCHEDULE = "17 5 * * *"
"""The daily site build (UTC): statuses turn due and overdue with the date, without a push."""
MARKER = "<!-- lmsgen summary -->"
"""The first line of the comment (GitHub) or note (GitLab) that CI keeps updating on a change, rather than adding."""
MISSING_SLIP = "missing approval slip"
"""What `lmsgen check` says of a request without a slip it needs: CI looks for it in the report."""
FIX_SLIPS = "Some requests lack their approval slips: run `lmsgen check --fix` and push."
"""What the failing check says when slips are missing. CI never pushes them: a commit pushed with the
workflow's token starts no new run on GitHub, so the required check would never report on it."""
INTERNAL_ENVIRONMENT = "internal-site"
"""The GitHub environment that holds LMSGEN_FEED_SECRET, which only the main branch may use."""
FEED_SECRET = "LMSGEN_FEED_SECRET"
BADGE_SECRET = "LMSGEN_BADGE_SECRET"
"""The Open Badges' secret (`site.badges`, which this stage may not import), in the same environment."""
HOST_NAMES = {m.GitHost.GITHUB: "GitHub", m.GitHost.GITLAB: "GitLab"}

OPERATIONS_WORKFLOW = ".github/workflows/operations.yml"
"""The daily operations on GitHub; on GitLab, they are jobs of .gitlab-ci.yml (docs/deploy.md, "Daily operations")."""
OPERATIONS_ENVIRONMENT = "lmsgen-operations"
"""The environment that holds the operations' secrets (GitHub), or scopes them (GitLab): the main branch's alone."""
BOT_TOKEN = "LMSGEN_BOT_TOKEN"
"""The token that pushes an import's branch and opens its pull request: one that the workflow's own token
opened would start no workflow on GitHub, so its check would never run."""


@dataclass(frozen=True)
class Flow:
    """One of the daily operations: its job, the variable that turns it on, what it runs and what it needs."""

    job: str
    switch: str
    """The repository variable (GitHub) or CI/CD variable (GitLab) whose value `on` turns the job on."""
    command: str
    what: str
    secrets: tuple[str, ...]
    settings: tuple[str, ...] = ()
    """Variables of the environment that need not be secret."""
    defaults: str | None = None
    """Settings that have defaults, and when to set them."""
    branches: str | None = None
    """The prefix of the branches the job pushes, each with its pull request."""


FLOWS = (
    Flow("import-hr", "LMSGEN_HR_IMPORT", "lmsgen import-hr", "the HR import",
         ("LMSGEN_HR_EXPORT_URL", "LMSGEN_HR_EXPORT_TOKEN"), branches="lmsgen/import-hr-"),
    Flow("import-completions", "LMSGEN_COMPLETIONS_IMPORT", "lmsgen import-completions --lrs",
         "the completions from the LRS", ("LMSGEN_LRS_URL", "LMSGEN_LRS_USER", "LMSGEN_LRS_PASSWORD"),
         branches="lmsgen/import-completions-lrs-"),
    Flow("remind", "LMSGEN_REMINDERS", "lmsgen remind --smtp", "the reminders",
         ("LMSGEN_SMTP_USER", "LMSGEN_SMTP_PASSWORD"), ("LMSGEN_SMTP_HOST", "LMSGEN_SMTP_FROM"),
         "LMSGEN_SMTP_PORT and LMSGEN_SMTP_STARTTLS too, when the server's are not 587 and true"),
)


def schedule_api(repo: str, branch: str) -> str:
    """The GitLab API call that creates the daily pipeline schedule for the project at `repo`."""
    address = urlsplit(repo)
    project = quote(address.path.strip("/").removesuffix(".git"), safe="")
    return (f'curl --request POST --header "PRIVATE-TOKEN: <a token with the api scope>" '
            f'--data description="lmsgen: daily site" --data ref={branch} --data cron="{SCHEDULE}" '
            f'--data cron_timezone=UTC "{address.scheme}://{address.netloc}/api/v4/projects/{project}/pipeline_schedules"')


def host_settings(host: m.GitHost, repo: str, branch: str) -> list[str]:
    """The settings to make by hand on the git host, in order, one sentence (or a few) each."""
    if host is m.GitHost.GITLAB:
        return _gitlab_settings(repo, branch)
    return _github_settings(branch)


def _github_settings(branch: str) -> list[str]:
    return [
        f"Branch protection: Settings > Rules > Rulesets > New ruleset > Import a ruleset, and choose "
        f"{RULESET_FILE}. It protects {branch}: a pull request with the code owners' review, approvals dismissed "
        f"by a new push, the status check '{CHECK_NAME}' from GitHub Actions, no force push, no deletion.",
        "Plan: required code owner reviews and rulesets on a private repository need GitHub Team or Enterprise "
        "(GitHub Free has them for public repositories only).",
        f"The feed secret: Settings > Environments > New environment '{INTERNAL_ENVIRONMENT}'; Deployment branches "
        f"and tags: Selected, add {branch}; Environment secrets: add {FEED_SECRET} and {BADGE_SECRET} (two long "
        f"random strings, for example from `openssl rand -hex 32`). Only the site workflow's jobs in that environment on {branch} can read "
        "them (internal-site, or internal-site-shard when the site is built in parts), never a pull request's "
        "workflow.",
        "Pages: Settings > Pages > Source: GitHub Actions. It publishes the public zone alone (lmsgen build "
        "--public): a site from a private repository is public on the internet unless your plan is Enterprise "
        "Cloud with private Pages.",
        "The full site: each site run keeps it as the artifact 'internal-site' (3 days) with its nginx access "
        "map; serve it from your own server behind your single sign-on, as README.md's 'The site' says.",
        f"The daily operations ({OPERATIONS_WORKFLOW}), each off until you turn it on: Settings > Environments > "
        f"New environment '{OPERATIONS_ENVIRONMENT}'; Deployment branches and tags: Selected, add {branch}; "
        f"Environment secrets: {BOT_TOKEN}, a fine-grained personal access token of a bot account with Contents "
        "and Pull requests: Read and write on this repository alone, which pushes the import branches and opens "
        f"their pull requests (so that their check runs); and for each operation you turn on, {_needs(False)}.",
        "Turn the daily operations on: Settings > Secrets and variables > Actions > Variables > New repository "
        "variable (the repository's, not the environment's: a job reads it before it enters the environment), "
        f"with the value on: {_switches()}. They run every day ({SCHEDULE}, UTC), and when you start the "
        "workflow 'operations' by hand (Actions > operations > Run workflow).",
    ]


def _needs(gitlab: bool) -> str:
    """Each operation's secrets and settings, as the end of a sentence: on GitLab, all are CI/CD variables."""
    needs = []
    for flow in FLOWS:
        said = f"{flow.what}: {_and(flow.secrets + flow.settings if gitlab else flow.secrets)}"
        if flow.settings and not gitlab:
            said += f", and the environment variables {_and(flow.settings)}"
        needs.append(said + (f" ({flow.defaults})" if flow.defaults else ""))
    return "; ".join(needs)


def _switches() -> str:
    return ", ".join(f"{flow.switch} ({flow.what})" for flow in FLOWS)


def _and(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _gitlab_settings(repo: str, branch: str) -> list[str]:
    return [
        f"Protected branch: Settings > Repository > Protected branches: {branch}, Allowed to merge: Developers + "
        "Maintainers, Allowed to push and merge: No one, Allowed to force push: off, Code owner approval: on.",
        "Merge request approvals: Settings > Merge requests > Approval settings: Prevent approval by merge "
        "request creator, Prevent approvals by users who add commits, Prevent editing approval rules in merge "
        "requests, and When a commit is added: Remove all approvals.",
        "Pipelines must succeed: Settings > Merge requests > Merge checks: Pipelines must succeed.",
        "Plan: code owners, their required approval and the approval settings need GitLab Premium or Ultimate.",
        "The daily schedule: Build > Pipeline schedules > New schedule: Description 'lmsgen: daily site', "
        f"Interval pattern: Custom, {SCHEDULE} (UTC), Target branch: {branch}, Activated; or with the API: "
        f"{schedule_api(repo, branch)}",
        f"Variables: Settings > CI/CD > Variables: {FEED_SECRET} and {BADGE_SECRET}, masked and protected (long "
        f"random strings, for "
        f"example from `openssl rand -hex 32`), so only {branch} sees it; and LMSGEN_TOKEN, masked, environment "
        "scope lmsgen-bot: a project access token with the api scope and the role Reporter, which posts the "
        "summary note on merge requests.",
        "Pages: Deploy > Pages publishes the public zone alone (lmsgen build --public). The full site is the "
        "job internal-site's artifact (3 days, developers only) with its nginx access map; serve it from your own "
        "server behind your single sign-on, as README.md's 'The site' says.",
        f"The daily operations (the jobs {_and(tuple(flow.job for flow in FLOWS))} in {GITLAB_CI}), each off until "
        "you turn it on: Settings > CI/CD > Variables, each protected, masked where GitLab can mask it, with the "
        f"environment scope {OPERATIONS_ENVIRONMENT}: {BOT_TOKEN}, a project access token with the role Developer "
        "and the scopes api and write_repository, which pushes the import branches and opens their merge "
        f"requests; and for each operation you turn on, {_needs(True)}.",
        "Turn the daily operations on: Settings > CI/CD > Variables, in All environments (the rules read them "
        f"before any environment), with the value on: {_switches()}. They run in the daily schedule's "
        "pipelines (above).",
    ]
