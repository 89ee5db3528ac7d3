"""`lmsgen build` on organisations of the tests' own: every URL, escaping, pre-filled links, the swap, the feeds."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import icalendar
import pytest
from conftest import DESIGN_ORG, commit_all, write_files
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.model.formats import MAX_AMOUNT
from lmsgen.rules.validation import validate_root
from lmsgen.site import feeds, reports
from lmsgen.site import links as links_module
from lmsgen.site.build import MARKER, SiteError, build_site
from lmsgen.site.pages import Pages, render_markdown
from lmsgen.site.serve import snapshot
from lmsgen.site.views import SiteData

AS_OF = date(2026, 12, 1)
URLS = [
    "index.html", "catalog/index.html", "catalog/secure-coding/index.html", "catalog/k8s-admin/index.html",
    "people/index.html", "people/carol/index.html", "people/carol/calendar/index.html", "teams/index.html",
    "teams/platform/index.html", "teams/engineering/index.html", "reports/certifications/index.html",
    "reports/budgets/index.html", "reports/divisions/index.html", "policy/index.html", "exports/status.csv",
    "exports/status.json", "exports/records.csv", "exports/certifications.csv", "exports/approvals.csv",
    "search/search_index.json",
]


SECRET = "a-feed-secret-of-the-tests-" + "0" * 16


def feed(person: str) -> str:
    """Where the build with SECRET writes `person`'s calendar feed."""
    return f"feeds/{feeds.token(SECRET, person)}.ics"


def build(root: Path, out: Path | None = None):
    out = out or root.parent / "site"
    result = build_site(root, out, AS_OF, feed_secret=SECRET)
    assert result.ok, result.diagnostics
    return out


def text(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def visible(html: str) -> str:
    """The page's main content as text, tags dropped, entities kept."""
    start = html.index('<div class="lms')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:])).strip()


def links(html: str) -> list[str]:
    return [unquote(href).replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]


def test_every_url_is_built(make_org):
    site = build(make_org())
    missing = [url for url in [*URLS, feed("carol")] if not (site / url).is_file()]
    assert missing == []
    for person in ("alice", "bob", "carol", "dave", "erin", "dana"):
        assert (site / "people" / person / "index.html").is_file()
    assert (site / MARKER).is_file()


def test_pages_show_what_each_user_needs(make_org):
    site = build(make_org())
    portal = visible(text(site, "people/carol/index.html"))
    for expected in ("To do", "Booked", "Certifications", "Assigned and done", "Requests", "Learning history",
                     "Electives to explore", "Kubernetes administration", "Secure coding basics",
                     "Recorded by Recorded on", date.today().isoformat()):
        assert expected in portal
    assert "People you mentor" in visible(text(site, "people/bob/index.html"))
    dashboard = visible(text(site, "teams/engineering/index.html"))
    for expected in ("Completion matrix", "Overdue", "Certifications expiring or expired", "Requests",
                     "Spend against budget", "Carol Diaz", "50,000 EUR", "1,200 EUR"):
        assert expected in dashboard
    course = visible(text(site, "catalog/k8s-admin/index.html"))
    assert "3–4 Dec 2026, 09:00–17:00 UTC" in course and "11 of 12 left" in course
    assert "cost approval slip" in course and "approve.cost" in course
    assert "Finance" in visible(text(site, "policy/index.html"))
    assert "Secure coding basics" in visible(text(site, "reports/certifications/index.html"))
    divisions = visible(text(site, "reports/divisions/index.html"))
    assert "Completion rate per division Division Complete Assigned Done Overdue" in divisions


