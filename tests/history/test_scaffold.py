import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import commit_all, git, init_repo
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.history import hosting, scaffold

REPO = Path(__file__).resolve().parents[2]
COMMIT = "0123456789abcdef0123456789abcdef01234567"
PIN = f"git+https://github.com/acme/lmsgen@{COMMIT}"
WHEEL = "https://files.example.org/lmsgen/lmsgen-0.1.0-py3-none-any.whl#sha256=" + "ab" * 32
EXAMPLES = ("for example --install git+https://github.com/OWNER/lmsgen@<40-hex commit> or --install "
            "https://HOST/PATH/lmsgen-0.1.0-py3-none-any.whl#sha256=<64-hex digest>")
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"


def init(root: Path, *args: str, install: str = PIN) -> int:
    return main(["init", str(root), "--install", install, *args])


def workflows(root: Path) -> dict[str, dict]:
    return {path.name: yaml.safe_load(path.read_text()) for path in sorted((root / ".github/workflows").iterdir())}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_init_makes_a_valid_organisation_with_github_ci_in_its_first_commit(tmp_path, capsys):
    root = tmp_path / "acme-learning"
    assert init(root, "--name", "Acme: Robotics, Inc.") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Created the organisation 'Acme: Robotics, Inc.' in {root} (33 files, first commit ")
    tracked = git(root, "ls-files").split()
    assert {".github/CODEOWNERS", ".github/workflows/pull-request.yml", ".github/workflows/site.yml", ".gitignore",
            ".github/workflows/operations.yml", ".github/rulesets/lmsgen.json",
            ".pre-commit-config.yaml", "README.md", "org.yaml", "catalog/welcome.yaml", "roles/admin.yaml",
            "teams/everyone/team.yaml", "assignments/welcome.yaml", "schemas/course.schema.json"} <= set(tracked)
    assert ".gitlab-ci.yml" not in tracked
    assert git(root, "log", "--format=%s") == "Start the learning organisation of Acme: Robotics, Inc. (lmsgen init)\n"
    assert git(root, "status", "--porcelain") == "" and git(root, "branch", "--show-current") == "main\n"
    assert yaml.safe_load((root / "org.yaml").read_text()) == {
        "name": "Acme: Robotics, Inc.", "currency": "EUR", "expiring_within_days": 60,
        "git": {"host": "github", "repo": "https://github.com/your-org/acme-learning", "branch": "main"}}
    assert yaml.safe_load((root / "roles/admin.yaml").read_text())["holders"] == ["alex", "sam"]
    assert (root / "catalog/welcome.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../schemas/course.schema.json\n")
    assert main(["--root", str(root), "check"]) == 0


def test_the_github_workflows_check_comment_and_publish(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    for path in (root / ".github/workflows").iterdir():
        assert "@@" not in path.read_text()
    pull, site = workflows(root)["pull-request.yml"], workflows(root)["site.yml"]
    runs = {name: " ".join(step.get("run", "") for step in job["steps"]) for name, job in pull["jobs"].items()}
    assert 'lmsgen check --base "$BASE" --format github' in runs["check"]
    assert pull["jobs"]["check"]["name"] == hosting.CHECK_NAME == "lmsgen check"
    for command in ('lmsgen diff --base "$BASE" --format markdown', "gh pr comment"):
        assert command in runs["comment"]
    builds = {name: [step.get("run") for step in job.get("steps", [])] for name, job in site["jobs"].items()}
    assert "lmsgen build --public --out public-site" in builds["public"]
    assert "lmsgen build --out site\nlmsgen access --format nginx --out site-access.conf\n" in builds["internal-site"]
    assert [step["uses"].split("@")[0] for step in site["jobs"]["deploy"]["steps"]] == ["actions/deploy-pages"]
    assert site[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as true
    assert site[True]["schedule"] == [{"cron": "17 5 * * *"}]


def test_ci_never_pushes_and_a_missing_slip_fails_the_check_with_what_to_do(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    pull = workflows(root)["pull-request.yml"]
    text = (root / ".github/workflows/pull-request.yml").read_text()
    assert "git push" not in text and "contents: write" not in text
    assert not re.search(r"^\s*lmsgen check[^\n]*--fix", "\n".join(step.get("run", "") for step in steps(pull)), re.M)
    say = pull["jobs"]["check"]["steps"][-1]
    assert say["if"] == "failure() && steps.check.outcome == 'failure'"
    assert "echo 'Some requests lack their approval slips: run `lmsgen check --fix` and push.'" in say["run"]
    assert '} >> "$GITHUB_STEP_SUMMARY"' in say["run"]
    tell = pull["jobs"]["comment"]["steps"][3]["run"]
    assert ('if lmsgen check --base "$BASE" 2> /dev/null | grep -q "missing approval slip"; then\n'
            "    echo 'Some requests lack their approval slips: run `lmsgen check --fix` and push.'") in tell


def test_what_ci_looks_for_is_what_check_says_of_a_missing_slip(make_org, capsys):
    root = make_org({"teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": None})
    assert main(["--root", str(root), "check"]) == 1
    assert (f"teams/platform/requests/carol/2026-11-k8s-admin.yaml:2:1: {hosting.MISSING_SLIP} "
            "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml: a request costing 1200 EUR needs the approval "
            "of the holders of approve.cost (run 'lmsgen check --fix' to write it)\n") in capsys.readouterr().out


def test_the_site_is_built_from_the_whole_history_and_the_secret_reaches_only_the_internal_site(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    site = workflows(root)["site.yml"]
    for name, job in site["jobs"].items():
        checkouts = [step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")]
        assert all(step["with"]["fetch-depth"] == 0 for step in checkouts) and (checkouts or name == "deploy"), name
    internal = site["jobs"]["internal-site"]
    assert internal["environment"] == "internal-site" and internal["permissions"] == {"contents": "read"}
    secret = [step for step in steps(site) if "secrets." in str(step)]
    assert secret == [internal["steps"][4]]
    assert secret[0]["env"] == {"LMSGEN_FEED_SECRET": "${{ secrets.LMSGEN_FEED_SECRET }}",
                                "LMSGEN_BADGE_SECRET": "${{ secrets.LMSGEN_BADGE_SECRET }}"}
    upload = internal["steps"][-1]
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["retention-days"] == 3
    assert upload["with"]["path"].split() == ["site", "site-access.conf"]
    assert "secrets." not in (root / ".github/workflows/pull-request.yml").read_text()


def test_pull_requests_check_out_the_default_merge_ref_with_read_only_tokens(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    pull = workflows(root)["pull-request.yml"]
    assert pull[True] == "pull_request"  # never pull_request_target
    without_comments = yaml.safe_dump(pull)
    assert "head_ref" not in without_comments and "head.sha" not in without_comments and "ref:" not in without_comments
    for step in steps(pull):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert set(step["with"]) == {"fetch-depth", "persist-credentials"} and step["with"]["fetch-depth"] == 0
    assert pull["jobs"]["check"]["permissions"] == {"contents": "read"}


def test_pip_is_cached_under_the_file_that_holds_the_pin(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    for name, workflow in workflows(root).items():
        pythons = [step for step in steps(workflow) if step.get("uses", "").startswith("actions/setup-python@")]
        assert pythons, name
        for step in pythons:
            assert step["with"]["cache"] == "pip" and step["with"]["cache-dependency-path"] == f".github/workflows/{name}"


def test_the_ruleset_has_the_shape_of_githubs_repository_rulesets(tmp_path):
    """The fields of GitHub's REST API for repository rulesets (POST /repos/{owner}/{repo}/rulesets), which
    the import in Settings > Rules > Rulesets reads."""
    root = tmp_path / "org"
    assert init(root, "--branch", "trunk") == 0
    ruleset = json.loads((root / hosting.RULESET_FILE).read_text())
    assert set(ruleset) <= {"name", "target", "enforcement", "bypass_actors", "conditions", "rules"}
    assert isinstance(ruleset["name"], str) and ruleset["target"] == "branch" and ruleset["enforcement"] == "active"
    assert ruleset["bypass_actors"] == []
    assert ruleset["conditions"] == {"ref_name": {"include": ["refs/heads/trunk"], "exclude": []}}
    rules = {rule["type"]: rule.get("parameters") for rule in ruleset["rules"]}
    assert len(rules) == len(ruleset["rules"]) and set(rules) == {"deletion", "non_fast_forward", "pull_request",
                                                                  "required_status_checks"}
    assert rules["deletion"] is None and rules["non_fast_forward"] is None
    assert rules["pull_request"] == {"required_approving_review_count": 1, "require_code_owner_review": True,
                                     "dismiss_stale_reviews_on_push": True, "require_last_push_approval": True,
                                     "required_review_thread_resolution": False}
    check_name = workflows(root)["pull-request.yml"]["jobs"]["check"]["name"]
    assert rules["required_status_checks"] == {
        "strict_required_status_checks_policy": False,
        "required_status_checks": [{"context": check_name, "integration_id": 15368}]}


def test_init_for_gitlab_writes_gitlab_ci_and_its_codeowners(tmp_path):
    root = tmp_path / "org"
    assert init(root, "--host", "gitlab", "--repo", "https://gitlab.example/acme/learning", "--branch", "trunk") == 0
    assert (root / "CODEOWNERS").is_file() and not (root / ".github").exists()
    ci = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    assert ci[".site"]["rules"] == [{"if": f'$CI_PIPELINE_SOURCE == "{source}" && $CI_COMMIT_BRANCH == "trunk"'}
                                    for source in ("schedule", "push", "web")]
    assert ci["pages"]["extends"] == ci["internal-site"]["extends"] == ".site"
    assert ci["workflow"]["rules"][1] == {"if": '$CI_COMMIT_BRANCH == "trunk"'}
    scripts = " ".join(line for job in ("check", "summary", "pages", "internal-site") for line in ci[job]["script"])
    for command in ('lmsgen check --base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"',
                    "--format markdown", "lmsgen build --public --out public", "lmsgen build --out site",
                    "lmsgen access --format nginx --out site-access.conf",
                    "echo 'Some requests lack their approval slips: run `lmsgen check --fix` and push.'"):
        assert command in scripts
    assert "git push" not in (root / ".gitlab-ci.yml").read_text()
    note = ci["summary"]["script"][1]
    assert note.startswith('if env -u LMSGEN_TOKEN lmsgen check --base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" '
                           '2> /dev/null | grep -q "missing approval slip"; then\n  printf \'%s\\n\\n\' '
                           "'Some requests lack their approval slips: run `lmsgen check --fix` and push.' > "
                           "lmsgen-diff.md\nfi\n")
    assert ci["variables"]["GIT_DEPTH"] == 0 and ci["variables"]["PIP_CACHE_DIR"] == "$CI_PROJECT_DIR/.cache/pip"
    assert ci["default"]["cache"] == {"key": {"files": [".gitlab-ci.yml"], "prefix": "pip"}, "paths": [".cache/pip"]}
    assert ci["internal-site"]["artifacts"] == {"paths": ["site", "site-access.conf"], "expire_in": "3 days",
                                                "access": "developer"}
    assert git(root, "branch", "--show-current") == "trunk\n"
    assert main(["--root", str(root), "check"]) == 0


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    for name, workflow in workflows(root).items():
        uses = [step["uses"] for step in steps(workflow) if "uses" in step]
        assert uses and all(re.fullmatch(r"actions/[a-z-]+@[0-9a-f]{40}", use) for use in uses), name
        lines = [line for line in (root / ".github/workflows" / name).read_text().splitlines() if "uses:" in line]
        assert all(re.search(r"@[0-9a-f]{40}  # v\d+\.\d+\.\d+$", line) for line in lines), name


def test_no_job_that_runs_on_fork_pull_requests_may_write(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    pull, site = workflows(root)["pull-request.yml"], workflows(root)["site.yml"]
    assert pull[True] == "pull_request" and pull["permissions"] == {}
    jobs = {name: (job.get("if"), job["permissions"]) for name, job in pull["jobs"].items()}
    assert jobs == {"check": (None, {"contents": "read"}),
                    "comment": (SAME_REPOSITORY, {"contents": "read", "pull-requests": "write"})}
    for condition, permissions in jobs.values():
        assert condition == SAME_REPOSITORY or "write" not in permissions.values()
    # The token goes only to the steps that push or comment, never to a step that runs lmsgen.
    tokened = [step["run"] for step in steps(pull) if "github.token" in str(step.get("env"))]
    assert len(tokened) == 1 and not any(re.search(r"^\s*lmsgen ", run, re.MULTILINE) for run in tokened)
    assert "pull_request_target" not in site[True] and site["permissions"] == {}
    assert site["jobs"]["public"]["permissions"] == site["jobs"]["internal-site"]["permissions"] == {"contents": "read"}
    assert all("run" not in step for step in site["jobs"]["deploy"]["steps"])
    for name, workflow in workflows(root).items():
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name


@pytest.mark.parametrize("install", [PIN, WHEEL, "git+https://git.example:8443/tools/lms%2Dgen.git@" + COMMIT.upper()])
def test_the_ci_installs_exactly_the_pin(tmp_path, capsys, install):
    github, gitlab = tmp_path / "github", tmp_path / "gitlab"
    assert init(github, install=install) == 0
    assert f"Its CI installs lmsgen from {install}; the comment at LMSGEN" in capsys.readouterr().out
    assert init(gitlab, "--host", "gitlab", install=install) == 0
    for name, workflow in workflows(github).items():
        assert workflow["env"]["LMSGEN"] == install, name
        assert {step["run"] for step in steps(workflow) if "pip" in step.get("run", "")} == {'pip install "$LMSGEN"'}
    ci = yaml.safe_load((gitlab / ".gitlab-ci.yml").read_text())
    assert ci["variables"]["LMSGEN"] == install and ci["default"]["before_script"] == ['pip install "$LMSGEN"']
    for root in (github, gitlab):
        assert f'pip install "{install}"\n' in (root / "README.md").read_text()
        assert main(["--root", str(root), "check"]) == 0
    bump = (github / ".github/workflows/pull-request.yml").read_text()
    assert "The pin is what makes this install\n  # trustworthy" in bump and "To bump it" in bump


def test_gitlab_gives_the_token_only_to_the_jobs_that_write_for_this_projects_branches(tmp_path):
    root = tmp_path / "org"
    assert init(root, "--host", "gitlab") == 0
    ci = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    own = ci[".own-branch"]
    assert own["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event" && '
                                   "$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID"}]
    assert own["environment"] == {"name": "lmsgen-bot", "action": "prepare"}
    jobs = {name: job for name, job in ci.items() if isinstance(job, dict) and "script" in job}
    assert {name for name, job in jobs.items() if "LMSGEN_TOKEN" in str(job["script"])} == {"summary"}
    assert {name for name, job in jobs.items() if job.get("extends") == ".own-branch"} == {"summary"}
    assert not any("environment" in job for job in jobs.values())
    assert all(line.startswith("env -u LMSGEN_TOKEN lmsgen ")
               for line in jobs["summary"]["script"] if line.startswith(("lmsgen", "env")))


UNPINNED = {
    "lmsgen": f"a package name or version installs whatever a package index holds under that name, which anyone "
              f"can register; pin a commit or a file's digest instead, {EXAMPLES}",
    "git+https://github.com/acme/lmsgen@main":
        "'main' is a branch or tag, which can be moved to other code; pin the commit it names (git ls-remote "
        "https://github.com/acme/lmsgen main prints it): --install git+https://github.com/acme/lmsgen@<40-hex commit>",
    "git+https://github.com/acme/lmsgen.git@v0.1.0":
        "'v0.1.0' is a branch or tag, which can be moved to other code; pin the commit it names (git ls-remote "
        "https://github.com/acme/lmsgen.git v0.1.0 prints it): "
        "--install git+https://github.com/acme/lmsgen.git@<40-hex commit>",
    "git+https://github.com/acme/lmsgen@3d3c42e":
        "'3d3c42e' is a short commit id, which another commit can be made to share; give all 40 hex digits "
        "(git rev-parse 3d3c42e prints them): --install git+https://github.com/acme/lmsgen@<40-hex commit>",
    "git+https://github.com/acme/lmsgen":
        "it names no commit, so it installs whatever the default branch holds at the time; pin one: "
        "--install git+https://github.com/acme/lmsgen@<40-hex commit>",
    f"git+https://github.com/acme/lmsgen@{COMMIT}#egg=lmsgen":
        "nothing may follow the commit id; end the address with it: "
        "--install git+https://github.com/acme/lmsgen@<40-hex commit>",
    "http://files.example.org/lmsgen-0.1.0.tar.gz#sha256=" + "ab" * 32:
        f"what comes over http:// can be changed on the way; use https://, {EXAMPLES}",
    f"git+http://github.com/acme/lmsgen@{COMMIT}": f"what comes over http:// can be changed on the way; use https://, "
                                                    f"{EXAMPLES}",
    f"git+ssh://git@github.com/acme/lmsgen@{COMMIT}": f"CI installs over https:// only, with no SSH key and none of "
                                                       f"your files; {EXAMPLES}",
    "lmsgen==0.1.0": f"a package name or version installs whatever a package index holds under that name, which "
                     f"anyone can register; pin a commit or a file's digest instead, {EXAMPLES}",
    "lmsgen>=0.1,<0.2": f"a package name or version installs whatever a package index holds under that name, which "
                        f"anyone can register; pin a commit or a file's digest instead, {EXAMPLES}",
    "https://files.example.org/lmsgen-0.1.0.tar.gz":
        "pip checks a downloaded file only against a digest; end the address with #sha256=<64-hex digest> (pip hash "
        "FILE prints it): --install https://files.example.org/lmsgen-0.1.0.tar.gz#sha256=<64-hex digest>",
    "https://files.example.org/lmsgen-0.1.0.tar.gz#sha256=abc123":
        "pip checks a downloaded file only against a digest; end the address with #sha256=<64-hex digest> (pip hash "
        "FILE prints it): --install https://files.example.org/lmsgen-0.1.0.tar.gz#sha256=<64-hex digest>",
    "https://github.com/acme/lmsgen":
        "it is not the address of a wheel (.whl) or source archive (.tar.gz, .zip); for a git repository, pin a "
        "commit: --install git+https://github.com/acme/lmsgen@<40-hex commit>",
    f"git+https://x-access-token:ghp_secret@github.com/acme/lmsgen@{COMMIT}":
        f"it holds credentials, which would be written into the CI files for everyone who can read the repository; "
        f"give an address that needs none, {EXAMPLES}",
    f'git+https://github.com/acme/lmsgen"@{COMMIT}':
        "a pinned address needs only letters, digits and . _ ~ / % + - : @ # =, with no quotes, spaces or query; "
        f"{EXAMPLES}",
}


@pytest.mark.parametrize("spec", UNPINNED)
def test_init_refuses_an_install_that_is_not_pinned(tmp_path, capsys, spec):
    assert init(tmp_path / "org", install=spec) == 2
    assert capsys.readouterr().err == f"lmsgen init: --install '{spec}': {UNPINNED[spec]}\n"
    assert not (tmp_path / "org").exists()


# Mostly plain names, so that the commit is reached, and now and then anything at all.
_SEGMENT = st.one_of(st.from_regex(r"[a-z0-9.-]{1,12}", fullmatch=True),
                     st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12))


@settings(max_examples=300, deadline=None)
@given(host=_SEGMENT, path=st.lists(_SEGMENT, min_size=1, max_size=3), rev=st.one_of(
    st.just(COMMIT), st.text(max_size=45), st.from_regex(r"[0-9a-fA-F]{1,45}", fullmatch=True),
    st.from_regex(r"[0-9a-fA-F]{38,42}", fullmatch=True)))
def test_an_accepted_pin_is_a_full_commit_and_is_written_as_itself(host, path, rev):
    spec = f"git+https://{host}/{'/'.join(path)}@{rev}"
    try:
        accepted = scaffold.pinned_install(spec)
    except ValueError as refused:
        assert str(refused).startswith(f"--install '{spec}': ")
        return
    assert accepted == spec and re.fullmatch(r"[0-9a-fA-F]{40}", rev)
    # Where init writes it: a double-quoted YAML scalar that a shell and workflow expressions read too.
    assert yaml.safe_load(f'LMSGEN: "{spec}"') == {"LMSGEN": spec}
    assert not any(char in spec for char in "\"'`$\\{}? \n")


@settings(max_examples=100, deadline=None)
@given(fragment=st.text(max_size=80))
def test_an_accepted_file_carries_a_sha256_digest(fragment):
    spec = f"https://files.example.org/lmsgen-0.1.0.tar.gz#{fragment}"
    try:
        scaffold.pinned_install(spec)
    except ValueError:
        return
    assert re.fullmatch(r"sha256=[0-9a-fA-F]{64}", fragment)


def checkout_of_lmsgen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, origin: str | None) -> str:
    """A git checkout of a stand-in lmsgen, which init takes for the running one; returns its HEAD."""
    source = tmp_path / "lmsgen-src"
    (source / "lmsgen").mkdir(parents=True)
    (source / "lmsgen" / "__init__.py").write_text('__version__ = "0.1.0"\n')
    init_repo(source)
    head = commit_all(source, "lmsgen")
    if origin is not None:
        git(source, "remote", "add", "origin", origin)
    monkeypatch.setattr(scaffold, "PACKAGE", source / "lmsgen")
    return head


def test_without_install_init_pins_the_commit_of_the_lmsgen_checkout_it_runs_from(tmp_path, capsys, monkeypatch):
    head = checkout_of_lmsgen(tmp_path, monkeypatch, "https://someone:ghp_secret@git.example/acme/lmsgen.git")
    git(tmp_path / "lmsgen-src", "update-ref", "refs/remotes/origin/main", head)  # as after a push
    assert main(["init", str(tmp_path / "org")]) == 0
    pin = f"git+https://git.example/acme/lmsgen.git@{head}"
    assert f"Its CI installs lmsgen from {pin}; " in capsys.readouterr().out
    assert {workflow["env"]["LMSGEN"] for workflow in workflows(tmp_path / "org").values()} == {pin}
    assert "ghp_secret" not in git(tmp_path / "org", "grep", "-h", "lmsgen", "HEAD")


def test_without_install_init_refuses_when_the_running_lmsgen_cannot_be_pinned(tmp_path, capsys, monkeypatch):
    def refusal() -> str:
        assert main(["init", str(tmp_path / "org")]) == 2
        assert not (tmp_path / "org").exists()
        return capsys.readouterr().err

    source = tmp_path / "lmsgen-src"
    head = checkout_of_lmsgen(tmp_path, monkeypatch, None)
    assert refusal() == (f"lmsgen init: lmsgen's checkout {source} has no remote 'origin' for CI to install it from; "
                         f"pass --install git+https://HOST/OWNER/REPO@{head}, naming where that commit is published\n")
    git(source, "remote", "add", "origin", "git@github.com:acme/lmsgen.git")
    assert refusal() == (f"lmsgen init: lmsgen's checkout {source} has the origin git@github.com:acme/lmsgen.git, "
                         f"not an https address that CI can install from; pass --install "
                         f"git+https://HOST/OWNER/REPO@{head}, with its https address\n")
    git(source, "remote", "set-url", "origin", "http://someone:ghp_secret@git.example/acme/lmsgen")
    assert refusal() == (f"lmsgen init: lmsgen's checkout {source} has the origin http://git.example/acme/lmsgen, "
                         f"not an https address that CI can install from; pass --install "
                         f"git+https://HOST/OWNER/REPO@{head}, with its https address\n")
    git(source, "remote", "set-url", "origin", "https://github.com/acme/lmsgen")
    git(source, "update-ref", "refs/remotes/origin/main", git(source, "commit-tree", "-m", "other",
                                                              f"{head}^{{tree}}").strip())
    assert refusal() == (f"lmsgen init: lmsgen's checkout {source} is at {head}, which no branch of origin "
                         f"(https://github.com/acme/lmsgen) holds, so CI could not fetch it; push it and run lmsgen "
                         f"init again, or pass --install git+https://github.com/acme/lmsgen@<40-hex commit> with a "
                         f"commit that origin holds\n")
    git(source, "remote", "set-url", "origin", "https://github.com/acme/lms gen")
    git(source, "update-ref", "refs/remotes/origin/main", head)
    assert refusal() == (f"lmsgen init: the pin made from lmsgen's checkout {source}, "
                         f"'git+https://github.com/acme/lms gen@{head}', will not do: a pinned address needs only "
                         f"letters, digits and . _ ~ / % + - : @ # =, with no quotes, spaces or query; {EXAMPLES}\n")


@pytest.mark.parametrize("where", ["plain", "repository"])
def test_without_install_init_refuses_a_lmsgen_that_is_not_a_checkout(tmp_path, capsys, monkeypatch, where):
    package = tmp_path / where / ".venv/lib/python3.11/site-packages/lmsgen"
    package.mkdir(parents=True)
    if where == "repository":  # an organisation repository with lmsgen installed in its virtualenv
        init_repo(tmp_path / where)
        commit_all(tmp_path / where, "org")
        git(tmp_path / where, "remote", "add", "origin", "https://github.com/acme/learning")
    monkeypatch.setattr(scaffold, "PACKAGE", package)
    assert main(["init", str(tmp_path / "org")]) == 2
    assert capsys.readouterr().err == (
        f"lmsgen init: this lmsgen ({package}) does not run from a git checkout, so there is no commit to pin the "
        f"new repository's CI to; pass the lmsgen it should install, pinned: --install "
        f"git+https://github.com/OWNER/lmsgen@<40-hex commit> or --install "
        f"https://HOST/PATH/lmsgen-0.1.0-py3-none-any.whl#sha256=<64-hex digest>\n")


def test_a_helper_works_on_a_new_organisation(tmp_path, capsys):
    root = tmp_path / "org"
    assert init(root) == 0
    assert main(["--root", str(root), "complete", "sam", "welcome"]) == 0
    assert "https://github.com/your-org/org/compare/main...lmsgen/complete-sam-welcome-" in capsys.readouterr().out


def test_init_refuses_a_folder_with_files_and_bad_settings(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine\n")
    assert init(tmp_path / "full") == 2
    assert capsys.readouterr().err == f"lmsgen init: {tmp_path / 'full'} is not empty; choose a new folder\n"
    assert init(tmp_path / "new", "--repo", "github.com/acme") == 2
    assert capsys.readouterr().err == ("lmsgen init: --repo 'github.com/acme': a web address starts with https:// "
                                       "or http://\n")
    assert init(tmp_path / "new", "--branch", "a b") == 2
    assert capsys.readouterr().err.startswith("lmsgen init: --branch 'a b': string should match pattern")
    assert not (tmp_path / "new").exists()


def test_init_without_a_git_identity_writes_nothing(tmp_path, capsys, no_identity):
    assert init(tmp_path / "org") == 2
    assert capsys.readouterr().err.startswith("lmsgen init: git does not know who you are")
    assert not (tmp_path / "org").exists()


def test_this_repository_ships_a_pre_commit_hook():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"], h["pass_filenames"]) for h in hooks] == [("lmsgen-check", "lmsgen check", False)]
    files = re.compile(hooks[0]["files"])
    assert files.search("teams/platform/records/carol.yaml") and files.search(".github/CODEOWNERS")
    assert files.search("vendors/cloudspire.yaml") and files.search("completions/lrs/2026-11-30.yaml")
    assert not files.search("README.md") and not files.search("lmsgen/cli.py")


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_the_pre_commit_config_runs_the_check(tmp_path, host):
    root = tmp_path / host
    assert init(root, "--host", host) == 0
    hook = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert (hook["id"], hook["entry"]) == ("lmsgen-check", "lmsgen check")


class _GitLabNotes(BaseHTTPRequestHandler):
    """The part of GitLab's REST API that the summary job uses: the token's user and a merge request's notes."""

    notes: list[dict] = []
    calls: list[tuple[str, str]] = []
    PATH = "/api/v4/projects/7/merge_requests/3/notes"

    def _reply(self, value: object) -> None:
        body = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> str:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))["body"]

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.calls.append(("GET", self.path))
        assert self.headers["PRIVATE-TOKEN"] == "bot-token"
        url = urlsplit(self.path)
        if url.path == "/api/v4/user":
            return self._reply({"id": 99, "username": "project_7_bot"})
        query = parse_qs(url.query)
        assert url.path == self.PATH and query["sort"] == ["asc"] and query["per_page"] == ["100"]
        page = int(query["page"][0])
        return self._reply(self.notes[(page - 1) * 100:page * 100])

    def do_POST(self) -> None:  # noqa: N802
        self.calls.append(("POST", self.path))
        assert self.path == self.PATH
        self.notes.append({"id": 1000 + len(self.notes), "author": {"id": 99}, "body": self._body()})
        self._reply(self.notes[-1])

    def do_PUT(self) -> None:  # noqa: N802
        self.calls.append(("PUT", self.path))
        note = next(note for note in self.notes if self.path == f"{self.PATH}/{note['id']}")
        note["body"] = self._body()
        self._reply(note)

    def log_message(self, *args: object) -> None:
        pass


def test_the_gitlab_summary_updates_its_one_note(tmp_path):
    """The summary job's script, run twice against a stand-in for GitLab's API on 127.0.0.1: the first run adds
    the note, the second updates it, past a first page of other notes and another user's note with the marker."""
    root = tmp_path / "org"
    assert init(root, "--host", "gitlab") == 0
    summary = yaml.safe_load((root / ".gitlab-ci.yml").read_text())["summary"]["script"]
    block = next(line for line in summary if line.startswith("python3 - lmsgen-diff.md <<'PYTHON'\n"))
    script = block.split("\n", 1)[1].rsplit("PYTHON\n", 1)[0]
    marker = hosting.MARKER
    _GitLabNotes.notes = [{"id": n, "author": {"id": 5}, "body": "Looks fine"} for n in range(150)]
    _GitLabNotes.notes.append({"id": 500, "author": {"id": 5}, "body": f"{marker}\nquoted by a reviewer"})
    _GitLabNotes.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GitLabNotes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"PATH": os.environ["PATH"], "LMSGEN_TOKEN": "bot-token", "CI_MERGE_REQUEST_PROJECT_ID": "7",
           "CI_MERGE_REQUEST_IID": "3", "CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4"}
    try:
        for diff in ("Assigns carol to k8s-admin\n", "Assigns carol and dave to k8s-admin\n"):
            (tmp_path / "lmsgen-diff.md").write_text(diff)
            subprocess.run([sys.executable, "-", "lmsgen-diff.md"], input=script, text=True, cwd=tmp_path, env=env,
                           check=True)
        unset = subprocess.run([sys.executable, "-", "lmsgen-diff.md"], input=script, text=True, cwd=tmp_path,
                               env={**env, "LMSGEN_TOKEN": ""}, capture_output=True)
    finally:
        server.shutdown()
    ours = [note for note in _GitLabNotes.notes if note["author"]["id"] == 99]
    assert ours == [{"id": 1151, "author": {"id": 99}, "body": f"{marker}\nAssigns carol and dave to k8s-admin\n"}]
    assert _GitLabNotes.notes[150]["body"] == f"{marker}\nquoted by a reviewer"
    assert [method for method, _ in _GitLabNotes.calls if method != "GET"] == ["POST", "PUT"]
    assert _GitLabNotes.calls[-1] == ("PUT", f"{_GitLabNotes.PATH}/1151")
    assert unset.returncode == 1 and unset.stderr == ("LMSGEN_TOKEN is not set for the environment lmsgen-bot: no "
                                                      "note posted\n")


def test_the_ci_scripts_are_valid_shell(tmp_path):
    github, gitlab = tmp_path / "github", tmp_path / "gitlab"
    assert init(github) == 0 and init(gitlab, "--host", "gitlab") == 0
    scripts = [step["run"] for workflow in workflows(github).values() for step in steps(workflow) if "run" in step]
    ci = yaml.safe_load((gitlab / ".gitlab-ci.yml").read_text())
    scripts += [line for job in ci.values() if isinstance(job, dict) for line in job.get("script", [])]
    for script in scripts:
        assert subprocess.run(["bash", "-n"], input=script, text=True).returncode == 0, script


def test_a_failed_check_puts_the_report_and_what_to_do_in_the_summary(tmp_path, make_org):
    """The GitHub step that writes the summary, run by bash in an organisation whose request lacks its slip."""
    assert init(tmp_path / "new") == 0
    say = workflows(tmp_path / "new")["pull-request.yml"]["jobs"]["check"]["steps"][-1]["run"]
    root = make_org({"teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": None})
    summary = tmp_path / "summary.md"
    env = {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "BASE": "HEAD",
           "RUNNER_TEMP": str(tmp_path), "GITHUB_STEP_SUMMARY": str(summary), "HOME": os.environ.get("HOME", "/")}
    subprocess.run(["bash", "-e", "-c", say], cwd=root, env=env, check=True)
    assert summary.read_text() == (
        "## lmsgen check: the change has problems\n\n"
        "Some requests lack their approval slips: run `lmsgen check --fix` and push.\n\n"
        "    teams/platform/requests/carol/2026-11-k8s-admin.yaml:2:1: missing approval slip "
        "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml: a request costing 1200 EUR needs the approval of "
        "the holders of approve.cost (run 'lmsgen check --fix' to write it)\n"
        "    1 error\n")


# --- the daily operations (docs/deploy.md, "Daily operations") ---------------------------------------------

GATES = {"import-hr": "vars.LMSGEN_HR_IMPORT == 'on'",
         "import-completions": "vars.LMSGEN_COMPLETIONS_IMPORT == 'on'",
         "remind": "vars.LMSGEN_REMINDERS == 'on' && (github.event_name == 'schedule' || inputs.reminders)"}


def test_the_operations_run_daily_each_behind_its_repository_variable(tmp_path):
    root = tmp_path / "org"
    assert init(root, "--branch", "trunk") == 0
    operations = workflows(root)["operations.yml"]
    assert operations[True]["schedule"] == [{"cron": hosting.SCHEDULE}]
    assert operations[True]["workflow_dispatch"]["inputs"]["reminders"]["default"] is False
    assert {name: job["if"] for name, job in operations["jobs"].items()} == GATES
    assert [flow.job for flow in hosting.FLOWS] == list(GATES)
    assert all(f"vars.{flow.switch} == 'on'" in GATES[flow.job] for flow in hosting.FLOWS)
    runs = {name: "\n".join(step.get("run", "") for step in job["steps"]) for name, job in operations["jobs"].items()}
    assert 'lmsgen --root "$GITHUB_WORKSPACE" import-hr hr-export.csv' in runs["import-hr"]
    assert 'lmsgen import-completions --lrs "$LMSGEN_LRS_URL" --source lrs' in runs["import-completions"]
    assert runs["remind"].splitlines()[-1] == "lmsgen remind --smtp"
    for name in ("import-hr", "import-completions"):
        assert 'gh pr create --base "trunk" --head "$branch"' in runs[name]
        assert 'gh pr list --head "$branch" --state all' in runs[name]
    assert "gh " not in runs["remind"] and "push" not in runs["remind"]
    prefixes = {name: step["env"]["PREFIX"] for name, job in operations["jobs"].items() for step in job["steps"]
                if "PREFIX" in step.get("env", {})}
    assert prefixes == {flow.job: flow.branches for flow in hosting.FLOWS if flow.branches}
    fetch = operations["jobs"]["import-hr"]["steps"][4]
    assert fetch["run"].startswith("printf 'Authorization: Bearer %s\\n' \"$LMSGEN_HR_EXPORT_TOKEN\" |\n"
                                   "  curl --fail --silent --show-error --location --proto '=https'")
    assert '--output "$RUNNER_TEMP/hr-export.csv" "$LMSGEN_HR_EXPORT_URL"' in fetch["run"]
    assert operations["jobs"]["import-hr"]["steps"][-1] == {"name": "Remove the export", "if": "always()",
                                                            "run": 'rm -f "$RUNNER_TEMP/hr-export.csv"'}


def test_the_operations_secrets_reach_only_the_steps_that_need_them_in_the_environment(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    operations = workflows(root)["operations.yml"]
    assert operations["permissions"] == {} and operations["concurrency"] == {"group": "operations",
                                                                             "cancel-in-progress": False}
    secrets: dict[str, set[str]] = {}
    for name, job in operations["jobs"].items():
        assert job["environment"] == hosting.OPERATIONS_ENVIRONMENT == "lmsgen-operations"
        assert job["permissions"] == {"contents": "read"}, name  # the bot's token pushes; the workflow's reads
        assert "secrets." not in str({key: value for key, value in job.items() if key != "steps"})
        for step in job["steps"]:
            named = set(re.findall(r"secrets\.([A-Z_]+)", str(step)))
            assert named <= set(re.findall(r"secrets\.([A-Z_]+)", str(step.get("env")))), step  # only in env:
            if named:
                secrets.setdefault(name, set()).update(named)
            if re.search(r"^\s*lmsgen\s", step.get("run", ""), re.MULTILINE):
                assert hosting.BOT_TOKEN not in named and "LMSGEN_HR_EXPORT_TOKEN" not in named, step
            if hosting.BOT_TOKEN in named:  # git and gh alone
                assert not re.search(r"^\s*lmsgen\s", step["run"], re.MULTILINE)
                assert step["env"]["GH_TOKEN"] == "${{ secrets.LMSGEN_BOT_TOKEN }}"
    assert secrets == {flow.job: set(flow.secrets) | ({hosting.BOT_TOKEN} if flow.branches else set())
                       for flow in hosting.FLOWS}
    text = (root / hosting.OPERATIONS_WORKFLOW).read_text()
    assert "pull_request" not in str(operations[True]) and "github.token" not in text
    for workflow in ("pull-request.yml", "site.yml"):
        assert "LMSGEN_BOT_TOKEN" not in (root / ".github/workflows" / workflow).read_text()


def test_the_operations_keep_the_parse_cache_and_see_every_branch(tmp_path):
    root = tmp_path / "org"
    assert init(root) == 0
    operations = workflows(root)["operations.yml"]
    for name, job in operations["jobs"].items():
        caches = [step for step in job["steps"] if step.get("uses", "").startswith("actions/cache@")]
        assert [step["with"] for step in caches] == [{"path": ".git/lmsgen",
                                                      "key": "lmsgen-${{ github.job }}-${{ github.sha }}",
                                                      "restore-keys": "lmsgen-${{ github.job }}-"}], name
        checkout = job["steps"][0]["with"]
        assert checkout == ({"persist-credentials": False} if name == "remind" else
                            {"fetch-depth": 0, "persist-credentials": False}), name


def test_the_site_jobs_keep_lmsgens_caches_between_runs(tmp_path):
    """A runner starts with an empty git folder: without the parse cache, the record credits and the kept pieces
    (docs/deploy.md, "The parse cache"), every build reads the whole history and every file again."""
    github, gitlab = tmp_path / "github", tmp_path / "gitlab"
    assert init(github) == 0 and init(gitlab, "--host", "gitlab") == 0
    site = workflows(github)["site.yml"]
    caches = {name: [step["with"] for step in job["steps"] if step.get("uses", "").startswith("actions/cache@")]
              for name, job in site["jobs"].items()}
    assert caches == {"public": [], "deploy": [], "internal-site": [{
        "path": ".git/lmsgen", "key": "lmsgen-${{ github.job }}-${{ github.sha }}",
        "restore-keys": "lmsgen-${{ github.job }}-"}]}
    base = yaml.safe_load((gitlab / ".gitlab-ci.yml").read_text())[".site"]
    assert base["cache"][1] == {"key": "lmsgen-$CI_JOB_NAME", "paths": [".cache/lmsgen"]}
    assert base["before_script"] == [
        'pip install "$LMSGEN"', "if [ -d .cache/lmsgen ]; then rm -rf .git/lmsgen && mv .cache/lmsgen .git/lmsgen; fi"]
    assert base["after_script"] == [
        "rm -rf .cache/lmsgen && if [ -d .git/lmsgen ]; then mv .git/lmsgen .cache/lmsgen; fi"]


def test_gitlab_runs_the_operations_in_the_scheduled_pipelines_behind_their_variables(tmp_path):
    root = tmp_path / "org"
    assert init(root, "--host", "gitlab", "--branch", "trunk") == 0
    ci = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    assert ci["stages"] == ["check", "site", "operations"]
    assert {flow.job: ci[flow.job]["rules"] for flow in hosting.FLOWS} == {
        flow.job: [{"if": f'$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == "trunk" && '
                          f'${flow.switch} == "on"'}] for flow in hosting.FLOWS}
    assert all(ci[flow.job]["extends"] == ".operations" for flow in hosting.FLOWS)
    base = ci[".operations"]
    assert base["environment"] == {"name": "lmsgen-operations", "action": "prepare"}
    assert base["stage"] == "operations" and base["resource_group"] == "lmsgen-operations"
    assert base["cache"][1] == {"key": "lmsgen-$CI_JOB_NAME", "paths": [".cache/lmsgen"]}
    assert base["before_script"][0] == 'pip install "$LMSGEN"'
    scripts = {flow.job: "\n".join(ci[flow.job]["script"]) for flow in hosting.FLOWS}
    assert ("env -u LMSGEN_BOT_TOKEN -u LMSGEN_HR_EXPORT_TOKEN lmsgen --root \"$CI_PROJECT_DIR\" import-hr "
            "hr-export.csv") in scripts["import-hr"]
    assert scripts["import-completions"].startswith(
        'env -u LMSGEN_BOT_TOKEN -u LMSGEN_HR_EXPORT_TOKEN lmsgen import-completions --lrs "$LMSGEN_LRS_URL" '
        "--source lrs\n")
    assert scripts["remind"] == "env -u LMSGEN_BOT_TOKEN -u LMSGEN_HR_EXPORT_TOKEN lmsgen remind --smtp"
    opener = ci[".open-merge-requests"]["script"][0]
    assert ci["import-hr"]["script"][-1] == ci["import-completions"]["script"][-1] == opener
    assert '"target_branch": "trunk"' in opener and "state=all&source_branch=" in opener
    assert {flow.job: ci[flow.job].get("variables", {}).get("PREFIX") for flow in hosting.FLOWS} == {
        flow.job: flow.branches for flow in hosting.FLOWS}
    # Only the operations' jobs declare the environment that scopes their variables; lmsgen runs without tokens.
    jobs = {name: job for name, job in ci.items() if isinstance(job, dict)}
    scoped = {name for name, job in jobs.items() if job.get("environment", {}).get("name") == "lmsgen-operations"}
    assert scoped == {".operations"}
    runs = [line.strip() for flow in hosting.FLOWS for line in "\n".join(ci[flow.job]["script"]).splitlines()
            if re.search(r"\blmsgen (--root|import|remind)", line)]
    assert len(runs) == 3 and all(line.startswith("env -u LMSGEN_BOT_TOKEN -u LMSGEN_HR_EXPORT_TOKEN lmsgen ")
                                  for line in runs)
    assert main(["--root", str(root), "check"]) == 0
