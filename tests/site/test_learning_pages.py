"""Learning paths and skills on the site (docs/learning-paths.md): the portal's progress and next step, the team
dashboard's program completion and skills matrix, the exports' program rows; all of it escaped."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

from conftest import DESIGN_ORG, K8S_PATH

from lmsgen.cli import main
from lmsgen.site.build import build_site

AS_OF = date(2026, 12, 10)
PATH = K8S_PATH
RULE = """
    title: Kubernetes path for Platform
    courses: [program:k8s-path]
    audience: {teams: [platform]}
    from: 2026-06-01
    """
CHANGES = {
    "programs/k8s-path.yaml": PATH,
    "assignments/k8s.yaml": RULE,
    "profiles/engineer.yaml": "title: Engineer\nskills: {kubernetes: 2, security: 1}\n",
    "catalog/k8s-admin.yaml": DESIGN_ORG["catalog/k8s-admin.yaml"] + "skills: [{id: kubernetes, level: 2}]\n",
}


def build(root: Path) -> Path:
    out = root.parent / "site"
    result = build_site(root, out, AS_OF)
    assert result.ok, result.diagnostics
    return out


def visible(html: str) -> str:
    start = html.index('<div class="lms')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:])).strip()


def test_the_portal_shows_progress_next_step_and_skills(make_org):
    site = build(make_org(CHANGES))
    carol = visible((site / "people/carol/index.html").read_text(encoding="utf-8"))
    assert ("Learning paths Learning path Status Progress Next Due Why Kubernetes path overdue 50% 1 of 2 steps "
            "Step 1: Security introduction 2026-11-28 Kubernetes path for Platform Skills") in carol
    # attended k8s-admin: kubernetes 2 of target 2; secure-coding gives security 1
    assert "Skill Your level Target kubernetes 2 2 security 1 1 Booked" in carol
    bob = visible((site / "people/bob/index.html").read_text(encoding="utf-8"))
    assert "Kubernetes path overdue 0% 0 of 2 steps Step 1: Security introduction 2026-11-28" in bob
    assert "Skill Your level Target kubernetes 0 2 gap security 0 1 gap Booked" in bob


def test_the_dashboard_shows_program_completion_and_a_skills_matrix(make_org):
    records = DESIGN_ORG["teams/platform/records/carol.yaml"] + \
        "  - {course: security-intro, date: 2026-12-05, by: carol}\n"
    site = build(make_org({**CHANGES, "teams/platform/records/carol.yaml": records}))
    page = visible((site / "teams/platform/index.html").read_text(encoding="utf-8"))
    assert "Learning paths Learning path Assigned Completed Overdue Kubernetes path 4 1 of 4 3" in page
    assert "Skills matrix" in page
    assert "Carol Diaz engineer 2/2 1/1" in page and "Bob Lee engineer 0/2 0/1" in page


def test_the_exports_list_program_rows_like_the_status_command(make_org, capsys):
    root = make_org(CHANGES)
    site = build(root)
    rows = list(csv.DictReader(io.StringIO((site / "exports/status.csv").read_text(encoding="utf-8"))))
    carol = next(r for r in rows if r["person"] == "carol" and r["course"] == "program:k8s-path")
    assert (carol["title"], carol["status"], carol["due"], carol["source"]) == (
        "Learning path: Kubernetes path", "overdue", "2026-11-28", "k8s")
    assert main(["--root", str(root), "status", "--format", "json", "--as-of", AS_OF.isoformat()]) == 0
    printed = capsys.readouterr().out
    assert (site / "exports/status.json").read_text(encoding="utf-8") == printed
    assert any(row["course"] == "program:k8s-path" for row in json.loads(printed))


def test_program_titles_and_skills_are_escaped(make_org):
    hostile = PATH.replace("title: Kubernetes path", "title: \"<script>alert('path')</script>\"")
    site = build(make_org({**CHANGES, "programs/k8s-path.yaml": hostile,
                           "profiles/engineer.yaml": "title: \"<b>E</b>\"\nskills: {kubernetes: 2}\n"}))
    for page in ("people/carol/index.html", "teams/platform/index.html", "teams/engineering/index.html"):
        content = (site / page).read_text(encoding="utf-8")
        assert "<script>alert('path')" not in content
        assert "&lt;script&gt;alert(&#39;path&#39;)&lt;/script&gt;" in content