def test_a_leavers_portal_stays_without_a_calendar_and_the_directory_lists_the_current_members(make_org):
    """A leaver's records are kept, so their portal is written for those who may read it (docs/zones.md); but a
    leaver reads nothing: no calendar page, no feed (served to whoever has its address), no place in the directory."""
    team = DESIGN_ORG["teams/platform/team.yaml"].replace("mentor: bob}", f"mentor: bob, left: {AS_OF.isoformat()}}}")
    root = make_org({"teams/platform/team.yaml": team})
    out = root.parent / "site"
    result = build_site(root, out, AS_OF, feed_secret=SECRET)
    assert result.ok and (result.pages["people"], result.pages["feeds"]) == (6, 5)
    history = visible(text(out, "people/carol/index.html")).partition("Learning history")[2]
    assert "Bob Lee" in history and date.today().isoformat() in history
    assert not (out / "people/carol/calendar").exists() and not (out / feed("carol")).exists()
    portal = visible(text(out, "people/carol/index.html"))
    assert 'href="calendar/"' not in text(out, "people/carol/index.html")
    assert "Left " in portal and f"Left {AS_OF.isoformat()} no longer assigned anything; the records are kept" in portal
    assert "Left" not in visible(text(out, "people/dave/index.html")).split("Manager")[0]
    assert (out / "people/dave/calendar/index.html").is_file() and (out / feed("dave")).is_file()
    directory = text(out, "people/index.html")
    assert 'href="dave/"' in directory and 'href="carol/"' not in directory


def test_status_json_equals_the_status_command(make_org, capsys):
    root = make_org()
    site = build(root)
    assert main(["--root", str(root), "status", "--format", "json", "--as-of", AS_OF.isoformat()]) == 0
    assert text(site, "exports/status.json") == capsys.readouterr().out


def test_hostile_values_are_escaped_everywhere(make_org):
    root = make_org({
        "catalog/incident-response.yaml": """
            title: "<script>alert('title')</script>"
            summary: "<img src=x onerror=alert(1)>"
            description: |
              **Bold** text, <script>alert('raw')</script> <img src=x onerror=alert(2)>
              [a link](javascript:alert(3)) and [a good one](https://ok.example/)
            format: webinar
            elective: true
            skills: [security]
            """,
        "teams/platform/team.yaml": """
            name: "\\"><svg onload=alert(4)>"
            parent: engineering
            manager: alice
            members:
              - {id: alice, name: "<b>Alice</b>", git: alicem}
              - {id: bob, name: Bob Lee, git: bobl}
              - {id: carol, name: "Carol </title><script>alert(5)</script>", git: carold, start_date: 2025-04-01,
                 mentor: bob, profile: engineer}
              - {id: dave, name: Dave Kim, git: davek}
            """,
        "teams/platform/requests/carol/2026-11-k8s-admin.yaml": """
            person: carol
            course: k8s-admin
            session: 2026-12-berlin
            reason: "<script>alert(6)</script>"
            date: 2026-11-20
            cost: {amount: 1200, currency: EUR}
            """,
    })
    site = build(root)
    pages = [p for p in site.rglob("*") if p.suffix in {".html", ".json"}]  # the calendar feeds are text, not HTML
    for page in pages:
        content = page.read_text(encoding="utf-8")
        assert "<script>alert" not in content, page
        assert "onerror=alert" not in content.replace("onerror=alert(1)&gt;", ""), page
        assert "<svg onload" not in content, page
        assert "javascript:" not in content, page
        assert "<b>Alice</b>" not in content, page
    course = text(site, "catalog/incident-response/index.html")
    assert "<h1>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</h1>" in course
    assert "<strong>Bold</strong>" in course
    assert '<a href="https://ok.example/" rel="noopener noreferrer">a good one</a>' in course
    portal = text(site, "people/carol/index.html")
    assert "<title>Carol &lt;/title&gt;&lt;script&gt;alert(5)&lt;/script&gt; - Acme Corp</title>" in portal
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in portal
    calendar = text(site, "people/carol/calendar/index.html")
    assert "<title>Carol &lt;/title&gt;&lt;script&gt;alert(5)&lt;/script&gt;: calendar - Acme Corp</title>" in calendar


