"""Sessions on the site (docs/sessions.md): rosters in the private zone only, withdrawn requests on portals and
in the exports, and the mentor's chat link."""

from __future__ import annotations

import csv
import io

from conftest import DESIGN_ORG
from test_build import AS_OF, build, feed, links, text, visible

from lmsgen.site.build import build_site

K8S = "catalog/k8s-admin.yaml"
DAVE = "teams/platform/requests/dave/2026-11-k8s-admin"
CAROL = "teams/platform/requests/carol/2026-11-k8s-admin"
ORG = "org.yaml"
SESSIONS = {
    # One seat: carol holds it, dave waits; then carol withdraws and dave takes it. Secure coding's session
    # (3 Dec) has not ended on the build date; bob's no-show is on k8s-admin's attendance (the trainer's list).
    K8S: DESIGN_ORG[K8S].replace("capacity: 12", "capacity: 1"),
    f"{DAVE}.yaml": "person: dave\ncourse: k8s-admin\nsession: 2026-12-berlin\ndate: 2026-11-21\n"
                    "cost: {amount: 1200, currency: EUR}\n",
    f"{DAVE}.cost.yaml": "request: 2026-11-k8s-admin\namount: {amount: 1200, currency: EUR}\n",
    f"{CAROL}.withdraw.yaml": "reason: Project <b>moved</b>\ndate: 2026-11-25\n",
    ORG: DESIGN_ORG[ORG] + "collaboration: https://chat.example/dm?u={mentor_email},{mentee_email}\n",
}


def test_the_roster_lists_booked_waiting_attended_absent_and_withdrawn(make_org):
    site = build(make_org(SESSIONS))
    roster = visible(text(site, "sessions/k8s-admin/index.html"))
    assert ("Booked (1) Dave Kim Waiting (0) – Attended (2) Carol Diaz , Dave Kim Absent (0) – Withdrawn (1) "
            "Carol Diaz 2026-11-25 : Project &lt;b&gt;moved&lt;/b&gt;") in roster
    assert "1 of 1 seats taken" in roster
    course = text(site, "catalog/k8s-admin/index.html")
    assert "../../sessions/k8s-admin/" in links(course)
    assert not (site / "sessions" / "incident-response").exists()  # a course without sessions has no roster


def test_a_public_build_has_no_roster_and_no_link_to_one(make_org):
    root = make_org(SESSIONS)
    out = root.parent / "public"
    assert build_site(root, out, AS_OF, public=True).ok
    assert not (out / "sessions").exists()
    course = text(out, "catalog/k8s-admin/index.html")
    assert "sessions/" not in "".join(links(course)) and "Rosters" not in course
    assert "Dave" not in visible(course) and "Carol" not in visible(course)


def test_a_withdrawn_request_shows_on_the_portal_and_in_the_approvals_export(make_org):
    site = build(make_org(SESSIONS))
    portal = visible(text(site, "people/carol/index.html"))
    assert "withdrawn 2026-11-25" in portal
    rows = list(csv.DictReader(io.StringIO(text(site, "exports/approvals.csv"))))
    found = {(row["person"], row["request"]): (row["seat"], row["withdrawn_on"]) for row in rows}
    assert found == {("carol", "2026-11-k8s-admin"): ("withdrawn", "2026-11-25"),
                     ("dave", "2026-11-k8s-admin"): ("enrolled", "")}
    assert "SUMMARY:Kubernetes administration" not in text(site, feed("carol"))  # no session she withdrew from
    assert "SUMMARY:Kubernetes administration" in text(site, feed("dave"))
    course = visible(text(site, "catalog/k8s-admin/index.html"))
    assert "Berlin full Rosters" in course  # dave holds the one seat; nobody waits


def test_mentor_and_mentee_link_each_other_through_the_collaboration_template(make_org):
    site = build(make_org(SESSIONS))
    chat = "https://chat.example/dm?u=bob@acme.example,carol@acme.example"
    assert chat in links(text(site, "people/carol/index.html"))
    assert chat in links(text(site, "people/bob/index.html"))
    assert not any("chat.example" in link for link in links(text(site, "people/dave/index.html")))


def test_without_a_template_nothing_shows(make_org):
    site = build(make_org())
    assert "Chat" not in visible(text(site, "people/carol/index.html"))


def test_the_demo_shows_its_withdrawal_and_its_no_show(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "site"
    assert build_site(root, out, AS_OF, use_cache=False).ok
    roster = visible(text(out, "sessions/k8s-admin/index.html"))
    assert "Absent (1) Camille Dubois" in roster
    assert "Booked (3) Sofia Romano , Mei Chen , Hugo Martin Waiting (0)" in roster
    assert "Withdrawn (1) Greta Schulz 2026-11-26 : The firmware build moves" in roster
    assert "absent" in visible(text(out, "people/camille/index.html"))
    assert "withdrawn 2026-11-26" in visible(text(out, "people/greta/index.html"))
    rows = {row["person"]: row for row in csv.DictReader(io.StringIO(text(out, "exports/approvals.csv")))}
    assert (rows["camille"]["seat"], rows["camille"]["absent_on"]) == ("enrolled", "2026-10-14")
    assert (rows["greta"]["seat"], rows["greta"]["withdrawn_on"]) == ("withdrawn", "2026-11-26")
    status = {(row["person"], row["course"]): row["status"]
              for row in csv.DictReader(io.StringIO(text(out, "exports/status.csv")))}
    assert status[("camille", "k8s-admin")] == "due" and status[("hugo", "k8s-admin")] == "enrolled"
    assert ("greta", "k8s-admin") not in status


def test_a_booked_request_of_a_session_to_come_has_a_withdraw_link(make_org):
    import re
    from urllib.parse import parse_qs, urlsplit

    site = build(make_org(SESSIONS))
    hrefs = re.findall(r'href="([^"]+)"', text(site, "people/dave/index.html"))
    dave = [href.replace("&amp;", "&") for href in hrefs if ".withdraw.yaml" in href]
    query = parse_qs(urlsplit(dave[0]).query)
    assert query["filename"] == [f"{DAVE}.withdraw.yaml"]
    assert query["value"] == ["# yaml-language-server: $schema=../../../../schemas/withdrawal.schema.json\n"
                              "reason: why I withdraw\ndate: 2026-12-01\n"]
    assert not [link for link in links(text(site, "people/carol/index.html")) if ".withdraw.yaml" in link]
