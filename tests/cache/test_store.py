"""The store on disk: where it lives (never in the working tree), and that what does not verify is ignored."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path

import pytest
from conftest import git, init_repo

from lmsgen.cache import bulk
from lmsgen.cache import store as store_module
from lmsgen.cache.memo import Memo
from lmsgen.cache.store import Store

STAT = (1, 2, 3, 4)


def filled(path: Path, **entries: object) -> Store:
    """A store at `path` holding `entries`, saved as a new file."""
    store = Store(path)
    for key, value in entries.items():
        store.put(key, value)
    store.remember_blob("org.yaml", STAT, "blob-1")
    store.save()
    return store


def test_a_repository_keeps_it_in_its_git_folder(tmp_path):
    root = tmp_path / "org"
    root.mkdir()
    init_repo(root)
    memo = Memo.for_root(root)
    assert memo.path.parent == root / ".git" / "lmsgen"
    memo.remember("parsed", "blob", value=1)
    memo.save()
    assert memo.path.is_file()
    assert git(root, "status", "--porcelain", "--ignored") == ""  # nothing in the working tree


@pytest.mark.parametrize("relative", [True, False])
def test_a_worktree_or_submodule_keeps_it_in_the_git_folder_its_git_file_names(tmp_path, relative):
    root = tmp_path / "checkout"
    git_dir = tmp_path / "repo.git" / "worktrees" / "checkout"
    root.mkdir()
    git_dir.mkdir(parents=True)
    (root / ".git").write_text(f"gitdir: {'../repo.git/worktrees/checkout' if relative else git_dir}\n")
    assert Memo.for_root(root).path.parent == git_dir / "lmsgen"


def test_outside_a_repository_it_goes_to_the_users_cache_folder(tmp_path, monkeypatch):
    root = tmp_path / "demo"
    root.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = Memo.for_root(root).path
    assert path.parent == tmp_path / "cache" / "lmsgen" / hashlib.sha256(os.fsencode(root)).hexdigest()[:32]
    other = tmp_path / "other"
    other.mkdir()
    assert Memo.for_root(other).path.parent != path.parent  # one cache per organisation
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Memo.for_root(root).path.parent.parent == tmp_path / "home" / ".cache" / "lmsgen"


def test_what_was_saved_is_read_back(tmp_path):
    filled(tmp_path / "memo", parsed={"a": [1, 2]})
    again = Store(tmp_path / "memo")
    assert again.get("parsed") == {"a": [1, 2]}
    assert again.known_blob("org.yaml", STAT) == "blob-1"


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "cut to the header", "empty", "another format"])
def test_a_damaged_or_truncated_file_is_ignored(tmp_path, damage):
    path = tmp_path / "memo"
    filled(path, parsed={"a": 1})
    raw = path.read_bytes()
    path.write_bytes({"flip a byte": raw[:-3] + bytes([raw[-3] ^ 1]) + raw[-2:], "cut short": raw[:-5],
                      "cut to the header": raw[:20], "empty": b"",
                      "another format": raw.replace(b"memo 6", b"memo 5", 1)}[damage])
    store = Store(path)
    assert store.get("parsed") is None and store.known_blob("org.yaml", STAT) is None


def test_a_journal_is_read_up_to_the_first_record_that_does_not_verify(tmp_path, monkeypatch):
    monkeypatch.setattr("lmsgen.cache.store._JOURNAL_SHARE", 1000.0)  # always append
    path, journal = tmp_path / "memo", tmp_path / "memo.journal"
    filled(path, first=1)
    for key in ("second", "third"):
        store = Store(path)
        store.put(key, 2)
        store.save()
    records = journal.read_bytes()
    journal.write_bytes(records[:-1])  # the last record cut short, as by a killed run
    store = Store(path)
    assert (store.get("first"), store.get("second"), store.get("third")) == (1, 2, None)
    # What is appended after a record that does not verify would never be read: the file is written anew.
    store.put("fourth", 4)
    store.save()
    assert not journal.exists()
    again = Store(path)
    assert (again.get("first"), again.get("second"), again.get("fourth")) == (1, 2, 4)


def test_a_journal_record_with_a_wrong_digest_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr("lmsgen.cache.store._JOURNAL_SHARE", 1000.0)
    path, journal = tmp_path / "memo", tmp_path / "memo.journal"
    filled(path, first=1)
    store = Store(path)
    store.put("second", "value 2")
    store.save()
    journal.write_bytes(journal.read_bytes().replace(b"value 2", b"value 3"))  # still decodes, but is not what was saved
    assert Store(path).get("second") is None and Store(path).get("first") == 1


def forged(path: Path, payload: object) -> None:
    """A file that verifies, holding `payload`: only its shape is wrong."""
    raw = marshal.dumps(payload)
    path.write_bytes(store_module._MAGIC + hashlib.sha256(raw).digest() + raw)


@pytest.mark.parametrize("payload", [[{}, {}], ({}, {}, {}), ("entries", {}), 42, ({}, {}), ({}, {}, 3, {}),
                                     ({}, {}, "", []), ({}, {}, "", {}, {})])
def test_a_file_of_the_wrong_shape_is_ignored(tmp_path, payload):
    forged(tmp_path / "memo", payload)
    assert Store(tmp_path / "memo").get("anything") is None


def test_entries_and_stats_of_the_wrong_shape_are_not_found(tmp_path):
    packed = store_module._STAT.pack(*STAT)
    stats = {"a.yaml": "no pair", "b.yaml": (STAT, 5), "c.yaml": (STAT,), "d.yaml": None,
             "e.yaml": (STAT, "ab" * 20), "f.yaml": packed, "g.yaml": packed + b"\xff\xfe",
             "h.yaml": packed + b"blob-h"}
    forged(tmp_path / "memo", ({"not bytes": 3, "not marshal": b"\xff"}, stats, "", {}))
    store = Store(tmp_path / "memo")
    assert store.get("not bytes") is None and store.get("not marshal") is None
    assert [store.known_blob(path, STAT) for path in stats] == [None] * 7 + ["blob-h"]  # e: an earlier format's
    assert store.known_blob("h.yaml", (1, 2, 3, 5)) is None and store.known_blob("h.yaml", (1, 2, 3)) is None


def test_a_stat_key_or_blob_id_that_cannot_be_noted_is_read_again_next_time(tmp_path):
    store = Store(tmp_path / "memo")
    store.remember_blob("a.yaml", (1, 2, 3, -4), "ab" * 20)  # an inode is never negative: not noted
    store.remember_blob("b.yaml", STAT, "\ud800")  # not text UTF-8 can hold
    store.remember_blob("c.yaml", (1, -2, -3, 2**63), "cd" * 20)  # times before 1970 are noted
    store.save()
    again = Store(tmp_path / "memo")
    assert again.known_blob("a.yaml", (1, 2, 3, -4)) is None and again.known_blob("b.yaml", STAT) is None
    assert again.known_blob("c.yaml", (1, -2, -3, 2**63)) == "cd" * 20
    assert again.known_blob("c.yaml", (1, -2, -3, 2**64)) is None  # out of range: not the same file


def test_a_slot_of_the_wrong_shape_or_out_of_the_bulk_file_is_not_found(tmp_path):
    store = filled(tmp_path / "memo", large="x" * 500)
    assert Store(tmp_path / "memo").get("large") == "x" * 500
    good = Store(tmp_path / "memo")._slots["large"]
    offset, length = bulk._SLOT.unpack_from(good)
    for damaged in (good[:-1], good + b"\0", (offset, length, good[16:]), bulk.packed_slot(offset, length + 1, good[16:]),
                    bulk.packed_slot(3, length, good[16:]), bulk.packed_slot(offset, length, b"\0" * 32)):
        again = Store(tmp_path / "memo")
        again._slots["large"] = damaged
        assert again.get("large") is None, damaged
    del store


def test_a_remembered_derivation_of_the_wrong_shape_is_derived_again(tmp_path):
    memo = Memo(Store(tmp_path / "memo"))
    key = memo._key("findings", ("file",))
    memo._store.put(key, "not (value, witness, children)")
    assert memo.derive("findings", "file", compute=lambda: "computed") == "computed"


def test_a_link_in_the_caches_folder_is_never_followed(tmp_path):
    root, outside = tmp_path / "org", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    init_repo(root)
    os.symlink(outside, root / ".git" / "lmsgen")
    memo = Memo.for_root(root)
    memo.remember("parsed", "blob", value=1)
    memo.save()
    assert list(outside.iterdir()) == []


def test_a_journal_that_is_a_link_is_replaced_not_written_through(tmp_path, monkeypatch):
    monkeypatch.setattr("lmsgen.cache.store._JOURNAL_SHARE", 1000.0)  # a small change would be appended
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "journal").write_bytes(b"")
    path = tmp_path / "memo"
    filled(path, first=1)
    os.symlink(outside / "journal", tmp_path / "memo.journal")
    store = Store(path)
    store.put("second", 2)
    store.save()
    assert (outside / "journal").read_bytes() == b""
    assert not (tmp_path / "memo.journal").exists()
    assert Store(path).get("second") == 2


def test_the_file_is_written_in_pieces_that_are_marshals_own_format(tmp_path):
    from lmsgen.cache.store import _PIECE, _payload

    entries = {"parsed\0a": marshal.dumps({"person": "carol", "records": []}), "empty": b"", "big": b"x" * (_PIECE + 1)}
    stats = {"org.yaml": (STAT, "blob-1")}
    pieces = list(_payload(entries, stats))
    assert len(pieces) > 2 and b"".join(pieces) == marshal.dumps((entries, stats), 2)
    filled(tmp_path / "memo", carol={"person": "carol", "records": []}, text="y" * (_PIECE + 1), none=[])
    again = Store(tmp_path / "memo")
    assert again.get("carol") == {"person": "carol", "records": []} and again.get("text") == "y" * (_PIECE + 1)
    assert again.get("none") == [] and again.known_blob("org.yaml", STAT) == "blob-1"


def bulk_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.bulk"))


def test_large_entries_go_to_a_bulk_file_read_only_when_asked_for(tmp_path):
    big, small = {"records": [f"{index:x>40}" for index in range(20)]}, {"ok": True}
    filled(tmp_path / "memo", big=big, small=small)
    [bulk_file] = bulk_files(tmp_path)
    assert bulk_file.name.startswith("memo.") and b"xxxx" in bulk_file.read_bytes()
    assert b"xxxx" not in (tmp_path / "memo").read_bytes()
    again = Store(tmp_path / "memo")
    assert again.contains("big") and "big" not in again._entries  # not read until asked for
    assert again.get("big") == big and again.get("small") == small and again.get("other") is None


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "removed", "emptied"])
def test_a_damaged_or_missing_bulk_file_means_its_entries_are_not_found(tmp_path, damage):
    filled(tmp_path / "memo", big="y" * 1000, second="z" * 1000, small=1)
    [bulk_file] = bulk_files(tmp_path)
    raw = bulk_file.read_bytes()
    if damage == "removed":
        bulk_file.unlink()
    else:
        bulk_file.write_bytes({"flip a byte": raw.replace(b"yyy", b"yyx", 1).replace(b"zzz", b"zzx", 1), "cut short": raw[:-10],
                               "emptied": b""}[damage])
    store = Store(tmp_path / "memo")
    assert store.get("second") is None and store.get("small") == 1
    if damage != "cut short":  # the last entry is cut short, the first one still verifies
        assert store.get("big") is None
    # What is not found is derived again, and the next full write leaves a bulk file that verifies.
    store.put("big", "y" * 1000)
    store.save()
    assert Store(tmp_path / "memo").get("big") == "y" * 1000


def test_a_full_write_copies_the_bulk_entries_it_did_not_read_and_removes_old_bulk_files(tmp_path):
    path = tmp_path / "memo"
    filled(path, first="a" * 500, second="b" * 500)
    (tmp_path / "memo.0123456789ab.bulk").write_bytes(b"left by a killed run")
    store = Store(path)
    store.put("third", "c" * 500)
    store.get("first")
    store.save(forget_unused=True)  # 3 entries, 2 used: nothing forgotten, but a full write (no journal yet)
    again = Store(path)
    assert [again.get(key) for key in ("first", "second", "third")] == ["a" * 500, "b" * 500, "c" * 500]
    assert len(bulk_files(tmp_path)) == 1
    again.put("fourth", 4)
    again.get("third")
    again._used = {key for key in again._used if key != "first"} | {"fourth"}
    for index in range(10):
        again.put(f"unused-{index}", index)
    again._used -= {f"unused-{index}" for index in range(10)}
    again.save(forget_unused=True)  # more unused than used: forgotten, the bulk file written anew
    last = Store(path)
    assert last.get("third") == "c" * 500 and last.get("fourth") == 4
    assert last.get("first") is None and last.get("unused-1") is None


def test_a_cache_file_naming_a_bulk_file_elsewhere_is_not_followed(tmp_path):
    outside = tmp_path / "outside.bulk"
    outside.write_bytes(b"lmsgen memo bulk 1\n" + marshal.dumps("secret"))
    slot = bulk.packed_slot(19, len(marshal.dumps("secret")), hashlib.sha256(marshal.dumps("secret")).digest())
    (tmp_path / "cache").mkdir()
    forged(tmp_path / "cache" / "memo", ({}, {}, "../outside.bulk", {"key": slot}))
    assert Store(tmp_path / "cache" / "memo").get("key") is None


def test_a_full_write_removes_the_cache_files_of_earlier_formats(tmp_path):
    root = tmp_path / "org"
    root.mkdir()
    init_repo(root)
    folder = root / ".git" / "lmsgen"
    folder.mkdir()
    for name in ("memo-v4-py311.marshal", "memo-v4-py311.marshal.journal", "build-abc.json",
                 "memo-v5-py311.marshal", "memo-v5-py311.marshal.0123456789ab.bulk", "other.0123456789ab.bulk"):
        (folder / name).write_bytes(b"old")
    memo = Memo.for_root(root)
    memo.remember("parsed", "blob", value="x" * 1000)
    memo.save()
    assert sorted(path.name for path in folder.iterdir() if not path.name.startswith(f"{memo.path.name}.")) == [
        "build-abc.json", memo.path.name, "other.0123456789ab.bulk"]
    assert Memo.for_root(root).recall("parsed", "blob") == "x" * 1000


def test_a_store_that_is_dropped_closes_its_bulk_file(tmp_path):
    filled(tmp_path / "memo", big="y" * 1000)
    before = len(os.listdir("/proc/self/fd"))
    for _ in range(20):
        assert Store(tmp_path / "memo").get("big") == "y" * 1000
    assert len(os.listdir("/proc/self/fd")) <= before + 1
