"""`lmsgen build --shard K/N` and `lmsgen merge-shards` (docs/sharding.md): N parts of the shipped demo, merged, are
the full build byte for byte; parts that do not make one site are refused, each with its message."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.site import shard_plan, shards
from lmsgen.site.build import MARKER, build_site
from lmsgen.site.shards import SHARD_MARKER, MergeError, Shard, merge

REPO_ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 12, 1)
FEED_SECRET = "a-feed-secret-of-the-tests-" + "0" * 16
BADGE_SECRET = "a-badge-secret-of-the-tests-" + "1" * 16


def files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by its path, with its bytes; every folder, as `<path>/`."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel + "/" if path.is_dir() else rel] = b"" if path.is_dir() else path.read_bytes()
    return found


def build(out: Path, shard: Shard | None = None, as_of: date = AS_OF) -> Path:
    result = build_site(REPO_ROOT, out, as_of, feed_secret=FEED_SECRET, badge_secret=BADGE_SECRET, shard=shard)
    assert result.ok, result.diagnostics
    return out


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return files(build(tmp_path_factory.mktemp("full") / "site"))


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Both parts of the demo in two shards."""
    folder = tmp_path_factory.mktemp("two")
    return [build(folder / f"part-{k}", Shard(k, 2)) for k in (1, 2)]


def demo_plan(n: int) -> shard_plan.Plan:
    """The plan every part of the demo in `n` shards computes (with calendar feeds, as `build` makes them)."""
    from lmsgen.rules.validation import validate_root
    from lmsgen.site.views import SiteData

    data = SiteData(validate_root(REPO_ROOT).organisation, AS_OF)
    return shard_plan.part(data, 1, n, feeds=True).plan


GROUP_FILES = {
    shard_plan.PUBLIC: ["index.html", "404.html", "catalog/index.html", "policy/index.html", "sitemap.xml",
                        "search/search_index.json"],
    shard_plan.PAGES: ["people/index.html", "teams/index.html", "reports/divisions/index.html"],
    **{name: [f"exports/{name}"] for name in shard_plan.EXPORT_FILES},
    shard_plan.OTHER_EXPORTS: ["exports/approvals.csv", "exports/vendors.csv", "reports/vendors/index.html"],
}
"""A few files of each group of shared pages."""


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_the_shards_merged_are_the_full_build_byte_for_byte(tmp_path: Path, full: dict[str, bytes], n: int) -> None:
    parts = [build(tmp_path / f"part-{k}", Shard(k, n)) for k in range(1, n + 1)]
    merged = merge(REPO_ROOT, list(reversed(parts)), tmp_path / "site")
    assert merged.shards == n
    found = files(tmp_path / "site")
    assert sorted(found) == sorted(full)
    assert [rel for rel in full if found[rel] != full[rel]] == []
    # Each portal and dashboard is in the part the plan gives its id; each group of shared pages in its part alone.
    plan = demo_plan(n)
    held = [files(part) for part in parts]
    people = sorted(rel.split("/")[1] for rel in full if rel.startswith("people/") and rel.count("/") == 2
                    and rel.endswith("/index.html"))
    assert [k for person in people for k in range(1, n + 1) if f"people/{person}/index.html" in held[k - 1]] == \
        [plan.part_of(person) for person in people]
    teams = sorted(rel.split("/")[1] for rel in full if rel.startswith("teams/") and rel.count("/") == 2)
    assert [k for team in teams for k in range(1, n + 1) if f"teams/{team}/index.html" in held[k - 1]] == \
        [plan.part_of(team) for team in teams]
    for group, paths in GROUP_FILES.items():
        for rel in paths:
            assert [k for k in range(1, n + 1) if rel in held[k - 1]] == [plan.groups[group]], (group, rel)
    marker = json.loads((parts[-1] / SHARD_MARKER).read_text(encoding="utf-8"))
    assert (marker["shard"], marker["of"]) == (n, n)


