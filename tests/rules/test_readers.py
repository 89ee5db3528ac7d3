"""Who reads which page (`rules/readers.py`), on the sample organisation (conftest.py) as a real git repository:
engineering (erin) over platform (alice: alice, bob, carol with mentor bob, dave)."""

from __future__ import annotations

import textwrap
from datetime import date

from conftest import DESIGN_ORG

from lmsgen.model.loading import load_root
from lmsgen.rules.readers import ORG_PAGES, Audience, Page, readers

ON = date(2026, 12, 1)
REPORT_ROLES = {
    # Team reports over platform's subtree alone, read by dana (engineering).
    "roles/platform-reports.yaml": "name: Platform reports\ngrants: [reports.team]\nholders: [dana]\nscope: [platform]\n",
    # Certifications over the whole organisation.
    "roles/hr.yaml": "name: HR\ngrants: [reports.certifications, approve.external]\nholders: [bob]\n",
}


def _readers(make_org, changes=None, name="org"):
    root = make_org({**REPORT_ROLES, **(changes or {})}, name=name)
    return readers(load_root(root, use_cache=False).organisation, ON)


def _who(found, kind: str, ident: str) -> set[str]:
    return {person for person in found.emails if found.may_read(person, Page(kind, ident))}


def test_portals_go_to_the_person_their_managers_up_the_chain_their_mentor_and_scoped_team_reports(make_org):
    found = _readers(make_org)
    assert _who(found, "portal", "carol") == {"carol", "bob", "alice", "erin", "dana"}
    assert _who(found, "portal", "dave") == {"dave", "alice", "erin", "dana"}
    assert _who(found, "portal", "alice") == {"alice", "erin", "dana"}
    # erin's team is outside the platform scope, and nobody manages the top.
    assert _who(found, "portal", "erin") == {"erin"}
    assert _who(found, "portal", "dana") == {"dana", "erin"}


def test_a_calendar_page_goes_to_its_person_alone(make_org):
    found = _readers(make_org)
    assert _who(found, "calendar", "carol") == {"carol"}


def test_dashboards_go_to_the_team_manager_the_managers_above_and_scoped_report_holders(make_org):
    found = _readers(make_org)
    assert _who(found, "dashboard", "platform") == {"alice", "erin", "dana"}
    assert _who(found, "dashboard", "engineering") == {"erin"}


def test_org_wide_pages_go_to_unscoped_holders_of_their_permissions(make_org):
    found = _readers(make_org)
    # Finance (approve.cost, budget.edit) is scoped to engineering in this organisation: the budgets page is
    # about every team, so a scoped role does not read it; nor does any other page go beyond its table.
    assert {page: _who(found, page.kind, page.id) for page in ORG_PAGES} == {
        Page("report", "certifications"): {"bob"},
        Page("report", "budgets"): set(),
        Page("report", "divisions"): set(),
        Page("export", "status.json"): set(),
        Page("export", "status.csv"): set(),
        Page("export", "records.csv"): set(),
        Page("export", "certifications.csv"): {"bob"},
        Page("export", "approvals.csv"): {"bob"},
        # The catalog's editors (L&D: alice, bob) read the vendors report with finance (docs/vendors.md).
        Page("report", "vendors"): {"alice", "bob"},
        Page("export", "vendors.csv"): {"alice", "bob"},
    }
    found = _readers(make_org, {"roles/finance.yaml": "name: Finance\ngrants: [budget.edit]\nholders: [dana]\n",
                                "roles/ld.yaml": "name: L&D\ngrants: [reports.org]\nholders: [bob]\n"},
                     name="changed")
    assert _who(found, "report", "budgets") == {"bob", "dana"}
    assert _who(found, "export", "status.json") == {"bob"}
    assert _who(found, "report", "vendors") == {"bob", "dana"}
    # reports.org reads every portal and dashboard too.
    assert _who(found, "portal", "erin") == {"erin", "bob"}
    assert _who(found, "dashboard", "engineering") == {"erin", "bob"}


def test_every_reader_reads_the_members_pages_anyone_the_feeds_and_nobody_the_rest(make_org):
    found = _readers(make_org)
    everyone = {"alice", "bob", "carol", "dave", "dana", "erin"}
    assert {person for person in found.emails if found.may_read(person, Audience.MEMBERS)} == everyone
    assert found.may_read("mallory", Audience.ANYONE) and not found.may_read("mallory", Audience.MEMBERS)
    assert not any(found.may_read(person, Audience.NOBODY) for person in everyone)


def test_a_person_without_an_email_reads_nothing(make_org):
    team = "teams/platform/team.yaml"
    found = _readers(make_org, {team: _platform().replace(", email: dave@acme.example", "")})
    assert "dave" not in found.emails
    assert not any(found.may_read("dave", page) for page in [*found.pages, Audience.MEMBERS])
    # Others still read his portal.
    assert _who(found, "portal", "dave") == {"alice", "erin", "dana"}


def test_an_email_two_people_share_identifies_neither(make_org):
    team = _platform().replace("dave@acme.example", "Bob@acme.example")
    found = _readers(make_org, {"teams/platform/team.yaml": team})
    assert "bob" not in found.emails and "dave" not in found.emails
    assert [str(d) for d in found.diagnostics] == [
        "teams/platform/team.yaml:6:37: the e-mail bob@acme.example is bob, dave's: an address must name one "
        "person, so none of them may read the site until it does",
        "teams/platform/team.yaml:9:39: the e-mail bob@acme.example is bob, dave's: an address must name one "
        "person, so none of them may read the site until it does",
    ]


def test_a_leaver_reads_nothing_from_the_day_they_leave_and_their_portal_goes_to_managers_and_reports(make_org):
    team = _platform().replace("mentor: bob}", f"mentor: bob, left: {ON.isoformat()}}}")
    found = _readers(make_org, {"teams/platform/team.yaml": team})
    assert "carol" not in found.emails
    assert not any(found.may_read("carol", page) for page in [*found.pages, Audience.MEMBERS])
    # Her records are kept: her managers and the team reports in scope still read her portal; her mentor, no more.
    assert _who(found, "portal", "carol") == {"alice", "erin", "dana"}
    assert _who(found, "calendar", "carol") == set()
    # The day before, she was a member like any other.
    root = make_org({**REPORT_ROLES, "teams/platform/team.yaml": team}, name="day-before")
    before = readers(load_root(root, use_cache=False).organisation, date(2026, 11, 30))
    assert before.emails["carol"] == "carol@acme.example"
    assert {person for person in before.emails if before.may_read(person, Page("portal", "carol"))} == {
        "carol", "bob", "alice", "erin", "dana"}


def _platform() -> str:
    return textwrap.dedent(DESIGN_ORG["teams/platform/team.yaml"])
