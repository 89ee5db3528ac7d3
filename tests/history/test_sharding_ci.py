"""`lmsgen init --shards N`: the full site built by the jobs of the CI's own matrix and merged (docs/sharding.md)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from lmsgen.cli import main
from lmsgen.history import hosting

PIN = "git+https://github.com/acme/lmsgen@0123456789abcdef0123456789abcdef01234567"
PINNED = re.compile(r"[^@]+@[0-9a-f]{40}")


def init(root: Path, *args: str) -> Path:
    assert main(["init", str(root), "--install", PIN, *args]) == 0
    return root


def jobs(root: Path) -> dict[str, dict]:
    return yaml.safe_load((root / hosting.SITE_WORKFLOW).read_text(encoding="utf-8"))["jobs"]


def test_github_builds_the_full_site_in_a_matrix_and_merges_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                               ) -> None:
    root = init(tmp_path / "acme", "--shards", "4")
    assert "Its CI builds the full site in 4 shards, one job each, and merges them (docs/sharding.md).\n" in \
        capsys.readouterr().out
    found = jobs(root)
    assert list(found) == ["public", "deploy", "day", "internal-site-shard", "internal-site"]
    one = jobs(init(tmp_path / "one"))
    assert {name: job for name, job in found.items() if name in ("public", "deploy")} == \
        {name: job for name, job in one.items() if name in ("public", "deploy")}
    shard = found["internal-site-shard"]
    assert shard["needs"] == "day" and shard["environment"] == hosting.INTERNAL_ENVIRONMENT
    assert shard["strategy"] == {"fail-fast": True, "matrix": {"shard": [1, 2, 3, 4]}}
    build, upload = shard["steps"][-2:]
    assert build["run"] == 'lmsgen build --shard "$SHARD/4" --as-of "$AS_OF" --out site-shard'
    assert build["env"] == {hosting.FEED_SECRET: f"${{{{ secrets.{hosting.FEED_SECRET} }}}}",
                            "LMSGEN_BADGE_SECRET": "${{ secrets.LMSGEN_BADGE_SECRET }}",
                            "AS_OF": "${{ needs.day.outputs.as-of }}", "SHARD": "${{ matrix.shard }}"}
    assert shard["steps"][0]["with"]["fetch-depth"] == 0
    cache = shard["steps"][-3]  # each part keeps lmsgen's caches of its own
    assert cache["uses"].startswith("actions/cache@")
    assert cache["with"] == {"path": ".git/lmsgen",
                             "key": "lmsgen-${{ github.job }}-${{ matrix.shard }}-${{ github.sha }}",
                             "restore-keys": "lmsgen-${{ github.job }}-${{ matrix.shard }}-"}
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"] == {"name": "internal-site-shard-${{ matrix.shard }}", "path": "site-shard",
                              "include-hidden-files": True, "retention-days": 1}
    merge = found["internal-site"]
    assert merge["needs"] == "internal-site-shard" and "environment" not in merge  # no secret: it renders nothing
    download, run, kept = merge["steps"][-3:]
    assert download["uses"].startswith("actions/download-artifact@")
    assert download["with"] == {"pattern": "internal-site-shard-*", "path": "shards"}
    assert run["run"] == "lmsgen merge-shards shards/* --out site\nlmsgen access --format nginx --out site-access.conf\n"
    assert kept["with"]["name"] == one["internal-site"]["steps"][-1]["with"]["name"] == "internal-site"
    assert kept["with"]["path"] == one["internal-site"]["steps"][-1]["with"]["path"]
    uses = [step["uses"] for job in found.values() for step in job.get("steps", []) if "uses" in step]
    assert [use for use in uses if not PINNED.fullmatch(use)] == []
    assert found["day"]["outputs"] == {"as-of": "${{ steps.day.outputs.as-of }}"}


def test_the_doctor_finds_the_sharded_ci_as_init_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for host in ("github", "gitlab"):
        root = init(tmp_path / host, "--host", host, "--shards", "3")
        capsys.readouterr()
        main(["--root", str(root), "doctor"])
        report = capsys.readouterr().out
        assert "problem:" not in report, report
        assert "builds the site from the whole history" in report


def test_gitlab_builds_the_full_site_in_a_parallel_matrix_and_merges_it(tmp_path: Path) -> None:
    root = init(tmp_path / "acme", "--host", "gitlab", "--shards", "3")
    one = init(tmp_path / "one", "--host", "gitlab")
    ci = yaml.safe_load((root / hosting.GITLAB_CI).read_text(encoding="utf-8"))
    plain = yaml.safe_load((one / hosting.GITLAB_CI).read_text(encoding="utf-8"))
    assert {key: value for key, value in ci.items() if not key.startswith("internal-site")} == \
        {key: value for key, value in plain.items() if key != "internal-site"}
    assert ci["internal-site-shard"] == {
        "extends": ".site", "parallel": {"matrix": [{"SHARD": ["1", "2", "3"]}]},
        "script": ['lmsgen build --shard "$SHARD/3" --as-of "${CI_PIPELINE_CREATED_AT%%T*}" --out "shards/$SHARD"'],
        "artifacts": {"paths": ["shards/"], "expire_in": "1 day", "access": "developer"}}
    assert ci["internal-site"] == {
        "extends": ".site", "needs": ["internal-site-shard"],
        "script": ["lmsgen merge-shards shards/* --out site", "lmsgen access --format nginx --out site-access.conf"],
        "artifacts": plain["internal-site"]["artifacts"]}


def test_one_shard_is_one_build(tmp_path: Path) -> None:
    for host in ("github", "gitlab"):
        one = init(tmp_path / f"{host}-1", "--host", host, "--shards", "1")
        plain = init(tmp_path / host, "--host", host)
        rel = hosting.SITE_WORKFLOW if host == "github" else hosting.GITLAB_CI
        assert (one / rel).read_bytes() == (plain / rel).read_bytes()


@pytest.mark.parametrize("value", ["0", "257", "x", "-2", "2.5"])
def test_a_number_of_shards_that_is_not_one_is_refused(tmp_path: Path, value: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["init", str(tmp_path / "x"), f"--shards={value}"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        f"lmsgen init: error: argument --shards: '{value}' is not a number of shards: give a whole number from 1 "
        "(one build, the default) to 256\n")
    assert not (tmp_path / "x").exists()


def test_the_commands_the_workflow_runs_make_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The matrix's commands, run as its jobs would, with the artifacts laid out as download-artifact lays them."""
    root = init(tmp_path / "acme", "--shards", "2")
    found = jobs(root)
    command = found["internal-site-shard"]["steps"][-2]["run"]
    for k in (1, 2):
        words = shlex.split(command.replace("$SHARD", str(k)).replace("$AS_OF", "2026-12-01"))
        out = tmp_path / "shards" / f"internal-site-shard-{k}"
        assert main(["--root", str(root), *words[1:-1], str(out)]) == 0
    assert main(["--root", str(root), "merge-shards", *map(str, sorted((tmp_path / "shards").iterdir())), "--out",
                 str(tmp_path / "site")]) == 0
    assert main(["--root", str(root), "build", "--as-of", "2026-12-01", "--out", str(tmp_path / "whole")]) == 0
    merged = {path.relative_to(tmp_path / "site"): path.read_bytes()
              for path in (tmp_path / "site").rglob("*") if path.is_file()}
    whole = {path.relative_to(tmp_path / "whole"): path.read_bytes()
             for path in (tmp_path / "whole").rglob("*") if path.is_file()}
    assert merged == whole
