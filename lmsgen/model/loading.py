"""Reading a whole organisation repository into typed models, with every problem as a Diagnostic.

Files come as (path, bytes) from any source (`files`), are classified by the layout, parsed (in
parallel when many are new, each parse remembered under its blob id), validated into their models,
and assembled into an `Organisation`. Bad data never raises: it becomes diagnostics. org.yaml is
validated first: the others' validation reads its time zone (`times.validation_context`).
"""

from __future__ import annotations

import marshal
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache.digests import StatKey, blob_id
from ..cache.memo import Memo
from ..gcpause import collector_paused, keep_until_exit, let_go
from .diagnostics import Diagnostic, error
from .files import FileRef, ReadOnce, unreadable, worktree_files, worktree_listing
from .formats import Records
from .layout import FAST_PATHS, THEME_ASSETS, FileKind, classify, stem
from .organisation import Entry, Organisation, Source
from .records_summary import SUMMARY, summarise
from .times import validation_context
from .validate import validate_data
from .yamlfile import YamlError, parse


@dataclass
class LoadResult:
    organisation: Organisation
    diagnostics: list[Diagnostic]
    memo: Memo
    """The memo the files came through, for the results later stages derive from them."""


_PARALLEL_BYTES = 8 * 1024 * 1024
"""Above this many new bytes the parse is spread over processes; below, start-up costs more."""


def load(files: Iterable[FileRef], memo: Memo | None = None, *, save: bool = True,
         prepared: dict[str, Any] | None = None) -> LoadResult:
    """Parses, validates and assembles an organisation from its files; never raises on bad data.

    Without a memo, nothing is kept beyond the run. The memo is saved at the end unless `save` is False:
    for a caller that derives more from it and saves it once. `prepared` holds, by path, files already
    parsed where they were read (see `load_root`), as `_prepare` hands them back.
    """
    memo = memo or Memo.in_memory()
    with collector_paused():
        result = _load(files, memo, prepared or {})
    if save:
        memo.save()
    return result


def _load(files: Iterable[FileRef], memo: Memo, prepared: dict[str, Any]) -> LoadResult:
    diagnostics: list[Diagnostic] = []
    classified: list[tuple[FileRef, FileKind, dict[str, str]]] = []
    theme_files: dict[str, Source] = {}
    fast = [(pattern.fullmatch, kind) for pattern, kind in FAST_PATHS]  # `classify`'s answer, at once
    for ref in files:
        for fullmatch, fast_kind in fast:
            match = fullmatch(ref.path)
            if match is not None:
                classified.append((ref, fast_kind, match.groupdict()))
                break
        if match is not None:
            continue
        kind, ids, problem = classify(ref.path)
        if problem:
            diagnostics.append(error(ref.path, (1, 1), problem))
        elif kind is not None:
            classified.append((ref, kind, ids))
        elif ref.path.startswith(THEME_ASSETS):
            theme_files[ref.path] = Source(ref.path, ref.read, ref.blob)
    classified.sort(key=lambda item: item[1].name != "org")

    # Records are most of a large organisation, and a warm `check` reads only those that changed: bytes that
    # this lmsgen found valid before are neither decoded nor validated until something reads them.
    record_refs = [ref for ref, kind, _ in classified if kind.name == "records"]
    valid = [ref for ref, known in zip(record_refs, memo.contains_each(_VALID, [ref.blob for ref in record_refs])) if known]
    deferred = {ref.path for ref, known in zip(valid, memo.contains_each(_PARSED, [ref.blob for ref in valid])) if known}
    deferred.update(_known_valid(classified, memo))
    records = {ref.path for ref in record_refs}
    parsed = _parse_all([ref for ref, _, _ in classified if ref.path not in deferred], memo, records, prepared)
    organisation = Organisation(theme_files=theme_files)
    adders = _adders(organisation)  # made once: a large organisation has 140,000 files
    context = validation_context(None)
    org_blob = _org_blob(classified)
    for ref, kind, ids in classified:
        source = Source(ref.path, ref.read, ref.blob)
        file_id = stem(kind, ids)
        if ref.path in deferred:  # validated, as any file but records, with org.yaml's context (`_known_valid`)
            adders[kind.name](Entry.deferred(file_id, kind.model, _remembered_data(ref, memo), source, ids,
                                             None if kind.name == "records" else context))
            continue
        outcome = parsed[ref.path]
        if outcome is _SUMMARISED:  # a valid records file, validated and summarised where it was parsed
            adders[kind.name](Entry.deferred(file_id, kind.model, _remembered_data(ref, memo), source, ids))
            continue
        if isinstance(outcome, YamlError):
            diagnostics.append(error(ref.path, outcome.position, outcome.message))
            model = None
        else:
            model = validate_data(kind, outcome, source, diagnostics, context)
        if model is None:
            organisation.broken.add((kind.name, file_id))
        else:
            adders[kind.name](Entry(file_id, model, source, ids))
            if kind.name == "org":
                context = validation_context(model.timezone)
            if kind.name == "records":
                memo.remember(_VALID, ref.blob, value=True)
            elif kind.name != "org" and ref.blob and org_blob != "?":
                memo.remember(_VALID_FILE, kind.name, org_blob, ref.blob, value=True)
    return LoadResult(organisation, diagnostics, memo)


