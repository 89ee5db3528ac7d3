"""The checks of imported completion batches: people, courses that accept imports, ids imported once, owners."""

from __future__ import annotations

from datetime import date

from conftest import DESIGN_ORG

from lmsgen.model.loading import load_root
from lmsgen.rules.engine import status_rows
from lmsgen.rules.validation import validate_root

IMPORTERS = {"roles/importers.yaml": "name: Importers\ngrants: [record.import]\nholders: [erin, dana]\n"}
ACCEPTS = {"catalog/incident-response.yaml": "title: Incident response\nformat: webinar\n"
                                             "completion: {by: [self, import]}\n"}


def messages(root):
    return [str(d) for d in validate_root(root, use_cache=False).diagnostics if d.is_error]


def test_a_batch_names_known_people_and_courses_that_accept_imports_and_each_id_once(make_org):
    root = make_org({**IMPORTERS, **ACCEPTS,
                     "completions/lrs/2026-11-30.yaml": "source: lrs\nrecords:\n"
                     "  - {person: carol, course: incident-response, date: 2026-11-30, id: a1}\n"
                     "  - {person: zed, course: incident-response, date: 2026-11-30, id: a2}\n"
                     "  - {person: carol, course: secure-coding, date: 2026-11-30, id: a3}\n"
                     "  - {person: carol, course: nope, date: 2026-11-30, id: a4}\n",
                     "completions/lrs/2026-12-01.yaml": "source: lrs\nrecords:\n"
                     "  - {person: dave, course: incident-response, date: 2026-12-01, id: a1, passed: false}\n",
                     "completions/moodle/2026-12-01.yaml": "source: lms\nrecords:\n"
                     "  - {person: dave, course: incident-response, date: 2026-12-01, id: a1}\n"})
    assert messages(root) == [
        "completions/lrs/2026-11-30.yaml:4:14: unknown person 'zed': no team file lists this person",
        "completions/lrs/2026-11-30.yaml:5:29: course 'secure-coding' does not accept imported completions: its "
        "completion.by (catalog/secure-coding.yaml:17:13) allows self, manager, mentor, trainer; add 'import' to it",
        "completions/lrs/2026-11-30.yaml:6:29: unknown course 'nope': there is no catalog/nope.yaml",
        "completions/lrs/2026-12-01.yaml:3:69: 'a1' from lrs is imported twice: first at "
        "completions/lrs/2026-11-30.yaml:3:70",
        "completions/moodle/2026-12-01.yaml:1:9: this batch is in completions/moodle/ but names source 'lms': a "
        "batch names the folder it is in",
    ]


def test_a_batch_that_is_not_valid_is_one_error_at_its_place(make_org):
    root = make_org({**IMPORTERS, **ACCEPTS, "completions/lrs/b.yaml": "source: lrs\nrecords:\n"
                     "  - {person: carol, course: incident-response, date: 2026-11-30, id: ' a1', score: 120}\n"})
    assert messages(root) == [
        "completions/lrs/b.yaml:3:70: records[0].id: string should match pattern '^\\S(?:.*\\S)?$'",
        "completions/lrs/b.yaml:3:84: records[0].score: input should be less than or equal to 100"]


def test_once_a_course_accepts_imports_someone_must_own_the_batches(make_org):
    root = make_org(ACCEPTS)
    assert messages(root) == [
        "org.yaml:1:1: nobody owns /completions/, so on the git host anyone may approve it; no role grants "
        "record.import: add one under roles/, with holders who have git logins"]
    assert messages(make_org({**IMPORTERS, **ACCEPTS}, name="owned")) == []
    assert "completions" not in DESIGN_ORG  # without a course that accepts imports, nobody needs to own them


def test_an_imported_completion_counts_for_the_status_and_a_failed_attempt_does_not(make_org):
    root = make_org({**IMPORTERS, **ACCEPTS,
                     "assignments/everyone.yaml": "title: All\ncourses: [incident-response]\ndue: 2026-12-31\n",
                     "completions/lrs/b.yaml": "source: lrs\nrecords:\n"
                     "  - {person: carol, course: incident-response, date: 2026-11-30, score: 92, id: a1}\n"
                     "  - {person: dave, course: incident-response, date: 2026-11-30, score: 20, id: a2, "
                     "passed: false}\n"})
    rows = {row.person: row for row in status_rows(load_root(root, use_cache=False).organisation, date(2026, 12, 7))
            if row.course == "incident-response"}
    assert (rows["carol"].status.value, rows["carol"].completed_on) == ("done", date(2026, 11, 30))
    assert (rows["dave"].status.value, rows["dave"].completed_on) == ("due", None)
