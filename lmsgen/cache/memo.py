"""Memoisation keyed by content: the one interface through which the stages remember what they derived.

A result is remembered under its kind and the digests of what it was derived from (a file's blob
id, the digest of the policy's input files, a person's standing in the teams), always together with
lmsgen's own code digest. An entry is never stale: when what it came from changes, so does its key,
and it is simply not found. So a stage asks for a result, and says how to compute it when it is
missing; it never tests or invalidates anything itself.

Two refinements keep keys narrow where a result depends on much that rarely matters:

- **Witnesses.** A records file's findings depend on the few courses it names, but naming the whole
  catalog in the key would check every file again whenever any course changed. Such a result is
  remembered with a *witness* of what else it read, and `holds` says, on recall, whether the witness
  still holds (returning the witness to keep, which it may refresh so the next check is cheaper).
- **Children.** An entry derived while recalling others keeps them: every entry recalled while a
  result is computed, or its witness checked, is kept as long as that result is used, so the store
  never forgets what would be needed to derive it again cheaply.

Values are plain data (dicts, lists, tuples, strings, numbers), so that `store` can keep them on disk
and reading them runs no code. None is never a value: it means "not remembered".

What the memo recalls, lmsgen believes (a records file it found valid is not checked again), so the
store is kept in the repository's git folder, where no pull request can put one, and what it reads
back must verify: an entry that does not, or that is not of the shape this code writes, is simply
not found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .digests import StatKey, code_digest
from .store import Store

T = TypeVar("T")
Witness = Any
"""Plain data that a result's `holds` can test against the organisation of the day."""