def _org_blob(classified: list[tuple[FileRef, FileKind, dict[str, str]]]) -> str:
    """The blob id of org.yaml (first of `classified` when there is one; "-" when there is none): what the
    validation context of the other files follows from (`times.validation_context`)."""
    first = classified[0] if classified else None
    return first[0].blob or "?" if first is not None and first[1].name == "org" else "-"


def _known_valid(classified: list[tuple[FileRef, FileKind, dict[str, str]]], memo: Memo) -> set[str]:
    """The paths of the files other than records and org.yaml whose bytes this lmsgen found valid before, as files
    of their kind, with the org.yaml of this blob (so with the same validation context), and whose parsed form
    it remembers: like a valid records file, each is neither decoded nor validated until something reads it (a
    warm `check` reads few of the requests and slips, 30,000 files at size L). A file without a blob id is not."""
    org_blob = _org_blob(classified)
    if org_blob == "?":
        return set()
    others = [(ref, kind) for ref, kind, _ in classified if kind.name not in ("records", "org") and ref.blob]
    valid = [ref for (ref, kind), known in zip(others, memo.contains_each(
        _VALID_FILE, [f"{kind.name}\0{org_blob}\0{ref.blob}" for ref, kind in others])) if known]
    return {ref.path for ref, known in zip(valid, memo.contains_each(_PARSED, [ref.blob for ref in valid])) if known}


_PARSED = "parsed"
"""A file's plain data, by its blob id."""
_VALID = "valid-records"
"""That a records file's bytes, by their blob id, passed validation."""
_VALID_FILE = "valid-file"
"""That a file's bytes passed validation, by its kind's name, org.yaml's blob id and its blob id (`_known_valid`)."""


def _remembered_data(ref: FileRef, memo: Memo) -> Callable[[], Any]:
    """The parsed data of a file known to be valid: remembered, or parsed again if the memo lost it."""
    return lambda: memo.recall(_PARSED, ref.blob, keep=False) or parse(ref.read())


def _add(organisation: Organisation, kind: FileKind, entry: Entry[Any]) -> None:
    _adders(organisation)[kind.name](entry)


def _adders(organisation: Organisation) -> dict[str, Callable[[Entry[Any]], None]]:
    """For each kind's name, what adds an entry of it to `organisation`."""

    def setter(name: str) -> Callable[[Entry[Any]], None]:
        return lambda entry: setattr(organisation, name, entry)

    collections: dict[str, Any] = {
        "course": organisation.courses, "role": organisation.roles, "team": organisation.teams,
        "rule": organisation.rules, "team-assignments": organisation.team_assignments,
        "budget": organisation.budgets, "records": organisation.records, "request": organisation.requests,
        "slip": organisation.slips, "withdrawal": organisation.withdrawals, "admin-slip": organisation.admin_slips,
        "attendance-admin-slip": organisation.admin_slips, "attendance": organisation.attendance,
        "completions-admin-slip": organisation.admin_slips, "completions": organisation.completions,
        "program": organisation.programs, "profile": organisation.profiles,
        "vendor": organisation.vendors,
    }
    adders: dict[str, Callable[[Entry[Any]], None]] = {"org": setter("org"), "theme": setter("theme")}
    for name, collection in collections.items():
        adders[name] = ((lambda entry, into=collection: into.__setitem__(entry.id, entry))
                        if isinstance(collection, dict) else collection.append)
    return adders


