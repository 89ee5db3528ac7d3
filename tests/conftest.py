"""Fixtures that build real organisation repositories in temporary folders, as git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lmsgen.rules import codeowners
from lmsgen.rules.policy import Policy, load_inputs

# The sample organisation, written exactly to the formats of docs/reference/, completed so that every reference resolves.
DESIGN_ORG: dict[str, str] = {
    "org.yaml": """
        name: Acme Corp
        git: {host: github, repo: https://github.com/acme/learning, branch: main}
        currency: EUR
        expiring_within_days: 60
        """,
    "catalog/security-intro.yaml": """
        title: Security introduction
        format: microlearning
        hours: 0.5
        """,
    "catalog/secure-coding.yaml": """
        title: Secure coding basics
        summary: One line for cards and lists.
        description: |            # Markdown; raw HTML is not rendered
          ...
        format: elearning         # elearning | classroom | blended | microlearning | workshop | webinar | external | ojt | checklist
        hours: 2
        language: en
        provider: Internal        # vendor
        url: https://learn.example/secure-coding
        cost: {amount: 0, currency: EUR}
        elective: true            # employees may request it from the catalog
        approval: manager         # manager: a request is needed; none: no request, just do it and record it
        prerequisites: [security-intro]
        skills: [security]
        trainers: [dana]
        valid_months: 24          # completion is a certification that expires
        completion: {by: [self, manager, mentor, trainer]}
        checklist: ["Performs a code review with the checklist", "..."]
        sessions:
          - {id: 2026-12-berlin, start: 2026-12-03T09:00, end: 2026-12-03T17:00, location: Berlin, capacity: 12}
        """,
    "catalog/k8s-ojt.yaml": """
        title: Kubernetes on the job
        format: ojt
        completion: {by: [manager, mentor]}
        checklist: [Deploys a service, Rolls back a release]
        """,
    "catalog/k8s-admin.yaml": """
        title: Kubernetes administration
        format: classroom
        elective: true
        cost: {amount: 1200, currency: EUR}
        trainers: [dana]
        sessions:
          - {id: 2026-12-berlin, start: 2026-12-03T09:00, end: 2026-12-04T17:00, location: Berlin, capacity: 12}
        """,
    "catalog/incident-response.yaml": """
        title: Incident response
        format: webinar
        """,
    "roles/admin.yaml": """
        name: Administrators
        description: Roles, CODEOWNERS and org settings.
        grants: [roles.edit]
        holders: [erin, dana, alice]
        """,
    "roles/ld.yaml": """
        name: L&D Academy
        grants: [catalog.edit, assign.org]
        holders: [alice, bob]
        """,
    "roles/finance.yaml": """
        name: Finance
        grants: [approve.cost, budget.edit]
        holders: [erin, dana, alice]
        git_team: acme/finance
        scope: [engineering]
        """,
    "teams/engineering/team.yaml": """
        name: Engineering
        manager: erin
        members:
          - {id: erin, name: Erin Roe, email: erin@acme.example, git: erinr, profile: manager, location: berlin}
          - {id: dana, name: Dana Poe, email: dana@acme.example, git: danap, profile: engineer, location: berlin}
        """,
    "teams/platform/team.yaml": """
        name: Platform
        parent: engineering
        manager: alice
        members:
          - {id: alice, name: Alice Moe, email: alice@acme.example, git: alicem, profile: manager, location: berlin}
          - {id: bob, name: Bob Lee, email: bob@acme.example, git: bobl, profile: engineer, location: berlin}
          - {id: carol, name: Carol Diaz, email: carol@acme.example, git: carold, profile: engineer,
             location: berlin, start_date: 2025-04-01, mentor: bob}
          - {id: dave, name: Dave Kim, email: dave@acme.example, git: davek, profile: engineer, location: remote}
        """,
    "teams/platform/records/carol.yaml": """
        person: carol
        records:
          - {course: secure-coding, date: 2026-03-02, by: carol, score: 92, evidence: https://evidence.example/1}
          - {course: k8s-ojt, date: 2026-05-10, by: bob, checklist: [true, true]}
        """,
    "teams/platform/requests/carol/2026-11-k8s-admin.yaml": """
        person: carol
        course: k8s-admin
        session: 2026-12-berlin
        kind: enroll              # enroll | external
        reason: Needed for the on-call rotation
        date: 2026-11-20
        cost: {amount: 1200, currency: EUR}
        """,
    "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": """
        request: 2026-11-k8s-admin
        amount: {amount: 1200, currency: EUR}
        """,
    "assignments/security-baseline.yaml": """
        title: Security baseline for everyone
        courses: [secure-coding]
        audience: {teams: [engineering], profiles: [engineer], locations: [], people: []}   # AND across keys
        exclude: [{person: erin, reason: Certified externally}]
        from: 2026-01-01          # the rule applies from this date
        due_days: 30              # due N days after the later of `from` and the person's start_date
        every_months: 12          # recurring: due again N months after each completion
        """,
    "assignments/teams/platform.yaml": """
        assignments:
          - {person: carol, course: k8s-admin, due: 2027-01-31}
          - {person: all, course: incident-response}        # no due date
        """,
    "attendance/k8s-admin/2026-12-berlin.yaml": """
        attended: [carol, dave]
        """,
    "budgets/2026.yaml": """
        engineering: {amount: 50000, currency: EUR}
        """,
}


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    """Writes (dedented) files under `root`; None deletes a file."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


K8S_PATH = """
    title: Kubernetes path
    steps:
      - {course: security-intro}
      - {any: 1, of: [k8s-admin, k8s-ojt]}
    due_days: 180
    """
"""A learning path (docs/learning-paths.md) over DESIGN_ORG's courses: `programs/k8s-path.yaml`."""

THEME_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>\n'
THEME_YAML = """\
logo: theme/logo.svg
favicon: theme/favicon.png
palette: {primary: "#0b6e4f", accent: deep orange}
extra_css: [theme/extra.css]
pages:
  - {title: About us, file: theme/pages/about.md}
"""
"""An organisation's theme (docs/theme.md): `theme/theme.yaml`, naming every file a theme may have."""


REPOSITORY = Path(__file__).parents[1]
"""This repository, whose top is the shipped demo organisation."""


def copy_demo(root: Path, names: tuple[str, ...] | None = None) -> Path:
    """Copies the shipped demo organisation's data (`names`, by default every data root) into `root`."""
    from lmsgen.model.layout import DATA_ROOTS

    root.mkdir(parents=True, exist_ok=True)
    for name in names or DATA_ROOTS:
        source = REPOSITORY / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy(source, root / name)
    return root


def committed_demo(root: Path) -> Path:
    """The shipped demo organisation copied into `root`, committed in a repository of its own."""
    copy_demo(root)
    init_repo(root)
    commit_all(root, "organisation")
    return root


def write_codeowners(root: Path) -> None:
    """Writes the CODEOWNERS that `lmsgen codeowners` would write for the files under `root`."""
    codeowners.write(root, Policy(load_inputs(root, use_cache=False).organisation))


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def init_repo(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Author")
    git(root, "config", "user.email", "author@example.org")
    git(root, "config", "commit.gpgsign", "false")


def commit_all(root: Path, message: str = "change", *, author: str | None = None) -> str:
    """Commits everything in the working tree (as `author`, "Name <email>", if given); returns the commit id."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message, *(["--author", author] if author else []))
    return git(root, "rev-parse", "HEAD").strip()


OrgFactory = Callable[..., Path]


@pytest.fixture(autouse=True, scope="session")
def user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache of an organisation outside git goes to the user's cache folder: in tests, one of the run's own."""
    before = os.environ.get("XDG_CACHE_HOME")
    folder = os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield Path(folder)
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def make_org(tmp_path: Path) -> OrgFactory:
    """Builds the sample organisation (DESIGN_ORG) as a committed git repository, with `changes` applied on top.

    `changes` maps paths to new contents (None deletes); `base=False` starts from an empty repository.
    With the base, the generated .github/CODEOWNERS comes too, as `lmsgen codeowners` writes it for
    the files as changed, unless `changes` names it.
    """

    def factory(changes: dict[str, str | bytes | None] | None = None, *, base: bool = True,
                name: str = "org") -> Path:
        root = tmp_path / name
        root.mkdir()
        init_repo(root)
        write_files(root, {**(DESIGN_ORG if base else {}), **(changes or {})})
        if base and ".github/CODEOWNERS" not in (changes or {}):
            write_codeowners(root)
        commit_all(root, "organisation")
        return root

    return factory


@pytest.fixture
def no_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No global or system git configuration and no identity in the environment."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