def test_markdown_keeps_no_raw_html_and_no_script_links():
    assert render_markdown("<div onclick=x>hi</div> [x](javascript:alert(1)) [y](mailto:a@b.example)") == (
        'hi\n<p><a rel="noopener noreferrer">x</a> <a href="mailto:a@b.example" rel="noopener noreferrer">y</a></p>')


def _request_link(site: Path, person: str, course: str) -> str:
    """The link a portal's "Request this course" card opens, put together as the shared script does (docs/site.md):
    the course's link in catalog/requests.json, with the stand-ins replaced by the portal's person and team."""
    portal = text(site, f"people/{person}/index.html")
    card = re.search(rf'<a class="md-button lms-button" href="([^"]+/{course}/#how-to-request)" data-lms-request>',
                     portal)
    assert card, f"{person}'s portal offers no request card for {course}"
    # Without JavaScript, the card leads to the course page's "How to request".
    assert card[1] == f"../../catalog/{course}/#how-to-request"
    # The shared file is catalog/requests.json, which lmsgen.js finds from its own address (assets/lmsgen/).
    page = re.search(r'data-lms-person="([^"]+)" data-lms-team="([^"]+)" data-lms-requests>', portal)
    assert page and page[1] == person
    shared = json.loads(text(site, "catalog/requests.json"))
    return shared["urls"][course].replace(shared["person"], page[1]).replace(shared["team"], page[2])


def test_request_link_prefills_the_request_at_the_policy_path(make_org, capsys):
    root = make_org()
    site = build(root)
    link = _request_link(site, "dave", "k8s-admin")
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://github.com/acme/learning/new/main"
    query = parse_qs(parts.query)
    assert query["filename"] == ["teams/platform/requests/dave/2026-12-k8s-admin.yaml"]
    assert query["value"] == ["# yaml-language-server: $schema=../../../../schemas/request.schema.json\n"
                              "person: dave\ncourse: k8s-admin\nsession: 2026-12-berlin\nkind: enroll\n"
                              "reason: why this helps me and my team\ndate: 2026-12-01\n"
                              "cost: {amount: 1200, currency: EUR}\n"]
    # Exactly the link the git host's editor was always given: the request quoted line by line (site/links.py).
    data = SiteData(validate_root(root).organisation, AS_OF)
    assert link == links_module.new_file_url(data.settings, query["filename"][0], query["value"][0])
    # The file the link creates is valid; CI's `check --fix` adds the finance slip it needs.
    write_files(root, {query["filename"][0]: query["value"][0]})
    assert main(["--root", str(root), "check", "--fix", "--no-cache"]) == 0
    assert (root / "teams/platform/requests/dave/2026-12-k8s-admin.cost.yaml").is_file()
    capsys.readouterr()


def test_the_course_page_offers_the_request_without_javascript(make_org):
    site = build(make_org())
    course = text(site, "catalog/k8s-admin/index.html")
    assert '<h2 id="how-to-request">' in course
    editor = next(link for link in links(course) if "/new/main?" in link)
    assert editor.startswith("https://github.com/acme/learning/new/main?filename=teams/TEAM/requests/YOU/"
                             "2026-12-k8s-admin.yaml&value=# yaml-language-server")
    assert "person: YOU\ncourse: k8s-admin\n" in editor
    # The shared file names no one: a stand-in person and team.
    shared = text(site, "catalog/requests.json")
    assert "dave" not in shared and "platform" not in shared
    assert json.loads(shared)["person"] in json.loads(shared)["urls"]["k8s-admin"]


def test_record_links_edit_an_existing_file_or_prefill_a_new_one(make_org, capsys):
    root = make_org()
    site = build(root)
    carol = text(site, "people/carol/index.html")
    assert "https://github.com/acme/learning/edit/main/teams/platform/records/carol.yaml" in links(carol)
    dave = text(site, "people/dave/index.html")
    new = next(link for link in re.findall(r'href="([^"]+)"', dave) if "records%2Fdave.yaml" in link
               or "records/dave.yaml" in link)
    query = parse_qs(urlsplit(new.replace("&amp;", "&")).query)
    assert query["filename"] == ["teams/platform/records/dave.yaml"]
    write_files(root, {query["filename"][0]: query["value"][0].replace("COURSE-ID", "incident-response")})
    assert main(["--root", str(root), "check", "--no-cache"]) == 0
    capsys.readouterr()


