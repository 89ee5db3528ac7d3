"""Who approves what: owners of every kind of path, read back from the generated CODEOWNERS by an
independent parser (the `codeowners` package), required slips, four-eyes warnings and the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from codeowners import CodeOwners
from conftest import write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.demo.generator import write_demo
from lmsgen.model.formats import GitHost
from lmsgen.model.loading import load_root
from lmsgen.rules.codeowners import render
from lmsgen.rules.policy import Policy, load_inputs
from lmsgen.rules.validation import validate_root

# company (ceo)        ceo, ada, abe (admins), hana, hugo (HR), lena, leo (L&D)
# ├── engineering (erin)   erin, eve                 erin manages a manager: alice
# │   └── platform (alice) alice, bob (tech lead), carol (mentor bob), dave (trainer of k8s-admin)
# └── finance (fred)       fred, fiona, frank (all three approve costs; fiona requests paid training)
ORG: dict[str, str] = {
    "org.yaml": """
        name: Acme
        git: {host: github, repo: https://github.com/acme/learning}
        """,
    "teams/company/team.yaml": """
        name: Company
        manager: ceo
        members:
          - {id: ceo, name: Cleo Ceo, git: ceo-gh}
          - {id: ada, name: Ada Admin, git: ada-gh}
          - {id: abe, name: Abe Admin, git: abe-gh}
          - {id: hana, name: Hana HR, git: hana-gh}
          - {id: hugo, name: Hugo HR, git: hugo-gh}
          - {id: lena, name: Lena LD, git: lena-gh}
          - {id: leo, name: Leo LD, git: leo-gh}
        """,
    "teams/engineering/team.yaml": """
        name: Engineering
        parent: company
        manager: erin
        members:
          - {id: erin, name: Erin Eng, git: erin-gh}
          - {id: eve, name: Eve Eng, git: eve-gh}
        """,
    "teams/platform/team.yaml": """
        name: Platform
        parent: engineering
        manager: alice
        members:
          - {id: alice, name: Alice Plat, git: alice-gh}
          - {id: bob, name: Bob Plat, git: bob-gh}
          - {id: carol, name: Carol Plat, git: carol-gh, mentor: bob}
          - {id: dave, name: Dave Plat, git: dave-gh}
        """,
    "teams/finance/team.yaml": """
        name: Finance
        parent: company
        manager: fred
        members:
          - {id: fred, name: Fred Fin, git: fred-gh}
          - {id: fiona, name: Fiona Fin, git: fiona-gh}
          - {id: frank, name: Frank Fin, git: frank-gh}
        """,
    "roles/admin.yaml": """
        name: Administrators
        grants: [roles.edit]
        holders: [ada, abe, ceo]
        git_team: acme/admins
        """,
    "roles/finance.yaml": """
        name: Finance
        grants: [approve.cost, budget.edit]
        holders: [fiona, frank, fred]
        git_team: acme/finance
        """,
    "roles/hr.yaml": """
        name: HR
        grants: [people.edit, approve.external]
        holders: [hana, hugo, ada]
        """,
    "roles/ld.yaml": """
        name: L&D
        grants: [catalog.edit, assign.org]
        holders: [lena, leo]
        """,
    "roles/tech-leads.yaml": """
        name: Tech leads
        grants: [approve.enrollment]
        holders: [bob]
        scope: [platform]
        """,
    "catalog/k8s-admin.yaml": """
        title: Kubernetes administration
        format: classroom
        elective: true
        cost: {amount: 1200, currency: EUR}
        trainers: [dave]
        sessions:
          - {id: 2026-12-berlin, start: 2026-12-03T09:00, end: 2026-12-04T17:00, capacity: 12}
        """,
    "catalog/aws-cert.yaml": """
        title: AWS certification
        format: external
        elective: true
        cost: {amount: 300, currency: EUR}
        """,
    "catalog/intro.yaml": """
        title: Introduction
        format: elearning
        elective: true
        """,
    "teams/platform/requests/carol/2026-11-k8s.yaml": """
        person: carol
        course: k8s-admin
        session: 2026-12-berlin
        date: 2026-11-20
        """,
    "teams/platform/requests/carol/2026-11-k8s.cost.yaml": """
        request: 2026-11-k8s
        amount: {amount: 1200, currency: EUR}
        """,
    "teams/finance/requests/fiona/2026-10-aws.yaml": """
        person: fiona
        course: aws-cert
        kind: external
        date: 2026-10-01
        """,
    "teams/finance/requests/fiona/2026-10-aws.cost.yaml": """
        request: 2026-10-aws
        amount: {amount: 300, currency: EUR}
        """,
    "teams/finance/requests/fiona/2026-10-aws.external.yaml": """
        request: 2026-10-aws
        """,
}


def build(root: Path, changes: dict[str, str | None] | None = None, *, codeowners: bool = True) -> Path:
    """Writes ORG with `changes` under `root` and, like its author would, runs `lmsgen codeowners`."""
    write_files(root, {**ORG, **(changes or {})})
    if codeowners:
        assert main(["--root", str(root), "codeowners"]) == 0
    return root


def policy_of(root: Path) -> Policy:
    return Policy(load_root(root, use_cache=False).organisation)


def parsed(root: Path) -> CodeOwners:
    return CodeOwners((root / ".github/CODEOWNERS").read_text(encoding="utf-8"))


def github_owners(owners: CodeOwners, path: str) -> set[str]:
    return {handle for _, handle in owners.of(path)}


def messages(root: Path) -> list[str]:
    return [str(d) for d in validate_root(root, use_cache=False, check_codeowners=True).diagnostics]


@pytest.fixture
def org(tmp_path: Path) -> Path:
    return build(tmp_path / "org")


ADMINS = {"@acme/admins"}
OWNERS = [
    # A person's records and requests: the approving manager and the next manager up.
    ("teams/platform/records/carol.yaml", {"@alice-gh", "@erin-gh"}),
    ("teams/platform/records/newhire.yaml", {"@alice-gh", "@erin-gh"}),  # not listed yet: a newcomer to platform
    ("teams/platform/requests/carol/2027-01-new.yaml", {"@alice-gh", "@erin-gh", "@bob-gh"}),  # + scoped tech lead
    ("teams/platform/requests/bob/2027-01-new.yaml", {"@alice-gh", "@erin-gh"}),  # never bob on his own
    ("teams/platform/records/bob.yaml", {"@alice-gh", "@erin-gh"}),
    ("teams/engineering/requests/eve/2027-01-new.yaml", {"@erin-gh", "@ceo-gh"}),  # tech leads: platform only
    # A manager's: the manager of the parent team, and the next one up; at the top, the admins.
    ("teams/platform/records/alice.yaml", {"@erin-gh", "@ceo-gh"}),
    ("teams/platform/requests/alice/2027-01-new.yaml", {"@erin-gh", "@ceo-gh", "@bob-gh"}),  # bob: in scope
    ("teams/engineering/records/erin.yaml", {"@ceo-gh", *ADMINS}),
    ("teams/finance/records/fred.yaml", {"@ceo-gh", *ADMINS}),
    ("teams/company/records/hana.yaml", {"@ceo-gh", *ADMINS}),
    # The top manager and the admins: the admins but themselves, one by one, since a git team includes them.
    ("teams/company/records/ceo.yaml", {"@ada-gh", "@abe-gh"}),
    ("teams/company/requests/ceo/2027-01-new.yaml", {"@ada-gh", "@abe-gh"}),
    ("teams/company/records/ada.yaml", {"@ceo-gh", "@abe-gh"}),
    # Slips: the holders of the permission the slip names, never the requester.
    ("teams/platform/requests/carol/2026-11-k8s.cost.yaml", {"@acme/finance"}),
    ("teams/finance/requests/fiona/2026-10-aws.yaml", {"@fred-gh", "@ceo-gh"}),
    ("teams/finance/requests/fiona/2026-10-aws.cost.yaml", {"@frank-gh", "@fred-gh"}),
    ("teams/finance/requests/fiona/2027-02-new.cost.yaml", {"@frank-gh", "@fred-gh"}),
    ("teams/finance/requests/fred/2027-02-new.cost.yaml", {"@fiona-gh", "@frank-gh"}),
    ("teams/finance/requests/fiona/2026-10-aws.external.yaml", {"@hana-gh", "@hugo-gh", "@ada-gh"}),
    ("teams/company/requests/hana/2027-02-new.external.yaml", {"@hugo-gh", "@ada-gh"}),
    ("teams/platform/records/carol.admin.yaml", ADMINS),
    ("teams/platform/requests/carol/2026-11-k8s.admin.yaml", ADMINS),
    ("teams/company/records/ada.admin.yaml", {"@abe-gh", "@ceo-gh"}),
    # The rest of the layout.
    ("catalog/k8s-admin.yaml", {"@lena-gh", "@leo-gh", "@dave-gh"}),
    ("catalog/new-course.yaml", {"@lena-gh", "@leo-gh"}),
    ("attendance/k8s-admin/2026-12-berlin.yaml", {"@dave-gh", "@lena-gh", "@leo-gh"}),
    ("attendance/intro/2027-01-online.yaml", {"@lena-gh", "@leo-gh"}),
    ("attendance/k8s-admin/2026-12-berlin.admin.yaml", ADMINS),  # corrections to merged attendance: admins
    ("assignments/onboarding.yaml", {"@lena-gh", "@leo-gh"}),
    ("assignments/teams/platform.yaml", {"@alice-gh", "@erin-gh"}),
    ("assignments/teams/company.yaml", {"@ceo-gh", *ADMINS}),
    ("assignments/teams/new-team.yaml", ADMINS),
    ("teams/platform/team.yaml", {"@hana-gh", "@hugo-gh", "@ada-gh"}),
    ("teams/new-team/team.yaml", {"@hana-gh", "@hugo-gh", "@ada-gh"}),
    ("teams/new-team/records/someone.yaml", ADMINS),  # a team not in the tree yet: the top approves
    ("budgets/2026.yaml", {"@acme/finance"}),
    ("roles/admin.yaml", ADMINS),
    ("roles/new-role.yaml", ADMINS),
    ("org.yaml", ADMINS),
    (".github/CODEOWNERS", ADMINS),
    (".github/workflows/check.yml", ADMINS),
    ("CODEOWNERS", ADMINS),  # wherever a host would read one
    ("docs/CODEOWNERS", ADMINS),
    (".gitlab-ci.yml", ADMINS),
    ("docs/guide.md", set()),
    ("README.md", set()),
    ("lmsgen/cli.py", set()),
]


@pytest.mark.parametrize(("path", "expected"), OWNERS, ids=[path for path, _ in OWNERS])
def test_owners_path_by_path(org: Path, path: str, expected: set[str]) -> None:
    assert github_owners(parsed(org), path) == expected
    policy = policy_of(org)
    assert set(policy.handles(policy.owners_of(path).owners)) == expected


def test_nobody_owns_a_file_about_themselves_and_every_persons_file_has_an_owner(org: Path) -> None:
    policy = policy_of(org)
    owners = parsed(org)
    git_teams = {f"@{role.model.git_team}": set(role.model.holders) for role in policy.org.roles.values()
                 if role.model.git_team}
    for person, member in policy.org.members.items():
        folder = f"teams/{member.team}"
        for path in (f"{folder}/records/{person}.yaml", f"{folder}/records/{person}.admin.yaml",
                     f"{folder}/requests/{person}/2030-01-new.yaml",
                     f"{folder}/requests/{person}/2030-01-new.cost.yaml",
                     f"{folder}/requests/{person}/2030-01-new.external.yaml",
                     f"{folder}/requests/{person}/2030-01-new.admin.yaml"):
            found = github_owners(owners, path)
            assert found, path
            assert f"@{member.person.git}" not in found, path
            assert not [team for team in found if person in git_teams.get(team, ())], path


@pytest.mark.parametrize("which", ["test", "demo", "synthetic"])
def test_every_persons_files_have_the_owners_that_codeowners_gives(tmp_path: Path, which: str) -> None:
    """Lines are written only for people whose files differ from their folder's; nobody else may differ."""
    if which == "test":
        root = build(tmp_path / "org")
    elif which == "demo":
        root = Path(__file__).resolve().parents[2]
    else:
        write_demo(root := tmp_path / "synthetic", 300)
    policy = Policy(load_inputs(root, use_cache=False).organisation)
    owners = CodeOwners(render(policy, GitHost.GITHUB))
    for person, member in policy.org.members.items():
        folder = f"teams/{member.team}"
        for path in (f"{folder}/records/{person}.yaml", f"{folder}/records/{person}.admin.yaml",
                     f"{folder}/requests/{person}/2030-01-new.yaml", f"{folder}/requests/{person}/2030-01-new.cost.yaml",
                     f"{folder}/requests/{person}/2030-01-new.external.yaml",
                     f"{folder}/requests/{person}/2030-01-new.admin.yaml"):
            assert github_owners(owners, path) == set(policy.handles(policy.owners_of(path).owners)), path


def test_the_organisation_is_valid_and_every_path_has_two_approvers(org: Path) -> None:
    assert messages(org) == []


SEGMENTS = ["teams", "platform", "finance", "nowhere", "records", "requests", "carol", "fiona", "alice", "team.yaml",
            "carol.yaml", "alice.yaml", "carol.admin.yaml", "r.yaml", "r.cost.yaml", "r.external.yaml", "r.admin.yaml",
            "catalog", "k8s-admin.yaml", "k8s-admin", "attendance", "assignments", "platform.yaml", "budgets", "roles",
            "org.yaml", ".github", ".gitlab", ".gitlab-ci.yml", "docs", "CODEOWNERS", "x"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=6))
