"""A records file as the checks of records read it, made where its model is at hand.

Records files are most of a large organisation. A cold run validates each one in the worker process that
parsed it and summarises it there (`summarise`); the main process then keeps no model of it, only the
summary, remembered under the file's blob id (`SUMMARY`), which `rules/records_check.py` reads. What the
summary holds is described there.
"""

from __future__ import annotations

from .formats import Records

SUMMARY = "records-summary"
"""The memo's kind for a records file's summary, by its blob id; remembered as `Memo.derive` remembers a result."""

Summary = tuple[str, list[tuple[str, str, int]], str]
"""The person; each record's course, recorder and checklist length (-1 without a checklist); and the ids of the
courses the file names, sorted and joined by NUL."""


def summarise(model: Records) -> Summary:
    """The summary of a valid records file."""
    return (model.person, [(record.course, record.by, -1 if record.checklist is None else len(record.checklist))
                           for record in model.records],
            "\0".join(sorted({record.course for record in model.records})))