def test_gitlab_links_use_its_web_editor(make_org):
    root = make_org({"org.yaml": "name: Acme Corp\ngit: {host: gitlab, repo: https://gitlab.example/acme/learning, "
                                 "branch: trunk}\n"})
    site = build(root)
    link = unquote(_request_link(site, "dave", "k8s-admin"))
    assert link.startswith("https://gitlab.example/acme/learning/-/new/trunk/teams/platform/requests/dave"
                           "?file_name=2026-12-k8s-admin.yaml&content=# yaml-language-server")
    assert ("https://gitlab.example/acme/learning/-/edit/trunk/teams/platform/records/carol.yaml"
            in links(text(site, "people/carol/index.html")))


def test_invalid_data_leaves_the_last_good_site(make_org, capsys):
    root = make_org()
    out = root.parent / "site"
    build(root, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write_files(root, {"catalog/k8s-ojt.yaml": "title: [broken\n"})
    assert main(["--root", str(root), "build", "--out", str(out), "--as-of", "2026-12-01"]) == 1
    err = capsys.readouterr().err
    assert "catalog/k8s-ojt.yaml:2:1: YAML syntax error: did not find expected ',' or ']'" in err
    assert f"the site in {out} was left as it was" in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in root.parent.iterdir()) == ["org", "site"]


def test_a_rebuild_swaps_the_whole_site_and_leaves_nothing_beside_it(make_org):
    root = make_org()
    out = root.parent / "site"
    build(root, out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    write_files(root, {"catalog/incident-response.yaml": "title: Incident response 2.0\nformat: webinar\n"})
    build(root, out)
    assert not (out / "stale.html").exists()
    assert "Incident response 2.0" in text(out, "catalog/incident-response/index.html")
    assert sorted(p.name for p in root.parent.iterdir()) == ["org", "site"]


def test_a_folder_lmsgen_did_not_build_is_never_replaced(make_org, capsys):
    root = make_org()
    out = root.parent / "notes"
    write_files(out, {"mine.txt": "keep me"})
    with pytest.raises(SiteError, match="is a folder that lmsgen did not build"):
        build_site(root, out, AS_OF)
    assert main(["--root", str(root), "build", "--out", str(root)]) == 2
    assert "would replace the organisation repository itself" in capsys.readouterr().err
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_calendar_feed_parses_with_due_dates_and_sessions(make_org):
    long_title = "Kubernetes administration — Grundlagen für Plattform-Teams, Teil 1; mit Übungen, Prüfung \\ Zertifikat"
    root = make_org({"catalog/k8s-admin.yaml": f"""
        title: "{long_title.replace(chr(92), chr(92) * 2)}"
        format: classroom
        elective: true
        cost: {{amount: 1200, currency: EUR}}
        trainers: [dana]
        sessions:
          - {{id: 2026-12-berlin, start: 2026-12-03T09:00, end: 2026-12-04T17:00, location: "Berlin, Room 4", capacity: 12}}
        """})
    site = build(root)
    raw = (site / feed("carol")).read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(raw)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    first, second = events["session-carol-2026-11-k8s-admin-1@lmsgen"], events["session-carol-2026-11-k8s-admin-2@lmsgen"]
    assert str(first["SUMMARY"]) == str(second["SUMMARY"]) == long_title
    assert str(first["LOCATION"]) == "Berlin, Room 4"
    assert (first.decoded("DTSTART"), first.decoded("DTEND")) == (datetime(2026, 12, 3, 9, tzinfo=UTC),
                                                                  datetime(2026, 12, 3, 17, tzinfo=UTC))
    assert (second.decoded("DTSTART"), second.decoded("DTEND")) == (datetime(2026, 12, 4, 9, tzinfo=UTC),
                                                                    datetime(2026, 12, 4, 17, tzinfo=UTC))
    assert str(second["DESCRIPTION"]) == "Session 2026-12-berlin (day 2 of 2), 09:00-17:00 UTC; seat: enrolled."
    dave = icalendar.Calendar.from_ical((site / feed("dave")).read_bytes())
    due = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in dave.walk("VEVENT")}
    assert due == {"Due: Secure coding basics": date(2026, 1, 31)}


