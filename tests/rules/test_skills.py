"""Skills with levels and function profiles (docs/learning-paths.md): levels from records, gaps against the
profile, the profile checks, `status --skills`, explain's skills section, and the portal's targeted electives."""

import json
from datetime import date

import pytest
from conftest import DESIGN_ORG

from lmsgen.cli import main
from lmsgen.model.loading import load_root
from lmsgen.rules.engine import Engine
from lmsgen.rules.skills import Gap, skill_summaries
from lmsgen.rules.validation import validate_root
from lmsgen.site import reports
from lmsgen.site.portals import Portals
from lmsgen.site.views import SiteData

LEVELLED = {
    "catalog/secure-coding.yaml": DESIGN_ORG["catalog/secure-coding.yaml"].replace(
        "skills: [security]", "skills: [{id: security, level: 2}, software-engineering]"),
    "catalog/k8s-admin.yaml": DESIGN_ORG["catalog/k8s-admin.yaml"] + "skills: [{id: kubernetes, level: 3}]\n",
    "catalog/k8s-ojt.yaml": DESIGN_ORG["catalog/k8s-ojt.yaml"] + "skills: [kubernetes]\n",
    "catalog/incident-response.yaml": DESIGN_ORG["catalog/incident-response.yaml"]
    + "elective: true\n        skills: [{id: incident-management, level: 2}]\n",
    "profiles/engineer.yaml": "title: Engineer\nskills: {kubernetes: 2, security: 2, incident-management: 1}\n",
}


def messages(root):
    return [str(d) for d in validate_root(root).diagnostics]


@pytest.fixture
def org(make_org):
    return make_org(LEVELLED)


def test_levelled_skills_and_profiles_pass_check(org):
    assert messages(org) == []


def test_a_persons_levels_are_the_highest_their_valid_completions_grant(org):
    organisation = load_root(org, use_cache=False).organisation
    found = skill_summaries(Engine(organisation, date(2026, 12, 10)))
    carol = found["carol"]  # secure-coding (security 2), k8s-ojt (kubernetes 1), k8s-admin attended (kubernetes 3)
    assert (carol.profile, carol.levels) == ("engineer", {"security": 2, "software-engineering": 1, "kubernetes": 3})
    assert carol.gaps == [Gap("incident-management", 0, 1)]
    # before the session ended, only the on-the-job level
    assert skill_summaries(Engine(organisation, date(2026, 12, 1)))["carol"].levels["kubernetes"] == 1
    # the certificate (24 months) has expired: no security level any more
    assert "security" not in skill_summaries(Engine(organisation, date(2028, 3, 2)))["carol"].levels
    bob = found["bob"]
    assert bob.gaps == [Gap("kubernetes", 0, 2), Gap("security", 0, 2), Gap("incident-management", 0, 1)]
    assert (found["alice"].profile, found["alice"].targets, found["alice"].gaps) == ("manager", {}, [])


@pytest.mark.parametrize(("changes", "expected"), [
    pytest.param({"profiles/engineer.yaml": "title: Engineer\nskills: {security: 2, cooking: 1}\n"},
                 ["profiles/engineer.yaml:2:20: warning: skill 'security' has target level 2, but the catalog "
                  "teaches it up to level 1",
                  "profiles/engineer.yaml:2:32: warning: skill 'cooking' has target level 1, but no course in the "
                  "catalog teaches it"], id="targets nobody can reach"),
    pytest.param({"profiles/engineer.yaml": "title: Engineer\nskills: {Security: 2, kubernetes: 6}\n"},
                 ["profiles/engineer.yaml:2:10: skills: 'Security' is not a valid id: use lowercase letters, digits "
                  "and hyphens",
                  "profiles/engineer.yaml:2:35: skills.kubernetes: input should be less than or equal to 5"],
                 id="bad ids and levels"),
    pytest.param({"catalog/k8s-ojt.yaml": DESIGN_ORG["catalog/k8s-ojt.yaml"]
                  + "skills: [Kubernetes, {id: cloud, level: 0}, {id: ops, lvl: 2}]\n"},
                 ["catalog/k8s-ojt.yaml:5:10: skills[0]: 'Kubernetes' is not a valid id: use lowercase letters, "
                  "digits and hyphens",
                  "catalog/k8s-ojt.yaml:5:41: skills[1].level: input should be greater than or equal to 1",
                  "catalog/k8s-ojt.yaml:5:55: skills[2]: unknown key 'lvl' (did you mean 'level'?)"],
                 id="bad course skills"),
    pytest.param({"catalog/k8s-ojt.yaml": DESIGN_ORG["catalog/k8s-ojt.yaml"]
                  + "skills: [kubernetes, {id: kubernetes, level: 2}]\n"},
                 ["catalog/k8s-ojt.yaml:5:9: skills: listed twice: kubernetes"], id="a skill twice"),
])
def test_skill_problems(make_org, changes, expected):
    assert messages(make_org(changes)) == expected


