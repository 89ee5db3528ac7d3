"""`lmsgen import-hr`: joiners, movers and leavers from an HR export, on a new branch, in real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lmsgen.cli import main
from tests.conftest import DESIGN_ORG, git

HEADER = "id,name,email,git,team,profile,location,start_date,left_on,mentor\n"
EVERYONE = {
    "erin": "erin,Erin Roe,erin@acme.example,erinr,engineering,manager,berlin,,,",
    "dana": "dana,Dana Poe,dana@acme.example,danap,engineering,engineer,berlin,,,",
    "alice": "alice,Alice Moe,alice@acme.example,alicem,platform,manager,berlin,,,",
    "bob": "bob,Bob Lee,bob@acme.example,bobl,platform,engineer,berlin,,,",
    "carol": "carol,Carol Diaz,carol@acme.example,carold,platform,engineer,berlin,2025-04-01,,bob",
    "dave": "dave,Dave Kim,dave@acme.example,davek,platform,engineer,remote,,,",
}
TEAMS = {
    "teams/mobile/team.yaml": """
        # yaml-language-server: $schema=../../schemas/team.schema.json
        # The mobile apps.
        name: Mobile
        parent: engineering
        manager: dana
        members:
          - {id: frank, name: Frank Ode, email: frank@acme.example, git: franko, profile: engineer,
             location: berlin}   # first hire
        """,
    # carol's own assignment would stay behind in platform's file when she moves: an error the import refuses.
    "assignments/teams/platform.yaml": """
        assignments:
          - {person: all, course: incident-response}        # no due date
        """,
}


def export(tmp_path: Path, rows: dict[str, str | None], *, header: str = HEADER, name: str = "hr.csv") -> Path:
    """The export of everyone, with `rows` changed (None: left out), written to a file."""
    lines = {**EVERYONE, **rows}
    path = tmp_path / name
    path.write_text(header + "".join(line + "\n" for line in lines.values() if line is not None), encoding="utf-8")
    return path


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), "import-hr", *args])


def branches(root: Path) -> list[str]:
    return git(root, "branch", "--format=%(refname:short)").split()


def show(root: Path, branch: str, path: str) -> str:
    return git(root, "show", f"{branch}:{path}")


@pytest.fixture
def org(make_org):
    return make_org(TEAMS)


def only_branch(root: Path) -> str:
    (branch,) = [b for b in branches(root) if b != "main"]
    return branch


def test_joiner_is_one_more_line_of_their_team_and_the_rest_is_unchanged(org, tmp_path, capsys):
    path = export(tmp_path, {"gina": "gina,Gina Ruiz,gina@acme.example,ginar,mobile,engineer,berlin,2026-11-02,,frank"})
    assert run(org, str(path)) == 0
    out = capsys.readouterr().out
    assert "### Joiners (1)\n\n| person | team | start date |\n|---|---|---|\n| gina | mobile | 2026-11-02 |" in out
    branch = only_branch(org)
    assert branch.startswith("lmsgen/import-hr-")
    before = (org / "teams/mobile/team.yaml").read_text()
    assert show(org, branch, "teams/mobile/team.yaml") == before + (
        "  - {id: gina, name: Gina Ruiz, email: gina@acme.example, git: ginar, profile: engineer, location: berlin, "
        "start_date: 2026-11-02, mentor: frank}\n")
    assert git(org, "diff", "--name-only", "main", branch).split() == ["teams/mobile/team.yaml"]
    assert git(org, "status", "--porcelain") == ""  # the checkout is untouched
    # The assignment rules pick the joiner up from their start date: due 30 days after it.
    git(org, "checkout", "-q", branch)
    capsys.readouterr()
    assert main(["--root", str(org), "status", "--person", "gina", "--as-of", "2026-11-20", "--format", "json"]) == 0
    rows = {row["course"]: row for row in json.loads(capsys.readouterr().out)}
    assert (rows["secure-coding"]["status"], rows["secure-coding"]["due"]) == ("due", "2026-12-02")


def test_mover_takes_records_and_requests_along_and_check_base_passes(org, tmp_path, capsys):
    path = export(tmp_path, {"carol": EVERYONE["carol"].replace(",platform,", ",mobile,")})
    assert run(org, str(path)) == 0
    out = capsys.readouterr().out
    assert "| carol | platform | mobile | 3 |" in out
    branch = only_branch(org)
    renames = git(org, "diff", "--name-status", "-M", "main", branch).splitlines()
    assert "R100\tteams/platform/records/carol.yaml\tteams/mobile/records/carol.yaml" in renames
    assert ("R100\tteams/platform/requests/carol/2026-11-k8s-admin.cost.yaml\t"
            "teams/mobile/requests/carol/2026-11-k8s-admin.cost.yaml") in renames
    platform = show(org, branch, "teams/platform/team.yaml")
    assert "carol" not in platform and "dave" in platform
    assert show(org, branch, "teams/mobile/team.yaml").endswith(
        "  - {id: carol, name: Carol Diaz, email: carol@acme.example, git: carold, profile: engineer, "
        "location: berlin, start_date: 2025-04-01, mentor: bob}\n")
    git(org, "checkout", "-q", branch)
    capsys.readouterr()
    assert main(["--root", str(org), "check", "--base", "main"]) == 0, capsys.readouterr()


def test_a_workbook_export_imports_like_a_csv(org, tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for line in [HEADER, *EVERYONE.values(), "gina,Gina Ruiz,,,mobile,,,2026-11-02,,"]:
        book.active.append(line.strip().split(","))
    book.save(tmp_path / "hr.xlsx")
    assert run(org, str(tmp_path / "hr.xlsx")) == 0
    assert "| gina | mobile | 2026-11-02 |" in capsys.readouterr().out
    assert show(org, only_branch(org), "teams/mobile/team.yaml").endswith(
        "  - {id: gina, name: Gina Ruiz, start_date: 2026-11-02}\n")


def test_leaver_gets_left_and_stays(org, tmp_path, capsys):
    path = export(tmp_path, {"dave": EVERYONE["dave"].replace("remote,,,", "remote,,2026-11-30,")})
    assert run(org, str(path)) == 0
    assert "### Leavers (1)\n\n| person | left |\n|---|---|\n| dave | 2026-11-30 |" in capsys.readouterr().out
    text = show(org, only_branch(org), "teams/platform/team.yaml")
    assert "  - {id: dave, name: Dave Kim, email: dave@acme.example, git: davek, profile: engineer, location: remote, " \
           "left: 2026-11-30}\n" in text


def test_a_manager_who_leaves_reroutes_approvals_and_asks_for_review(org, tmp_path, capsys):
    path = export(tmp_path, {"alice": EVERYONE["alice"].replace("berlin,,,", "berlin,,2026-11-30,")})
    assert run(org, str(path)) == 0
    out = capsys.readouterr().out
    assert "| `/teams/platform/records/` | @alicem @erinr | @erinr |" in out
    assert ("| `/teams/mobile/records/` | @danap @erinr | (no line of its own: a more general line decides) |"
            in out)
    assert ("- 'alice' manages team 'platform' and leaves on 2026-11-30: its `manager` is not changed by the "
            "import\n- 'alice' holds the role 'admin' and leaves on 2026-11-30: role holders are not changed by the "
            "import\n") in out
    branch = only_branch(org)
    assert git(org, "diff", "--name-only", "main", branch).split() == [".github/CODEOWNERS", "teams/platform/team.yaml"]
    assert "manager: alice" in show(org, branch, "teams/platform/team.yaml")
    assert "holders: [erin, dana, alice]" in show(org, branch, "roles/admin.yaml")
    git(org, "checkout", "-q", branch)
    capsys.readouterr()
    assert main(["--root", str(org), "check", "--base", "main"]) == 0, capsys.readouterr()


def test_changed_fields_are_edited_in_place(org, tmp_path, capsys):
    path = export(tmp_path, {"carol": "carol,Carol Diaz-Lee,carol@acme.example,carold,platform,engineer,remote,"
                                      "2025-04-01,,"})
    assert run(org, str(path)) == 0
    out = capsys.readouterr().out
    assert ("| carol | name | Carol Diaz | Carol Diaz-Lee |\n| carol | location | berlin | remote |\n"
            "| carol | mentor | bob | (none) |") in out
    old = (org / "teams/platform/team.yaml").read_text()
    new = show(org, only_branch(org), "teams/platform/team.yaml")
    assert new == old.replace("name: Carol Diaz,", "name: Carol Diaz-Lee,").replace(
        "location: berlin, start_date: 2025-04-01, mentor: bob}", "location: remote, start_date: 2025-04-01}")


def test_column_mapping_comes_from_org_yaml(make_org, tmp_path, capsys):
    org = make_org({**TEAMS, "org.yaml": DESIGN_ORG["org.yaml"] + "hr_import: {columns: {id: employee_id, "
                                                                  "team: department}}\n"})
    header = HEADER.replace("id,", "employee_id,", 1).replace(",team,", ",department,")
    path = export(tmp_path, {"dave": EVERYONE["dave"].replace(",platform,", ",mobile,")}, header=header)
    assert run(org, str(path)) == 0
    assert "| dave | platform | mobile | 0 |" in capsys.readouterr().out


@pytest.mark.parametrize(("rows", "messages"), [
    ({"gina": "gina,Gina Ruiz,gina@acme.example,ginar,design,engineer,berlin,,,"},
     ["hr.csv:8:5: unknown team 'design' in column 'team': the import adds people to teams the organisation has "
      "(engineering, mobile, platform); a new team is made in teams/design/team.yaml"]),
    ({"dave-2": EVERYONE["dave"]},
     ["hr.csv:8:1: person 'dave' is listed twice (first on line 7)"]),
    ({"bob": "bob,Bob Lee,bob-at-acme,bobl,platform,engineer,berlin,,,",
      "dave": "dave,Dave Kim,dave@acme.example,davek,platform,engineer,remote,01/12/2026,,",
      "gina": "gina,Gina Ruiz,gina@acme.example,ginar,mobile,engineer,berlin,,,zoe"},
     ["hr.csv:5:3: 'bob-at-acme' in column 'email' is not an e-mail address",
      "hr.csv:7:8: '01/12/2026' in column 'start_date' is not a date: write it as YYYY-MM-DD, such as 2026-12-03",
      "hr.csv:8:10: unknown mentor 'zoe' in column 'mentor': neither a member of the organisation nor in this "
      "export"]),
])
def test_refusals_name_every_line_and_write_nothing(org, tmp_path, capsys, rows, messages):
    path = export(tmp_path, rows)
    assert run(org, str(path)) == 1
    err = capsys.readouterr().err.replace(str(tmp_path) + "/", "")
    assert err.splitlines()[:-1] == messages
    assert "so nothing was written" in err.splitlines()[-1]
    assert branches(org) == ["main"]


def test_a_move_that_leaves_an_error_behind_is_refused(make_org, tmp_path, capsys):
    org = make_org({"teams/mobile/team.yaml": TEAMS["teams/mobile/team.yaml"]})
    path = export(tmp_path, {"carol": EVERYONE["carol"].replace(",platform,", ",mobile,")})
    assert run(org, str(path)) == 1
    assert capsys.readouterr().err.splitlines() == [
        "assignments/teams/platform.yaml:2:14: 'carol' is in team 'mobile' (teams/mobile/team.yaml:9:5), outside "
        "team 'platform'",
        "lmsgen import-hr: the change would add 1 error to the organisation, so nothing was written"]
    assert branches(org) == ["main"]


def test_a_move_onto_a_file_already_there_is_refused(make_org, tmp_path, capsys):
    records = "person: carol\nrecords: []\n"
    org = make_org({**TEAMS, "teams/mobile/records/carol.yaml": records})
    path = export(tmp_path, {"carol": EVERYONE["carol"].replace(",platform,", ",mobile,")})
    assert run(org, str(path)) == 2
    assert capsys.readouterr().err == ("lmsgen import-hr: cannot move teams/platform/records/carol.yaml to "
                                       "teams/mobile/records/carol.yaml: a file is there already\n")
    assert branches(org) == ["main"]


def test_a_manager_change_is_shown_not_made(org, tmp_path, capsys):
    header = HEADER.rstrip("\n") + ",manager\n"
    rows = {person: line + ("," + ("erin" if person == "bob" else "")) for person, line in EVERYONE.items()}
    path = export(tmp_path, rows, header=header)
    assert run(org, str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert ("- HR gives 'erin' as the manager of 'bob', the repository 'alice' (the `manager` of team 'platform' or "
            "above it): not changed by the import") in out
    assert "Nothing to change" in out
    assert branches(org) == ["main"]


def test_dry_run_writes_nothing(org, tmp_path, capsys):
    path = export(tmp_path, {"dave": None, "carol": EVERYONE["carol"].replace(",platform,", ",mobile,")})
    assert run(org, str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "| carol | platform | mobile | 3 |" in out and "Dry run: nothing was written." in out
    assert "Not in the export, left as they are (2)</summary>\n\ndave, frank" in out
    assert branches(org) == ["main"]


def test_a_second_run_changes_nothing(org, tmp_path, capsys):
    path = export(tmp_path, {"carol": EVERYONE["carol"].replace(",platform,", ",mobile,"),
                             "dave": EVERYONE["dave"].replace("remote,,,", "remote,,2026-11-30,")})
    assert run(org, str(path)) == 0
    branch = only_branch(org)
    capsys.readouterr()
    assert run(org, str(path)) == 0  # before the merge: the same proposal is waiting
    assert f"waiting on the branch {branch} already" in capsys.readouterr().out
    assert len(branches(org)) == 2
    # In a fresh clone (a CI job), the branch is the remote's: still the same proposal.
    remote = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(org), str(remote))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    git(clone, "config", "user.name", "CI")
    git(clone, "config", "user.email", "ci@example.org")
    assert run(clone, str(path)) == 0
    assert f"waiting on the branch {branch} already" in capsys.readouterr().out
    assert branches(clone) == ["main"]
    git(org, "merge", "-q", "--ff-only", branch)
    assert run(org, str(path)) == 0  # after the merge: nothing left to do
    assert "Nothing to change: the organisation already says what the export says." in capsys.readouterr().out
    assert len(branches(org)) == 2
