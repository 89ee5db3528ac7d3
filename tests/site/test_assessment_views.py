"""Pass marks, attempts, checklists and prerequisites on the site (docs/assessments.md): the portal's to-do list,
history and electives, the dashboard and the exports."""

from __future__ import annotations

import io
import textwrap
from datetime import date

from conftest import DESIGN_ORG

from lmsgen.model.loading import load_root
from lmsgen.site import exports, reports
from lmsgen.site.portals import Portals
from lmsgen.site.views import SiteData

CODING = "catalog/secure-coding.yaml"
ADMIN = "catalog/k8s-admin.yaml"


def text_of(path: str) -> str:
    return textwrap.dedent(DESIGN_ORG[path]).lstrip("\n")


def site(make_org, as_of=date(2026, 11, 30)) -> SiteData:
    """The sample organisation (conftest.py) where carol's 92 in secure-coding fails a pass mark of 95, her only attempt."""
    root = make_org({CODING: text_of(CODING) + "pass_mark: 95\nattempts: 1\n",
                     ADMIN: text_of(ADMIN) + "prerequisites: [security-intro]\n"})
    return SiteData(load_root(root, use_cache=False).organisation, as_of)


def test_the_portal_says_the_attempts_are_used_up_and_shows_the_failed_attempt(make_org):
    data = site(make_org)
    portal = Portals(data).portal("carol")
    todo = {a.row.course: a for a in portal.todo}
    assert (todo["secure-coding"].row.status.value, todo["secure-coding"].progress) == \
        ("overdue", "attempts used up: your manager decides")
    assert [(h.event.course, h.result) for h in portal.history if h.event.course == "secure-coding"] == \
        [("secure-coding", "failed, score 92")]
    assert todo["secure-coding"].record.text.startswith(
        "  - {course: secure-coding, date: 2026-11-30, by: carol, checklist: [false, false]}  "
        "# Performs a code review with the checklist, ...")
    assert [r.person for r in reports.dashboard(data, "platform").attempts_used_up] == ["carol"]


def test_electives_show_their_unmet_prerequisites(make_org):
    portal = Portals(site(make_org)).portal("dave")
    assert {e.id: e.unmet for e in portal.electives}["k8s-admin"] == ("security-intro",)


def test_the_exports_show_scores_results_and_attempts(make_org):
    data = site(make_org)
    records = exported(exports.records_csv, data)
    assert records[0].endswith(",path,commit,score,result,checklist")
    carol = [line for line in records if line.startswith("carol,") and ",secure-coding," in line]
    assert carol == ["carol,Carol Diaz,platform,secure-coding,Secure coding basics,2026-03-02,record,carol,,,"
                     "teams/platform/records/carol.yaml,,92,failed,"]
    status = [line for line in exported(exports.status_csv, data) if line.startswith("carol,")
              and ",secure-coding," in line]
    assert status == ["carol,Carol Diaz,platform,secure-coding,Secure coding basics,overdue,2026-01-31,,,"
                      "security-baseline,1,0,yes"]


def test_the_pages_show_failed_attempts_partial_checklists_and_what_counts(make_org):
    from test_build import build, text, visible

    ojt = "catalog/k8s-ojt.yaml"
    root = make_org({CODING: text_of(CODING) + "pass_mark: 95\nattempts: 1\n",
                     ADMIN: text_of(ADMIN) + "prerequisites: [security-intro]\n",
                     ojt: text_of(ojt) + "checklist_required: 2\n",
                     "teams/platform/records/carol.yaml": text_of("teams/platform/records/carol.yaml").replace(
                         "checklist: [true, true]", "checklist: [true, false]")})
    site = build(root)
    carol = visible(text(site, "people/carol/index.html"))
    assert "overdue attempts used up: your manager decides" in carol
    assert "failed, score 92" in carol and "1 of 2 items (in progress)" in carol
    dave = visible(text(site, "people/dave/index.html"))
    assert "Prerequisites not met: Security introduction" in dave
    course = visible(text(site, "catalog/secure-coding/index.html"))
    assert "A score of at least 95 passes; a lower score is a failed attempt (1 attempt, then your manager " \
           "decides)." in course
    assert "At least 2 of the 2 checklist items ticked." in visible(text(site, "catalog/k8s-ojt/index.html"))
    assert "Attempts used up" in visible(text(site, "teams/platform/index.html"))


def exported(export, data) -> list[str]:
    """The lines of one of the site's exports."""
    stream = io.StringIO()
    export(data, stream)
    return stream.getvalue().splitlines()