def test_a_part_built_again_after_a_change_is_the_part_built_anew(tmp_path: Path) -> None:
    """Each part is built incrementally from its own last build (docs/site.md): after a change, byte for byte what
    a build of that part from nothing makes."""
    from conftest import commit_all, committed_demo

    root = committed_demo(tmp_path / "org")
    parts = [build_site(root, tmp_path / f"part-{k}", AS_OF, feed_secret=FEED_SECRET, badge_secret=BADGE_SECRET,
                        shard=Shard(k, 3)) for k in (1, 2, 3)]
    assert all(part.ok for part in parts)
    records = sorted((root / "teams").glob("*/records/*.yaml"))[0]
    records.write_text(records.read_text(encoding="utf-8").replace("2026-", "2025-", 1), encoding="utf-8")
    commit_all(root, "a record a year earlier")
    for k in (1, 2, 3):
        again = build_site(root, tmp_path / f"part-{k}", AS_OF, feed_secret=FEED_SECRET, badge_secret=BADGE_SECRET,
                           shard=Shard(k, 3))
        anew = build_site(root, tmp_path / f"anew-{k}", AS_OF, feed_secret=FEED_SECRET, badge_secret=BADGE_SECRET,
                          shard=Shard(k, 3), use_cache=False)
        assert again.ok and anew.ok
        assert again.written.kept > 0 or k == 1
        assert files(tmp_path / f"part-{k}") == files(tmp_path / f"anew-{k}")


