"""The handles CODEOWNERS names, by the git host's rules: logins and git teams the host would refuse, and
logins two people share (which would let each approve files about themselves)."""

from __future__ import annotations

import re

import pytest
from conftest import DESIGN_ORG
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.model.formats import GIT_TEAM_PATTERN, LOGIN_PATTERN, GitHost
from lmsgen.rules.handles import login_problem, team_problem
from lmsgen.rules.validation import validate_root

GITHUB, GITLAB = GitHost.GITHUB, GitHost.GITLAB
PLATFORM = DESIGN_ORG["teams/platform/team.yaml"]
GITLAB_ORG = DESIGN_ORG["org.yaml"].replace("host: github, repo: https://github.com", "host: gitlab, repo: "
                                            "https://gitlab.com")


def errors(root) -> list[str]:
    return [str(d) for d in validate_root(root, use_cache=False).diagnostics if d.is_error]


@pytest.mark.parametrize(("host", "login", "problem"), [
    (GITHUB, "carold", None),
    (GITHUB, "Carol-Diaz-2", None),
    (GITHUB, "c" * 39, None),
    (GITHUB, "c" * 40, "has 40 characters"),
    (GITHUB, "carol_d", "contains '_'"),
    (GITHUB, "carol.d", "contains '.'"),
    (GITHUB, "carol-", "ends with a hyphen"),
    (GITHUB, "carol--d", "has two hyphens in a row"),
    (GITLAB, "carol_d", None),
    (GITLAB, "_carol.diaz-2", None),
    (GITLAB, "c" * 255, None),
    (GITLAB, "c" * 256, "has 256 characters"),
    (GITLAB, "carol..d", "has '..' in a row"),
    (GITLAB, "carol_-d", "has '_-' in a row"),
    (GITLAB, "carol.", "ends in '.'"),
    (GITLAB, "carol.git", "ends in '.git'"),
    (GITLAB, "carol.Atom", "ends in '.atom'"),
])
def test_what_each_host_allows_in_a_login(host, login, problem):
    assert login_problem(host, login) == problem


@pytest.mark.parametrize(("host", "team", "problem"), [
    (GITHUB, "acme/finance", None),
    (GITHUB, "@Acme/finance_team-2", None),
    (GITHUB, "acme", "has no slash"),
    (GITHUB, "acme/finance/emea", "has 2 slashes"),
    (GITHUB, "ac_me/finance", "has the org 'ac_me', which contains '_'"),
    (GITHUB, "acme/fin.ance", "has the team 'fin.ance', which contains '.'"),
    (GITHUB, "acme/finance-", "has the team 'finance-', which ends with a hyphen"),
    (GITLAB, "acme", None),
    (GITLAB, "@acme/finance/emea.team", None),
    (GITLAB, "acme/finance.git", "has the part 'finance.git', which ends in '.git'"),
    (GITLAB, "acme..corp", "has '..' in a row"),
    (GITLAB, "acme//finance", "has the part '', which is empty"),
])
def test_what_each_host_allows_in_a_team(host, team, problem):
    assert team_problem(host, team) == problem


GITHUB_LOGINS = st.from_regex(r"[A-Za-z0-9]{1,6}(-[A-Za-z0-9]{1,6}){0,4}", fullmatch=True)  # at most 34 characters


@given(st.text(alphabet="aZ09-_.", min_size=1, max_size=45))
def test_a_github_login_is_what_github_says_it_is(text):
    """GitHub's rule as its sign-up form says it: up to 39 alphanumerics or single hyphens, not at either end."""
    allowed = (len(text) <= 39 and all(char.isalnum() or char == "-" for char in text)
               and not text.startswith("-") and not text.endswith("-") and "--" not in text)
    assert (login_problem(GITHUB, text) is None) == allowed


@given(GITHUB_LOGINS)
def test_a_github_login_passes_on_both_hosts(login):
    assert login_problem(GITHUB, login) is None
    assert login_problem(GITLAB, login) is None


