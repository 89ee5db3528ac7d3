"""The two zones on the repository's own demo organisation (Acme Robotics): `build --public` holds no person,
the full build keeps private pages out of the public search, every file has its zone, and the policy page
shows the paths `lmsgen check` warns about."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from lmsgen.cli import main
from lmsgen.rules.readers import Audience, Page
from lmsgen.rules.validation import validate_root
from lmsgen.site import zones
from lmsgen.site.build import build_site
from lmsgen.site.zones import PageKind, Zone

REPO_ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 12, 1)
SECRET = "the-demo-feed-secret-of-the-tests-0123456789"


def _benchmark():
    """benchmarks/public_leak.py, whose search the tests run on the demo (benchmarks/ is no package)."""
    spec = importlib.util.spec_from_file_location("public_leak", REPO_ROOT / "benchmarks" / "public_leak.py")
    module = sys.modules["public_leak"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


public_leak = _benchmark()


@pytest.fixture(scope="module")
def demo():
    return validate_root(REPO_ROOT).organisation


@pytest.fixture(scope="module")
def public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("public") / "site"
    result = build_site(REPO_ROOT, out, AS_OF, public=True, feed_secret=SECRET, badge_secret=SECRET)
    assert result.ok and result.public
    return out


@pytest.fixture(scope="module")
def full_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full") / "site"
    assert build_site(REPO_ROOT, out, AS_OF, feed_secret=SECRET, badge_secret=SECRET).ok
    return out


def files(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())


def text(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_the_public_build_names_nobody_in_any_file(public_site, demo):
    found = public_leak.scan(public_site, demo)
    assert found.hits == []
    assert found.people == len(demo.members) > 50
    assert found.files > 40  # the pages, the search index, the sitemap, lmsgen's assets; the theme's files apart
    assert {"search/search_index.json", "sitemap.xml"} <= set(files(public_site))


def test_the_same_search_finds_everyone_in_the_full_build(full_site, demo):
    """The search that finds nobody in the public build is no blind one: in the full build it finds each person."""
    hits = public_leak.scan(full_site, demo).hits
    assert {person for _, what, person in hits if what == "name"} == set(demo.members)
    assert {person for _, what, person in hits if what == "id"} == set(demo.members)
    assert ("people/ryan/index.html", "name", "ryan") in hits
    assert ("exports/status.csv", "email", "ryan") not in hits  # the exports carry no e-mail at all
    assert any(file == "exports/status.csv" and what == "id" for file, what, _ in hits)


def test_a_hit_is_a_whole_id_a_name_in_order_or_an_email(demo):
    people = public_leak.People(demo)
    ryan = demo.members["ryan"].person
    assert people.found_in("people/ryan/ and ryan.yaml") == [("id", "ryan"), ("id", "ryan")]
    assert people.found_in("bryan ryans ryan-x Ryan") == []
    assert people.found_in(f"<td>{ryan.name.upper()}</td>") == [("name", "ryan")]
    assert ("email", "ryan") in people.found_in(f"mailto:{ryan.email}")


def test_the_public_build_writes_the_public_zone_alone(public_site):
    kinds = {path: zones.kind_of(path) for path in files(public_site)}
    assert [path for path, kind in kinds.items() if kind is None or kind.zone is not Zone.PUBLIC] == []
    assert {kind.name for kind in kinds.values()} == {"home", "catalog", "course", "policy", "assets", "search",
                                                      "sitemap", "not-found", "marker", "theme-assets", "theme-page"}


def test_public_pages_link_to_no_private_page(public_site):
    for page in (path for path in files(public_site) if path.endswith(".html")):
        folder = "/".join(page.split("/")[:-1])
        for href in re.findall(r'href="([^"#?]*)', text(public_site, page)):
            if href.startswith(("http:", "https:", "mailto:")) or not href:
                continue
            target = (Path("/", folder, href).resolve() if not href.startswith("/") else Path(href)).as_posix()
            assert zones.zone_of(target.lstrip("/") + ("/" if href.endswith("/") else "")) is Zone.PUBLIC, \
                (page, href)


def test_every_file_of_the_full_build_has_its_zone(full_site, demo):
    kinds = {path: zones.kind_of(path) for path in files(full_site)}
    assert [path for path, kind in kinds.items() if kind is None] == []
    counts: dict[str, int] = {}
    for kind in kinds.values():
        counts[kind.name] = counts.get(kind.name, 0) + 1
    people = len(demo.members)
    assert (counts["portal"], counts["calendar"], counts["feed"]) == (people, people, people)
    assert counts["dashboard"] == len(demo.teams)
    assert not any(path.endswith("learning.ics") for path in kinds)


def test_the_zone_table_reads_each_url(full_site):
    assert zones.kind_of("index.html") is zones.HOME and zones.kind_of("/") is zones.HOME
    assert zones.kind_of("people/ryan/") is zones.PORTAL
    assert zones.kind_of("/people/ryan/calendar/index.html") is zones.CALENDAR
    assert zones.kind_of("feeds/0123456789abcdef0123456789abcdef.ics") is zones.FEED
    assert zones.kind_of("feeds/ryan.ics") is None
    assert zones.kind_of("people/Ryan/") is None and zones.kind_of("people/ryan/learning.ics") is None
    assert zones.zone_of("catalog/k8s-admin/") is Zone.PUBLIC and zones.zone_of("exports/status.csv") is Zone.PRIVATE
    assert [kind.prefix for kind in zones.PAGE_KINDS if kind.zone is Zone.PRIVATE] == [
        "people/", "people/", "people/", "feeds/", "teams/", "teams/", "reports/certifications/",
        "reports/budgets/", "reports/divisions/", "reports/vendors/", "badges/issuer.json", "badges/classes/",
        "badges/assertions/", "exports/", "sessions/"]
    assert zones.kind_of("reports/vendors/") is zones.VENDORS and zones.kind_of("exports/vendors.csv") is zones.EXPORTS
    assert zones.kind_of("badges/assertions/0123456789abcdef0123456789abcdef.json") is zones.BADGE_ASSERTION
    assert zones.kind_of("badges/assertions/ryan.json") is None
    assert zones.kind_of("badges/classes/first-aid.svg") is zones.BADGE_CLASS


def test_the_table_says_who_reads_each_kind_of_the_full_build():
    """The public zone names trainers and approvers in the full build: every member reads it there, as the
    directories; the feeds go to whoever has their address; the policy names the readers of every other page."""
    readers = {kind.name: kind.readers for kind in zones.PAGE_KINDS}
    assert {name for name, who in readers.items() if who is Audience.MEMBERS} == {
        kind.name for kind in zones.PAGE_KINDS if kind.zone is Zone.PUBLIC} - {"marker"} | {"people", "teams"}
    assert (readers["feed"], readers["marker"]) == (Audience.ANYONE, Audience.NOBODY)
    # Verifiers fetch Open Badges without signing in; an assertion names nobody, at a secret address.
    assert {name for name, who in readers.items() if who is Audience.ANYONE} == {
        "feed", "badge-issuer", "badge-class", "badge-assertion"}
    assert {name: who.key for name, who in readers.items() if isinstance(who, Page)} == {
        "portal": "portal/{person}", "calendar": "calendar/{person}", "dashboard": "dashboard/{team}",
        "certifications": "report/certifications", "budgets": "report/budgets", "divisions": "report/divisions",
        "vendors": "report/vendors", "exports": "export/{file}", "roster": "roster/{course}"}
    with pytest.raises(ValueError, match="the readers' page portal/{team} names no part of people/{person}/"):
        PageKind("portal", Zone.PRIVATE, "people/{person}/", "a portal", Page("portal", "{team}"))


def test_badges_are_in_the_full_build_alone_and_name_nobody(public_site, full_site, demo):
    assert not (public_site / "badges").exists()
    assertions = sorted((full_site / "badges" / "assertions").iterdir())
    assert assertions and all(zones.kind_of(f"badges/assertions/{path.name}") is zones.BADGE_ASSERTION
                              for path in assertions)
    names = [member.person.name for member in demo.members.values()]
    emails = [member.person.email.lower() for member in demo.members.values() if member.person.email]
    for path in assertions:
        text_of = path.read_text(encoding="utf-8").lower()
        assert not [who for who in [*demo.members, *emails] if f'"{who}"' in text_of or f"/{who}/" in text_of]
        assert not [name for name in names if name.lower() in text_of]
    index = text(full_site, "search/search_index.json")
    assert "badges/" not in index and "reports/vendors" not in index


def test_the_full_search_index_holds_public_pages_only(full_site):
    index = json.loads(text(full_site, "search/search_index.json"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert {zones.zone_of(location) for location in locations} == {Zone.PUBLIC}
    assert "catalog/k8s-admin/" in locations and "policy/" in locations
    # The private directories carry their own filter over their own list instead.
    for page in ("people/index.html", "teams/index.html"):
        assert re.search(r'<form class="lms-filters" data-lms-filter="(people|teams)"', text(full_site, page)), page


def test_the_navigation_of_each_build(public_site, full_site):
    def tabs(site: Path) -> list[str]:
        return re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', text(site, "index.html"))

    assert tabs(public_site) == ["Home", "Catalog", "Who approves what", "About Acme Learning"]
    assert tabs(full_site) == ["Home", "Catalog", "People", "Teams", "Reports", "Who approves what",
        "About Acme Learning"]


def test_public_pages_name_roles_and_teams_where_the_full_site_names_people(public_site, full_site, demo):
    trainer = demo.members[demo.courses["k8s-admin"].model.trainers[0]]
    full = text(full_site, "catalog/k8s-admin/index.html")
    public = text(public_site, "catalog/k8s-admin/index.html")
    assert trainer.person.name in full
    assert f"<tr><th>Trainers</th><td>1, from {demo.teams[trainer.team].model.name}</td></tr>" in public
    assert "Open your portal on the learning site and choose" in public
    assert '<a class="lms-start__item" href="people/">' not in text(public_site, "index.html")
    assert '<a class="lms-start__item" href="people/">' in text(full_site, "index.html")


# --- who approves what -------------------------------------------------------------------------------------


def single_approver_rows(site: Path) -> list[str]:
    html = text(site, "policy/index.html")
    section = html[html.index('id="single-approver"'):html.index('id="roles"')]
    rows = re.findall(r"<tr><td[ >].*?</tr>", section, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.replace("<wbr>", ""))).strip() for row in rows]


def test_the_policy_page_shows_the_paths_the_check_warns_have_one_approver(full_site, capsys):
    assert main(["--root", str(REPO_ROOT), "check"]) == 0
    warned = [line for line in capsys.readouterr().out.splitlines() if "is the only owner of" in line]
    assert len(warned) == 4
    assert single_approver_rows(full_site) == [
        "Cost approvals /teams/corporate/requests/sabine/*.cost.yaml Henrik Larsen roles/finance.yaml : add "
        "another holder or a git_team to a role granting approve.cost",
        "Cost approvals /teams/finance/requests/henrik/*.cost.yaml Sabine Keller roles/finance.yaml : add "
        "another holder or a git_team to a role granting approve.cost",
        "Record corrections, Request corrections /teams/acme/records/marc.admin.yaml "
        "/teams/acme/requests/marc/*.admin.yaml Oskar Lindqvist roles/admin.yaml : add another holder or a "
        "git_team to a role granting roles.edit",
        "Record corrections, Request corrections /teams/platform/records/oskar.admin.yaml "
        "/teams/platform/requests/oskar/*.admin.yaml Marc Lemaire roles/admin.yaml : add another holder or a "
        "git_team to a role granting roles.edit",
    ]
    assert "every path should have a second approver for absences: 4 causes leave paths with one" in re.sub(
        r"<[^>]+>", "", text(full_site, "policy/index.html"))


def test_the_public_policy_page_shows_them_without_the_people(public_site):
    assert single_approver_rows(public_site) == [
        "Cost approvals /teams/corporate/requests/&lt;person&gt;/*.cost.yaml one person roles/finance.yaml : add "
        "another holder or a git_team to a role granting approve.cost",
        "Cost approvals /teams/finance/requests/&lt;person&gt;/*.cost.yaml one person roles/finance.yaml : add "
        "another holder or a git_team to a role granting approve.cost",
        "Record corrections, Request corrections /teams/acme/records/&lt;person&gt;.admin.yaml "
        "/teams/acme/requests/&lt;person&gt;/*.admin.yaml one person roles/admin.yaml : add another holder or a "
        "git_team to a role granting roles.edit",
        "Record corrections, Request corrections /teams/platform/records/&lt;person&gt;.admin.yaml "
        "/teams/platform/requests/&lt;person&gt;/*.admin.yaml one person roles/admin.yaml : add another holder or "
        "a git_team to a role granting roles.edit",
    ]


def test_the_policy_page_says_so_when_every_path_has_two_approvers(make_org):
    out = make_org().parent / "site"
    assert build_site(out.parent / "org", out, AS_OF).ok
    policy = re.sub(r"<[^>]+>", "", text(out, "policy/index.html"))
    assert "every path should have a second approver for absences: every path has one." in policy
    assert "None: every path has at least two approvers." in policy
