import re
from pathlib import Path

import pytest
import yaml
from conftest import git

from lmsgen.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_init_makes_a_valid_organisation_with_github_ci_in_its_first_commit(tmp_path, capsys):
    root = tmp_path / "acme-learning"
    assert main(["init", str(root), "--name", "Acme: Robotics, Inc."]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Created the organisation 'Acme: Robotics, Inc.' in {root} (24 files, first commit ")
    tracked = git(root, "ls-files").split()
    assert {".github/CODEOWNERS", ".github/workflows/pull-request.yml", ".github/workflows/site.yml", ".gitignore",
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


def test_the_github_workflows_check_fix_comment_and_publish(tmp_path):
    root = tmp_path / "org"
    assert main(["init", str(root)]) == 0
    pull = (root / ".github/workflows/pull-request.yml").read_text()
    site = (root / ".github/workflows/site.yml").read_text()
    for text in (pull, site):
        assert "@@" not in text
        yaml.safe_load(text)
    steps = " ".join(step.get("run", "") for step in yaml.safe_load(pull)["jobs"]["check"]["steps"])
    for command in ('lmsgen check --fix', 'git push', 'lmsgen check --base "$BASE" --format github',
                    'lmsgen diff --base "$BASE" --format markdown', "gh pr comment"):
        assert command in steps
    site_steps = yaml.safe_load(site)["jobs"]["site"]["steps"]
    assert "lmsgen build --out site" in [step.get("run") for step in site_steps]
    assert "actions/deploy-pages@v4" in [step.get("uses") for step in site_steps]
    assert yaml.safe_load(site)[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as true


def test_init_for_gitlab_writes_gitlab_ci_and_its_codeowners(tmp_path):
    root = tmp_path / "org"
    assert main(["init", str(root), "--host", "gitlab", "--repo", "https://gitlab.example/acme/learning",
                 "--branch", "trunk"]) == 0
    assert (root / "CODEOWNERS").is_file() and not (root / ".github").exists()
    ci = yaml.safe_load((root / ".gitlab-ci.yml").read_text())
    assert ci["pages"]["rules"] == [{"if": '$CI_COMMIT_BRANCH == "trunk"'}]
    scripts = " ".join(line for job in ("slips", "check", "summary", "pages") for line in ci[job]["script"])
    for command in ("lmsgen check --fix", 'lmsgen check --base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"',
                    "--format markdown", "lmsgen build --out public"):
        assert command in scripts
    assert git(root, "branch", "--show-current") == "trunk\n"
    assert main(["--root", str(root), "check"]) == 0


def test_a_helper_works_on_a_new_organisation(tmp_path, capsys):
    root = tmp_path / "org"
    assert main(["init", str(root)]) == 0
    assert main(["--root", str(root), "complete", "sam", "welcome"]) == 0
    assert "https://github.com/your-org/org/compare/main...lmsgen/complete-sam-welcome-" in capsys.readouterr().out


def test_init_refuses_a_folder_with_files_and_bad_settings(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine\n")
    assert main(["init", str(tmp_path / "full")]) == 2
    assert capsys.readouterr().err == f"lmsgen init: {tmp_path / 'full'} is not empty; choose a new folder\n"
    assert main(["init", str(tmp_path / "new"), "--repo", "github.com/acme"]) == 2
    assert capsys.readouterr().err == ("lmsgen init: --repo 'github.com/acme': a web address starts with https:// "
                                       "or http://\n")
    assert main(["init", str(tmp_path / "new"), "--branch", "a b"]) == 2
    assert capsys.readouterr().err.startswith("lmsgen init: --branch 'a b': string should match pattern")
    assert not (tmp_path / "new").exists()


def test_init_without_a_git_identity_writes_nothing(tmp_path, capsys, no_identity):
    assert main(["init", str(tmp_path / "org")]) == 2
    assert capsys.readouterr().err.startswith("lmsgen init: git does not know who you are")
    assert not (tmp_path / "org").exists()


def test_this_repository_ships_a_pre_commit_hook():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"], h["pass_filenames"]) for h in hooks] == [("lmsgen-check", "lmsgen check", False)]
    files = re.compile(hooks[0]["files"])
    assert files.search("teams/platform/records/carol.yaml") and files.search(".github/CODEOWNERS")
    assert not files.search("README.md") and not files.search("lmsgen/cli.py")


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_the_pre_commit_config_runs_the_check(tmp_path, host):
    root = tmp_path / host
    assert main(["init", str(root), "--host", host]) == 0
    hook = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert (hook["id"], hook["entry"]) == ("lmsgen-check", "lmsgen check")