def _parse_all(refs: list[FileRef], memo: Memo, records: set[str], prepared: dict[str, Any]) -> dict[str, Any]:
    """Each file's data (or YamlError) by path; for a records file of `records` that the process which parsed it
    found valid, `_SUMMARISED` (its parsed form, validity and summary are remembered, see `_prepare`). The
    outcomes of files in `prepared` are taken from there."""
    results: dict[str, Any] = {}
    missing: list[FileRef] = []
    ready: list[tuple[FileRef, Any]] = []
    for ref in refs:
        if ref.path in prepared:
            ready.append((ref, prepared[ref.path]))
            continue
        data = memo.recall(_PARSED, ref.blob, keep=False)
        if data is None:
            missing.append(ref)
        else:
            results[ref.path] = data
    raws = [ref.read() for ref in missing]
    wanted = [ref.path in records for ref in missing]
    if sum(map(len, raws)) > _PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
        outcomes = _parse_in_processes(raws, wanted)
    else:
        outcomes = _prepare_chunk(raws, wanted)
    del raws
    for ref, outcome in [*ready, *zip(missing, outcomes)]:
        if type(outcome) is tuple:
            encoded, summary = outcome
            memo.remember_encoded(_PARSED, ref.blob, encoded=encoded)
            if summary is not None:
                memo.remember(_VALID, ref.blob, value=True)
                memo.remember_encoded(SUMMARY, ref.blob, encoded=summary)
                results[ref.path] = _SUMMARISED
            else:
                results[ref.path] = marshal.loads(encoded)
        else:
            results[ref.path] = outcome
            if not isinstance(outcome, YamlError) and outcome is not None:
                memo.remember(_PARSED, ref.blob, value=outcome)
    return results


_SUMMARISED = object()
"""The outcome of a records file found valid where it was parsed: it is loaded deferred, as in a warm run."""


def _parse_one(raw: bytes) -> Any:
    try:
        return parse(raw)
    except YamlError as problem:
        return problem


def _prepare(raw: bytes, records: bool) -> Any:
    """A file's outcome as the process that parsed it hands it back: a YamlError, None (an empty file), or the
    data marshalled (quicker to hand over than pickled, and kept so by the memo) with, for a records file
    (`records`) that validates, its summary (`records_summary`, as `Memo.derive` remembers it; else None).

    A records file is most of a large organisation: validating and summarising it here, in parallel, leaves
    the main process no model of it to build or keep. Records hold no session time, so their validation needs
    no context from org.yaml; any failure here (a problem in the file) leaves the file to the main process,
    which validates it again and reports each problem at its place. Data marshal cannot hold comes back as it is.
    """
    outcome = _parse_one(raw)
    if isinstance(outcome, YamlError) or outcome is None:
        return outcome
    try:
        encoded = marshal.dumps(outcome)
    except ValueError:
        return outcome
    summary = None
    if records and isinstance(outcome, dict):
        try:
            summary = marshal.dumps((summarise(Records.model_validate(outcome)), None, []))
        except Exception:  # noqa: BLE001 - see the docstring
            pass
    return encoded, summary


def _prepare_chunk(raws: list[bytes], records: list[bool]) -> list[Any]:
    with collector_paused(freeze=False):  # in a worker: many long-lived objects, no cycles
        return [_prepare(raw, wanted) for raw, wanted in zip(raws, records)]


_CHUNK_BYTES = 4 * 1024 * 1024
"""About this many bytes of files go to a worker at a time: chunks small enough that the results come back
steadily, and large enough that handing them over costs little."""


