"""The cross-file checks other than the records files', remembered under a digest of every file they read.

Those checks (`checks.check` but `check_records`) read every file of the organisation but the records files: their
findings follow from those files' paths and bytes (the models, the ids in the paths, which failed to load, the
positions the messages cite, the org's time zone the models were validated with) and from lmsgen's code alone,
neither from the day nor from any records file. So when only records files changed, as in nearly every change of
a large organisation, they are recalled whole instead of being found again (a second at size L). The digest names
each file by path and blob id, and the memo, in the git folder and keyed by lmsgen's code, is what `check` already
believes: nothing a change commits can make it believe another answer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import weakref
from collections.abc import Callable

from ..cache.digests import blob_id
from ..cache.memo import Memo
from ..model.diagnostics import Diagnostic
from ..model.organisation import Entry, Organisation, Source

KIND = "checks-but-records"
"""The memo's kind for those findings."""

_NOT_READ = frozenset({"records", "broken"})
"""The organisation's fields whose files those checks do not read (`broken` is digested apart, without records)."""


def digest(org: Organisation) -> str:
    """A digest of every file of `org` but its records files (path and blob id, by field, in order), and of which
    files failed to load, records files left out."""
    parts: list[str] = []
    for field in dataclasses.fields(org):
        if field.name in _NOT_READ or field.name.startswith("_"):
            continue
        value = getattr(org, field.name)
        items = [value] if isinstance(value, (Entry, Source)) else \
            list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
        parts.append(f"\1{field.name}")
        for item in items:
            source = item.source if isinstance(item, Entry) else item
            parts.append(f"{source.path}\0{source.blob or blob_id(source.read())}")
    parts.append(repr(sorted(item for item in org.broken if item[0] != "records")))
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


_last: tuple[weakref.ref[Organisation], str] | None = None
"""The organisation whose digest was found last, with it: `validate` asks for it three times."""


def digest_of(org: Organisation) -> str:
    """`digest(org)`, found once for an organisation."""
    global _last
    if _last is None or _last[0]() is not org:
        _last = (weakref.ref(org), digest(org))
    return _last[1]


def kept(org: Organisation, memo: Memo, name: str, compute: Callable[[], list[Diagnostic]]) -> list[Diagnostic]:
    """What `compute` finds, remembered under `digest(org)` and `name`: for a check that, as these, reads neither
    the records files nor the day (`budgets.diagnostics`, `slips.missing_slips`)."""

    def plain() -> list:
        return [one.as_plain() for one in compute()]

    return [Diagnostic.from_plain(one) for one in memo.derive(f"{KIND}:{name}", digest_of(org), compute=plain,
                                                               keep=False)]


def findings(org: Organisation, memo: Memo, compute: Callable[[], tuple[list[Diagnostic], list[Diagnostic]]],
             ) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """What `compute` finds (two lists: the findings before the records files' and after, in `checks.check`'s
    order), remembered under `digest(org)`."""

    def plain() -> tuple[list, list]:
        before, after = compute()
        return [one.as_plain() for one in before], [one.as_plain() for one in after]

    before, after = memo.derive(KIND, digest_of(org), compute=plain, keep=False)
    return [Diagnostic.from_plain(one) for one in before], [Diagnostic.from_plain(one) for one in after]
