"""Budgets: committed spend per team and year, rolled up to the nearest budget; overspend warns."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from lmsgen.cli import main
from lmsgen.model.organisation import Organisation
from lmsgen.rules.budgets import budget_lines, diagnostics
from lmsgen.rules.validation import validate_root

# company (budget 2026: 5000)
# ├── eng (budget 2026: 2000)
# │   └── platform        (no budget: rolls up to eng)
# └── sales               (no budget: rolls up to company)
FILES: dict[str, str] = {
    "org.yaml": """
        name: Test Org
        git: {host: github, repo: https://github.com/test/learning}
        currency: EUR
        """,
    "teams/company/team.yaml": """
        name: Company
        manager: ceo
        members: [{id: ceo, name: Cee Oh, git: ceo}]
        """,
    "teams/eng/team.yaml": """
        name: Engineering
        parent: company
        manager: mia
        members: [{id: mia, name: Mia M, git: mia}, {id: sam, name: Sam S, git: sam}]
        """,
    "teams/platform/team.yaml": """
        name: Platform
        parent: eng
        manager: pat
        members: [{id: pat, name: Pat P, git: pat}, {id: ann, name: Ann A, git: ann}]
        """,
    "teams/sales/team.yaml": """
        name: Sales
        parent: company
        manager: sue
        members: [{id: sue, name: Sue S, git: sue}, {id: tom, name: Tom T, git: tom}]
        """,
    "roles/admin.yaml": """
        name: Administrators
        grants: [roles.edit, catalog.edit, assign.org, people.edit]
        holders: [ceo, mia, sue]
        """,
    "roles/finance.yaml": """
        name: Finance
        grants: [approve.cost, budget.edit]
        holders: [ceo, sue, mia]
        """,
    "catalog/k8s.yaml": """
        title: Kubernetes
        format: classroom
        elective: true
        cost: {amount: 1200, currency: EUR}
        """,
    "catalog/free.yaml": """
        title: Free course
        format: elearning
        elective: true
        """,
    "catalog/conference.yaml": """
        title: A conference of the team's choosing
        format: workshop
        elective: true
        cost_per_request: true
        """,
    "budgets/2026.yaml": """
        company: {amount: 5000, currency: EUR}
        eng: {amount: 2000, currency: EUR}
        """,
    "budgets/2027.yaml": """
        company: {amount: 1000, currency: EUR}
        """,
}


COURSE_COSTS = {"k8s": (1200, "EUR"), "usd": (300, "USD")}


def request(person: str, team: str, rid: str, course: str, day: str, cost: float | None = None,
            currency: str = "EUR") -> dict[str, str]:
    """A request and, when it costs something (its own `cost`, else its course's), its cost slip."""
    text = f"person: {person}\ncourse: {course}\ndate: {day}\n"
    if cost is not None:
        text += f"cost: {{amount: {cost}, currency: {currency}}}\n"
    files = {f"teams/{team}/requests/{person}/{rid}.yaml": text}
    amount, currency = (cost, currency) if cost is not None else COURSE_COSTS.get(course, (0, currency))
    if amount:
        files[f"teams/{team}/requests/{person}/{rid}.cost.yaml"] = (
            f"request: {rid}\namount: {{amount: {amount}, currency: {currency}}}\n")
    return files


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {**FILES, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def load(root: Path, files: dict[str, str]) -> Organisation:
    validated = validate_root(write(root, files), use_cache=False)
    assert [str(d) for d in validated.diagnostics if d.is_error] == []
    return validated.organisation


def summary(org: Organisation, **kwargs) -> dict[tuple[str, int], tuple]:
    return {(line.team, line.year): (line.budget, line.committed, line.remaining, [s.request for s in line.spends])
            for line in budget_lines(org, **kwargs)}


def test_spend_rolls_up_to_the_nearest_team_with_a_budget_per_year(tmp_path: Path) -> None:
    org = load(tmp_path, {
        **request("ann", "platform", "a1", "k8s", "2026-03-01"),            # course cost 1200 → eng
        **request("sam", "eng", "s1", "conference", "2026-04-01", cost=650.5),  # own cost → eng
        **request("tom", "sales", "t1", "k8s", "2026-05-01"),                # sales has no budget → company
        **request("ceo", "company", "c1", "conference", "2027-01-10", cost=100),  # 2027 → company's 2027 budget
        **request("tom", "sales", "t2", "free", "2026-06-01"),               # no cost: nothing committed
        **request("sue", "sales", "u1", "k8s", "2025-12-31"),                # 2025: no budget file → unbudgeted
    })
    assert summary(org) == {
        ("sales", 2025): (None, 1200.0, None, ["u1"]),
        ("company", 2026): (5000.0, 1200.0, 3800.0, ["t1"]),
        ("eng", 2026): (2000.0, 1850.5, 149.5, ["a1", "s1"]),
        ("company", 2027): (1000.0, 100.0, 900.0, ["c1"]),
    }
    [eng] = [line for line in budget_lines(org) if line.team == "eng"]
    assert [(s.person, s.team, s.course, s.amount) for s in eng.spends] == [
        ("ann", "platform", "k8s", 1200.0), ("sam", "eng", "conference", 650.5)]
    assert not eng.over and diagnostics(org) == []


def test_requests_after_as_of_are_left_out_when_asked(tmp_path: Path) -> None:
    org = load(tmp_path, {**request("ann", "platform", "a1", "k8s", "2026-03-01"),
                          **request("ann", "platform", "a2", "k8s", "2026-09-01")})
    assert summary(org, as_of=date(2026, 6, 1))[("eng", 2026)] == (2000.0, 1200.0, 800.0, ["a1"])
    assert summary(org)[("eng", 2026)] == (2000.0, 2400.0, -400.0, ["a1", "a2"])


def test_an_overspent_budget_is_a_warning_at_the_budget_entry(tmp_path: Path) -> None:
    org = load(tmp_path, {**request("ann", "platform", "a1", "k8s", "2026-03-01"),
                          **request("sam", "eng", "s1", "k8s", "2026-04-01")})
    assert [str(d) for d in diagnostics(org)] == [
        "budgets/2026.yaml:2:1: warning: budget of team 'eng' for 2026 is overspent: approved requests commit "
        "2,400.00 EUR of 2,000.00 EUR (2 requests, 400.00 EUR over)"]


def test_check_passes_with_an_overspent_budget_unless_strict(tmp_path: Path, capsys) -> None:
    root = write(tmp_path, {**request("ann", "platform", "a1", "k8s", "2026-03-01")})
    assert main(["--root", str(root), "codeowners"]) == 0
    assert main(["--root", str(root), "check", "--no-cache", "--strict"]) == 0  # a clean organisation
    write(root, request("sam", "eng", "s1", "k8s", "2026-04-01"))
    capsys.readouterr()
    assert main(["--root", str(root), "check", "--no-cache"]) == 0
    assert capsys.readouterr().out == (
        "budgets/2026.yaml:2:1: warning: budget of team 'eng' for 2026 is overspent: approved requests commit "
        "2,400.00 EUR of 2,000.00 EUR (2 requests, 400.00 EUR over)\n")
    assert main(["--root", str(root), "check", "--no-cache", "--strict"]) == 1




def test_a_rate_in_org_yaml_counts_costs_and_budgets_in_another_currency(tmp_path: Path) -> None:
    org = load(tmp_path, {
        "org.yaml": FILES["org.yaml"] + "money: {rates: {USD: 0.92, CHF: 1.05}}\n",
        "catalog/usd.yaml": "title: Priced in dollars\nformat: elearning\nelective: true\n"
                            "cost: {amount: 300, currency: USD}\n",
        "budgets/2026.yaml": FILES["budgets/2026.yaml"] + "sales: {amount: 1000, currency: CHF}\n",
        **request("ann", "platform", "a1", "usd", "2026-03-01"),                       # 300 USD: 276 EUR
        **request("tom", "sales", "t1", "conference", "2026-05-01", cost=200, currency="CHF"),  # 210 EUR
    })
    assert summary(org) == {
        ("company", 2026): (5000.0, 0, 5000.0, []),
        ("eng", 2026): (2000.0, 276.0, 1724.0, ["a1"]),
        ("sales", 2026): (1050.0, 210.0, 840.0, ["t1"]),
        ("company", 2027): (1000.0, 0, 1000.0, []),
    }
    [spend] = [line for line in budget_lines(org) if line.team == "eng"][0].spends
    assert (spend.amount, spend.cost.amount, spend.cost.currency) == (276.0, 300.0, "USD")
