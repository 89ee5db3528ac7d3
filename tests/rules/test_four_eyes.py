"""`four_eyes.single_owners`: the single-owner warnings of `lmsgen check` as values, for the policy page."""

from __future__ import annotations

from pathlib import Path

from test_policy import build, messages, policy_of

from lmsgen.rules import four_eyes


def test_single_owners_are_the_warnings_as_values(tmp_path: Path) -> None:
    root = build(tmp_path, {"roles/admin.yaml": "name: Admins\ngrants: [roles.edit]\nholders: [ada, ceo]\n"})
    found = four_eyes.single_owners(policy_of(root))
    assert sorted((single.owner, [line.pattern for line in single.lines], single.where, single.fix)
                  for single in found) == [
        ("ada", ["/teams/company/records/ceo.admin.yaml", "/teams/company/requests/ceo/*.admin.yaml"],
         "roles/admin.yaml", "add another holder or a git_team to a role granting roles.edit"),
        ("ada", ["/teams/company/records/ceo.yaml", "/teams/company/requests/ceo/"], "teams/company/team.yaml",
         "add a parent team with another manager, or another holder to a role granting roles.edit"),
        ("ceo", ["/teams/company/records/ada.admin.yaml", "/teams/company/requests/ada/*.admin.yaml"],
         "roles/admin.yaml", "add another holder or a git_team to a role granting roles.edit"),
        ("ceo", ["/teams/company/records/ada.yaml", "/teams/company/requests/ada/"], "teams/company/team.yaml",
         "add a parent team with another manager, or another holder to a role granting roles.edit"),
    ]
    # Each line knows whom it is about, so a public page can leave the person out of the pattern.
    assert {(single.owner, line.ownership.subject) for single in found for line in single.lines} == {
        ("ada", "ceo"), ("ceo", "ada")}
    warned = [message for message in messages(root) if "is the only owner of" in message]
    assert len(warned) == len(found)
    for single in found:
        assert any(f"'{single.owner}' is the only owner of {single.lines[0].pattern}" in m for m in warned)


def test_paths_nobody_owns_are_no_single_owners(tmp_path: Path) -> None:
    root = build(tmp_path, {"roles/finance.yaml": "name: F\ngrants: [approve.cost, budget.edit]\nholders: [fiona]\n"
                                                  "git_team: acme/finance\n"})
    assert any("nobody owns" in message for message in messages(root))
    patterns = [line.pattern for single in four_eyes.single_owners(policy_of(root)) for line in single.lines]
    assert not [pattern for pattern in patterns if "/fiona/" in pattern]