def test_owners_of_any_path_is_what_the_file_says(org: Path, parts: list[str]) -> None:
    path = "/".join(parts)
    policy = policy_of(org)
    assert set(policy.handles(policy.owners_of(path).owners)) == github_owners(parsed(org), path)


# --- required approval slips ------------------------------------------------------------------


def test_a_request_lacking_its_slips_is_an_error_at_its_course(tmp_path: Path) -> None:
    root = build(tmp_path, {
        "teams/platform/requests/carol/2026-11-k8s.cost.yaml": None,
        "teams/finance/requests/fiona/2026-10-aws.cost.yaml": None,
        "teams/finance/requests/fiona/2026-10-aws.external.yaml": None,
        # No course cost, but its own (the course is priced per request): a cost slip still.
        "catalog/intro.yaml": "title: Introduction\nformat: elearning\nelective: true\ncost_per_request: true\n",
        "teams/platform/requests/bob/2027-01-intro.yaml": """
            person: bob
            date: 2027-01-10
            course: intro
            cost: {amount: 49.5, currency: EUR}
            """,
    })
    assert messages(root) == [
        "teams/finance/requests/fiona/2026-10-aws.yaml:2:1: missing approval slip "
        "teams/finance/requests/fiona/2026-10-aws.cost.yaml: a request costing 300 EUR needs the approval of the "
        "holders of approve.cost (run 'lmsgen check --fix' to write it)",
        "teams/finance/requests/fiona/2026-10-aws.yaml:2:1: missing approval slip "
        "teams/finance/requests/fiona/2026-10-aws.external.yaml: external training needs the approval of the "
        "holders of approve.external (run 'lmsgen check --fix' to write it)",
        "teams/platform/requests/bob/2027-01-intro.yaml:3:1: missing approval slip "
        "teams/platform/requests/bob/2027-01-intro.cost.yaml: a request costing 49.5 EUR needs the approval of "
        "the holders of approve.cost (run 'lmsgen check --fix' to write it)",
        "teams/platform/requests/carol/2026-11-k8s.yaml:2:1: missing approval slip "
        "teams/platform/requests/carol/2026-11-k8s.cost.yaml: a request costing 1200 EUR needs the approval of "
        "the holders of approve.cost (run 'lmsgen check --fix' to write it)",
    ]


