"""The daily HR import's steps as `lmsgen init` writes them, run by bash in fresh clones of a bare remote:
GitHub's (.github/workflows/operations.yml) with a stand-in for `gh` that remembers the pull requests it
opened, GitLab's (.gitlab-ci.yml) with a stand-in for its merge requests API. The first day opens one pull
request; a re-run opens nothing; a run after one that pushed but could not open opens it; after the merge,
nothing (docs/deploy.md, "Daily operations")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from conftest import git

from lmsgen.cli import main

PIN = "git+https://github.com/acme/lmsgen@0123456789abcdef0123456789abcdef01234567"
EXPORT = ("id,name,email,git,team\n"
          "alex,Alex Example,alex@example.org,alex-example,everyone\n"
          "sam,Sam Example,sam@example.org,sam-example,everyone\n"
          "kim,Kim Example,kim@example.org,kim-example,everyone\n")
FAKE_GH = f"""#!{sys.executable}
# gh pr list --head B --state all --json number --jq length: how many pull requests were opened from B;
# gh pr create --base X --head B --title T --body-file F: one more, remembered with its title and body.
import json, os, sys
args = sys.argv[1:]
opened = os.path.join(os.environ["GH_STATE"], "opened.json")
known = json.load(open(opened)) if os.path.exists(opened) else []
value = {{args[i]: args[i + 1] for i in range(len(args) - 1) if args[i].startswith("--")}}
assert os.environ["GH_TOKEN"] == "bot-token", "gh without the bot's token"
if args[:2] == ["pr", "list"]:
    assert value["--state"] == "all" and value["--jq"] == "length"
    print(sum(pull["head"] == value["--head"] for pull in known))
elif args[:2] == ["pr", "create"]:
    body = open(value["--body-file"], encoding="utf-8").read()
    known.append({{"base": value["--base"], "head": value["--head"], "title": value["--title"], "body": body}})
    json.dump(known, open(opened, "w"))
else:
    sys.exit(f"gh {{args}}: not expected")
"""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the steps are bash scripts")


class Runner:
    """A GitHub runner's day: a fresh clone of the remote, the export in its temporary folder, the job's steps."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.remote = tmp / "remote.git"
        self.state = tmp / "gh"
        self.state.mkdir()
        tools = tmp / "bin"
        tools.mkdir()
        (tools / "gh").write_text(FAKE_GH)
        (tools / "gh").chmod(0o755)
        self.path = os.pathsep.join([str(tools), str(Path(sys.executable).parent), os.environ["PATH"]])
        self.days = 0

    def run_job(self, steps: dict[str, dict]) -> str:
        """Runs the job's steps that need no network (its checkout is a clone, its export is written here);
        returns what the import printed."""
        self.days += 1
        work, temp = self.tmp / f"work-{self.days}", self.tmp / f"runner-temp-{self.days}"
        subprocess.run(["git", "clone", "--quiet", str(self.remote), str(work)], check=True)
        temp.mkdir()
        (temp / "hr-export.csv").write_text(EXPORT)
        env = {**os.environ, "PATH": self.path, "GITHUB_WORKSPACE": str(work), "RUNNER_TEMP": str(temp),
               "GITHUB_SERVER_URL": "https://github.com", "GH_STATE": str(self.state)}
        imported = self._bash(steps["Import it"], env, temp)
        push = steps["Push the branch and open its pull request"]
        assert push["env"]["GH_TOKEN"] == "${{ secrets.LMSGEN_BOT_TOKEN }}"
        self._bash(push, {**env, "GH_TOKEN": "bot-token", "PREFIX": push["env"]["PREFIX"]}, work)
        self._bash(steps["Remove the export"], env, work)
        assert not (temp / "hr-export.csv").exists()
        return imported

    @staticmethod
    def _bash(step: dict, env: dict[str, str], cwd: Path) -> str:
        done = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, cwd=cwd, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def opened(self) -> list[dict]:
        path = self.state / "opened.json"
        return yaml.safe_load(path.read_text()) if path.exists() else []

    def branches(self) -> list[str]:
        return git(self.remote, "for-each-ref", "--format=%(refname:lstrip=2)", "refs/heads/lmsgen/").split()


