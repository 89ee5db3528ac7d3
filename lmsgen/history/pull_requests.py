"""The pull-request rules of `lmsgen check --base REF`: what a change may do to what is already merged.

The change is compared as two organisations, the one at the merge base and the one under
review, so the rules see data rather than text: reformatting a file or editing its comments
changes nothing, and a person's files that move with them to a new team keep their identity
(the person, request and slip named by the path).

- Records, requests and approval slips are append-only. A merged records file may only gain
  records after its old ones (identical, in order); a merged request or slip may not change; none
  may be deleted. An admin slip beside the file (`<file stem>.admin.yaml`, or `<request>.admin.yaml`
  for a request and its slips), added or changed by the same change, gives the reason that allows
  it; CODEOWNERS routes it to the holders of roles.edit.
- CODEOWNERS is generated from roles/, teams/ and the catalog's trainers, so a change to a current
  CODEOWNERS must come with a change to those that gives different owners.
- A record the change adds is made by someone its course allows for that person (`by`): judged
  now, when it is added, and not again when the recorder later moves or leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..cache.memo import Memo
from ..model.diagnostics import Diagnostic, error
from ..model.files import read_file
from ..model.organisation import Entry, Organisation
from ..rules import codeowners, policy, recorders
from .repository import Repository

_Identity = tuple[str, ...]


@dataclass(frozen=True)
class Side:
    """One side of the change: the organisation and its CODEOWNERS text (None when there is none, or when
    what is there is refused: `refused` says why)."""

    organisation: Organisation
    codeowners: bytes | None
    refused: Diagnostic | None = None


def check_change(repo: Repository, ref: str, head: Organisation, at: str | None = None,
                 memo: Memo | None = None) -> list[Diagnostic]:
    """The rules for the change from the merge base of `ref` and HEAD (or `at`) to `head`: the
    organisation of the working tree (HEAD with uncommitted changes, or a pull request's head in
    CI), or with `at`, of that commit."""
    base_rev = repo.merge_base(ref, at or "HEAD")
    base = repo.load_at(base_rev, memo).organisation
    before = codeowners.CODEOWNERS_FILE[codeowners.host_of(base)]
    after = codeowners.CODEOWNERS_FILE[codeowners.host_of(head)]
    head_codeowners, refused = read_file(repo.root, after) if at is None else repo.read_at(at, after)
    return diagnostics(Side(base, repo.file_at(base_rev, before)), Side(head, head_codeowners, refused), ref)


def diagnostics(base: Side, head: Side, ref: str) -> list[Diagnostic]:
    """Every way `head` breaks the rules for a change from `base`; `ref` names the base in messages."""
    added = added_records(base.organisation, head.organisation)
    return sorted(_append_only(base.organisation, head.organisation, ref) + _codeowners(base, head, ref)
                  + recorders.recorder_errors(head.organisation, added))


def added_records(base: Organisation, head: Organisation) -> list[tuple[Entry[Any], int]]:
    """The records `head` has that `base` has not: each (records file, index) after the base's records
    of the same person (all of a file that is new)."""
    before = {entry.ids["person"]: entry for entry in base.records}
    added = []
    for entry in head.records:
        old = before.get(entry.ids["person"])
        if old is not None and _same_bytes(old, entry):
            continue  # most files of a large organisation: neither side needs reading
        start = len(old.model.records) if old is not None else 0
        added += [(entry, index) for index in range(start, len(entry.model.records))]
    return added


def _same_bytes(old: Entry[Any], new: Entry[Any]) -> bool:
    return old.source.blob is not None and old.source.blob == new.source.blob


# --- append-only ----------------------------------------------------------------------------


def _identity(kind: str, entry: Entry[Any]) -> _Identity:
    if kind == "records":
        return (kind, entry.ids["person"])
    if kind == "request":
        return (kind, entry.ids["person"], entry.id)
    return (kind, entry.ids["person"], entry.id, entry.ids["slip"])


def _entries(org: Organisation) -> dict[_Identity, tuple[str, Entry[Any]]]:
    found: dict[_Identity, tuple[str, Entry[Any]]] = {}
    for kind, entries in (("records", org.records), ("request", org.requests), ("slip", org.slips)):
        for entry in entries:
            found.setdefault(_identity(kind, entry), (kind, entry))
    return found


def admin_slip_path(kind: str, path: str) -> str:
    """Where the admin slip that allows changing the file at `path` goes: beside it, named after its stem
    (for a slip, after its request, whose admin slip covers the request and its slips)."""
    folder, name = path.rsplit("/", 1)
    return f"{folder}/{name.split('.', 1)[0]}.admin.yaml"


_WHAT = {"records": "records", "request": "requests", "slip": "approval slips"}


def _append_only(base: Organisation, head: Organisation, ref: str) -> list[Diagnostic]:
    found = []
    theirs = _entries(head)
    admin_base = {e.source.path: e.model for e in base.admin_slips}
    admin_head = {e.source.path: e.model for e in head.admin_slips}

    def allowed(kind: str, path: str) -> bool:
        slip = admin_head.get(admin_slip_path(kind, path))
        return slip is not None and slip != admin_base.get(admin_slip_path(kind, path))

    def rule(kind: str, path: str, verb: str) -> str:
        return (f"merged {_WHAT[kind]} are append-only; to {verb} it, add {admin_slip_path(kind, path)} "
                f"giving the reason (reviewed by the holders of roles.edit)")

    for identity, (kind, old) in _entries(base).items():
        if identity not in theirs:
            if (kind, old.id) in head.broken or allowed(kind, old.source.path):
                continue  # a file that no longer loads has its own errors
            what = {"records": "this records file", "request": "this request", "slip": "this approval slip"}[kind]
            found.append(error(old.source.path, (1, 1),
                               f"{what} is on {ref} but the change deletes it: {rule(kind, old.source.path, 'delete')}"))
            continue
        new = theirs[identity][1]
        if _same_bytes(old, new) or allowed(kind, new.source.path):
            continue
        if kind == "records":
            found += _records(old, new, ref, rule("records", new.source.path, "change"))
        elif old.model != new.model:
            key = _first_difference(old.model.model_dump(by_alias=True), new.model.model_dump(by_alias=True))
            what = "this request" if kind == "request" else "this approval slip"
            found.append(new.source.error((key,) if key else (),
                                          f"{what} differs from the one on {ref}" + (f" ('{key}')" if key else "")
                                          + f": {rule(kind, new.source.path, 'change')}"))
    return found


def _records(old: Entry[Any], new: Entry[Any], ref: str, rule: str) -> list[Diagnostic]:
    before, after = old.model.records, new.model.records
    for index, record in enumerate(before):
        if index >= len(after):
            missing = len(before) - index
            return [new.source.error(("records",), f"{missing} record{'s' * (missing != 1)} on {ref} "
                                     f"{'are' if missing != 1 else 'is'} missing, from record {index + 1} "
                                     f"({_describe(record)}): {rule}", key=True)]
        if after[index] != record:
            return [new.source.error(("records", index), f"record {index + 1} differs from the one on {ref} "
                                     f"({_describe(record)}): {rule}")]
    return []


def _describe(record: Any) -> str:
    return f"{record.course} on {record.date.isoformat()} by {record.by}"


def _first_difference(old: dict[str, Any], new: dict[str, Any]) -> str | None:
    return next((key for key in [*new, *old] if old.get(key) != new.get(key)), None)


# --- CODEOWNERS -----------------------------------------------------------------------------


def _codeowners(base: Side, head: Side, ref: str) -> list[Diagnostic]:
    if head.refused:
        return [head.refused]
    before, after = base.organisation, head.organisation
    if base.codeowners == head.codeowners or policy.inputs_broken(before) or policy.inputs_broken(after):
        return []
    host = codeowners.host_of(after)
    generated = codeowners.render(policy.Policy(before), codeowners.host_of(before))
    if generated != codeowners.render(policy.Policy(after), host) or base.codeowners != generated.encode():
        return []  # new owners explain it, or it brings a stale file up to date (the stale check covers the rest)
    old = (base.codeowners or b"").decode("utf-8", "replace").split("\n")
    new = (head.codeowners or b"").decode("utf-8", "replace").split("\n")
    first = next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)
    return [error(codeowners.CODEOWNERS_FILE[host], (min(first, len(new)), 1),
                  f"CODEOWNERS changed, but roles/, teams/ and the catalog's trainers give the same owners as on "
                  f"{ref}: the file is generated from them, so change them and run '{codeowners.COMMAND}'")]