@given(st.text(alphabet="aZ09_-.@/ é", min_size=1, max_size=12), st.sampled_from([GITHUB, GITLAB]))
def test_a_handle_a_host_allows_is_one_codeowners_can_hold(text, host):
    """Whatever passes the host's rules passes the models' patterns too, which keep CODEOWNERS lines whole."""
    if login_problem(host, text) is None:
        assert re.fullmatch(LOGIN_PATTERN, text)
    if team_problem(host, text) is None:
        assert re.fullmatch(GIT_TEAM_PATTERN, text)


# --- through lmsgen check ---------------------------------------------------------------------------------


def test_a_login_the_host_refuses_is_an_error_at_the_login(make_org):
    root = make_org({"teams/platform/team.yaml": PLATFORM.replace("git: carold", "git: carol_d")})
    assert errors(root) == [
        "teams/platform/team.yaml:7:67: 'carol_d' cannot be a login on GitHub (org.yaml:2:13): it contains '_'; a "
        "GitHub login has 1 to 39 letters, digits and hyphens, a hyphen only between two of the others"]


def test_the_same_login_is_judged_by_the_organisations_host(make_org):
    root = make_org({"org.yaml": GITLAB_ORG, "teams/platform/team.yaml": PLATFORM.replace("git: carold",
                                                                                          "git: carol_d")})
    assert errors(root) == []


def test_a_gitlab_login_breaks_gitlabs_rules(make_org):
    root = make_org({"org.yaml": GITLAB_ORG, "teams/platform/team.yaml": PLATFORM.replace("git: carold",
                                                                                          "git: carol.git")})
    assert errors(root) == [
        "teams/platform/team.yaml:7:67: 'carol.git' cannot be a login on GitLab (org.yaml:2:13): it ends in '.git'; "
        "a GitLab username has up to 255 letters, digits, '_', '-' and '.', starts with a letter, digit or '_', has "
        "no two of '_', '-' and '.' in a row, and does not end in '.', '.git' or '.atom'"]


@pytest.mark.parametrize(("listed", "shared", "problem"), [
    # The host reads @CarolD and @carold as one person: where either owns the other's files, they own their own.
    ("git: davek", "git: CarolD", "teams/platform/team.yaml:9:63: git login 'CarolD' is also the login of 'carol' "
                                  "(teams/platform/team.yaml:7:67; git hosts ignore case in logins)"),
    ("git: bobl", "git: erinr", "teams/platform/team.yaml:6:60: git login 'erinr' is also the login of 'erin' "
                                "(teams/engineering/team.yaml:4:63)"),
])
def test_two_people_with_one_login_is_an_error_at_the_second_naming_the_first(make_org, listed, shared, problem):
    root = make_org({"teams/platform/team.yaml": PLATFORM.replace(listed, shared)})
    assert errors(root) == [f"{problem}: the host cannot tell the two apart, so either could approve files about "
                            "themselves; give each person their own login"]


def test_a_git_team_the_host_refuses_is_an_error_at_the_team(make_org):
    finance = DESIGN_ORG["roles/finance.yaml"]
    assert errors(make_org({"roles/finance.yaml": finance.replace("acme/finance", "acme/fin.ance")})) == [
        "roles/finance.yaml:4:11: 'acme/fin.ance' cannot be a team on GitHub (org.yaml:2:13): it has the team "
        "'fin.ance', which contains '.'; a GitHub team is written org/team, the org named like a login and the "
        "team's slug made of letters, digits, '_' and hyphens, a hyphen only between two of the others"]


def test_a_gitlab_group_path_may_nest_or_stand_alone(make_org):
    finance = DESIGN_ORG["roles/finance.yaml"]
    for team in ("acme-finance", "acme/finance/emea.team"):
        root = make_org({"org.yaml": GITLAB_ORG, "roles/finance.yaml": finance.replace("acme/finance", team)},
                        name=team.replace("/", "-"))
        assert errors(root) == []