def test_nothing_loads_from_outside_the_site(make_org):
    site = build(make_org())
    for page in site.rglob("*.html"):
        content = page.read_text(encoding="utf-8")
        assert not re.findall(r'<(?:script|img|link|iframe)[^>]+(?:src|href)="(?:https?:)?//', content), page
    for sheet in site.rglob("*.css"):
        assert not re.findall(r"url\(\s*['\"]?(?:https?:)?//", sheet.read_text(encoding="utf-8")), sheet
        # The only imports are the site's own sheets (shell_assets joins a shell's stylesheets into one).
        for url in re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]*)", sheet.read_text(encoding="utf-8")):
            assert ":" not in url and not url.startswith("/"), (sheet, url)
            imported = (sheet.parent / url).resolve()
            assert imported.is_relative_to(site.resolve()) and imported.is_file(), (sheet, url)


def test_exports_neutralise_spreadsheet_formulas(make_org):
    team = DESIGN_ORG["teams/platform/team.yaml"].replace("name: Carol Diaz", 'name: "=HYPERLINK(\\"https://evil.example\\")"')
    root = make_org({"teams/platform/team.yaml": team})
    site = build(root)
    status = text(site, "exports/status.csv")
    assert "'=HYPERLINK" in status and ",=HYPERLINK" not in status
    assert status.splitlines()[0] == ("person,name,team,course,title,status,due,completed_on,expires_on,source,"
                                        "failed_attempts,attempts_left,attempts_used_up")


def test_portal_history_names_the_commit_that_added_each_record(make_org):
    root = make_org()
    write_files(root, {"teams/platform/records/carol.yaml": """
        person: carol
        records:
          - {course: secure-coding, date: 2026-03-02, by: carol, score: 92, evidence: https://evidence.example/1}
          - {course: k8s-ojt, date: 2026-05-10, by: bob, checklist: [true, true]}
          - {course: incident-response, date: 2026-11-30, by: carol}
        """})
    sha = commit_all(root, "Record incident response for carol", author="Carol Diaz <carol@acme.example>")
    portal = visible(text(build(root), "people/carol/index.html"))
    # docs/site.md#the-portal: compact rows; the day it was recorded links to the commit, by a 12-hex id, in a cell
    # that the rows one after the other of the same commit share (the two older records came in one commit).
    assert f"Incident response you {date.today().isoformat()}" in portal
    assert "Kubernetes on the job Bob Lee " in portal
    html = text(root.parent / "site", "people/carol/index.html")
    assert f'<td><a href="https://github.com/acme/learning/commit/{sha[:12]}">{date.today().isoformat()}</a><td>' in html
    rows = re.findall(r"<tr><td>\d{4}-\d\d-\d\d<td>[^\n]*?(?=<tr>|\n)", html)
    assert len(rows) == 3 and '<td rowspan="2"><a href="https://github.com/acme/learning/commit/' in rows[1], rows
    assert rows[2].count("<td>") == 5, rows  # the second row of the span has no commit cell of its own


