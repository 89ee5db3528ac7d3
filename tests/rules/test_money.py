"""Money that matches: a request costs what its course costs, a slip approves what its request costs,
amounts are bounded, and every currency is one the budgets can count."""

from __future__ import annotations

import pytest
from conftest import DESIGN_ORG

from lmsgen.cli import main
from lmsgen.rules.validation import validate_root

REQUEST = "teams/platform/requests/carol/2026-11-k8s-admin.yaml"
SLIP = "teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml"


def errors(root) -> list[str]:
    return [str(d) for d in validate_root(root, use_cache=False).diagnostics if d.is_error]


def request(cost: str | None = None, course: str = "k8s-admin") -> str:
    """Carol's request (the sample organisation's, at 2026-11-k8s-admin.yaml), with `cost` as its cost's flow mapping."""
    return (f"person: carol\ncourse: {course}\ndate: 2026-11-20\n"
            + (f"cost: {cost}\n" if cost is not None else ""))


def slip(amount: str | None) -> str:
    return "request: 2026-11-k8s-admin\n" + (f"amount: {amount}\n" if amount is not None else "")


WEBINAR = "title: A webinar\nformat: webinar\nelective: true\n"
CONFERENCE = """
    title: A conference of your choosing
    format: workshop
    elective: true
    cost_per_request: true
    """


# --- a request states its course's cost --------------------------------------------------------------


@pytest.mark.parametrize(("changes", "expected"), [
    pytest.param(
        {REQUEST: request("{amount: 1, currency: EUR}"), SLIP: slip("{amount: 1, currency: EUR}")},
        [f"{REQUEST}:4:16: this request states a cost of 1 EUR, but course 'k8s-admin' costs 1,200 EUR "
         "(catalog/k8s-admin.yaml:4:7): state the course's cost, or leave 'cost' out to take it (a course whose "
         "price is set per request says 'cost_per_request: true')"],
        id="a smaller amount"),
    pytest.param(
        {REQUEST: request("{amount: 1200, currency: USD}"), SLIP: slip("{amount: 1200, currency: USD}"),
         "org.yaml": "name: Acme\ngit: {host: github, repo: https://github.com/acme/learning}\n"
                     "money: {rates: {USD: 0.9}}\n"},
        [f"{REQUEST}:4:32: this request states a cost of 1,200 USD, but course 'k8s-admin' costs 1,200 EUR "
         "(catalog/k8s-admin.yaml:4:7): state the course's cost, or leave 'cost' out to take it (a course whose "
         "price is set per request says 'cost_per_request: true')"],
        id="another currency"),
    pytest.param(
        {"catalog/webinar.yaml": WEBINAR, REQUEST: request("{amount: 49.5, currency: EUR}", course="webinar"),
         SLIP: slip("{amount: 49.5, currency: EUR}")},
        [f"{REQUEST}:4:16: this request states a cost of 49.50 EUR, but course 'webinar' states no cost "
         "(catalog/webinar.yaml): state the course's cost, or leave 'cost' out to take it (a course whose price is "
         "set per request says 'cost_per_request: true')"],
        id="a cost for a course without one"),
    pytest.param(
        {REQUEST: request("{amount: 10, currency: EUR}", course="secure-coding"),
         SLIP: slip("{amount: 10, currency: EUR}")},
        [f"{REQUEST}:4:16: this request states a cost of 10 EUR, but course 'secure-coding' is free "
         "(catalog/secure-coding.yaml:10:7): state the course's cost, or leave 'cost' out to take it (a course whose "
         "price is set per request says 'cost_per_request: true')"],
        id="a cost for a free course"),
    pytest.param(
        {REQUEST: request("{amount: 0, currency: EUR}"), SLIP: None},
        [f"{REQUEST}:4:16: this request states a cost of 0 EUR, but course 'k8s-admin' costs 1,200 EUR "
         "(catalog/k8s-admin.yaml:4:7): state the course's cost, or leave 'cost' out to take it (a course whose "
         "price is set per request says 'cost_per_request: true')"],
        id="nothing for a paid course"),
])
def test_a_request_states_its_courses_cost(make_org, changes, expected):
    assert errors(make_org({"attendance/k8s-admin/2026-12-berlin.yaml": None, **changes})) == expected


