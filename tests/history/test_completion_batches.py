"""Batches of imported completions in history: append-only under `check --base`, additions dated no later than
today, and each entry credited to the commit that added it (in the audit trail and on the portal)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import commit_all, git, write_files

from lmsgen.history.audit import audit, audit_all
from lmsgen.history.pull_requests import check_change
from lmsgen.history.repository import Repository
from lmsgen.model.loading import load_root
from lmsgen.site.build import build_site
from lmsgen.site.portals import Portals
from lmsgen.site.views import SiteData

TODAY = date(2026, 12, 7)
BATCH = "completions/lrs/2026-12-01.yaml"
HEADER = "source: lrs\nrecords:\n"
FIRST = "  - {person: carol, course: incident-response, date: 2026-11-30, score: 92, id: s-1}\n"
SECOND = "  - {person: dave, course: incident-response, date: 2026-12-01, id: s-2}\n"
SETUP = {"roles/importers.yaml": "name: Importers\ngrants: [record.import]\nholders: [erin, dana]\n",
         "catalog/incident-response.yaml": "title: Incident response\nformat: webinar\n"
                                           "completion: {by: [self, import]}\n",
         BATCH: HEADER + FIRST}


@pytest.fixture
def branch(make_org):
    root = make_org(SETUP)
    git(root, "checkout", "-q", "-b", "change")
    return root


def rules(root, today=TODAY):
    with Repository(root) as repo:
        return [str(d) for d in check_change(repo, "main", load_root(root, use_cache=False).organisation,
                                             today=today)]


def test_a_batch_may_grow_at_its_end_and_a_new_batch_may_be_added(branch):
    write_files(branch, {BATCH: HEADER + FIRST + SECOND, "completions/lrs/2026-12-02.yaml": HEADER +
                         SECOND.replace("s-2", "s-3")})
    assert rules(branch) == []


def test_a_merged_batch_is_append_only_unless_an_admin_slip_gives_the_reason(branch):
    write_files(branch, {BATCH: HEADER + FIRST.replace("score: 92", "score: 93")})
    assert rules(branch) == [
        "completions/lrs/2026-12-01.yaml:3:5: entry 1 differs from the one on main (carol, incident-response on "
        "2026-11-30, id s-1): merged batches of imported completions are append-only; to change it, add "
        "completions/lrs/2026-12-01.admin.yaml giving the reason (reviewed by the holders of roles.edit)"]
    write_files(branch, {"completions/lrs/2026-12-01.admin.yaml": "reason: The LMS sent a wrong score\n"})
    assert rules(branch) == []


def test_deleting_a_batch_is_refused(branch):
    write_files(branch, {BATCH: None})
    assert rules(branch) == [
        "completions/lrs/2026-12-01.yaml:1:1: this batch is on main but the change deletes it: merged batches of "
        "imported completions are append-only; to delete it, add completions/lrs/2026-12-01.admin.yaml giving the "
        "reason (reviewed by the holders of roles.edit)"]


def test_an_imported_completion_from_the_future_or_after_its_person_left_is_refused(branch):
    write_files(branch, {BATCH: HEADER + FIRST + SECOND.replace("2026-12-01", "2026-12-09"),
                         "completions/lrs/2026-12-02.yaml": HEADER + SECOND.replace("s-2", "s-3")})
    team = (branch / "teams/platform/team.yaml").read_text()
    write_files(branch, {"teams/platform/team.yaml": team.replace("location: remote}", "location: remote, "
                                                                                       "left: 2026-11-15}")})
    assert rules(branch) == [
        "completions/lrs/2026-12-01.yaml:4:53: completion dated 2026-12-09, after today (2026-12-07): a completion "
        "is imported once it has happened",
        "completions/lrs/2026-12-02.yaml:3:53: 'dave' left on 2026-11-15 (teams/platform/team.yaml:9:113): a "
        "completion on or after that day is not imported",
    ]


def test_each_entry_is_credited_to_the_commit_that_added_it_and_the_portal_shows_it(make_org):
    root = make_org(SETUP)
    first = git(root, "rev-parse", "HEAD").strip()
    write_files(root, {BATCH: HEADER + FIRST + SECOND})
    second = commit_all(root, "second import")
    with Repository(root) as repo:
        everyone = audit_all(repo)
        assert [(e.kind, e.path, e.index, e.commit.sha) for e in audit(repo, "dave")] == [
            ("import", BATCH, 1, second)]
    assert [(e.kind, e.index, e.commit.sha) for e in everyone["carol"] if e.kind == "import"] == [
        ("import", 0, first)]
    data = SiteData(load_root(root, use_cache=False).organisation, TODAY, everyone)
    history = Portals(data).portal("dave").history
    assert [(h.event.via, h.event.by, h.audit.commit.sha) for h in history if h.event.via == "import"] == [
        ("import", "lrs", second)]


def test_the_portal_page_shows_the_batch_and_its_commit(make_org, tmp_path):
    root = make_org(SETUP)
    sha = git(root, "rev-parse", "HEAD").strip()
    result = build_site(root, tmp_path / "site", TODAY)
    assert result.ok, result.diagnostics
    page = (tmp_path / "site" / "people/carol/index.html").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if "imported from" in line)
    # "Recorded by" and "Recorded on" are cells of their own; the rows of one commit share the second
    # (docs/site.md#the-portal).
    assert re.search(f"<td>imported from lrs in batch <code>{re.escape(BATCH)}</code><td(?: rowspan=\"[0-9]+\")?>"
                     + re.escape(f'<a href="https://github.com/acme/learning/commit/{sha[:12]}">'
                                 f"{date.today().isoformat()}</a>"), row), row