def test_build_at_an_older_commit_shows_the_organisation_as_it_was(make_org, capsys):
    root = make_org()
    write_files(root, {"catalog/incident-response.yaml": "title: Incident response 2.0\nformat: webinar\n"})
    commit_all(root, "Rename the course")
    out = root.parent / "site"
    assert main(["--root", str(root), "build", "--out", str(out), "--at", "HEAD~1", "--as-of", "2026-12-01"]) == 0
    assert "Incident response 2.0" not in text(out, "catalog/incident-response/index.html")
    assert ("built 22 pages (6 portals, no calendar feeds, 2 team dashboards, 6 reports and directories, 8 catalog "
            "and other pages)") in capsys.readouterr().err


def test_serve_notices_a_changed_data_file(make_org):
    root = make_org()
    before = snapshot(root)
    assert "catalog/k8s-admin.yaml" in before and "org.yaml" in before
    write_files(root, {"catalog/k8s-admin.yaml": "title: Kubernetes administration, again\nformat: classroom\n"})
    assert snapshot(root) != before


@pytest.mark.parametrize(("out", "folder"), [("catalog/site", "catalog"), ("teams/platform/site", "teams"),
                                             ("budgets", "budgets")])
def test_a_site_among_the_organisations_data_is_refused(make_org, capsys, out, folder):
    root = make_org()
    before = sorted(root.rglob("*"))
    assert main(["--root", str(root), "build", "--out", str(root / out)]) == 2
    assert capsys.readouterr().err == (
        f"lmsgen build: --out {root / out} is inside {folder}, which holds the organisation's data: the site's files "
        "would be read as data; choose a folder outside org.yaml, catalog, roles, teams, assignments, attendance, "
        "budgets, completions, programs, profiles, vendors, theme, such as site\n")
    assert sorted(root.rglob("*")) == before


def test_the_site_is_never_written_through_a_link_in_the_repository(make_org, tmp_path, capsys):
    root = make_org()
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, root / "site")  # as a pull request may commit it
    assert main(["--root", str(root), "build"]) == 2
    assert capsys.readouterr().err == (f"lmsgen build: --out {root / 'site'} is a symbolic link, and lmsgen never "
                                       "writes through one; remove it, or choose another folder\n")
    os.symlink(outside, root / "public")
    assert main(["--root", str(root), "build", "--out", str(root / "public" / "site")]) == 2
    assert capsys.readouterr().err == (f"lmsgen build: --out {root / 'public' / 'site'}: public: symbolic links are "
                                       "not followed; replace it with the folder itself\n")
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".")) == [".git", ".github"]


def test_a_site_outside_the_repository_may_be_reached_through_links_the_person_made(make_org, tmp_path):
    root = make_org()
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "www")
    build(root, tmp_path / "www" / "site")
    assert (tmp_path / "real" / "site" / MARKER).is_file()


# --- money ---------------------------------------------------------------------------------------------

REQUEST = "teams/platform/requests/carol/2026-11-k8s-admin"


def priced(amount: str, currency: str = "EUR", budget: str = "50000", rate: str = "1") -> dict[str, str]:
    """The sample organisation (conftest.py) with Kubernetes administration (Carol's request and its slip) at `amount`."""
    money = f"{{amount: {amount}, currency: {currency}}}"
    return {
        "org.yaml": DESIGN_ORG["org.yaml"] + f"money: {{rates: {{USD: {rate}}}}}\n",
        "catalog/k8s-admin.yaml": DESIGN_ORG["catalog/k8s-admin.yaml"].replace("{amount: 1200, currency: EUR}", money),
        f"{REQUEST}.yaml": DESIGN_ORG[f"{REQUEST}.yaml"].replace("{amount: 1200, currency: EUR}", money),
        f"{REQUEST}.cost.yaml": f"request: 2026-11-k8s-admin\namount: {money}\n",
        "budgets/2026.yaml": f"engineering: {{amount: {budget}, currency: EUR}}\n",
    }


