"""Retention: whose records have been kept longer than org.yaml's `retention_years`."""

from __future__ import annotations

from datetime import date

from conftest import DESIGN_ORG
from test_leavers import with_leavers

from lmsgen.model.loading import load_root
from lmsgen.rules.retention import expired

DAVE = {
    **with_leavers(dave="2019-06-30", bob="2024-01-31"),
    "teams/platform/records/dave.yaml": "person: dave\nrecords:\n  - {course: incident-response, date: 2019-03-01, "
                                        "by: dave}\n",
    "teams/platform/requests/dave/2019-03-secure-coding.yaml": "person: dave\ncourse: secure-coding\n"
                                                                   "date: 2019-03-01\n",
}


def test_a_leaver_is_listed_once_retention_has_passed(make_org):
    org = load_root(make_org(DAVE), use_cache=False).organisation
    assert expired(org, date(2026, 6, 30)) == []
    [dave] = expired(org, date(2026, 7, 1))
    assert dave.as_plain() == {
        "person": "dave", "name": "Dave Kim", "team": "platform", "left": "2019-06-30", "keep_until": "2026-06-30",
        "records": ["teams/platform/records/dave.yaml"],
        "requests": ["teams/platform/requests/dave/2019-03-secure-coding.yaml"],
        "attendance": ["attendance/k8s-admin/2026-12-berlin.yaml"], "next": "lmsgen erase dave"}


def test_retention_years_come_from_org_yaml(make_org):
    org_yaml = DESIGN_ORG["org.yaml"].rstrip(" ") + "        retention_years: 2\n"
    org = load_root(make_org({**DAVE, "org.yaml": org_yaml}), use_cache=False).organisation
    assert [(x.person, x.keep_until) for x in expired(org, date(2026, 2, 1))] == [
        ("dave", date(2021, 6, 30)), ("bob", date(2026, 1, 31))]
