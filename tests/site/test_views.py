"""The site's shared views: a leaver is in no dashboard's counts (the engine's audiences), and holds no
certificate that the certification report counts."""

from __future__ import annotations

from datetime import date

from conftest import DESIGN_ORG

from lmsgen.model.loading import load_root
from lmsgen.site import reports
from lmsgen.site.views import SiteData


def test_a_leavers_certificates_and_statuses_are_not_counted(make_org):
    team = DESIGN_ORG["teams/platform/team.yaml"].replace("mentor: bob}", "mentor: bob, left: 2026-12-01}")
    root = make_org({"teams/platform/team.yaml": team})
    org = load_root(root, use_cache=False).organisation
    assert [c.person for c in SiteData(org, date(2026, 11, 30)).all_certificates()] == ["carol"]
    data = SiteData(org, date(2027, 1, 4))
    assert "carol" in data.org.members and "carol" not in data.certificates
    assert [c.person for c in data.all_certificates()] == []
    assert "carol" not in data.rows_by_person
    assert reports.dashboard(data, "platform").people == ["alice", "bob", "dave"]