def test_a_request_that_states_no_cost_takes_its_courses(make_org):
    root = make_org({REQUEST: request(), SLIP: slip("{amount: 1200, currency: EUR}")})
    assert errors(root) == []


def test_a_course_priced_per_request_takes_each_requests_cost(make_org):
    root = make_org({
        "catalog/conference.yaml": CONFERENCE + "cost: {amount: 800, currency: EUR}\n",
        REQUEST: request("{amount: 1450.5, currency: EUR}", course="conference"),
        SLIP: slip("{amount: 1450.5, currency: EUR}"),
        "teams/platform/requests/dave/2026-11-conf.yaml": "person: dave\ncourse: conference\ndate: 2026-11-20\n",
        "teams/platform/requests/dave/2026-11-conf.cost.yaml": "request: 2026-11-conf\n"
                                                             "amount: {amount: 800, currency: EUR}\n",
    })
    assert errors(root) == []


def test_a_course_priced_per_request_without_a_price_needs_no_slip_for_a_request_that_states_none(make_org):
    root = make_org({"catalog/conference.yaml": CONFERENCE, REQUEST: request(course="conference"), SLIP: None})
    assert errors(root) == []


# --- a slip approves exactly what its request costs --------------------------------------------------


@pytest.mark.parametrize(("changes", "expected"), [
    pytest.param(
        {SLIP: slip("{amount: 1, currency: EUR}")},
        [f"{SLIP}:2:18: this slip approves 1 EUR, but request '2026-11-k8s-admin' costs 1,200 EUR ({REQUEST}:7:7): "
         "a slip approves exactly what its request costs"],
        id="less than the request's own cost"),
    pytest.param(
        {REQUEST: request(), SLIP: slip("{amount: 1200, currency: USD}")},
        [f"{SLIP}:2:34: this slip approves 1,200 USD, but request '2026-11-k8s-admin' costs 1,200 EUR, its course's "
         "cost (catalog/k8s-admin.yaml:4:7): a slip approves exactly what its request costs"],
        id="another currency than the course's cost"),
    pytest.param(
        {SLIP: slip(None)},
        [f"{SLIP}:1:1: this cost slip states no amount, and request '2026-11-k8s-admin' costs 1,200 EUR "
         f"({REQUEST}:7:7): add 'amount: {{amount: 1200, currency: EUR}}'"],
        id="a cost slip without an amount"),
    pytest.param(
        {"catalog/webinar.yaml": WEBINAR, REQUEST: request(course="webinar"), SLIP: slip(None)},
        [f"{SLIP}:1:1: this cost slip states no amount, and request '2026-11-k8s-admin' costs nothing (neither it "
         "nor catalog/webinar.yaml states a cost): remove this slip, which a free request does not need"],
        id="a cost slip without an amount beside a free request"),
    pytest.param(
        {"catalog/conference.yaml": CONFERENCE, REQUEST: request(course="conference"),
         SLIP: slip("{amount: 300, currency: EUR}")},
        [f"{SLIP}:2:18: this slip approves 300 EUR, but request '2026-11-k8s-admin' costs nothing (neither it nor "
         "catalog/conference.yaml states a cost): a slip approves exactly what its request costs"],
        id="an amount beside a request that costs nothing"),
    pytest.param(
        {"teams/platform/requests/carol/2026-11-k8s-admin.external.yaml": slip("{amount: 12, currency: EUR}")},
        ["teams/platform/requests/carol/2026-11-k8s-admin.external.yaml:2:18: this slip approves 12 EUR, but request "
         f"'2026-11-k8s-admin' costs 1,200 EUR ({REQUEST}:7:7): a slip approves exactly what its request costs"],
        id="an external slip that states an amount"),
])
def test_a_slip_approves_what_its_request_costs(make_org, changes, expected):
    assert errors(make_org(changes)) == expected


def test_a_slip_beside_a_request_of_an_unknown_course_is_left_to_the_requests_error(make_org):
    root = make_org({REQUEST: request(course="k8s-advanced"), SLIP: slip("{amount: 1, currency: EUR}")})
    assert errors(root) == [f"{REQUEST}:2:9: unknown course 'k8s-advanced': there is no catalog/k8s-advanced.yaml"]


# --- amounts are bounded ---------------------------------------------------------------------------


