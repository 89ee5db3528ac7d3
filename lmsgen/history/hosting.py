"""What an organisation repository needs from its git host: the CI files `lmsgen init` writes, the names
they share with branch protection, and the settings only a person can make on the host.

`scaffold` writes these into the new repository (its README lists the settings) and `doctor` checks
the files and prints the same settings, so both say the same thing. The settings are the enforcement:
CODEOWNERS only routes reviews; the host makes them required, and that is configured by hand.
"""

from __future__ import annotations

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
        f"random strings, for example from `openssl rand -hex 32`). Only the site workflow's internal-site job on {branch} can read it, "
        "never a pull request's workflow.",
        "Pages: Settings > Pages > Source: GitHub Actions. It publishes the public zone alone (lmsgen build "
        "--public): a site from a private repository is public on the internet unless your plan is Enterprise "
        "Cloud with private Pages.",
        "The full site: each site run keeps it as the artifact 'internal-site' (3 days) with its nginx access "
        "map; serve it from your own server behind your single sign-on, as README.md's 'The site' says.",
    ]


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
    ]
