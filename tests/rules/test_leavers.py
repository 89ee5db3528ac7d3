"""Leavers (`left` in a team file): kept in the data, with no status and owning nothing from the day they left.

One predicate decides (`Person.is_current`); the engine, the audiences, the policy, CODEOWNERS and the
checks all ask it.
"""

from __future__ import annotations

from datetime import date

from conftest import DESIGN_ORG

from lmsgen.cli import main
from lmsgen.model.formats import Person
from lmsgen.model.loading import load_root
from lmsgen.rules.audiences import Audiences
from lmsgen.rules.engine import status_rows
from lmsgen.rules.policy import Policy
from lmsgen.rules.validation import validate_root

LEFT = date(2026, 11, 30)
PLATFORM = DESIGN_ORG["teams/platform/team.yaml"]


def with_leavers(**left: str) -> dict[str, str]:
    """The sample organisation's platform team, with `left` dates for the people named."""
    text = PLATFORM
    for person, day in left.items():
        start = text.index(f"{{id: {person},")
        end = text.index("}", start)
        text = text[:end] + f", left: {day}" + text[end:]
    return {"teams/platform/team.yaml": text}


def test_a_person_is_current_until_the_day_they_leave():
    person = Person(id="dave", name="Dave Kim", left=LEFT)
    assert person.is_current(date(2026, 11, 29))
    assert not person.is_current(LEFT)
    assert not person.is_current(date(2027, 1, 1))
    assert Person(id="bob", name="Bob Lee").is_current(date(9999, 12, 31))


def test_a_leaver_has_no_status_from_the_day_they_left(make_org):
    org = load_root(make_org(with_leavers(dave="2026-11-30")), use_cache=False).organisation
    before = {(row.person, row.course) for row in status_rows(org, date(2026, 11, 29))}
    after = {(row.person, row.course) for row in status_rows(org, LEFT)}
    assert ("dave", "incident-response") in before
    assert {person for person, _ in after} == {person for person, _ in before} - {"dave"}
    assert status_rows(org, LEFT, person="dave") == []
    assert "dave" in org.members  # kept, never deleted
    assert org.leavers(LEFT) == frozenset({"dave"})


def test_audiences_and_team_counts_leave_leavers_out(make_org):
    org = load_root(make_org(with_leavers(dave="2026-11-30")), use_cache=False).organisation
    assert "dave" in Audiences(org).people_in_subtree("platform")
    assert "dave" in Audiences(org, date(2026, 11, 29)).people_in_subtree("platform")
    now = Audiences(org, LEFT)
    assert now.people_in_subtree("platform") == {"alice", "bob", "carol"}
    assert "dave" not in now.of_rule(org.rules["security-baseline"].model)


def test_a_manager_who_left_owns_nothing(make_org):
    org = load_root(make_org(with_leavers(alice="2026-11-30")), use_cache=False).organisation
    records = "teams/platform/records/carol.yaml"
    assert Policy(org, on=date(2026, 11, 29)).owners_of(records).owners == {"alice", "erin"}
    assert Policy(org, on=LEFT).owners_of(records).owners == {"erin"}
    roles = Policy(org, on=LEFT).table()
    assert all("alice" not in row.people for row in roles)


def test_codeowners_and_check_after_a_manager_and_mentor_left(make_org, capsys):
    root = make_org(with_leavers(alice="2026-11-30", bob="2026-11-30"))
    codeowners = (root / ".github/CODEOWNERS").read_text()
    assert "@alicem" not in codeowners and "@bobl" not in codeowners
    assert "/teams/platform/records/ @erinr\n" in codeowners
    found = [str(d) for d in validate_root(root, use_cache=False, check_codeowners=True).diagnostics]
    assert "teams/platform/team.yaml:3:10: warning: manager 'alice' left on 2026-11-30 and owns nothing since: " \
           "name the team's manager now" in found
    assert "teams/platform/team.yaml:8:56: warning: mentor 'bob' left on 2026-11-30 and owns nothing since: " \
           "name another mentor for 'carol', or none" in found
    assert "roles/admin.yaml:4:23: warning: role holder 'alice' left on 2026-11-30 and owns nothing since: " \
           "remove them from 'holders'" in found
    assert "teams/platform/team.yaml:3:10: warning: 'erin' is the only owner of /assignments/teams/platform.yaml, " \
           "/teams/platform/records/ and /teams/platform/requests/: when 'erin' is away or wrote the change, nobody " \
           "can approve it; add a parent team with another manager, or another holder to a role granting " \
           "roles.edit" in found
    # Both holders of catalog.edit left: attendance, which says who learned what, is nobody's: an error.
    assert "roles/ld.yaml:3:10: nobody owns /attendance/, so on the git host anyone may approve it; add a holder " \
           "with a git login, or a git_team, to a role granting catalog.edit" in found
    assert main(["--root", str(root), "check"]) == 1


def test_leaving_before_starting_is_an_error(make_org):
    root = make_org(with_leavers(carol="2025-03-31"))
    found = [str(d) for d in validate_root(root, use_cache=False).diagnostics]
    assert "teams/platform/team.yaml:8:67: 'carol' left on 2025-03-31, before starting on 2025-04-01" in found


def test_explain_and_status_say_a_leaver_has_no_status(make_org, capsys):
    root = make_org(with_leavers(carol="2026-11-30"))
    assert main(["--root", str(root), "explain", "carol", "secure-coding", "--as-of", "2026-11-30"]) == 0
    assert capsys.readouterr().out == (
        "carol and secure-coding (Secure coding basics), as of 2026-11-30\n\n"
        "Not on carol's list: carol left on 2026-11-30, and someone who has left has no status.\n\n"
        "Completions:\n"
        "  * 2026-03-02 record in teams/platform/records/carol.yaml (by carol) — counts: the latest on or before "
        "2026-11-30\n"
        "  The certificate is valid until 2028-03-02 (24 months; it expires on that day).\n")
    assert main(["--root", str(root), "explain", "carol", "secure-coding", "--as-of", "2026-11-29"]) == 0
    assert "Status: done, due again on 2027-03-02 (source: security-baseline)\n" in capsys.readouterr().out
    assert main(["--root", str(root), "status", "--person", "carol", "--as-of", "2026-11-30"]) == 0
    assert capsys.readouterr().out.startswith("no assigned or requested courses as of 2026-11-30\n")
