"""The exports that list people one after the other, written person by person, so that an incremental build copies
the unchanged people's rows from the last site's file instead of making them again (`pieces`, docs/site.md).

status.csv, status.json and records.csv are sorted by person: each person's rows are one piece of the file,
and the file is its header, the pieces and its end. A build notes where each person's piece is; the next
one, for a person whose inputs did not change (`Pieces.kept`), copies those bytes, a run of such people at
once, and makes the others' pieces as `exports` would. The result is the file a full build writes.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

from ..rules import json_text
from ..writing import Tree
from . import exports
from .pieces import ExportIndex, Pieces
from .views import SiteData


@dataclass(frozen=True)
class Split:
    """An export as pieces: its header, each person's piece, and its end (given whether there was any piece)."""

    head: str
    lead: int
    """The bytes each piece starts with that depend on its place (JSON's `[` or `,`): copied pieces get the right
    one."""
    groups: Callable[[SiteData], Iterator[tuple[str, Callable[[], list]]]]
    """Each person with rows, and what gives their rows (read only for the pieces that are made)."""
    piece: Callable[[SiteData, str, list], str]
    end: Callable[[bool], str]


def _status_groups(data: SiteData) -> Iterator[tuple[str, Callable[[], list]]]:
    """Each person's rows of `exports.status_rows` (their courses' and learning paths', sorted by course), made only
    for the pieces that are made: not everyone's rows sorted again to copy the kept people's bytes."""
    rows_by_person = data.rows_by_person
    programs = data.learning.programs_by_person if data.org.programs else {}
    for person in sorted(rows_by_person.keys() | programs.keys()):
        yield person, functools.partial(_person_status_rows, rows_by_person.get(person, []), programs.get(person, []))


def _person_status_rows(rows: list, views: list) -> list:
    if not views:
        return rows
    return sorted([*rows, *(view.row for view in views)], key=lambda r: r.course)  # as `exports.status_rows`


def _records_groups(data: SiteData) -> Iterator[tuple[str, Callable[[], list]]]:
    history = data.history  # pieces.History: a kept person's completions are not decoded to be copied
    for person in sorted(history):
        yield person, functools.partial(history.__getitem__, person)


def _json_piece(data: SiteData, person: str, rows: list) -> str:
    text = json_text.rows_text(row.as_json() for row in rows)  # "[\n" row ",\n" row "\n]\n"
    return "," + text[1:-3]


SPLITS: dict[str, Split] = {
    "status.json": Split("", 1, _status_groups, _json_piece, lambda any_: "\n]\n" if any_ else "[]\n"),
    "status.csv": Split(exports.csv_text([exports.STATUS_CSV_HEADER]), 0, _status_groups,
                        lambda data, _, rows: exports.csv_text(exports.status_csv_row(data, r) for r in rows),
                        lambda _: ""),
    "records.csv": Split(exports.csv_text([exports.RECORDS_CSV_HEADER]), 0,
                         _records_groups,
                         lambda data, person, events: exports.csv_text(exports.records_csv_rows(data, person, events)),
                         lambda _: ""),
}
"""The exports written in pieces, by file name (the others are written whole by `exports.FILES`)."""


def write_certifications(data: SiteData, path: Path, pieces: Pieces) -> None:
    """certifications.csv, sorted by expiry across people: each person's lines are kept as text with their sort
    keys (`Pieces.certifications`), and only the changed people's are made; then all are sorted and written."""
    lines: list[tuple[int, str, str, str]] = []
    for person, held in sorted(data.certificates.items()):
        found = pieces.certification_lines(person)
        if found is None:
            found = tuple((c.expires_on.toordinal(), c.course, exports.csv_text([exports.certification_row(data, c)]))
                          for c in held)
            pieces.keep_certification_lines(person, found)
        lines += ((expires, person, course, text) for expires, course, text in found)
    # As `SiteData.all_certificates`: by expiry, person and course (one certificate per pair). Each person's lines are
    # by expiry and course, and the people in order: a stable sort by expiry alone gives that order.
    lines.sort(key=itemgetter(0))
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(exports.csv_text([exports.CERTIFICATIONS_CSV_HEADER]))
        out.writelines(text for _, _, _, text in lines)


def write(data: SiteData, folder: Path, pieces: Pieces, old: Tree | None, old_folder: str,
          names: frozenset[str] | None = None) -> None:
    """Writes the `SPLITS` exports into `folder` (those in `names`, when given: a shard's, `shard_plan`), copying
    the kept people's pieces from the last site's exports (in `old_folder` of `old`, when they are the files the
    last build wrote), and notes their index in `pieces`."""
    for name, split in SPLITS.items():
        if names is not None and name not in names:
            continue
        previous = pieces.previous_exports.get(name)
        source = _open(old, f"{old_folder}/{name}", previous) if old is not None and previous and pieces.kept else None
        try:
            kept = pieces.kept if source is not None else frozenset()
            pieces.exports[name] = _write(data, folder / name, split, kept, source,
                                          previous[1] if previous and source is not None else {})
        finally:
            if source is not None:
                os.close(source)


def _open(tree: Tree, rel: str, previous: ExportIndex) -> int | None:
    """The last build's file at `rel`, opened, if it is still the very file that build wrote."""
    try:
        fd = tree.open_file(rel)
    except (OSError, ValueError):
        return None
    found = os.fstat(fd)
    if (found.st_ino, found.st_size, found.st_mtime_ns) != tuple(previous[0]):
        os.close(fd)
        return None
    return fd


def _write(data: SiteData, path: Path, split: Split, kept: frozenset[str], source: int | None,
           ranges: dict[str, tuple[int, int]]) -> ExportIndex:
    index: dict[str, tuple[int, int]] = {}
    lead = split.lead
    with open(path, "wb") as out:
        head = split.head.encode()
        out.write(head)
        at = len(head)
        run: list[tuple[str, int, int]] = []  # kept people whose pieces follow each other in the last file

        def copy_run() -> None:
            nonlocal at
            first_start = run[0][1]
            prefix = (b"[" if at == len(head) else b",")[:lead]
            out.write(prefix)
            out.flush()
            _copy(source, out.fileno(), first_start + lead, run[-1][2] - first_start - lead)
            for person, start, end in run:
                index[person] = (at + start - first_start, at + end - first_start)
            at += run[-1][2] - first_start
            run.clear()

        for person, items in split.groups(data):
            found = ranges.get(person) if person in kept else None
            if found is not None:
                if run and run[-1][2] != found[0]:
                    copy_run()
                run.append((person, *found))
                continue
            if run:
                copy_run()
            text = split.piece(data, person, items()).encode()
            if lead and at == len(head):
                text = b"[" + text[lead:]
            out.write(text)
            index[person] = (at, at + len(text))
            at += len(text)
        if run:
            copy_run()
        out.write(split.end(at > len(head)).encode())
    found = os.stat(path)
    return (found.st_ino, found.st_size, found.st_mtime_ns), index


def _copy(source: int | None, target: int, offset: int, count: int) -> None:
    """`count` bytes of `source` from `offset` appended to `target` (in the kernel where it can)."""
    assert source is not None
    with contextlib.suppress(OSError):
        while count > 0:
            done = os.copy_file_range(source, target, count, offset)
            if done <= 0:
                break
            offset, count = offset + done, count - done
    while count > 0:
        chunk = os.pread(source, min(count, 1 << 20), offset)
        if not chunk:
            raise OSError(f"the last site's export ended {count} bytes early")
        os.write(target, chunk)
        offset, count = offset + len(chunk), count - len(chunk)