def test_the_hr_import_job_opens_one_pull_request_and_a_rerun_none(tmp_path):
    org = tmp_path / "org"
    assert main(["init", str(org), "--install", PIN]) == 0
    subprocess.run(["git", "clone", "--quiet", "--bare", str(org), str(tmp_path / "remote.git")], check=True)
    job = yaml.safe_load((org / ".github/workflows/operations.yml").read_text())["jobs"]["import-hr"]
    steps = {step["name"]: step for step in job["steps"] if "name" in step}
    runner = Runner(tmp_path)

    out = runner.run_job(steps)
    assert out.startswith("## HR import from hr-export.csv: 1 joiner\n")
    [branch] = runner.branches()
    assert branch.startswith("lmsgen/import-hr-")
    [pull] = runner.opened()
    assert pull == {"base": "main", "head": branch, "title": "HR import from hr-export.csv: 1 joiner",
                    "body": git(runner.remote, "log", "-1", "--format=%b", branch)}
    assert pull["body"].startswith("## HR import from hr-export.csv: 1 joiner\n\n### Joiners (1)")
    assert "| kim | everyone |" in pull["body"]

    # The same export again: the import waits on its branch, and nothing more is pushed or opened.
    out = runner.run_job(steps)
    assert f"This import is waiting on the branch {branch} already: nothing new was written." in out
    assert runner.branches() == [branch] and len(runner.opened()) == 1

    # A run that pushed the branch but could not open its pull request: the next run opens it.
    (runner.state / "opened.json").unlink()
    runner.run_job(steps)
    assert [pull["head"] for pull in runner.opened()] == [branch]

    # Merged (and its pull request forgotten): nothing to change, nothing opened.
    (runner.state / "opened.json").unlink()
    git(runner.remote, "update-ref", "refs/heads/main", branch)
    out = runner.run_job(steps)
    assert "Nothing to change: the organisation already says what the export says." in out
    assert runner.branches() == [branch] and runner.opened() == []


class FakeGitLab(BaseHTTPRequestHandler):
    """The merge requests API of project 7: GET lists them by source branch, POST opens one."""

    opened: list[dict] = []

    def do_GET(self) -> None:
        assert self.headers["PRIVATE-TOKEN"] == "bot-token"
        url = urlsplit(self.path)
        assert url.path == "/api/v4/projects/7/merge_requests"
        query = parse_qs(url.query)
        assert query["state"] == ["all"]
        self._answer([pull for pull in self.opened if pull["source_branch"] == query["source_branch"][0]])

    def do_POST(self) -> None:
        assert self.headers["PRIVATE-TOKEN"] == "bot-token" and self.path == "/api/v4/projects/7/merge_requests"
        pull = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.opened.append(pull)
        self._answer({"web_url": f"https://gitlab.example/acme/learning/-/merge_requests/{len(self.opened)}"})

    def _answer(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_the_gitlab_import_opens_one_merge_request_and_a_rerun_none(tmp_path):
    org = tmp_path / "org"
    assert main(["init", str(org), "--install", PIN, "--host", "gitlab", "--repo",
                 "https://gitlab.example/acme/learning"]) == 0
    remote = tmp_path / "server" / "acme" / "learning.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(org), str(remote)], check=True)
    ci = yaml.safe_load((org / ".gitlab-ci.yml").read_text())
    prepare = ci[".operations"]["before_script"][1:]  # without pip install: the lmsgen under test runs
    opener = ci["import-hr"]["script"][-1]
    (tmp_path / "hr-export.csv").write_text(EXPORT)
    FakeGitLab.opened = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitLab)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
           "PREFIX": ci["import-hr"]["variables"]["PREFIX"], "LMSGEN_BOT_TOKEN": "bot-token",
           "CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4", "CI_PROJECT_ID": "7",
           "CI_SERVER_URL": (tmp_path / "server").as_uri(), "CI_PROJECT_PATH": "acme/learning",
           "CI_SERVER_HOST": "gitlab.example"}
    try:
        for day in (1, 2):
            work = tmp_path / f"work-{day}"
            subprocess.run(["git", "clone", "--quiet", str(remote), str(work)], check=True)
            for line in prepare:
                Runner._bash({"run": line}, env, work)
            assert main(["--root", str(work), "import-hr", str(tmp_path / "hr-export.csv")]) == 0
            Runner._bash({"run": opener}, env, work)
            [pull] = FakeGitLab.opened
            branch = pull["source_branch"]
            pushed = git(remote, "for-each-ref", "--format=%(refname:lstrip=2)", "refs/heads/lmsgen/").split()
            assert pushed == [branch]
    finally:
        server.shutdown()
    assert pull == {"source_branch": branch, "target_branch": "main",
                    "title": f"HR import from {tmp_path / 'hr-export.csv'}: 1 joiner",
                    "description": git(remote, "log", "-1", "--format=%b", branch).strip(),
                    "remove_source_branch": True}
