"""`lmsgen doctor` on repositories that `lmsgen init` makes, as made and with one thing broken at a time."""

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import commit_all, git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.history import hosting
from lmsgen.model.layout import STRAY_CACHE_MESSAGE

PIN = "git+https://github.com/acme/lmsgen@0123456789abcdef0123456789abcdef01234567"
SITE = ".github/workflows/site.yml"
COPY = "copy it from a repository that 'lmsgen init' makes"
OPERATIONS = ".github/workflows/operations.yml"
OPERATIONS_OK = ("ok: .github/workflows/operations.yml is as 'lmsgen init' writes it: the jobs 'import-hr', "
                 "'import-completions' and 'remind', each on when its repository variable (LMSGEN_HR_IMPORT, "
                 "LMSGEN_COMPLETIONS_IMPORT and LMSGEN_REMINDERS) is 'on', with the secrets of the environment "
                 "'lmsgen-operations'")
COMPARE = ("compare it with the one in a repository that 'lmsgen init' makes (docs/deploy.md, 'Daily operations'), "
           "and keep a difference only if you meant it")


def new_org(tmp_path: Path, host: str = "github") -> Path:
    root = tmp_path / host
    assert main(["init", str(root), "--install", PIN, "--host", host,
                 *(["--repo", "https://gitlab.example/acme/learning"] if host == "gitlab" else [])]) == 0
    return root


def doctor(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], list[str]]:
    """The exit code, the findings' lines and the settings' lines."""
    capsys.readouterr()
    code = main(["--root", str(root), "doctor"])
    findings, _, settings = capsys.readouterr().out.partition("\n\n")
    return code, findings.splitlines(), settings.splitlines()