def test_the_command_line(tmp_path: Path, two: list[Path], full: dict[str, bytes],
                          capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LMSGEN_FEED_SECRET", FEED_SECRET)
    monkeypatch.setenv("LMSGEN_BADGE_SECRET", BADGE_SECRET)
    out = tmp_path / "part-2"
    assert main(["--root", str(REPO_ROOT), "build", "--as-of", AS_OF.isoformat(), "--shard", "2/2",
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("built shard 2/2 of the site: ")
    # The demo's public pages (its assets) weigh more than all of its portals: part 1 holds them, part 2 the rest.
    assert demo_plan(2).held(2) == tuple(group for group in shard_plan.GROUPS if group != shard_plan.PUBLIC)
    assert "(65 portals, 65 calendar pages and feeds, " in err
    assert "6 reports and directories, 0 catalog and other pages) into " in err
    assert files(out) == files(two[1])  # the same part as build_site's
    assert main(["--root", str(REPO_ROOT), "merge-shards", str(two[0]), str(out), "--out",
                 str(tmp_path / "site")]) == 0
    assert capsys.readouterr().err.startswith(f"merged 2 shards ({sum(1 for rel in full if not rel.endswith('/')):,}"
                                              " files, ")
    assert files(tmp_path / "site") == full


@pytest.mark.parametrize(("given_shard", "message"), [
    ("0/3", "'0/3': part K of N is from 1 to N (3)"),
    ("4/3", "'4/3': part K of N is from 1 to N (3)"),
    ("1/0", "'1/0': the number of shards N is from 1 to 256"),
    ("1/257", "'1/257': the number of shards N is from 1 to 256"),
    ("2", "'2' is not a shard: give K/N, part K of N, such as 1/4"),
    ("a/b", "'a/b' is not a shard: give K/N, part K of N, such as 1/4"),
    ("-1/2", "'-1/2' is not a shard: give K/N, part K of N, such as 1/4"),
    ("١/٢", "'١/٢' is not a shard: give K/N, part K of N, such as 1/4"),
])
def test_a_shard_that_is_not_one_is_refused(given_shard: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", f"--shard={given_shard}"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(f"lmsgen build: error: argument --shard: {message}\n")


def test_the_public_zone_is_not_sharded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(REPO_ROOT), "build", "--public", "--shard", "1/2", "--out", str(tmp_path / "s")]) == 2
    assert capsys.readouterr().err == ("lmsgen build: --shard splits the full site; the public zone (--public) is "
                                       "built whole\n")
    assert not (tmp_path / "s").exists()


@given(st.text(min_size=1, max_size=30), st.integers(1, 256), st.integers(0, 10**10),
       st.lists(st.integers(0, 10**9), min_size=len(shard_plan.GROUPS), max_size=len(shard_plan.GROUPS)))
@settings(max_examples=200)
def test_each_id_and_each_group_is_in_one_part(ident: str, n: int, people: int, weights: list[int]) -> None:
    plan = shard_plan.plan(n, people, dict(zip(shard_plan.GROUPS, weights, strict=True)))
    assert plan.bounds[0] == 0 and plan.bounds[-1] == 1 << 64 and len(plan.bounds) == n + 1
    assert list(plan.bounds) == sorted(plan.bounds)
    holding = [k for k in range(1, n + 1) if shard_plan.Part(k, plan).ours([ident])]
    assert holding == [plan.part_of(ident)]
    assert sorted(group for k in range(1, n + 1) for group in plan.held(k)) == sorted(shard_plan.GROUPS)


def test_the_split_is_the_same_on_every_machine() -> None:
    """SHA-256 of the id, not Python's salted hash: these stay as they are from run to run and version to version."""
    plan = shard_plan.plan(4, 1000, dict.fromkeys(shard_plan.GROUPS, 0))
    assert plan.bounds == (0, 1 << 62, 2 << 62, 3 << 62, 4 << 62)
    for person in ("carol", "dave", "erin", "frank"):
        assert plan.part_of(person) == int.from_bytes(
            __import__("hashlib").sha256(person.encode()).digest()[:8], "big") // (1 << 62) + 1


L_COUNTS = shard_plan.Counts(people=100_000, rows=750_314, teams=3_030, courses=5_000, sessions=4_367)
"""`lmsgen demo --people 100000`, as of 2026-11-23 (docs/sharding.md)."""


@pytest.mark.parametrize("n", [3, 4, 6, 10])
def test_every_part_weighs_about_the_same(n: int) -> None:
    """At 100,000 people, the exports alone would make part 1 of 4 twice the others (docs/sharding.md): spread,
    each part's estimated bytes are within 1% of the mean, the heaviest groups each in a part of its own."""
    people, groups = shard_plan.estimate(L_COUNTS)
    plan = shard_plan.plan(n, people, groups)
    loads = [sum(groups[g] for g in plan.held(k)) + plan.share(k) * people for k in range(1, n + 1)]
    mean = (people + sum(groups.values())) / n
    if n < 10:
        assert max(loads) < mean * 1.01 and min(loads) > mean * 0.99, (loads, mean)
    else:  # records.csv alone weighs more than a tenth of the site: its part holds no one, the others the same
        assert loads[0] == groups["records.csv"] > mean and plan.share(1) == 0
        assert max(loads[1:]) < min(loads[1:]) * 1.02, loads
    assert [plan.groups[name] for name in ("records.csv", "status.json", "status.csv")] == [1, 2, 3]
    assert plan.share(1) < plan.share(n)  # part 1 holds records.csv: fewer people
    # A few more status rows move no one: the ranges are whole quanta.
    assert shard_plan.plan(n, *shard_plan.estimate(dataclasses.replace(L_COUNTS, rows=L_COUNTS.rows + 50))) == plan


def test_the_whole_site_is_one_part() -> None:
    assert shard_plan.plan(1, 10, dict.fromkeys(shard_plan.GROUPS, 5)) is shard_plan.WHOLE
    assert shard_plan.WHOLE_PART.ours(["b", "a"]) == ["b", "a"]
    assert shard_plan.WHOLE_PART.exports() == frozenset({*shard_plan.EXPORT_FILES, shard_plan.OTHER_EXPORTS})


# --- refusals ---------------------------------------------------------------------------------------------------

def fake_part(folder: Path, k: int, n: int, build_id: str = "b" * 64, extra: dict[str, str] | None = None) -> Path:
    """A folder marked as part k of n, with one file of its own (and `extra`)."""
    folder.mkdir(parents=True)
    (folder / SHARD_MARKER).write_text(json.dumps({"format": 1, "shard": k, "of": n, "build": build_id}) + "\n",
                                       encoding="utf-8")
    (folder / MARKER).write_text("built by lmsgen\n", encoding="utf-8")
    (folder / "people" / f"p{k}").mkdir(parents=True)
    (folder / "people" / f"p{k}" / "index.html").write_text(f"person {k}", encoding="utf-8")
    for rel, text in (extra or {}).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def refused(parts: list[Path], out: Path) -> str:
    with pytest.raises(MergeError) as problem:
        merge(REPO_ROOT, parts, out)
    return str(problem.value)


def test_parts_of_different_builds_are_refused(tmp_path: Path, two: list[Path]) -> None:
    other = build(tmp_path / "other-2", Shard(2, 2), as_of=date(2026, 12, 2))
    assert refused([two[0], other], tmp_path / "site") == (
        f"{other} (shard 2/2) and {two[0]} (shard 1/2) are parts of different builds (other files, commit, date, "
        "options or lmsgen); build every shard from the same commit with the same --as-of and options")
    assert not (tmp_path / "site").exists()


def test_the_build_digest_follows_the_secrets_and_not_their_text() -> None:
    from lmsgen.rules.validation import validate_root

    org = validate_root(REPO_ROOT).organisation
    digest = {secret: shards.build_digest(org, REPO_ROOT, None, AS_OF, engine="mkdocs", public=False,
                                          feed_secret=secret, badge_secret=None)
              for secret in (None, FEED_SECRET, FEED_SECRET + "x")}
    assert len(set(digest.values())) == 3
    assert all(FEED_SECRET not in value for value in digest.values())


def test_refusals(tmp_path: Path) -> None:
    one, two_, three = (fake_part(tmp_path / f"part-{k}", k, 3) for k in (1, 2, 3))
    out = tmp_path / "site"
    plain = tmp_path / "plain"
    plain.mkdir()
    assert refused([one, plain], out) == (
        f"{plain} is not a shard of a site: it has no .lmsgen-shard file; build one with 'lmsgen build --shard K/N' "
        "(an upload that leaves out hidden files drops it: with actions/upload-artifact, set "
        "include-hidden-files: true)")
    assert refused([one, tmp_path / "nowhere"], out) == f"{tmp_path / 'nowhere'} is not a folder"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / SHARD_MARKER).write_text('{"shard": 4, "of": 3}', encoding="utf-8")
    assert refused([broken], out) == (f"{broken}/.lmsgen-shard is not the marker 'lmsgen build --shard' writes; "
                                      "build the shard again")
    assert refused([one, two_], out) == "shard 3/3 is missing: give all 3 parts of the build"
    assert refused([two_], out) == "shards 1/3 and 3/3 are missing: give all 3 parts of the build"
    assert refused([one, two_, three, one], out) == f"shard 1/3 is given twice: {one} and {one}"
    other_n = fake_part(tmp_path / "of-four", 2, 4)
    assert refused([one, other_n], out) == (f"{other_n} is shard 2/4 and {one} is shard 1/3: parts of one build are "
                                            "all of the same number of shards")
    other_build = fake_part(tmp_path / "other", 2, 3, build_id="c" * 64)
    assert refused([one, other_build, three], out) == (
        f"{other_build} (shard 2/3) and {one} (shard 1/3) are parts of different builds (other files, commit, date, "
        "options or lmsgen); build every shard from the same commit with the same --as-of and options")
    assert refused([one, two_, three], one) == f"--out {one} would replace the shard {one}; choose a folder apart " \
                                               "from them"
    assert refused([one, two_, three], tmp_path) == (f"--out {tmp_path} would replace the shard {one}; choose a "
                                                     "folder apart from them")
    assert not out.exists()


def test_a_file_in_two_parts_is_refused(tmp_path: Path) -> None:
    one = fake_part(tmp_path / "part-1", 1, 2, extra={"teams/a/index.html": "a"})
    two_ = fake_part(tmp_path / "part-2", 2, 2, extra={"teams/a/index.html": "b"})
    assert refused([one, two_], tmp_path / "site") == (
        f"teams/a/index.html is in both {one} (shard 1/2) and {two_} (shard 2/2): the parts of one build never "
        "share a file, so these are not the parts lmsgen built; build them again")


def test_a_link_in_a_part_is_refused_and_never_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site", encoding="utf-8")
    one = fake_part(tmp_path / "part-1", 1, 2)
    two_ = fake_part(tmp_path / "part-2", 2, 2)
    os.symlink(secret, two_ / "people" / "stolen.html")
    assert refused([one, two_], tmp_path / "site") == (
        f"{two_}/people/stolen.html is a symbolic link, which no shard holds and lmsgen never follows; build the "
        "shard again")
    (two_ / "people" / "stolen.html").unlink()
    os.symlink(tmp_path, two_ / "teams")
    assert refused([one, two_], tmp_path / "site") == (
        f"{two_}/teams is a symbolic link, which no shard holds and lmsgen never follows; build the shard again")


def test_the_last_good_site_stays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_text("built by lmsgen\n", encoding="utf-8")
    (out / "index.html").write_text("the last good site", encoding="utf-8")
    one = fake_part(tmp_path / "part-1", 1, 2)
    assert main(["--root", str(REPO_ROOT), "merge-shards", str(one), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (f"lmsgen merge-shards: shard 2/2 is missing: give all 2 parts of the build; "
                                       f"the site in {out} was left as it was\n")
    assert files(out) == {MARKER: b"built by lmsgen\n", "index.html": b"the last good site"}
    two_ = fake_part(tmp_path / "part-2", 2, 2)
    assert main(["--root", str(REPO_ROOT), "merge-shards", str(one), str(two_), "--out", str(out)]) == 0
    assert sorted(files(out)) == [MARKER, "people/", "people/p1/", "people/p1/index.html", "people/p2/",
                                  "people/p2/index.html"]
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []  # no staging left


def test_an_output_folder_lmsgen_did_not_build_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    one, two_ = fake_part(tmp_path / "part-1", 1, 2), fake_part(tmp_path / "part-2", 2, 2)
    assert refused([one, two_], out) == (f"--out {out} is a folder that lmsgen did not build; refusing to replace "
                                         "it (choose an empty or new folder)")
    link = tmp_path / "link"
    link.symlink_to(out)
    assert refused([one, two_], link) == (f"--out {link} is a symbolic link, and lmsgen never writes through one; "
                                          "remove it, or choose another folder")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