def test_check_fix_writes_the_missing_slips_and_checks_again(tmp_path: Path, capsys) -> None:
    root = build(tmp_path, {
        "teams/platform/requests/carol/2026-11-k8s.cost.yaml": None,
        "teams/finance/requests/fiona/2026-10-aws.cost.yaml": None,
        "teams/finance/requests/fiona/2026-10-aws.external.yaml": None,
        "catalog/intro.yaml": "title: Introduction\nformat: elearning\nelective: true\ncost_per_request: true\n",
        "teams/platform/requests/bob/2027-01-intro.yaml": """
            person: bob
            course: intro
            date: 2027-01-10
            cost: {amount: 49.5, currency: EUR}
            """,
    })
    assert main(["--root", str(root), "check"]) == 1
    capsys.readouterr()
    assert main(["--root", str(root), "check", "--fix"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "wrote teams/finance/requests/fiona/2026-10-aws.cost.yaml\n"
        "wrote teams/finance/requests/fiona/2026-10-aws.external.yaml\n"
        "wrote teams/platform/requests/bob/2027-01-intro.cost.yaml\n"
        "wrote teams/platform/requests/carol/2026-11-k8s.cost.yaml\n"
        "no problems found\n")
    schema = "# yaml-language-server: $schema=../../../../schemas/slip.schema.json\n"
    slips = root / "teams/finance/requests/fiona"
    assert (slips / "2026-10-aws.cost.yaml").read_text() == (
        schema + "request: 2026-10-aws\namount: {amount: 300, currency: EUR}\n")
    assert (slips / "2026-10-aws.external.yaml").read_text() == schema + "request: 2026-10-aws\n"
    assert (root / "teams/platform/requests/bob/2027-01-intro.cost.yaml").read_text() == (
        schema + "request: 2027-01-intro\namount: {amount: 49.5, currency: EUR}\n")
    assert main(["--root", str(root), "check", "--fix"]) == 0  # nothing left to write
    assert capsys.readouterr().err == "no problems found\n"


def test_fix_leaves_a_broken_slip_to_its_own_error(tmp_path: Path, capsys) -> None:
    root = build(tmp_path, {"teams/platform/requests/carol/2026-11-k8s.cost.yaml": "request: [\n"})
    capsys.readouterr()
    assert main(["--root", str(root), "check", "--fix"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "1 error\n"
    assert captured.out == ("teams/platform/requests/carol/2026-11-k8s.cost.yaml:2:1: YAML syntax error: did not "
                            "find expected node content\n")


# --- four eyes ----------------------------------------------------------------------------------


def test_a_role_with_one_holder_warns_at_its_holders(tmp_path: Path, capsys) -> None:
    root = build(tmp_path, {"roles/ld.yaml": "name: L&D\ngrants: [catalog.edit, assign.org]\nholders: [lena]\n"})
    assert messages(root) == [
        "roles/ld.yaml:3:10: warning: 'lena' is the only owner of /assignments/*: when 'lena' is away or wrote the "
        "change, nobody can approve it; add another holder or a git_team to a role granting assign.org",
        "roles/ld.yaml:3:10: warning: 'lena' is the only owner of /catalog/, /attendance/ and /programs/: when 'lena' "
        "is away or wrote the change, nobody can approve it; add another holder or a git_team to a role granting catalog.edit",
    ]
    assert main(["--root", str(root), "check"]) == 0
    assert main(["--root", str(root), "check", "--strict"]) == 1


def test_a_manager_chain_with_one_approver_warns_at_the_person(tmp_path: Path) -> None:
    # Without the git team, the admins are named one by one: the CEO's files keep only Ada, and Ada's the CEO.
    root = build(tmp_path, {"roles/admin.yaml": "name: Admins\ngrants: [roles.edit]\nholders: [ada, ceo]\n"})
    assert messages(root) == [
        "roles/admin.yaml:3:10: warning: 'ada' is the only owner of /teams/company/records/ceo.admin.yaml and "
        "/teams/company/requests/ceo/*.admin.yaml: when 'ada' is away or wrote the change, nobody can approve it; "
        "add another holder or a git_team to a role granting roles.edit",
        "roles/admin.yaml:3:10: warning: 'ceo' is the only owner of /teams/company/records/ada.admin.yaml and "
        "/teams/company/requests/ada/*.admin.yaml: when 'ceo' is away or wrote the change, nobody can approve it; "
        "add another holder or a git_team to a role granting roles.edit",
        "teams/company/team.yaml:4:10: warning: 'ada' is the only owner of /teams/company/records/ceo.yaml and "
        "/teams/company/requests/ceo/: when 'ada' is away or wrote the change, nobody can approve it; add a parent "
        "team with another manager, or another holder to a role granting roles.edit",
        "teams/company/team.yaml:5:10: warning: 'ceo' is the only owner of /teams/company/records/ada.yaml and "
        "/teams/company/requests/ada/: when 'ceo' is away or wrote the change, nobody can approve it; add a parent "
        "team with another manager, or another holder to a role granting roles.edit",
    ]


def test_a_sole_holder_leaves_their_own_slip_unowned(tmp_path: Path) -> None:
    root = build(tmp_path, {"roles/finance.yaml": "name: F\ngrants: [approve.cost, budget.edit]\nholders: [fiona]\n"
                                                  "git_team: acme/finance\n"})
    # On the host anyone may approve Fiona's cost slips: she could approve her own spending.
    assert messages(root) == [
        "roles/finance.yaml:3:10: nobody owns /teams/finance/requests/fiona/*.cost.yaml ('fiona' may not approve "
        "files about themselves), so on the git host anyone may approve it; add another holder or a git_team to a "
        "role granting approve.cost",
    ]
    assert github_owners(parsed(root), "teams/finance/requests/fiona/2026-10-aws.cost.yaml") == set()
    assert github_owners(parsed(root), "teams/finance/requests/frank/2026-10-aws.cost.yaml") == {"@acme/finance"}


def test_an_owner_without_a_git_login_warns(tmp_path: Path) -> None:
    root = build(tmp_path, {"teams/platform/team.yaml": ORG["teams/platform/team.yaml"].replace(
        "{id: alice, name: Alice Plat, git: alice-gh}", "{id: alice, name: Alice Plat}")})
    assert messages(root) == [
        # The team's chain: alice's line stays (she is its manager) but only erin can approve.
        "teams/platform/team.yaml:3:10: warning: 'erin' is the only owner of /assignments/teams/platform.yaml and "
        "/teams/platform/records/: when 'erin' is away or wrote the change, nobody can approve it; add a parent "
        "team with another manager, or another holder to a role granting roles.edit",
        "teams/platform/team.yaml:5:10: warning: 'alice' has no 'git' login, so cannot approve "
        "/assignments/teams/platform.yaml, /teams/platform/records/, /teams/platform/requests/ and "
        "/teams/platform/requests/bob/ as a code owner: add their login on the git host as 'git'",
        # The tech lead approves platform's requests too, but not his own.
        "teams/platform/team.yaml:6:10: warning: 'erin' is the only owner of /teams/platform/requests/bob/: when "
        "'erin' is away or wrote the change, nobody can approve it; add a parent team with another manager, or "
        "another holder to a role granting roles.edit",
    ]
    assert github_owners(parsed(root), "teams/platform/records/carol.yaml") == {"@erin-gh"}


def test_records_whose_owners_have_no_git_login_are_an_error_at_the_person(tmp_path: Path) -> None:
    root = build(tmp_path, {"teams/platform/team.yaml": ORG["teams/platform/team.yaml"].replace(
        "{id: alice, name: Alice Plat, git: alice-gh}", "{id: alice, name: Alice Plat}").replace(
        "{id: carol, name: Carol Plat, git: carol-gh, mentor: bob}", "{id: carol, name: Carol Plat, mentor: bob}"),
        "teams/engineering/team.yaml": ORG["teams/engineering/team.yaml"].replace(
            "{id: erin, name: Erin Eng, git: erin-gh}", "{id: erin, name: Erin Eng}")})
    assert [m for m in messages(root) if ": warning: " not in m] == [
        "teams/platform/team.yaml:3:10: nobody owns /teams/platform/records/ ('alice', 'erin' have no 'git' login), so "
        "on the git host anyone may approve it; add their logins on the git host as 'git' "
        "(teams/platform/team.yaml:5:10, teams/engineering/team.yaml:5:10)",
        # Bob's requests are the tech lead's to approve, but not his own.
        "teams/platform/team.yaml:6:10: nobody owns /teams/platform/requests/bob/ ('alice', 'erin' have no 'git' "
        "login), so on the git host anyone may approve it; add their logins on the git host as 'git' "
        "(teams/platform/team.yaml:5:10, teams/engineering/team.yaml:5:10)",
    ]


def test_a_team_without_a_line_of_its_own_is_judged_by_the_general_line(tmp_path: Path) -> None:
    # Company's line would name the admins, as the general line does, so it is not written: Xavi's records
    # fall to /teams/*/records/, which no admin with a login owns (only the admins' own files have lines).
    root = tmp_path / "org"
    write_files(root, {
        "org.yaml": ORG["org.yaml"],
        "teams/company/team.yaml": "name: Company\nmanager: ceo\nmembers:\n  - {id: ceo, name: Cleo}\n"
                                   "  - {id: ada, name: Ada}\n  - {id: xavi, name: Xavi, git: xavi-gh}\n",
        "roles/admin.yaml": "name: Admins\ngrants: [roles.edit, catalog.edit]\nholders: [ceo, ada]\n",
    })
    assert main(["--root", str(root), "codeowners"]) == 0
    assert [m for m in messages(root) if m.startswith("roles/admin.yaml:3:10: nobody owns /teams/*/")] == [
        "roles/admin.yaml:3:10: nobody owns /teams/*/records/, /teams/*/requests/, /teams/*/records/*.admin.yaml, "
        "/teams/*/requests/*/*.admin.yaml and 1 more ('ada', 'ceo' have no 'git' login), so on the git host anyone "
        "may approve "
        "it; add their logins on the git host as 'git' (teams/company/team.yaml:5:10, teams/company/team.yaml:4:10)",
    ]


def test_attendance_that_nobody_owns_is_an_error(tmp_path: Path) -> None:
    # Without L&D nothing grants catalog.edit: only the trainers own attendance, and 'intro' has none.
    root = build(tmp_path, {"roles/ld.yaml": None})
    assert [m for m in messages(root) if ": warning: " not in m] == [
        "org.yaml:1:1: nobody owns /attendance/, so on the git host anyone may approve it; no role grants "
        "catalog.edit: add one under roles/, with holders who have git logins",
    ]
    root = build(tmp_path / "trainer", {"roles/ld.yaml": None, "teams/platform/team.yaml": ORG[
        "teams/platform/team.yaml"].replace("{id: dave, name: Dave Plat, git: dave-gh}", "{id: dave, name: Dave Plat}"),
        "catalog/intro.yaml": ORG["catalog/intro.yaml"] + "trainers: [dave]\n",
        "catalog/aws-cert.yaml": ORG["catalog/aws-cert.yaml"] + "trainers: [dave]\n"})
    # Each course's line is its trainer's, whose login is missing.
    assert [m for m in messages(root) if ": warning: " not in m] == [
        f"catalog/{course}.yaml:{line}:11: nobody owns /attendance/{course}/ ('dave' has no 'git' login), so on the "
        "git host anyone may approve it; add their login on the git host as 'git' (teams/platform/team.yaml:8:10)"
        for course, line in (("aws-cert", 5), ("intro", 4), ("k8s-admin", 5))
    ]


def test_slips_of_a_kind_no_course_needs_may_stay_unowned(tmp_path: Path) -> None:
    no_hr = {"roles/hr.yaml": "name: HR\ngrants: [people.edit]\nholders: [hana, hugo, ada]\n"}
    assert [m for m in messages(build(tmp_path / "a", no_hr)) if ": warning: " not in m] == [
        "org.yaml:1:1: nobody owns /teams/*/requests/*/*.external.yaml, so on the git host anyone may approve it; "
        "no role grants approve.external: add one under roles/, with holders who have git logins",
    ]
    no_external_training = {**no_hr, "catalog/aws-cert.yaml": ORG["catalog/aws-cert.yaml"].replace("external",
                                                                                                 "classroom"),
                            "teams/finance/requests/fiona/2026-10-aws.yaml": None,
                            "teams/finance/requests/fiona/2026-10-aws.cost.yaml": None,
                            "teams/finance/requests/fiona/2026-10-aws.external.yaml": None}
    assert [m for m in messages(build(tmp_path / "b", no_external_training)) if ": warning: " not in m] == []


def test_warnings_wait_until_the_roles_and_teams_load(tmp_path: Path) -> None:
    root = build(tmp_path, {"roles/ld.yaml": "name: L&D\ngrants: [catalog.edit]\nholders: [lena]\n",
                            "roles/hr.yaml": "name: HR\ngrants: [people.edit]\nholders: [hana, hugo]\n"
                                             "scope: [sales]\n"})
    assert messages(root) == ["roles/hr.yaml:4:9: unknown team 'sales': there is no teams/sales/team.yaml"]


# --- the table ----------------------------------------------------------------------------------


def test_policy_table_as_text(org: Path, capsys) -> None:
    assert main(["--root", str(org), "policy"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "PATH                                                    PERMISSION          ROLES                         "
        "            PEOPLE",
        "catalog/<course>.yaml                                   catalog.edit        ld, trainer (derived)         "
        "            dave, lena, leo",
        "attendance/<course>/<session>.yaml                      catalog.edit        ld, trainer (derived)         "
        "            dave, lena, leo",
        "assignments/<rule>.yaml                                 assign.org          ld                            "
        "            lena, leo",
    ]
    assert lines[7] == ("teams/<team>/requests/<person>/<request>.yaml           approve.enrollment  tech-leads "
                        "(platform), manager (derived)  alice, bob, ceo, erin, fred")
    assert lines[8] == ("teams/<team>/requests/<person>/<request>.cost.yaml      approve.cost        finance       "
                        "                            fiona, frank, fred, @acme/finance")
    assert lines[27] == (
        "teams/<team>/requests/<person>/<request>.yaml: approved by the person's approving manager (the manager of "
        "their team; for that manager, the manager of the parent team; at the top, the holders of roles.edit) and "
        "the next manager up, with the holders of approve.enrollment")


def test_policy_table_as_json(org: Path, capsys) -> None:
    assert main(["--root", str(org), "policy", "--format", "json"]) == 0
    rows = {row["kind"]: row for row in json.loads(capsys.readouterr().out)}
    assert list(rows) == ["course", "attendance", "rule", "team-assignments", "team", "records", "request",
                          "cost-slip", "external-slip", "records-admin-slip", "request-admin-slip",
                          "attendance-admin-slip", "budget", "completions", "completions-admin-slip", "program",
                          "profile", "vendor", "settings"]
    assert rows["cost-slip"] == {
        "kind": "cost-slip", "title": "Cost approvals",
        "path": "teams/<team>/requests/<person>/<request>.cost.yaml", "permission": "approve.cost",
        "approvers": "the holders of approve.cost, except the requester",
        "roles": [{"id": "finance", "name": "Finance", "description": "", "derived": False,
                   "holders": ["fiona", "frank", "fred"], "scope": [], "git_team": "@acme/finance"}],
        "people": ["fiona", "frank", "fred"],
    }
    assert rows["course"]["roles"][1] == {
        "id": "trainer", "name": "Trainer", "derived": True, "holders": ["dave"], "scope": [], "git_team": None,
        "description": "The trainers each course names: maintain their courses and mark attendance, with the "
                       "holders of catalog.edit."}


@pytest.mark.parametrize("which", ["sample", "demo"])
def test_every_line_gives_what_owners_of_reads_back_from_its_paths(make_org, which):
    """The lines are derived from the ids they are about; reading a path back must agree with them."""
    root = make_org() if which == "sample" else Path(__file__).resolve().parents[2]
    owners = Policy(load_inputs(root, use_cache=False).organisation)
    for kind, lines in owners.lines.items():
        for line in lines:
            example = line.pattern.lstrip("/") + ("*" if line.pattern.endswith("/") else "")  # `*` is never an id
            read_back = owners.owners_of(example)
            assert (read_back.kind, read_back.owners, read_back.subject) == (kind, line.ownership.owners,
                                                                             line.ownership.subject), line.pattern