def problems(root: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, findings, _ = doctor(root, capsys)
    found = [line for line in findings if not line.startswith("ok: ")]
    assert code == (1 if found else 0)
    assert all(line.startswith("problem: ") for line in found)
    return found


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_a_new_organisation_passes_doctor_and_check(tmp_path, capsys, host):
    root = new_org(tmp_path, host)
    code, findings, settings = doctor(root, capsys)
    assert code == 0 and findings and all(line.startswith("ok: ") for line in findings)
    name = {"github": "GitHub", "gitlab": "GitLab"}[host]
    repo = "https://gitlab.example/acme/learning" if host == "gitlab" else "https://github.com/your-org/github"
    assert settings == [f"Set on {name} by hand (lmsgen cannot see these):"] + [
        f"{number}. {setting}" for number, setting in enumerate(hosting.host_settings(
            hosting.m.GitHost(host), repo, "main"), 1)]
    assert main(["--root", str(root), "check"]) == 0


def test_the_readme_lists_the_settings_that_doctor_prints(tmp_path, capsys):
    root = new_org(tmp_path, "gitlab")
    _, _, settings = doctor(root, capsys)
    readme = (root / "README.md").read_text()
    assert "\n".join(settings[1:]) in readme
    assert "5. The daily schedule: Build > Pipeline schedules > New schedule" in readme
    assert ('--data ref=main --data cron="17 5 * * *" --data cron_timezone=UTC '
            '"https://gitlab.example/api/v4/projects/acme%2Flearning/pipeline_schedules"') in readme


def test_a_github_report_names_each_thing_it_checked(tmp_path, capsys):
    _, findings, _ = doctor(new_org(tmp_path), capsys)
    assert findings == [
        "ok: .github/workflows/pull-request.yml checks every pull request in the job 'lmsgen check'",
        "ok: .github/workflows/site.yml builds the site from the whole history (fetch-depth: 0)",
        'ok: .github/workflows/site.yml rebuilds the site on a schedule (cron "17 5 * * *")',
        "ok: .github/workflows/operations.yml: every action is pinned to a commit",
        f"ok: .github/workflows/operations.yml installs lmsgen from a pin ({PIN})",
        "ok: .github/workflows/pull-request.yml: every action is pinned to a commit",
        f"ok: .github/workflows/pull-request.yml installs lmsgen from a pin ({PIN})",
        "ok: .github/workflows/site.yml: every action is pinned to a commit",
        f"ok: .github/workflows/site.yml installs lmsgen from a pin ({PIN})",
        OPERATIONS_OK,
        "ok: .github/CODEOWNERS is up to date",
        "ok: every record, request, slip and attendance list has an owner with a login",
        "ok: no lmsgen cache in the repository",
        "ok: .github/rulesets/lmsgen.json is ready to import: code owners' review, the check 'lmsgen check', no "
        "force push, no deletion"]


ONE_THING_BROKEN = {
    "a site job that checks out one commit": (
        "fetch-depth: 0", "fetch-depth: 1",
        "problem: .github/workflows/site.yml: the job 'public' checks out the last commit alone, so the audit trail "
        "and records.csv name that commit for every record; set fetch-depth: 0 under the 'with:' of the job's "
        "actions/checkout step"),
    "a site without a schedule": (
        '  schedule:\n    - cron: "17 5 * * *"  # daily (UTC), so that due dates turn overdue without a push\n', "",
        "problem: .github/workflows/site.yml has no schedule, so the site shows the statuses of the day of the last "
        'push; add under \'on:\': schedule: [{cron: "17 5 * * *"}]'),
    "an action pinned to a tag": (
        "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128  # v5.0.0", "actions/deploy-pages@v5",
        "problem: .github/workflows/site.yml: actions/deploy-pages@v5 is not pinned to a commit, so whoever moves "
        "'v5' changes the code it runs; pin the 40-hex commit, with the version beside it: uses: "
        "actions/deploy-pages@<commit>  # v5 (git ls-remote https://github.com/actions/deploy-pages v5 prints it)"),
}


@pytest.mark.parametrize("broken", ONE_THING_BROKEN)
def test_one_thing_broken_in_the_site_workflow(tmp_path, capsys, broken):
    old, new, expected = ONE_THING_BROKEN[broken]
    root = new_org(tmp_path)
    edit(root, SITE, old, new)
    assert problems(root, capsys) == [expected]


def test_site_jobs_that_check_out_one_commit(tmp_path, capsys):
    root = new_org(tmp_path)
    edit(root, SITE, "          fetch-depth: 0  # the whole history: the audit trail and records.csv name the commit "
                     "of each record\n", "", count=2)
    assert problems(root, capsys) == [
        "problem: .github/workflows/site.yml: the jobs 'public' and 'internal-site' check out the last commit alone, "
        "so the audit trail and records.csv name that commit for every record; set fetch-depth: 0 under the 'with:' "
        "of the job's actions/checkout step"]


def test_a_workflow_that_installs_lmsgen_by_name(tmp_path, capsys):
    root = new_org(tmp_path)
    edit(root, SITE, f'LMSGEN: "{PIN}"', 'LMSGEN: "lmsgen==0.1.0"')
    edit(root, ".github/workflows/pull-request.yml", 'pip install "$LMSGEN"', "pip install lmsgen")
    assert problems(root, capsys) == [
        "problem: .github/workflows/pull-request.yml: 'pip install lmsgen' does not install the pinned lmsgen; "
        'install it with pip install "$LMSGEN", and set LMSGEN to a pin',
        "problem: .github/workflows/site.yml: LMSGEN 'lmsgen==0.1.0' is not a pin: a package name or version "
        "installs whatever a package index holds under that name, which anyone can register; pin a commit or a "
        "file's digest instead, for example --install git+https://github.com/OWNER/lmsgen@<40-hex commit> or "
        "--install https://HOST/PATH/lmsgen-0.1.0-py3-none-any.whl#sha256=<64-hex digest>"]


def test_a_stale_codeowners(tmp_path, capsys):
    root = new_org(tmp_path)
    lines = (root / ".github/CODEOWNERS").read_text().splitlines()
    first = next(number for number, line in enumerate(lines, 1) if "@sam-example" in line)
    edit(root, "teams/everyone/team.yaml", "git: sam-example", "git: sam-renamed")
    assert problems(root, capsys) == [
        f"problem: .github/CODEOWNERS:{first}:1: out of date with roles/, teams/ and the catalog (from this line "
        "on): run 'lmsgen codeowners' to regenerate it"]
    assert main(["--root", str(root), "codeowners"]) == 0
    assert problems(root, capsys) == []


def test_records_that_nobody_with_a_login_owns(tmp_path, capsys):
    root = new_org(tmp_path)
    edit(root, "teams/everyone/team.yaml", ", git: sam-example", "")
    assert main(["--root", str(root), "codeowners"]) == 0
    assert problems(root, capsys) == [
        "problem: roles/admin.yaml:6:10: nobody owns /teams/everyone/records/alex.admin.yaml and "
        "/teams/everyone/requests/alex/*.admin.yaml ('sam' has no 'git' login), so on the git host anyone may "
        "approve it; add their login on the git host as 'git' (teams/everyone/team.yaml:7:10)",
        "problem: teams/everyone/team.yaml:6:10: nobody owns /teams/everyone/records/alex.yaml and "
        "/teams/everyone/requests/alex/ ('sam' has no 'git' login), so on the git host anyone may approve it; add "
        "their login on the git host as 'git' (teams/everyone/team.yaml:7:10)"]


@pytest.mark.parametrize("committed", [True, False])
def test_a_cache_in_the_repository(tmp_path, capsys, committed):
    root = new_org(tmp_path)
    (root / ".lmsgen-cache").mkdir()
    (root / ".lmsgen-cache" / "entries").write_bytes(b"\0")
    if committed:
        git(root, "add", "--force", ".lmsgen-cache")
        commit_all(root, "a cache")
    where = "is committed" if committed else "is in the working tree"
    assert problems(root, capsys) == [f"problem: .lmsgen-cache {where}; {STRAY_CACHE_MESSAGE}"]


def test_a_missing_or_weakened_ruleset(tmp_path, capsys):
    root = new_org(tmp_path)
    edit(root, hosting.RULESET_FILE, '"require_code_owner_review": true', '"require_code_owner_review": false')
    edit(root, hosting.RULESET_FILE, '{"type": "non_fast_forward"},', "")
    assert problems(root, capsys) == [
        "problem: .github/rulesets/lmsgen.json does not require a code owner's review and no force pushes; "
        f"{COPY}, then import it as the first setting below says"]
    (root / hosting.RULESET_FILE).write_text("{")
    assert problems(root, capsys) == [
        "problem: .github/rulesets/lmsgen.json is not JSON (Expecting property name enclosed in double quotes: line 1 "
        f"column 2 (char 1)); {COPY}, then import it as the first setting below says"]
    git(root, "rm", "-q", "--force", hosting.RULESET_FILE)
    assert problems(root, capsys) == [
        "problem: .github/rulesets/lmsgen.json is missing, so there is no branch protection to import; "
        f"{COPY}, then import it as the first setting below says"]


def test_workflows_that_do_not_read(tmp_path, capsys):
    root = new_org(tmp_path)
    (root / SITE).write_text("on: [push\njobs: {}\n")
    (root / ".github/workflows/pull-request.yml").unlink()
    assert problems(root, capsys) == [
        f"problem: .github/workflows/pull-request.yml is missing, so no pull request is checked; {COPY}",
        "problem: .github/workflows/site.yml:2:5 is not valid YAML (expected ',' or ']', but got ':'); "
        f"{COPY}"]


def test_a_gitlab_pipeline_without_the_schedule_or_the_history(tmp_path, capsys):
    root = new_org(tmp_path, "gitlab")
    edit(root, ".gitlab-ci.yml", '    - if: $CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == "main"\n', "")
    edit(root, ".gitlab-ci.yml", "GIT_DEPTH: 0", "GIT_DEPTH: 1")
    edit(root, ".gitlab-ci.yml", f'LMSGEN: "{PIN}"', 'LMSGEN: "git+https://github.com/acme/lmsgen@main"')
    assert problems(root, capsys) == [
        "problem: .gitlab-ci.yml: LMSGEN 'git+https://github.com/acme/lmsgen@main' is not a pin: 'main' is a branch "
        "or tag, which can be moved to other code; pin the commit it names (git ls-remote "
        "https://github.com/acme/lmsgen main prints it): --install git+https://github.com/acme/lmsgen@<40-hex commit>",
        "problem: .gitlab-ci.yml: the jobs 'pages' and 'internal-site' clone the last commits alone, so the audit "
        "trail and records.csv name the wrong commit for older records; set GIT_DEPTH: 0 under 'variables:'",
        "problem: .gitlab-ci.yml runs no site job in a scheduled pipeline, so the site shows the statuses of the day "
        'of the last push; add the rule - if: $CI_PIPELINE_SOURCE == "schedule" to the job that runs \'lmsgen '
        "build', and create the schedule (below)"]


def test_doctor_outside_a_git_repository_is_a_usage_error(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "doctor"]) == 2
    assert re.fullmatch(r"lmsgen doctor: .* is not in a git repository\n", capsys.readouterr().err)