def test_the_largest_amount_and_the_smallest_budget_build(make_org, capsys):
    # 1e308 passed check and crashed build; a budget of almost nothing made the share spent infinite.
    root = make_org(priced("1000000000", budget="5e-324"))
    out = root.parent / "site"
    assert main(["--root", str(root), "build", "--out", str(out), "--as-of", "2026-12-01"]) == 0
    budgets = visible(text(out, "reports/budgets/index.html"))
    assert "Engineering 0 EUR 1,000,000,000 EUR -1,000,000,000 EUR over budget over 10000%" in budgets
    assert "1,000,000,000 EUR" in visible(text(out, "catalog/k8s-admin/index.html"))


def test_a_converted_cost_shows_beside_what_it_was_and_a_price_per_request_says_so(make_org):
    conference = "title: A conference\nformat: workshop\nelective: true\ncost_per_request: true\n"
    site = build(make_org({**priced("1300", "USD", rate="0.92"), "catalog/conference.yaml": conference,
                           "catalog/summit.yaml": conference + "cost: {amount: 800, currency: EUR}\n"}))
    assert "Carol Diaz : Kubernetes administration , 1,196 EUR (1,300 USD)" in visible(
        text(site, "reports/budgets/index.html"))
    assert "Cost stated by each request Approval manager + cost slip" in visible(
        text(site, "catalog/conference/index.html"))
    assert "Cost stated by each request, usually 800 EUR" in visible(text(site, "catalog/summit/index.html"))


AMOUNTS = st.one_of(st.sampled_from([0.0, 5e-324, 0.01, 0.5, MAX_AMOUNT]), st.floats(0, MAX_AMOUNT))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(amount=MAX_AMOUNT, budget=5e-324, currency="USD", rate=1_000_000.0)  # the largest share of the least
@given(amount=AMOUNTS, budget=AMOUNTS, currency=st.sampled_from(["EUR", "USD"]),
       rate=st.one_of(st.sampled_from([1e-6, 1_000_000.0]), st.floats(1e-6, 1_000_000)))
def test_any_amount_check_accepts_is_one_the_budgets_count_and_the_pages_render(tmp_path_factory, amount, budget,
                                                                              currency, rate):
    root = tmp_path_factory.mktemp("org")
    write_files(root, {**DESIGN_ORG, **priced(repr(amount), currency, repr(budget), repr(rate))})
    validated = validate_root(root, use_cache=False)
    assert [str(d) for d in validated.diagnostics if d.is_error] == []
    data = SiteData(validated.organisation, AS_OF)
    [line] = data.budget_lines
    counted = amount * rate if currency == "USD" else amount
    assert (line.team, line.budget, line.committed) == ("engineering", budget, round(counted, 2) if amount else 0)
    pages = Pages(data)
    # A non-breaking space keeps an amount and its currency on one line.
    assert f"{line.committed:,.0f}\u00a0EUR" in pages.budgets()
    assert f"{line.committed:,.0f}\u00a0EUR" in pages.team(reports.dashboard(data, "engineering"))


def test_the_catalog_is_found_by_its_course_pages_not_its_table_run_together(make_org):
    site = build(make_org())
    index = json.loads(text(site, "search/search_index.json"))["docs"]
    catalog = [doc for doc in index if doc["location"].startswith("catalog/") and doc["location"] != "catalog/"]
    assert catalog, "the course pages are in the search index"
    for doc in index:
        if doc["location"].split("#")[0] == "catalog/":
            assert "<td>" not in doc["text"] and "elearning" not in doc["text"], doc