def test_status_skills_in_text_and_json(org, capsys):
    assert main(["--root", str(org), "status", "--skills", "--team", "platform", "--as-of", "2026-12-10"]) == 0
    assert capsys.readouterr().out == (
        "PERSON  PROFILE   SKILLS                                            GAPS\n"
        "alice   manager   -                                                 -\n"
        "bob     engineer  -                                                 kubernetes 0/2, security 0/2, "
        "incident-management 0/1\n"
        "carol   engineer  kubernetes 3, security 2, software-engineering 1  incident-management 0/1\n"
        "dave    engineer  kubernetes 3                                      security 0/2, incident-management 0/1\n"
        "\n"
        "4 people as of 2026-12-10: 3 with gaps against their profile\n")
    assert main(["--root", str(org), "status", "--skills", "--person", "carol", "--as-of", "2026-12-10",
                 "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{
        "person": "carol", "profile": "engineer",
        "skills": {"kubernetes": 3, "security": 2, "software-engineering": 1},
        "targets": {"kubernetes": 2, "security": 2, "incident-management": 1},
        "gaps": [{"skill": "incident-management", "level": 0, "target": 1}]}]
    assert main(["--root", str(org), "status", "--skills", "--person", "carol", "--as-of", "2026-12-10",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out == (
        "person,profile,skill,level,target\n"
        "carol,engineer,kubernetes,3,2\ncarol,engineer,security,2,2\ncarol,engineer,incident-management,0,1\n"
        "carol,engineer,software-engineering,1,\n")


def test_explain_ends_with_the_skills_section(org, capsys):
    assert main(["--root", str(org), "explain", "carol", "k8s-admin", "--as-of", "2026-12-10"]) == 0
    assert capsys.readouterr().out.endswith(
        "\nSkills:\n"
        "  this course grants: kubernetes 3\n"
        "  carol holds: kubernetes 3, security 2, software-engineering 1\n"
        "  targets of profile 'engineer': kubernetes 2, security 2, incident-management 1\n"
        "  gaps: incident-management 0/1\n")
    assert main(["--root", str(org), "explain", "alice", "k8s-admin", "--as-of", "2026-12-10"]) == 0
    assert capsys.readouterr().out.endswith(
        "\nSkills:\n  this course grants: kubernetes 3\n  alice holds: none yet\n"
        "  targets: none (profile 'manager' has no profiles/manager.yaml)\n")


def test_electives_that_close_the_persons_gaps_come_first(make_org):
    manager = "title: Manager\nskills: {incident-management: 2, kubernetes: 1}\n"
    root = make_org({**LEVELLED, "profiles/manager.yaml": manager})
    data = SiteData(load_root(root, use_cache=False).organisation, date(2026, 12, 10))
    portals = Portals(data)
    # everyone's order without gaps: the most requested first (k8s-admin was requested), then by title
    assert data.popular == ["k8s-admin", "incident-response", "secure-coding"]
    erin = portals.portal("erin")  # a manager with two gaps, each closed by one elective
    assert [(e.id, e.closes) for e in erin.electives] == [
        ("k8s-admin", ("kubernetes",)), ("incident-response", ("incident-management",)), ("secure-coding", ())]
    dana = portals.portal("dana")  # secure-coding is assigned to her by the security rule
    assert [(e.id, e.closes) for e in dana.electives] == [
        ("k8s-admin", ("kubernetes",)), ("incident-response", ("incident-management",))]
    bob = portals.portal("bob")  # incident-response (team) and secure-coding (rule) are assigned
    assert [(e.id, e.closes) for e in bob.electives] == [("k8s-admin", ("kubernetes",))]


def test_a_gap_closing_elective_comes_before_a_more_requested_one(make_org):
    root = make_org({**LEVELLED, "profiles/manager.yaml": "title: Manager\nskills: {incident-management: 1}\n"})
    portals = Portals(SiteData(load_root(root, use_cache=False).organisation, date(2026, 12, 10)))
    assert [e.id for e in portals.portal("erin").electives] == ["incident-response", "k8s-admin", "secure-coding"]


def test_the_team_dashboard_has_a_skills_matrix(org):
    data = SiteData(load_root(org, use_cache=False).organisation, date(2026, 12, 10))
    matrix = reports.dashboard(data, "platform").skills
    assert matrix.skills == ["incident-management", "kubernetes", "security"]
    assert matrix.rows == [("Bob Lee", "../../people/bob/", "engineer", ((0, 1), (0, 2), (0, 2))),
                           ("Carol Diaz", "../../people/carol/", "engineer", ((0, 1), (3, 2), (2, 2))),
                           ("Dave Kim", "../../people/dave/", "engineer", ((0, 1), (3, 2), (0, 2)))]
    assert not matrix.of_teams


def test_a_large_subtrees_skills_matrix_shows_teams(org, monkeypatch):
    monkeypatch.setattr(reports, "MATRIX_PEOPLE_LIMIT", 3)
    data = SiteData(load_root(org, use_cache=False).organisation, date(2026, 12, 10))
    matrix = reports.dashboard(data, "engineering").skills
    # dana (engineering's own member, an engineer) holds nothing; in platform, carol and dave hold kubernetes 3
    assert (matrix.of_teams, matrix.skills) == (True, ["incident-management", "kubernetes", "security"])
    assert matrix.rows == [("Engineering (its own members)", None, None, ((0, 1), (0, 1), (0, 1))),
                           ("Platform", "../platform/", None, ((0, 3), (2, 3), (1, 3)))]
