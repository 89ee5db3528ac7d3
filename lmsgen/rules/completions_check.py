"""The checks of imported completion batches (`completions/<source>/<batch>.yaml`).

A batch is what an e-learning tool or learning record store reported, imported by `lmsgen
import-completions`: each entry names a person and a course that must exist, a course that accepts
imported completions (its `completion.by` names `import`), and the source's own id, which is imported
once: a second entry with the same source and id, in any batch, is an error at the second.

May import: `lmsgen.model`. Must not import: history, integrations, demo, site or commands.
"""

from __future__ import annotations

from ..model import formats as m
from ..model.organisation import Entry
from .references import Checker


def check_completions(c: Checker) -> None:
    """Adds the problems of every batch to `c`, batches in path order."""
    first_seen: dict[tuple[str, str], str] = {}
    for entry in sorted(c.org.completions, key=lambda e: e.source.path):
        batch, folder = entry.model, entry.ids["source"]
        if batch.source != folder:
            c.report(entry.source, ("source",), f"this batch is in completions/{folder}/ but names source "
                                                f"'{batch.source}': a batch names the folder it is in")
        for index, record in enumerate(batch.records):
            key = (folder, record.id)
            if key in first_seen:
                c.report(entry.source, ("records", index, "id"), f"'{record.id}' from {folder} is imported twice: "
                                                                 f"first at {first_seen[key]}")
            else:
                first_seen[key] = c.place(entry.source, ("records", index, "id"))
            c.person(entry.source, ("records", index, "person"), record.person)
            if c.course(entry.source, ("records", index, "course"), record.course):
                _accepts_import(c, entry, index, record.course)


def _accepts_import(c: Checker, entry: Entry[m.Completions], index: int, course_id: str) -> None:
    course = c.org.courses[course_id]
    if m.Completer.IMPORT in course.model.completion.by:
        return
    listed = ", ".join(k.value for k in course.model.completion.by)
    c.report(entry.source, ("records", index, "course"),
             f"course '{course_id}' does not accept imported completions: its completion.by "
             f"({c.place(course.source, ('completion',))}) allows {listed}; add 'import' to it")