_YAML_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                            lambda inner: st.lists(inner, max_size=3)
                            | st.dictionaries(st.sampled_from(["on", "jobs", "steps", "uses", "with", "run", "env",
                                                               "fetch-depth", "schedule", "cron", "rules", "type",
                                                               "parameters", "name", "LMSGEN"]), inner, max_size=4),
                            max_leaves=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(site=_YAML_VALUES, ruleset=_YAML_VALUES)
def test_any_workflow_or_ruleset_gives_findings_never_a_traceback(tmp_path_factory, capsys, site, ruleset):
    root = new_org(tmp_path_factory.mktemp("org"))
    (root / SITE).write_text(yaml.safe_dump(site))
    (root / hosting.RULESET_FILE).write_text(json.dumps(ruleset))
    code, findings, _ = doctor(root, capsys)
    assert code == 1 and any(line.startswith("problem: ") for line in findings)


# --- the daily operations (docs/deploy.md, "Daily operations") ---------------------------------------------

def test_the_operations_workflow_as_init_writes_it_and_with_parts_changed(tmp_path, capsys):
    root = new_org(tmp_path)
    edit(root, OPERATIONS, "    if: vars.LMSGEN_REMINDERS == 'on' && (github.event_name == 'schedule' || "
                           "inputs.reminders)\n", "    if: vars.LMSGEN_REMINDERS == 'on'\n")
    edit(root, OPERATIONS, "  cancel-in-progress: false", "  cancel-in-progress: true")
    # A secret in a job outside the environment, and a job init does not write.
    edit(root, OPERATIONS, "    environment: lmsgen-operations  # holds the secrets; its deployment branches: main "
                           "alone\n", "")
    with (root / OPERATIONS).open("a") as workflow:
        workflow.write("  extra:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n")
    assert problems(root, capsys) == [
        "problem: .github/workflows/operations.yml differs from what 'lmsgen init' writes: 'concurrency'; the job "
        "'import-hr' ('environment'); the job 'remind' ('if'); a job 'extra' that it does not write; " + COMPARE]