TOO_LARGE = "too large: an amount is at most 1,000,000,000, more than any training budget"


@pytest.mark.parametrize(("amount", "problem"), [
    ("1000000000.01", TOO_LARGE),
    ("1e308", TOO_LARGE),  # check passed it, and build crashed on it
    ("1" + "0" * 400, TOO_LARGE),  # an integer no float holds
    (".inf", TOO_LARGE),
    (".nan", "input should be a finite number"),
    ("-1", "input should be greater than or equal to 0"),
])
def test_an_amount_is_a_finite_number_from_zero_to_a_billion(make_org, amount, problem):
    root = make_org({"budgets/2026.yaml": f"engineering: {{amount: {amount}, currency: EUR}}\n"})
    assert errors(root) == [f"budgets/2026.yaml:1:23: engineering.amount: {problem}"]


def test_the_largest_amount_passes(make_org):
    billion = "{amount: 1000000000, currency: EUR}"
    root = make_org({"catalog/k8s-admin.yaml": f"title: K\nformat: classroom\nelective: true\ncost: {billion}\n"
                                               "sessions: [{id: 2026-12-berlin, start: 2026-12-03T09:00, "
                                               "end: 2026-12-04T17:00}]\n",
                     REQUEST: request(billion), SLIP: slip(billion),
                     "budgets/2026.yaml": f"engineering: {billion}\n"})
    assert errors(root) == []


# --- currencies the budgets can count -----------------------------------------------------------------


USD_EVERYWHERE = {
    "catalog/k8s-admin.yaml": "title: K\nformat: classroom\nelective: true\ncost: {amount: 1300, currency: USD}\n"
                              "sessions: [{id: 2026-12-berlin, start: 2026-12-03T09:00, end: 2026-12-04T17:00}]\n",
    REQUEST: request("{amount: 1300, currency: USD}"),
    SLIP: slip("{amount: 1300, currency: USD}"),
    "budgets/2026.yaml": "engineering: {amount: 50000, currency: USD}\n",
}


def test_a_currency_without_a_rate_is_an_error_where_it_is_stated(make_org):
    def message(what: str) -> str:
        return (f"{what} is in USD, but budgets count in EUR (org.yaml:3:11) and no rate converts USD: add one to "
                "org.yaml (money: {rates: {USD: <EUR for 1 USD>}}), or state it in EUR")

    assert errors(make_org(USD_EVERYWHERE)) == [
        f"budgets/2026.yaml:1:40: {message('the budget')}",
        f"catalog/k8s-admin.yaml:4:32: {message('the cost')}",
        f"{REQUEST}:4:32: {message('the cost')}",
    ]


def test_a_rate_in_org_yaml_lets_the_budgets_count_another_currency(make_org):
    org = "name: Acme\ngit: {host: github, repo: https://github.com/acme/learning}\nmoney: {rates: {USD: 0.92}}\n"
    assert errors(make_org({**USD_EVERYWHERE, "org.yaml": org})) == []


def test_a_rate_is_a_positive_bounded_number(make_org):
    org = ("name: Acme\ngit: {host: github, repo: https://github.com/acme/learning}\n"
           "money: {rates: {USD: 0, usd: 1, GBP: 1e9}}\n")
    assert errors(make_org({"org.yaml": org})) == [
        "org.yaml:3:22: money.rates.USD: input should be greater than 0",
        "org.yaml:3:25: money.rates: 'usd' is not a currency code: use three capital letters, such as EUR",
        "org.yaml:3:38: money.rates.GBP: input should be less than or equal to 1000000",
    ]


def test_a_rate_for_the_organisations_own_currency_is_an_error(make_org):
    org = DESIGN_ORG["org.yaml"] + "money: {rates: {USD: 0.92, EUR: 1.1}}\n"
    assert errors(make_org({"org.yaml": org})) == [
        "org.yaml:5:28: a rate for EUR, the currency budgets count in (org.yaml:3:11), is never used: remove it"]


def test_check_fix_writes_a_slip_that_then_passes(make_org, capsys):
    root = make_org({SLIP: None, REQUEST: request()})
    assert main(["--root", str(root), "check", "--fix"]) == 0
    assert (root / SLIP).read_text().endswith("request: 2026-11-k8s-admin\namount: {amount: 1200, currency: EUR}\n")
