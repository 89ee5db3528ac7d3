"""Vendors (docs/vendors.md): the file, a course's `vendor`, contract rates, the warnings of a day, the report, and
who owns vendors/."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.model import formats as m
from lmsgen.rules import vendors
from lmsgen.rules.policy import Policy
from lmsgen.rules.validation import validate_root

CLOUDSPIRE = """\
name: Cloudspire GmbH
contact: {name: Jana Vogt, email: jana@cloudspire.example}
contract: {start: 2026-01-01, end: 2027-12-31}
preferred: true
rates:
  - {course: k8s-admin, amount: 1200, currency: EUR}
"""
K8S_ADMIN = """\
title: Kubernetes administration
format: classroom
elective: true
vendor: cloudspire
cost: {amount: 1200, currency: EUR}
trainers: [dana]
sessions:
  - {id: 2026-12-berlin, start: 2026-12-03T09:00, end: 2026-12-04T17:00, location: Berlin, capacity: 12}
  - {id: 2028-02-berlin, start: 2028-02-03T09:00, end: 2028-02-04T17:00, location: Berlin, capacity: 12}
"""


def messages(root, *, errors_only: bool = True):
    return [str(d) for d in validate_root(root, use_cache=False).diagnostics if d.is_error or not errors_only]


def org_of(root):
    validated = validate_root(root, use_cache=False)
    assert validated.ok, validated.diagnostics
    return validated.organisation


def test_a_vendor_file_is_read_and_a_course_names_it(make_org):
    org = org_of(make_org({"vendors/cloudspire.yaml": CLOUDSPIRE, "catalog/k8s-admin.yaml": K8S_ADMIN}))
    vendor = org.vendors["cloudspire"].model
    assert (vendor.name, vendor.preferred, vendor.contract.end) == ("Cloudspire GmbH", True, date(2027, 12, 31))
    assert vendor.rates == [m.Rate(course="k8s-admin", amount=1200, currency="EUR")]
    assert org.courses["k8s-admin"].model.vendor == "cloudspire"
    assert org.courses["secure-coding"].model.provider == "Internal"  # the free text stays, for internal courses


@pytest.mark.parametrize(("text", "expected"), [
    ("name: V\ncontract: {start: 2027-01-01, end: 2026-12-31}\n",
     "vendors/v.yaml:2:11: contract: ends (2026-12-31) before it starts (2027-01-01)"),
    ("name: V\npreferred: yes\n", "vendors/v.yaml:2:12: preferred: expected true or false, found 'yes'"),
    ("name: V\ndiscount_percent: 120\n", "vendors/v.yaml:2:19: discount_percent: input should be less than or equal to 100"),
    ("name: V\ncontact: {name: J, email: nobody}\n", "vendors/v.yaml:2:27: contact.email: string should match pattern "
                                                     "'^[^@\\s]+@[^@\\s]+$'"),
    ("name: V\nrates: [{course: x, amount: 5}]\n", "vendors/v.yaml:2:9: rates[0]: missing required key 'currency'"),
    ("name: V\nowner: finance\n", "vendors/v.yaml:2:1: unknown key 'owner'"),
])
def test_a_bad_vendor_file_is_one_clean_error(make_org, text, expected):
    found = messages(make_org({"vendors/v.yaml": text}))
    assert found == [expected]


def test_a_vendor_id_is_a_slug(make_org):
    assert messages(make_org({"vendors/Cloud Spire.yaml": "name: V\n"})) == [
        "vendors/Cloud Spire.yaml:1:1: 'Cloud Spire' is not a valid vendor id: use lowercase letters, digits and "
        "hyphens"]


def test_a_course_names_a_vendor_that_exists_and_rates_are_for_the_vendors_courses(make_org):
    root = make_org({
        "catalog/k8s-admin.yaml": K8S_ADMIN.replace("vendor: cloudspire", "vendor: cloudsprie"),
        "vendors/cloudspire.yaml": CLOUDSPIRE + "  - {course: secure-coding, amount: 10, currency: EUR}\n"
                                                "  - {course: nope, amount: 10, currency: EUR}\n"
                                                "  - {course: secure-coding, amount: 12, currency: EUR}\n",
    })
    assert messages(root) == [
        "catalog/k8s-admin.yaml:4:9: unknown vendor 'cloudsprie': there is no vendors/cloudsprie.yaml",
        "vendors/cloudspire.yaml:6:14: course 'k8s-admin' names vendor 'cloudsprie' (catalog/k8s-admin.yaml), so "
        "this contract cannot set its rate: add `vendor: cloudspire` to the course, or remove the rate",
        "vendors/cloudspire.yaml:7:14: course 'secure-coding' names no vendor (catalog/secure-coding.yaml), so this "
        "contract cannot set its rate: add `vendor: cloudspire` to the course, or remove the rate",
        "vendors/cloudspire.yaml:8:14: unknown course 'nope': there is no catalog/nope.yaml",
        "vendors/cloudspire.yaml:9:14: the rate for course 'secure-coding' is listed twice (first at "
        "vendors/cloudspire.yaml:7:14)",
    ]


def test_a_vendor_file_that_fails_to_load_is_not_reported_again_from_the_course(make_org):
    root = make_org({"catalog/k8s-admin.yaml": K8S_ADMIN, "vendors/cloudspire.yaml": "name: [\n"})
    assert [message for message in messages(root) if "unknown vendor" in message] == []


# --- the warnings of a day -------------------------------------------------------------------------------


def test_a_paid_course_whose_vendors_contract_ended_and_a_session_after_the_contract(make_org):
    root = make_org({"vendors/cloudspire.yaml": CLOUDSPIRE, "catalog/k8s-admin.yaml": K8S_ADMIN})
    org = org_of(root)
    assert [str(d) for d in vendors.diagnostics(org, date(2026, 12, 1))] == [
        "catalog/k8s-admin.yaml:9:33: warning: session '2028-02-berlin' of course 'k8s-admin' starts on 2028-02-03, "
        "after the contract with vendor 'cloudspire' ends on 2027-12-31 (vendors/cloudspire.yaml:3:36): extend the "
        "contract, or move the session"]
    # The day the contract has ended: the paid course is warned about once, at its `vendor`.
    assert [str(d) for d in vendors.diagnostics(org, date(2028, 1, 1))] == [
        "catalog/k8s-admin.yaml:4:9: warning: course 'k8s-admin' costs 1,200 EUR, but the contract with vendor "
        "'cloudspire' ended on 2027-12-31 (vendors/cloudspire.yaml:3:36): renew the contract in "
        "vendors/cloudspire.yaml, or take the course's cost or vendor out"]
    # After its last session has ended, a session is history: no warning for it.
    assert vendors.diagnostics(org, date(2027, 12, 31)) == vendors.diagnostics(org, date(2026, 12, 1))
    assert [str(d) for d in vendors.diagnostics(org, date(2027, 12, 31))][0].startswith(
        "catalog/k8s-admin.yaml:9:33: warning: session '2028-02-berlin'")


def test_a_course_whose_cost_is_not_its_contracts_rate(make_org):
    dearer = K8S_ADMIN.replace("cost: {amount: 1200, currency: EUR}", "cost: {amount: 1350, currency: EUR}")
    root = make_org({"vendors/cloudspire.yaml": CLOUDSPIRE, "catalog/k8s-admin.yaml": dearer,
                     "teams/platform/requests/carol/2026-11-k8s-admin.yaml": None,
                     "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": None})
    assert [str(d) for d in vendors.diagnostics(org_of(root), date(2026, 12, 5))] == [
        "catalog/k8s-admin.yaml:5:7: warning: course 'k8s-admin' costs 1,350 EUR, but the contract with vendor "
        "'cloudspire' sets its rate at 1,200 EUR (vendors/cloudspire.yaml:6:33): change the course's cost or the "
        "rate",
        "catalog/k8s-admin.yaml:9:33: warning: session '2028-02-berlin' of course 'k8s-admin' starts on 2028-02-03, "
        "after the contract with vendor 'cloudspire' ends on 2027-12-31 (vendors/cloudspire.yaml:3:36): extend the "
        "contract, or move the session"]


def test_a_free_course_or_a_vendor_without_contract_is_not_warned_about(make_org):
    free = K8S_ADMIN.replace("cost: {amount: 1200, currency: EUR}", "cost: {amount: 0, currency: EUR}").replace(
        "  - {id: 2028-02-berlin, start: 2028-02-03T09:00, end: 2028-02-04T17:00, location: Berlin, capacity: 12}\n",
        "")
    no_rates = CLOUDSPIRE.split("rates:")[0]
    org = org_of(make_org({"vendors/cloudspire.yaml": no_rates, "catalog/k8s-admin.yaml": free,
                           "teams/platform/requests/carol/2026-11-k8s-admin.yaml": None,
                           "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml": None}))
    assert vendors.diagnostics(org, date(2030, 1, 1)) == []
    org = org_of(make_org({"vendors/cloudspire.yaml": "name: Cloudspire GmbH\n", "catalog/k8s-admin.yaml": K8S_ADMIN},
                          name="no-contract"))
    assert vendors.diagnostics(org, date(2030, 1, 1)) == []


def test_lmsgen_check_warns_about_an_ended_contract_as_of_today(make_org, capsys):
    ended = CLOUDSPIRE.replace("{start: 2026-01-01, end: 2027-12-31}", "{start: 2019-01-01, end: 2020-12-31}")
    root = make_org({"vendors/cloudspire.yaml": ended, "catalog/k8s-admin.yaml": K8S_ADMIN})
    assert main(["--root", str(root), "check", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert ("catalog/k8s-admin.yaml:4:9: warning: course 'k8s-admin' costs 1,200 EUR, but the contract with vendor "
            "'cloudspire' ended on 2020-12-31 (vendors/cloudspire.yaml:3:36): renew the contract in "
            "vendors/cloudspire.yaml, or take the course's cost or vendor out") in out.splitlines()
    assert main(["--root", str(root), "check", "--no-cache", "--strict"]) == 1


@given(start=st.dates(date(2020, 1, 1), date(2030, 1, 1)), days=st.integers(0, 2000),
       on=st.dates(date(2019, 1, 1), date(2032, 1, 1)), window=st.integers(0, 400))
def test_a_contracts_state_on_a_day(start, days, on, window):
    end = date.fromordinal(start.toordinal() + days)
    state, left = vendors.contract_state(m.Contract(start=start, end=end), on, window)
    assert left == (end - on).days
    assert state == ("ended" if on > end else "future" if on < start
                     else "expiring" if left <= window else "active")
    assert vendors.contract_state(None, on, window) == ("none", None)


# --- the report ------------------------------------------------------------------------------------------


def test_the_report_counts_committed_and_attended_spend_per_vendor_and_year(make_org):
    root = make_org({
        "vendors/cloudspire.yaml": CLOUDSPIRE.replace("end: 2027-12-31", "end: 2027-01-15"),
        "vendors/harbour.yaml": "name: Harbour Partners\n",
        "catalog/k8s-admin.yaml": K8S_ADMIN,
        # Dave's request is for a session he attended too; Bob's is for a session to come.
        "teams/platform/requests/dave/2026-11-k8s-admin.yaml": "person: dave\ncourse: k8s-admin\n"
                                                               "session: 2026-12-berlin\ndate: 2026-11-21\n",
        "teams/platform/requests/dave/2026-11-k8s-admin.cost.yaml": "request: 2026-11-k8s-admin\n"
                                                                    "amount: {amount: 1200, currency: EUR}\n",
        "teams/platform/requests/bob/2027-01-k8s-admin.yaml": "person: bob\ncourse: k8s-admin\n"
                                                              "session: 2028-02-berlin\ndate: 2027-01-05\n",
        "teams/platform/requests/bob/2027-01-k8s-admin.cost.yaml": "request: 2027-01-k8s-admin\n"
                                                                   "amount: {amount: 1200, currency: EUR}\n",
    })
    org = org_of(root)
    report = vendors.vendor_report(org, date(2027, 1, 10))
    assert [v.id for v in report.vendors] == ["cloudspire", "harbour"]  # the preferred first
    cloudspire, harbour = report.vendors
    assert cloudspire.courses == ["k8s-admin"] and harbour.courses == []
    assert (cloudspire.contract_state, cloudspire.days_left) == ("expiring", 5)
    assert (harbour.contract_state, harbour.days_left, harbour.years) == ("none", None, {})
    assert sorted(cloudspire.years) == [2026, 2027] and report.years == [2027, 2026]
    y2026, y2027 = cloudspire.years[2026], cloudspire.years[2027]
    assert (y2026.requests, y2026.committed, y2026.attended_requests, y2026.attended) == (2, 2400, 2, 2400)
    assert (y2027.requests, y2027.committed, y2027.attended_requests, y2027.attended) == (1, 1200, 0, 0)
    assert (cloudspire.committed, cloudspire.attended) == (3600, 2400)
    assert [v.id for v in report.expiring] == ["cloudspire"]
    # A request dated after the report's day does not count yet.
    assert sorted(vendors.vendor_report(org, date(2026, 12, 31)).vendors[0].years) == [2026]


# --- who owns vendors/ -------------------------------------------------------------------------------------


def test_finance_and_the_catalog_editors_own_the_vendor_files(make_org):
    root = make_org({"vendors/cloudspire.yaml": CLOUDSPIRE, "catalog/k8s-admin.yaml": K8S_ADMIN})
    policy = Policy(org_of(root))
    ownership = policy.owners_of("vendors/cloudspire.yaml")
    # finance (budget.edit) is scoped to engineering, so only the unscoped L&D role and nobody else reaches it.
    assert (ownership.kind.name, sorted(ownership.owners)) == ("vendor", ["alice", "bob"])
    codeowners = (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert ("# Vendors: vendors/<vendor>.yaml (budget.edit, catalog.edit), approved by the holders of budget.edit "
            "(finance) and of catalog.edit (L&D)\n/vendors/ @alicem @bobl\n") in codeowners


def test_an_unscoped_finance_role_owns_them_with_ld(make_org):
    root = make_org({"roles/finance.yaml": "name: Finance\ngrants: [approve.cost, budget.edit]\n"
                                           "holders: [erin, dana]\n"})
    ownership = Policy(org_of(root)).owners_of("vendors/anything.yaml")
    assert sorted(ownership.owners) == ["alice", "bob", "dana", "erin"]