def test_what_the_operations_comparison_leaves_to_the_other_checks(tmp_path, capsys):
    """A new pin and a bumped action are no difference; whether they are pins, the other checks say. Nor are
    comments and layout: the comparison is of the YAML."""
    root = new_org(tmp_path)
    new_pin = PIN.replace("0123", "4567")
    edit(root, OPERATIONS, f'LMSGEN: "{PIN}"', f'LMSGEN: "{new_pin}"')
    edit(root, OPERATIONS, "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae  # v5.0.5",
         "actions/cache@v5", count=3)
    edit(root, OPERATIONS, "# Generated by `lmsgen init`.", "# Ours, from `lmsgen init`.")
    _, findings, _ = doctor(root, capsys)
    assert OPERATIONS_OK in findings
    assert [line for line in findings if line.startswith("problem: ")] == [
        "problem: .github/workflows/operations.yml: actions/cache@v5 is not pinned to a commit, so whoever moves 'v5' "
        "changes the code it runs; pin the 40-hex commit, with the version beside it: uses: actions/cache@<commit>  "
        "# v5 (git ls-remote https://github.com/actions/cache v5 prints it)"] * 3


def test_a_missing_or_unreadable_operations_workflow(tmp_path, capsys):
    root = new_org(tmp_path)
    (root / OPERATIONS).write_text("jobs: [\n")
    assert problems(root, capsys) == [
        "problem: .github/workflows/operations.yml:2:1 is not valid YAML (expected the node content, but found "
        f"'<stream end>'); {COPY}"]
    (root / OPERATIONS).unlink()
    assert problems(root, capsys) == [
        "problem: .github/workflows/operations.yml is missing, so nothing imports from HR or the LRS, nor sends "
        f"reminders, on a schedule; {COPY}"]