def _parse_in_processes(raws: list[bytes], records: list[bool]) -> list[Any]:
    """Every file's outcome (see `_prepare`), parsed by a pool of processes in chunks.

    A worker that dies (killed, out of memory, a crash in a reader) breaks the whole pool: the files of every
    chunk without an answer are parsed again one by one (`_parse_alone`), so that the file that kills a process
    is named and no other file's problems go unreported.
    """
    from concurrent.futures import ProcessPoolExecutor  # a hundredth of a second to import: only when cold
    from concurrent.futures.process import BrokenProcessPool

    workers = os.cpu_count() or 2
    sizes = list(map(len, raws))
    bounds = _chunks(sizes, max(1, min(_CHUNK_BYTES, sum(sizes) // (workers * 4))))
    outcomes: list[Any] = [None] * len(raws)
    unanswered: list[int] = []
    with ProcessPoolExecutor(workers) as pool:
        chunks: list[tuple[int, int, Any]] = []
        for start, end in bounds:
            try:
                chunks.append((start, end, pool.submit(_prepare_chunk, raws[start:end], records[start:end])))
            except BrokenProcessPool:  # a worker died while the chunks were still being handed out
                chunks.append((start, end, None))
        for start, end, chunk in chunks:
            try:
                if chunk is None:
                    raise BrokenProcessPool
                outcomes[start:end] = chunk.result()
            except BrokenProcessPool:
                unanswered += range(start, end)
    alone = _parse_alone([raws[index] for index in unanswered], [records[index] for index in unanswered])
    for index, outcome in zip(unanswered, alone):
        outcomes[index] = outcome
    return outcomes


def _chunks(sizes: list[int], size: int) -> list[tuple[int, int]]:
    """(start, end) of consecutive runs of files of these `sizes` of about `size` bytes each."""
    bounds: list[tuple[int, int]] = []
    start, total = 0, 0
    for index, length in enumerate(sizes):
        total += length
        if total >= size:
            bounds.append((start, index + 1))
            start, total = index + 1, 0
    if start < len(sizes):
        bounds.append((start, len(sizes)))
    return bounds


_MOST_STOPS = 8
"""Processes that may die before the files left are given up on: some cause other than a file is killing them."""


def _parse_alone(raws: list[bytes], records: list[bool]) -> list[Any]:
    """Every file's outcome from one worker process at a time, in order. When the process dies, the file it was
    reading is read again in a process of its own, to be sure it is the cause, and a new process goes on."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    outcomes: list[Any] = []
    stops = 0
    while len(outcomes) < len(raws) and stops < _MOST_STOPS:
        with ProcessPoolExecutor(1) as pool:
            for raw in raws[len(outcomes):]:
                try:  # submitting to a pool whose process just died raises too, not only waiting on it
                    outcomes.append(pool.submit(_prepare, raw, records[len(outcomes)]).result())
                except BrokenProcessPool:
                    break
        if len(outcomes) < len(raws):
            stops += 1
            with ProcessPoolExecutor(1) as pool:
                try:
                    outcomes.append(pool.submit(_prepare, raws[len(outcomes)], records[len(outcomes)]).result())
                except BrokenProcessPool:
                    outcomes.append(_stopped())
    return outcomes + [_stopped() for _ in raws[len(outcomes):]]


def _stopped() -> YamlError:
    return YamlError("reading this file stopped the process that read it: it could not be read; "
                     "check its size and nesting, or report it to lmsgen's maintainers")
def load_root(root: Path, *, use_cache: bool = True, save: bool = True) -> LoadResult:
    """Loads the organisation in the working tree at `root` (`save` as for `load`).

    The organisation is kept until the process leaves (`gcpause.keep_until_exit`): at size L it is a gigabyte of
    objects, torn down for nothing when the command that loaded it returns. The memo is not kept with it: what
    lets go of it (`Entry.release`) still frees it."""
    let_go()  # the organisation loaded here before, if no one holds it any more: not two at once
    with collector_paused(freeze=False):  # a listing and a ref a file, and the cache's stats: no cycles
        memo, listing = _opened(root, use_cache)
        unread: dict[str, StatKey] = {}
        refs, problems = worktree_files(root, memo, unread, listing)
    prepared: dict[str, Any] = {}
    if unread:
        with collector_paused(freeze=False):  # what the workers hand back: many objects, no cycles
            refs = _read_unread(root, refs, unread, memo, prepared, problems)
    result = load(refs, memo, save=save, prepared=prepared)
    result.diagnostics[:0] = problems
    keep_until_exit(result.organisation)
    return result


def _opened(root: Path, use_cache: bool) -> tuple[Memo, list[tuple[str, Any]]]:
    """The memo of the organisation at `root` and its working tree's listing, read at once: the cache file (0.1 GB
    at size L; its large entries stay in the bulk file until asked for) is read and verified in a thread while the
    tree is listed, both mostly waiting on the system."""
    if not use_cache:
        return Memo.in_memory(), worktree_listing(root)
    opened: list[Memo] = []
    thread = threading.Thread(target=lambda: opened.append(Memo.for_root(root)), daemon=True)
    thread.start()
    try:
        listing = worktree_listing(root)
    finally:
        thread.join()
    return (opened[0] if opened else Memo.for_root(root)), listing


def _read_unread(root: Path, refs: list[FileRef], unread: dict[str, StatKey], memo: Memo, prepared: dict[str, Any],
                 problems: list[Diagnostic]) -> list[FileRef]:
    """`refs` with the blob id of each file the memo did not know (`unread`), which is read and hashed now.

    When they are many (a cold run), worker processes read them, and parse what they read: the main process
    never holds their bytes, and the outcomes go into `prepared`. A file a worker did not answer for (its
    process died) is read here, and parsed as any other (`_parse_all`). A file that cannot be read is an error
    at its path, as `files.worktree_files` makes it."""
    answers: dict[str, Any] = {}
    if sum(key[0] for key in unread.values()) > _PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
        answers = _read_in_processes(str(root), [(path, _mode(path)) for path in unread], unread)
    kept: list[FileRef] = []
    for ref in refs:
        if ref.blob:
            kept.append(ref)
            continue
        answer = answers.get(ref.path)
        try:
            if answer is None:
                raw = ref.read()
                blob, reader = blob_id(raw), ReadOnce(raw, ref.read)
            elif isinstance(answer, OSError):
                raise answer
            else:
                blob, reader = answer[0], ref.read
                if len(answer) == 2:
                    prepared[ref.path] = answer[1]
        except OSError as problem:
            problems.append(error(ref.path, (1, 1), unreadable(problem)))
            continue
        memo.remember_blob(ref.path, unread[ref.path], blob)
        kept.append(FileRef(ref.path, blob, reader))
    return kept


def _mode(path: str) -> int:
    """What a worker does with the file at `path` once read: 0 hash it, 1 also parse it, 2 also summarise it."""
    kind, _, problem = classify(path)
    return 0 if problem or kind is None else 2 if kind.name == "records" else 1


def _read_chunk(root: str, items: list[tuple[str, int]]) -> list[Any]:
    """For each (path, mode) a worker reads: an OSError, or the blob id, with the outcome (`_prepare`) unless the
    mode is 0."""
    answers: list[Any] = []
    with collector_paused(freeze=False):
        for path, mode in items:
            try:
                with open(os.path.join(root, path), "rb") as handle:
                    raw = handle.read()
            except OSError as problem:
                answers.append(problem)
                continue
            answers.append((blob_id(raw), _prepare(raw, mode == 2)) if mode else (blob_id(raw),))
    return answers


def _read_in_processes(root: str, items: list[tuple[str, int]], unread: dict[str, StatKey]) -> dict[str, Any]:
    """What `_read_chunk` answers for each path, from a pool of processes; a chunk whose process died has none."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    workers = os.cpu_count() or 2
    sizes = [unread[path][0] for path, _ in items]
    bounds = _chunks(sizes, max(1, min(_CHUNK_BYTES, sum(sizes) // (workers * 4))))
    answers: dict[str, Any] = {}
    with ProcessPoolExecutor(workers) as pool:
        chunks = []
        for start, end in bounds:
            try:
                chunks.append((start, end, pool.submit(_read_chunk, root, items[start:end])))
            except BrokenProcessPool:
                break
        for start, end, chunk in chunks:
            try:
                answers.update(zip((path for path, _ in items[start:end]), chunk.result()))
            except BrokenProcessPool:
                pass
    return answers
