"""The memo: results remembered under the digests of their inputs, witnesses, and children kept alive."""

from __future__ import annotations

from pathlib import Path

from lmsgen.cache.memo import Memo
from lmsgen.cache.store import Store


def _memo(tmp_path: Path) -> Memo:
    return Memo(Store(tmp_path / "memo.marshal"))


def test_a_result_is_computed_once_and_remembered_between_runs(tmp_path):
    computed = []
    memo = _memo(tmp_path)
    assert memo.derive("double", "21", compute=lambda: computed.append(1) or 42) == 42
    assert memo.derive("double", "21", compute=lambda: computed.append(1) or 0) == 42
    memo.save()
    again = _memo(tmp_path)
    assert again.derive("double", "21", compute=lambda: computed.append(1) or 0) == 42
    assert computed == [1]


def test_other_inputs_or_another_kind_are_other_results(tmp_path):
    memo = _memo(tmp_path)
    memo.remember("parsed", "blob-a", value={"a": 1})
    assert memo.recall("parsed", "blob-a") == {"a": 1}
    assert memo.recall("parsed", "blob-b") is None
    assert memo.recall("summary", "blob-a") is None
    assert memo.contains("parsed", "blob-a") and not memo.contains("parsed", "blob-b")


def test_results_of_another_build_of_lmsgen_are_not_found(tmp_path, monkeypatch):
    memo = _memo(tmp_path)
    memo.remember("parsed", "blob-a", value=1)
    memo.save()
    monkeypatch.setattr("lmsgen.cache.memo.code_digest", lambda: "another build")
    assert _memo(tmp_path).recall("parsed", "blob-a") is None


def test_a_witness_that_no_longer_holds_computes_the_result_again(tmp_path):
    memo = _memo(tmp_path)
    world = {"course": "v1"}

    def derive():
        return memo.derive_witnessed("findings", "file", compute=lambda: (f"found under {world['course']}",
                                                                          world["course"]),
                                     holds=lambda witness: witness if witness == world["course"] else None)

    assert derive() == "found under v1"
    world["course"] = "v2"
    assert derive() == "found under v2"
    assert derive() == "found under v2"


def test_a_refreshed_witness_is_kept(tmp_path):
    memo = _memo(tmp_path)
    seen = []
    memo.derive_witnessed("findings", "file", compute=lambda: ("result", "old"), holds=lambda w: None)
    memo.derive_witnessed("findings", "file", compute=lambda: ("other", "x"),
                          holds=lambda w: seen.append(w) or "new")
    memo.save()
    again = _memo(tmp_path)
    assert again.derive_witnessed("findings", "file", compute=lambda: ("other", "x"),
                                  holds=lambda w: seen.append(w) or w) == "result"
    assert seen == ["old", "new"]


def test_what_a_result_was_derived_from_is_kept_while_the_result_is_used(tmp_path):
    memo = _memo(tmp_path)
    for number in range(10):  # old entries that nothing uses
        memo.remember("old", str(number), value=number)
    memo.derive("findings", "file", compute=lambda: memo.derive("summary", "blob", compute=lambda: "summary") + "!")
    memo.save()
    # A later run uses the findings alone (they still hold), and forgets what it did not use.
    later = _memo(tmp_path)
    assert later.derive("findings", "file", compute=lambda: "recomputed") == "summary!"
    later.remember("touched", "x", value=True)
    later.save(forget_unused=True)
    kept = _memo(tmp_path)
    assert kept.derive("summary", "blob", compute=lambda: "recomputed") == "summary"
    assert kept.recall("old", "0") is None


def test_in_memory_memo_remembers_within_the_run_only(tmp_path):
    memo = Memo.in_memory()
    assert memo.path is None
    memo.remember("parsed", "blob", value=[1, 2])
    assert memo.recall("parsed", "blob") == [1, 2]
    memo.save()
    assert list(tmp_path.iterdir()) == []


def test_contains_each_answers_as_contains_and_keeps_what_it_found(tmp_path):
    memo = _memo(tmp_path)
    memo.remember("parsed", "blob-a", value={"a": 1})
    memo.remember("parsed", "blob-large", value="x" * 1000)  # kept in the bulk file once saved
    for unused in "cdefghij":
        memo.remember("parsed", f"blob-{unused}", value=3)
    memo.save()
    again = _memo(tmp_path)
    blobs = ["blob-a", "blob-b", "blob-large", "blob-a"]
    assert again.contains_each("parsed", blobs) == [again.contains("parsed", blob) for blob in blobs]
    assert again.contains_each("parsed", blobs) == [True, False, True, True]
    assert again.contains_each("summary", ["blob-a"]) == [False]
    fresh = _memo(tmp_path)
    fresh.contains_each("parsed", ["blob-a", "blob-large"])
    fresh.remember("other", "x", value=1)
    fresh.save(forget_unused=True)  # what contains_each found was used: kept; the others, far more, were not
    assert _memo(tmp_path).contains_each("parsed", ["blob-a", "blob-large", "blob-c"]) == [True, True, False]
