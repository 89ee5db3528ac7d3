"""The pull-request rules of `lmsgen check --base REF`: what a change may do to what is already merged.

The change is compared as two organisations, the one at the merge base and the one under
review, so the rules see data rather than text: reformatting a file or editing its comments
changes nothing, and a person's files that move with them to a new team keep their identity
(the person, request and slip named by the path).

- Records, requests, approval slips, withdrawals, attendance lists and batches of imported completions are
  append-only. A merged records file
  may only gain records after its old ones (identical, in order), and an attendance list people
  (a batch, entries) after its old ones; a merged request or slip may not change; none may be deleted. An admin slip
  beside the file (`<file stem>.admin.yaml`, or `<request>.admin.yaml` for a request and its
  slips), added or changed by the same change, gives the reason that allows it; CODEOWNERS routes
  it to the holders of roles.edit.
- CODEOWNERS is generated from roles/, teams/ and the catalog's trainers, so a change to a current
  CODEOWNERS must come with a change to those that gives different owners.
- What the change adds is judged by the organisation at the base, where the change's own teams and
  catalog do not count yet (`additions`, which the helpers apply too): a record's `by` must be
  someone its course allows for that person there (and in the change), judged now, when it is added,
  and not again when the recorder later moves or leaves; a request needs the approval slips the
  base's course requires as well as those the change's does; a person, course or session the change
  adds waits for its team or catalog change to be merged first.
- Nothing the change adds is dated after the day it is checked: records, requests, attendance of a
  session that has not ended; nor may it request a session that has ended, nor withdraw a request
  of a session that started before that day (`withdrawal_additions`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..cache.memo import Memo
from ..model.diagnostics import Diagnostic, error
from ..model.files import read_file
from ..model.organisation import Entry, Organisation, Source
from ..rules import codeowners, policy
from .additions import Change, problems, same_bytes
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
                 memo: Memo | None = None, *, today: date) -> list[Diagnostic]:
    """The rules for the change from the merge base of `ref` and HEAD (or `at`) to `head`: the
    organisation of the working tree (HEAD with uncommitted changes, or a pull request's head in
    CI), or with `at`, of that commit; `today` is the day the change is checked on."""
    base_rev = repo.merge_base(ref, at or "HEAD")
    base = repo.load_at(base_rev, memo).organisation
    before = codeowners.CODEOWNERS_FILE[codeowners.host_of(base)]
    after = codeowners.CODEOWNERS_FILE[codeowners.host_of(head)]
    head_codeowners, refused = read_file(repo.root, after) if at is None else repo.read_at(at, after)
    return diagnostics(Side(base, repo.file_at(base_rev, before)), Side(head, head_codeowners, refused), ref, today)


def diagnostics(base: Side, head: Side, ref: str, today: date) -> list[Diagnostic]:
    """Every way `head` breaks the rules for a change from `base`, checked on `today`; `ref` names the base in
    messages."""
    before, after = base.organisation, head.organisation
    return sorted(_append_only(before, after, ref) + _codeowners(base, head, ref)
                  + problems(Change(before, after, ref, today)))


# --- append-only ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """A kind of merged file that is append-only, as messages name it; a list kind may grow at the end of
    its list `items`, whose entries are each an `item`, described by `describe`."""

    plural: str
    one: str
    items: str | None = None
    item: str = ""
    describe: Callable[[Any], str] = str
    more: tuple[str, ...] = ()
    """Further lists that, like `items`, may grow at their end (an attendance list's `absent`)."""


def _describe_record(record: Any) -> str:
    return f"{record.course} on {record.date.isoformat()} by {record.by}"


def _describe_import(record: Any) -> str:
    return f"{record.person}, {record.course} on {record.date.isoformat()}, id {record.id}"


_KINDS = {
    "records": _Kind("records", "this records file", "records", "record", _describe_record),
    "request": _Kind("requests", "this request"),
    "slip": _Kind("approval slips", "this approval slip"),
    "withdrawal": _Kind("withdrawals", "this withdrawal"),
    "attendance": _Kind("attendance lists", "this attendance list", "attended", "attendee", more=("absent",)),
    "completions": _Kind("batches of imported completions", "this batch", "records", "entry", _describe_import),
}


def _identity(kind: str, entry: Entry[Any]) -> _Identity:
    if kind == "records":
        return (kind, entry.ids["person"])
    if kind in ("request", "withdrawal"):
        return (kind, entry.ids["person"], entry.id)
    if kind in ("attendance", "completions"):
        return (kind, entry.ids["course" if kind == "attendance" else "source"], entry.id)
    return (kind, entry.ids["person"], entry.id, entry.ids["slip"])


def _entries(org: Organisation) -> dict[_Identity, tuple[str, Entry[Any]]]:
    found: dict[_Identity, tuple[str, Entry[Any]]] = {}
    for kind, entries in (("records", org.records), ("request", org.requests), ("slip", org.slips),
                          ("withdrawal", org.withdrawals), ("attendance", org.attendance), ("completions", org.completions)):
        for entry in entries:
            found.setdefault(_identity(kind, entry), (kind, entry))
    return found


def admin_slip_path(kind: str, path: str) -> str:
    """Where the admin slip that allows changing the file at `path` goes: beside it, named after its stem
    (for a slip, after its request, whose admin slip covers the request and its slips)."""
    folder, name = path.rsplit("/", 1)
    return f"{folder}/{name.split('.', 1)[0]}.admin.yaml"


def _append_only(base: Organisation, head: Organisation, ref: str) -> list[Diagnostic]:
    found = []
    theirs = _entries(head)
    admin_base = {e.source.path: e.model for e in base.admin_slips}
    admin_head = {e.source.path: e.model for e in head.admin_slips}

    def allowed(kind: str, path: str) -> bool:
        slip = admin_head.get(admin_slip_path(kind, path))
        return slip is not None and slip != admin_base.get(admin_slip_path(kind, path))

    def rule(kind: str, path: str, verb: str) -> str:
        return (f"merged {_KINDS[kind].plural} are append-only; to {verb} it, add {admin_slip_path(kind, path)} "
                f"giving the reason (reviewed by the holders of roles.edit)")

    for identity, (kind, old) in _entries(base).items():
        if identity not in theirs:
            if (kind, old.id) in head.broken or allowed(kind, old.source.path):
                continue  # a file that no longer loads has its own errors
            found.append(error(old.source.path, (1, 1), f"{_KINDS[kind].one} is on {ref} but the change deletes "
                                                        f"it: {rule(kind, old.source.path, 'delete')}"))
            continue
        new = theirs[identity][1]
        if same_bytes(old, new) or allowed(kind, new.source.path):
            continue
        found += _changes(_KINDS[kind], old, new, ref, rule(kind, new.source.path, "change"))
    return found


def _changes(kind: _Kind, old: Entry[Any], new: Entry[Any], ref: str, rule: str) -> list[Diagnostic]:
    """The first way `new` changes what `old` holds, beyond items added at the end of a list kind's list."""
    listed = {kind.items, *kind.more} if kind.items else set()
    for items in (kind.items, *kind.more) if kind.items else ():
        problem = _list_change(kind, items, getattr(old.model, items), getattr(new.model, items), new.source,
                               ref, rule)
        if problem:
            return [problem]
    key = _first_difference(old.model.model_dump(by_alias=True, exclude=listed),
                            new.model.model_dump(by_alias=True, exclude=listed))
    if key is None:
        return []
    return [new.source.error((key,), f"{kind.one} differs from the one on {ref} ('{key}'): {rule}")]


def _list_change(kind: _Kind, items: str, before: list[Any], after: list[Any], source: Source, ref: str,
                 rule: str) -> Diagnostic | None:
    """Where `after` first fails to keep `before` as its beginning: an item changed, or items missing."""
    for index, item in enumerate(before):
        if index >= len(after):
            missing = len(before) - index
            return source.error((items,), f"{missing} {kind.item}{'s' * (missing != 1)} on {ref} "
                                f"{'are' if missing != 1 else 'is'} missing, from {kind.item} {index + 1} "
                                f"({kind.describe(item)}): {rule}", key=True)
        if after[index] != item:
            return source.error((items, index), f"{kind.item} {index + 1} differs from the one on {ref} "
                                f"({kind.describe(item)}): {rule}")
    return None


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