def test_the_gitlab_operations_as_init_writes_them_and_with_parts_changed(tmp_path, capsys):
    root = new_org(tmp_path, "gitlab")
    _, findings, _ = doctor(root, capsys)
    assert ("ok: .gitlab-ci.yml runs the daily operations as 'lmsgen init' writes them: the jobs 'import-hr', "
            "'import-completions' and 'remind', each in the scheduled pipelines when its CI/CD variable "
            "(LMSGEN_HR_IMPORT, LMSGEN_COMPLETIONS_IMPORT and LMSGEN_REMINDERS) is 'on', with the variables of the "
            "environment 'lmsgen-operations'") in findings
    edit(root, ".gitlab-ci.yml", '$CI_COMMIT_BRANCH == "main" && $LMSGEN_REMINDERS == "on"',
         '$LMSGEN_REMINDERS == "on"')
    edit(root, ".gitlab-ci.yml", "stages: [check, site, operations]", "stages: [check, site]")
    edit(root, ".gitlab-ci.yml", "  resource_group: lmsgen-operations  # one at a time, across pipelines\n", "")
    assert problems(root, capsys) == [
        "problem: .gitlab-ci.yml: the daily operations differ from what 'lmsgen init' writes: 'stages' has no stage "
        "'operations'; the job '.operations' ('resource_group'); the job 'remind' ('rules'); " + COMPARE]
    text = (root / ".gitlab-ci.yml").read_text()
    (root / ".gitlab-ci.yml").write_text(text[:text.index("\nimport-completions:")])
    assert problems(root, capsys)[0].startswith(
        "problem: .gitlab-ci.yml: the daily operations differ from what 'lmsgen init' writes: 'stages' has no stage "
        "'operations'; the job '.operations' ('resource_group'); no job 'import-completions'; no job 'remind'; ")


def test_the_settings_say_what_the_operations_need(tmp_path, capsys):
    for host, where in (("github", "Environment secrets: "),
                        ("gitlab", "with the environment scope lmsgen-operations: ")):
        _, _, settings = doctor(new_org(tmp_path, host), capsys)
        needs, turn_on = settings[-2:]
        assert where + "LMSGEN_BOT_TOKEN, " in needs
        for flow in hosting.FLOWS:
            assert all(name in needs for name in flow.secrets + flow.settings), (host, flow.job)
        assert turn_on.startswith("7. Turn the daily operations on: " if host == "github" else
                                  "9. Turn the daily operations on: ")
        assert ("with the value on: LMSGEN_HR_IMPORT (the HR import), LMSGEN_COMPLETIONS_IMPORT (the completions "
                "from the LRS), LMSGEN_REMINDERS (the reminders).") in turn_on


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=_YAML_VALUES)
def test_any_operations_workflow_gives_findings_never_a_traceback(tmp_path_factory, capsys, operations):
    root = new_org(tmp_path_factory.mktemp("org"))
    (root / OPERATIONS).write_text(yaml.safe_dump(operations))
    code, findings, _ = doctor(root, capsys)
    assert code == 1 and any(line.startswith("problem: .github/workflows/operations.yml") for line in findings)
