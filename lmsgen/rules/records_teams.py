"""The findings of a team's records files, remembered together: a warm `check` recalls one entry a team instead of
one a records file (3,000 instead of 100,000 at size L).

A team's entry is remembered under a digest of the inputs of each of its records files' own entries (each file's
path and blob, its person's standing, whether a team file failed to load: see `records_check`), so it is found
exactly when every one of them would be; with a witness of what else they read (the whole catalog's digest, and
the recorders looked up among everyone with whether they were listed), it holds exactly when each file's would
hold without reading its summary. When a file of the team changed, or the catalog did, the team's files are
recalled one by one (whose entries still hold are not checked again) and the team's entry is made anew.

As every memo entry, it is kept in the git folder, keyed by lmsgen's code: nothing a change commits can make
`check` believe it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..cache.memo import Memo
from ..model.organisation import Entry, Organisation

KIND = "records-check-team"
"""The memo's kind for a team's findings."""

Inputs = tuple[str, ...]
"""A records file's own entry's kind and inputs (`records_check.check_records`)."""


def groups(entries: list[Entry[Any]]) -> list[list[int]]:
    """The indexes of `entries` (records files) by the team folder they are in, each team's in order."""
    by_team: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        by_team.setdefault(entry.ids["team"], []).append(index)
    return list(by_team.values())


def digest(team_inputs: list[Inputs]) -> str:
    """The key of a team's entry: a digest of its files' own entries' inputs, in order."""
    return hashlib.blake2b(repr(team_inputs).encode(), digest_size=20).hexdigest()


def recalled(memo: Memo, key: str, org: Organisation, catalog_digest: str) -> list[list] | None:
    """Each file's findings (plain) of the team whose files' inputs have the digest `key`, when remembered and
    still holding; else None."""

    def holds(witness: Any) -> Any:
        if type(witness) is not tuple or len(witness) != 2 or witness[0] != catalog_digest:
            return None
        members = org.members
        return witness if all((name in members) == listed for name, listed in witness[1]) else None

    found, findings = memo.recalled(KIND, key, holds=holds, keep=False)
    return findings if found and type(findings) is list else None


def remember(memo: Memo, key: str, findings: list[list], witnesses: list[Any], catalog_digest: str) -> None:
    """Remembers the findings of a team's files, each with the witness its own entry holds with (with the catalog
    of `catalog_digest`: see `records_check._Catalog.still_holds`)."""
    strangers: set[tuple[str, bool]] = set()
    for witness in witnesses:
        if witness is None or witness[0] != catalog_digest:
            return  # a file's entry that does not hold as it is: the team's would not either
        strangers.update((name, listed) for name, listed in witness[4])
    memo.remember_derived(KIND, key, value=findings, witness=(catalog_digest, sorted(strangers)), children=[],
                          keep=False)


def keep_files(memo: Memo, inputs: list[Inputs], summary_kind: str) -> None:
    """Marks the entries of a team's files (each `inputs` a kind and its inputs) and their summaries (by blob: the
    last input) as needed, without reading them: when one file of the team changes, the others' are recalled."""
    memo.keep_each(inputs[0][0], [one[1:] for one in inputs])
    memo.keep_each(summary_kind, [one[-1:] for one in inputs])