class Memo:
    """Results remembered under the digests of their inputs; see the module docstring."""

    def __init__(self, store: Store):
        self._store = store
        self._deriving: list[set[str]] = []
        self._prefixes: dict[str, str] = {}

    @classmethod
    def for_root(cls, root: Path) -> Memo:
        """The memo kept between runs for the organisation repository at `root`."""
        return cls(Store.for_root(root))

    @classmethod
    def in_memory(cls) -> Memo:
        """A memo that forgets everything when the run ends (caching is off)."""
        return cls(Store(None))

    @property
    def path(self) -> Path | None:
        """The file the memo is kept in between runs (None: it is not kept)."""
        return self._store.path

    def _key(self, kind: str, inputs: tuple[str, ...]) -> str:
        prefix = self._prefixes.get(kind)
        if prefix is None:
            prefix = self._prefixes[kind] = f"{kind}\0{code_digest()}\0"
        return prefix + "\0".join(inputs)

    def _used(self, key: str, children: list[str] = ()) -> None:
        """Marks `key` and its children as read by the derivation in progress, which then keeps them."""
        if self._deriving:
            self._deriving[-1].add(key)
            self._deriving[-1].update(children)

    # --- plain results ------------------------------------------------------------------------

    def contains(self, kind: str, *inputs: str) -> bool:
        """Whether a result is remembered, without decoding it (it is kept, as if recalled)."""
        key = self._key(kind, inputs)
        found = self._store.contains(key)
        if found:
            self._used(key)
        return found

    def contains_each(self, kind: str, inputs: list[str]) -> list[bool]:
        """For each of `inputs` (one input each), whether a result of `kind` is remembered for it (see `contains`)."""
        prefix = self._key(kind, ())
        keys = [prefix + one for one in inputs]
        found = self._store.contains_each(keys)
        if self._deriving:
            self._deriving[-1].update([key for key, kept in zip(keys, found) if kept])
        return found

    def keep_each(self, kind: str, inputs: Iterable[tuple[str, ...]]) -> None:
        """Marks the results of `kind` for each of `inputs` as needed, without reading them (see `Store.keep`): for
        results a run did not read because one remembered with them answered for them."""
        prefix = self._key(kind, ())
        self._store.keep([prefix + "\0".join(one) for one in inputs])

    def recall(self, kind: str, *inputs: str, keep: bool = True) -> Any | None:
        """The result remembered for `kind` and `inputs`, or None (`keep` as for `Store.get`)."""
        key = self._key(kind, inputs)
        found = self._store.get(key, keep=keep)
        if found is not None:
            self._used(key)
        return found

    def remember(self, kind: str, *inputs: str, value: Any) -> None:
        """Remembers `value` as the result for `kind` and `inputs`."""
        self._store.put(self._key(kind, inputs), value)

    def remember_encoded(self, kind: str, *inputs: str, encoded: bytes) -> None:
        """Remembers, as the result for `kind` and `inputs`, the value `encoded` is the marshalled form of (made
        where the value was at hand: a worker process). For a derived result, the value is the (value, witness,
        children) triple that `derive` remembers."""
        self._store.put_encoded(self._key(kind, inputs), encoded)

    # --- derived results ----------------------------------------------------------------------

    def derive(self, kind: str, *inputs: str, compute: Callable[[], T], keep: bool = True) -> T:
        """The result for `kind` and `inputs`: remembered, or computed now by `compute` and remembered (`keep` as
        for `Store.get`: False for a result read once, so that it is not kept decoded beside its marshalled form)."""
        return self._derive(kind, inputs, lambda: (compute(), None), None, keep)

    def derive_witnessed(self, kind: str, *inputs: str, compute: Callable[[], tuple[T, Witness]],
                         holds: Callable[[Witness], Witness | None], keep: bool = True) -> T:
        """As `derive`, for a result that also depends on what its witness says: `compute` returns the result
        and its witness; `holds(witness)` returns None when the remembered result no longer holds, else the
        witness to keep (the same, or refreshed)."""
        return self._derive(kind, inputs, compute, holds, keep)

    def _derive(self, kind: str, inputs: tuple[str, ...], compute: Callable[[], tuple[T, Witness]],
                holds: Callable[[Witness], Witness | None] | None, keep: bool = True) -> T:
        found, value = self._recalled(kind, inputs, holds, keep)
        if found:
            return value
        value, witness, children = self.computed(compute)
        self.remember_derived(kind, *inputs, value=value, witness=witness, children=children, keep=keep)
        return value

    def recalled(self, kind: str, *inputs: str, holds: Callable[[Witness], Witness | None],
                 keep: bool = True) -> tuple[bool, Any]:
        """(True, the result) when `derive_witnessed` would return a remembered result, else (False, None): for a
        caller that computes what is missing elsewhere (`computed`, in another process) and then remembers it
        (`remember_derived`)."""
        return self._recalled(kind, inputs, holds, keep)

    def _recalled(self, kind: str, inputs: tuple[str, ...], holds: Callable[[Witness], Witness | None] | None,
                  keep: bool) -> tuple[bool, Any]:
        key = self._key(kind, inputs)
        found = self._store.get(key, keep=keep)
        if type(found) is not tuple or len(found) != 3 or type(found[2]) is not list:
            return False, None  # not remembered, or not the (value, witness, children) this code remembers
        value, witness, children = found
        read: set[str] = set()
        if holds is not None:
            self._deriving.append(read)
            try:
                kept = holds(witness)
            finally:
                self._deriving.pop()
            if kept is None:
                return False, None
            if kept != witness or not read.issubset(children):
                children = sorted(read.union(children))
                self._store.put(key, (value, kept, children), keep=keep)
        self._store.keep(children)
        self._used(key, children)
        return True, value

    def computed(self, compute: Callable[[], tuple[T, Witness]]) -> tuple[T, Witness, list[str]]:
        """The result and witness `compute` returns, with the keys of the entries it recalled meanwhile (the
        children that `remember_derived` keeps with it)."""
        read: set[str] = set()
        self._deriving.append(read)
        try:
            value, witness = compute()
        finally:
            self._deriving.pop()
        return value, witness, sorted(read)

    def remember_derived(self, kind: str, *inputs: str, value: Any, witness: Witness, children: list[str],
                         keep: bool = True) -> None:
        """Remembers a result as `derive_witnessed` does, with its witness and children (see `computed`)."""
        key = self._key(kind, inputs)
        self._store.put(key, (value, witness, children), keep=keep)
        self._store.keep(children)
        self._used(key, children)

    # --- the working tree's files -------------------------------------------------------------

    def known_blob(self, path: str, key: StatKey) -> str | None:
        """The blob id of a working-tree file whose size, times and inode are unchanged since it was noted."""
        return self._store.known_blob(path, key)

    def known_blobs(self, paths: list[str], keys: list[StatKey]) -> list[str | None]:
        """`known_blob` for each of `paths` with its key of `keys`."""
        return self._store.known_blobs(paths, keys)

    def remember_blob(self, path: str, key: StatKey, blob: str) -> None:
        """Notes the blob id of a working-tree file with its stat key."""
        self._store.remember_blob(path, key, blob)

    def save(self, *, forget_unused: bool = False) -> None:
        """Writes what this run added (see `Store.save` for `forget_unused`)."""
        self._store.save(forget_unused=forget_unused)