@pytest.mark.parametrize(("page", "tab", "entry", "crumbs"), [
    ("people/carol/index.html", "../../people/", "../../people/", "People › Platform"),
    ("people/index.html", "../people/", "../people/", None),
    ("teams/platform/index.html", "../../teams/", "../../teams/", "Teams › Engineering"),
    ("reports/budgets/index.html", "../../reports/certifications/", "../../reports/budgets/",
     "Reports: Certifications · Budgets · Divisions · Vendors"),
    ("reports/divisions/index.html", "../../reports/certifications/", "../../reports/divisions/",
     "Reports: Certifications · Budgets · Divisions · Vendors"),
    ("catalog/k8s-admin/index.html", "../", "../", "Catalog"),
    ("policy/index.html", "./", "./", None),
])
def test_every_page_marks_its_tab_and_puts_its_trail_above_its_one_heading(make_org, page, tab, entry, crumbs):
    html = text(build(make_org()), page)
    assert re.findall(r'<li class="md-tabs__item md-tabs__item--active">\s*<a href="([^"]+)"', html) == [tab]
    # The drawer is written by a script, which marks the reader's entry (docs/site.md#the-page-shell; its browser
    # test): the page itself holds neither.
    assert 'data-md-type="navigation"' not in html and "md-nav__link--active" not in html
    assert html.count("<h1") == 1
    if crumbs:
        trail = html[html.index('class="lms-crumbs'):html.index("<h1")]
        assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", trail.split(">", 1)[1])).strip() == crumbs


def test_the_budgets_say_which_committed_spend_waits_for_a_seat(make_org):
    dave = "teams/platform/requests/dave/2026-11-k8s-admin"
    course = "catalog/k8s-admin.yaml"
    site = build(make_org({
        course: DESIGN_ORG[course].replace("capacity: 12", "capacity: 1"),
        f"{dave}.yaml": "person: dave\ncourse: k8s-admin\nsession: 2026-12-berlin\ndate: 2026-11-21\n"
                        "cost: {amount: 1200, currency: EUR}\n",
        f"{dave}.cost.yaml": "request: 2026-11-k8s-admin\namount: {amount: 1200, currency: EUR}\n"}))
    budgets = visible(text(site, "reports/budgets/index.html"))
    assert "2,400 EUR of which waitlisted 1,200 EUR" in budgets
    assert "Dave Kim : Kubernetes administration , 1,200 EUR waitlisted" in budgets
    assert "Carol Diaz : Kubernetes administration , 1,200 EUR waitlisted" not in budgets


def test_an_elective_card_names_the_session_its_link_requests(make_org):
    course = "catalog/k8s-admin.yaml"
    sessions = DESIGN_ORG[course].replace(
        "capacity: 12}", "capacity: 1}\n          - {id: 2027-03-berlin, start: 2027-03-03T09:00, end: 2027-03-04T17:00, "
                         "location: Berlin, capacity: 12}")
    site = build(make_org({course: sessions}))
    portal = text(site, "people/bob/index.html")
    card = visible(portal[portal.index('id="explore"'):])
    assert "Next with a seat: 3–4 Mar 2027, 09:00–17:00 UTC · Berlin · 12 of 12 left" in card
    assert "session: 2027-03-berlin" in unquote(_request_link(site, "bob", "k8s-admin"))


def test_a_portal_links_its_records_file_once_for_every_line_to_add(make_org):
    """docs/site.md#the-portal: each to-do row that one may record oneself shows its line (its Copy button is
    written by lmsgen.js, in the words the portal gives once); the records file's editor is linked once on the page,
    under "Learning history", where the sentence under the to-do table leads."""
    site = build(make_org())
    checked = 0
    for page in sorted(site.glob("people/*/index.html")):
        html = page.read_text(encoding="utf-8")
        rows = re.findall(r'<details><summary>Record it</summary><pre><code>(  - \{course: [^<]+)</code>'
                          r'</pre></details>', html)
        if not rows:
            continue
        checked += 1
        person = page.parent.name
        assert all(f"by: {person}}}" in line for line in rows), rows
        edit = re.findall(r'<a class="md-button lms-button ?" href="([^"]+/edit/main/[^"]+)"', html)
        assert len(edit) == 1 and edit[0].endswith(f"/records/{person}.yaml"), edit
        # The to-do's sentence leads to that one link, "Record a completion" under "Learning history".
        assert 'which <a href="#history">Record a completion</a> under Learning history opens' in html
        assert 'data-lms-copy="Copy|Copied"' in html
    assert checked
