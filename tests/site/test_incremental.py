"""The incremental build (docs/site.md, "Incremental builds"): after any edit, it equals a full build byte for byte,
and it rewrites only the pages the edit concerns."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import commit_all, committed_demo, git
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmsgen.history import helpers
from lmsgen.rules.validation import validate_root
from lmsgen.site.build import build_site
from lmsgen.site.manifest import ManifestStore

AS_OF = date(2026, 11, 23)
FEED_SECRET = "incremental-build-test-feed-secret-0123456789"
BADGE_SECRET = "incremental-build-test-badge-secret-0123456789"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped demo organisation, committed in a repository of its own."""
    return committed_demo(tmp_path_factory.mktemp("incremental") / "org")


def build(root: Path, out: Path, *, full: bool = False):
    return build_site(root, out, AS_OF, use_cache=not full, feed_secret=FEED_SECRET, badge_secret=BADGE_SECRET)


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def inodes(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_ino for path in site.rglob("*") if path.is_file()}


def records_path(root: Path, person: str) -> Path:
    team = next(team for team in (root / "teams").iterdir() if (team / "team.yaml").read_text().count(f"id: {person}"))
    return root / "teams" / team.name / "records" / f"{person}.yaml"


# --- the edits a pull request makes ---------------------------------------------------------------

def _append_record(root: Path, org, person: str, course: str, day: date) -> None:
    """A record of `course` on `day` added to `person`'s records file (made when they have none)."""
    path = Path(root) / f"teams/{org.members[person].team}/records/{person}.yaml"
    line = "  - " + helpers.record_line(course, day, person) + "\n"
    if path.exists():
        path.write_text(path.read_text(encoding="utf-8") + line, encoding="utf-8")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(helpers.records_text(path.relative_to(root).as_posix(), person, [line.strip()[2:]]),
                        encoding="utf-8")


def add_record(root: Path, draw) -> None:
    org = validate_root(root, use_cache=False).organisation
    person = draw(st.sampled_from(sorted(org.members)))
    course = draw(st.sampled_from(sorted(org.courses)))
    _append_record(root, org, person, course, draw(st.dates(date(2024, 1, 1), AS_OF)))


def add_program_step(root: Path, draw) -> None:
    """A record of a course that is a step of a learning path, for someone it is assigned to or not: their kept
    learning paths (`program_pieces`) are made again."""
    org = validate_root(root, use_cache=False).organisation
    courses = sorted({course for entry in org.programs.values() for course in entry.model.courses
                      if course in org.courses})
    person = draw(st.sampled_from(sorted(org.members)))
    course = draw(st.sampled_from(courses))
    _append_record(root, org, person, course, draw(st.dates(date(2024, 1, 1), AS_OF)))


def drop_records(root: Path, draw) -> None:
    found = sorted((root / "teams").glob("*/records/*.yaml"))
    found = [path for path in found if not path.name.endswith(".admin.yaml")]
    draw(st.sampled_from(found)).unlink()


def add_request(root: Path, draw) -> None:
    org = validate_root(root, use_cache=False).organisation
    person = draw(st.sampled_from(sorted(org.members)))
    course_id = draw(st.sampled_from(sorted(cid for cid, entry in org.courses.items() if entry.model.elective)))
    course = org.courses[course_id].model
    sessions = [s.id for s in course.sessions if s.starts_on >= AS_OF]
    session = draw(st.sampled_from(sessions)) if sessions else None
    rel = f"teams/{org.members[person].team}/requests/{person}/2026-11-{course_id}.yaml"
    text = helpers.request_text(rel, person, course_id, course, session=session, reason="to grow", today=AS_OF)
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def drop_request(root: Path, draw) -> None:
    found = sorted(path for path in (root / "teams").glob("*/requests/*/*.yaml") if path.name.count(".") == 1)
    draw(st.sampled_from(found)).unlink()


def retitle_course(root: Path, draw) -> None:
    path = draw(st.sampled_from(sorted((root / "catalog").glob("*.yaml"))))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: Revised ", 1), encoding="utf-8")


def move_person(root: Path, draw) -> None:
    """A person (not a team's manager) moves to another team, with their records and requests."""
    import re

    teams = sorted(path.parent.name for path in (root / "teams").glob("*/team.yaml"))
    source, target = draw(st.sampled_from(teams)), draw(st.sampled_from(teams))
    text = (root / "teams" / source / "team.yaml").read_text(encoding="utf-8")
    manager = re.search(r"^manager: (\S+)", text, re.M)
    entries = re.findall(r"^  - \{id: ([a-z0-9-]+),.*\n(?:     .*\n)*", text, re.M)
    people = [person for person in entries if not manager or person != manager.group(1)]
    if source == target or not people:
        return
    person = draw(st.sampled_from(people))
    entry = re.search(rf"^  - \{{id: {person},.*\n(?:     .*\n)*", text, re.M)
    (root / "teams" / source / "team.yaml").write_text(text.replace(entry.group(0), ""), encoding="utf-8")
    with open(root / "teams" / target / "team.yaml", "a", encoding="utf-8") as team:
        team.write(entry.group(0))
    for kind in ("records", "requests"):
        old = root / "teams" / source / kind / (f"{person}.yaml" if kind == "records" else person)
        if old.exists():
            (root / "teams" / target / kind).mkdir(parents=True, exist_ok=True)
            old.rename(root / "teams" / target / kind / old.name)


def damage_pieces(root: Path, draw) -> None:
    """The kept pieces (in the git folder) cut short, overwritten, or replaced by another build's."""
    for path in (root / ".git" / "lmsgen").glob("pieces-*"):
        raw = path.read_bytes()
        if not raw:
            continue
        how = draw(st.sampled_from(["cut", "flip", "empty", "shape"]))
        if how == "cut":
            path.write_bytes(raw[:len(raw) // 2])
        elif how == "flip":
            at = draw(st.integers(0, len(raw) - 1))
            path.write_bytes(raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:])
        elif how == "empty":
            path.write_bytes(b"")
        else:  # verifies, but a person's pieces are of the wrong shape: a digest does not make the data right
            import hashlib
            import marshal

            from lmsgen.site import pieces

            kept = pieces._checked(raw)
            if not kept or not kept["people"]:
                continue
            person = draw(st.sampled_from(sorted(kept["people"])))
            key, main, events = kept["people"][person]
            kept["people"][person] = (key, main, b"\x00") if draw(st.booleans()) else (key, marshal.dumps((1, 2)),
                                                                                        events)
            payload = marshal.dumps(kept)
            path.write_bytes(pieces._MAGIC + hashlib.sha256(payload).digest() + payload)


def tamper_site(root: Path, draw) -> None:
    """A file of the last site removed, replaced, or changed in place (its time), as `kept_files` must notice."""
    import os

    site = root.parent / "site"
    found = sorted(path for path in site.rglob("*") if path.is_file() and path.name != ".lmsgen-site")
    if not found:
        return
    path = draw(st.sampled_from(found))
    how = draw(st.sampled_from(["remove", "replace", "touch"]))
    if how == "remove":
        path.unlink()
    elif how == "replace":
        (path.parent / "planted").write_bytes(path.read_bytes())
        os.replace(path.parent / "planted", path)
    else:
        os.utime(path, ns=(1, 1))


def commit(root: Path, draw) -> None:
    commit_all(root, "a reviewed change", author=draw(st.sampled_from(["Ann Reviewer <ann@example.org>",
                                                                         "Bo Trainer <bo@example.org>"])))


EDITS = [add_record, add_record, add_program_step, drop_records, add_request, drop_request, retitle_course,
         move_person, damage_pieces, tamper_site, commit]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_an_incremental_build_equals_a_full_build_after_any_edits(demo, tmp_path_factory, data):
    from lmsgen.site import beside

    beside.FORKED = data.draw(st.booleans(), label="work beside")  # forked, or done in this process
    try:
        root = tmp_path_factory.mktemp("edits") / "org"
        shutil.copytree(demo, root)
        site, full = root.parent / "site", root.parent / "full"
        assert build(root, site).ok
        for _ in range(data.draw(st.integers(1, 3), label="builds")):
            for edit in data.draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=3), label="edits"):
                edit(root, data.draw)
            incremental = build(root, site)
            if not incremental.ok:  # an edit the checks refuse leaves both sites as they were
                continue
            assert build(root, full, full=True).ok
            assert files(site) == files(full)
    finally:
        beside.FORKED = None


def test_one_new_record_rewrites_that_persons_pages_their_teams_and_the_reports_alone(demo, tmp_path):
    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    first = build(root, site)
    assert first.ok and first.written.kept == 0
    before = inodes(site)
    path = records_path(root, "helena")
    path.write_text(path.read_text() + "  - {course: data-protection, date: 2026-11-20, by: helena, score: 95}\n")

    again = build(root, site)

    after = inodes(site)
    rewritten = sorted(path for path, inode in after.items() if before.get(path) != inode and path != ".lmsgen-site")
    assert again.written.wrote == len(rewritten) and again.written.kept == len(after) - len(rewritten) - 1  # the marker is written anew
    portals = sorted({path.split("/")[1] for path in rewritten if path.startswith("people/") and path.count("/") > 1})
    teams = sorted({path.split("/")[1] for path in rewritten if path.startswith("teams/") and path.count("/") > 1})
    assert portals == ["helena"]  # she mentors no one
    assert teams == ["acme"]  # her team, the top of the tree
    public = [path for path in rewritten if path.startswith(("catalog/", "assets/", "search/"))]
    assert public == ["catalog/requests.json"]  # the elective links' file, which counts everyone's seats
    assert "exports/records.csv" in rewritten
    # the reports and directories are rendered again only when what they show changed (page_units)
    assert "reports/budgets/index.html" not in rewritten and "teams/index.html" not in rewritten
    assert files(site) == files(build(root, tmp_path / "full", full=True).out)


def test_a_mentees_new_record_rewrites_the_mentors_portal(demo, tmp_path):
    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    org = validate_root(root, use_cache=False).organisation
    mentee, member = next((pid, m) for pid, m in sorted(org.members.items()) if m.person.mentor)
    before = inodes(site)
    path = root / f"teams/{member.team}/records/{mentee}.yaml"
    line = helpers.record_line("data-protection", AS_OF, mentee)
    if path.exists():
        path.write_text(path.read_text() + f"  - {line}\n")
    else:
        path.write_text(helpers.records_text(path.relative_to(root).as_posix(), mentee, [line]))

    assert build(root, site).ok

    after = inodes(site)
    assert after[f"people/{member.person.mentor}/index.html"] != before[f"people/{member.person.mentor}/index.html"]


def test_a_tampered_or_missing_page_is_rendered_again(demo, tmp_path):
    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    expected = files(site)
    (site / "people/helena/index.html").unlink()
    (site / "teams/acme/index.html").write_text("<p>not what lmsgen wrote</p>")

    again = build(root, site)

    assert files(site) == expected
    helena = ManifestStore(root, site).read().units["person:helena"][1]  # her portal, calendar, feed and badges
    assert "people/helena/index.html" in helena and len(helena) > 2
    assert again.written.wrote == len(helena) + 1


def test_no_cache_renders_everything_and_a_damaged_manifest_is_a_full_build(demo, tmp_path):
    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    assert build(root, site, full=True).written.kept == 0
    assert build(root, site).written.wrote == 0
    assert build(root, site).written.wrote == 0  # a unit taken over is taken over again
    store = ManifestStore(root, site)
    raw = (store.home / store.rel).read_bytes()
    (store.home / store.rel).write_bytes(raw[:len(raw) // 2])

    assert build(root, site).written.kept == 0
    raw = (store.home / store.rel).read_bytes()
    (store.home / store.rel).write_bytes(raw[:-9] + bytes([raw[-9] ^ 1]) + raw[-8:])  # the digest no longer verifies

    assert build(root, site).written.kept == 0
    for bad in ("../../outside.html", "people//index.html", "./index.html", "a\n../b", "people/\0"):
        kept = store.read()
        kept.units["everyone"][1].append(bad)
        kept.stats[bad] = (1, 2, 3)
        store.write(kept)

        assert build(root, site).written.kept == 0  # a path out of the site makes the manifest worthless, not a crash
    kept = store.read()
    kept.units["everyone"][1].append("not-in-the-stats.html")
    store.write(kept)

    assert build(root, site).written.kept == 0
    assert build(root, site).written.wrote == 0


def test_the_manifest_lives_in_the_git_folder_not_in_the_site_or_the_working_tree(demo, tmp_path):
    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = root / "site"
    store = ManifestStore(root, site)
    legacy = store.home / (store.rel.rsplit("-py", 1)[0] + ".json")  # the JSON manifest of an earlier lmsgen
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text("{}")
    assert build(root, site).ok
    assert store.home == root / ".git"
    assert (store.home / store.rel).is_file() and not legacy.exists()
    assert git(root, "status", "--porcelain", "--ignored", "--", ".") .strip() == "?? site/"


def test_a_large_old_site_is_removed_by_a_process_of_its_own_and_a_leftover_by_one_the_next_build_starts(
        demo, tmp_path, monkeypatch):
    import time

    from lmsgen.site import swap as site_swap

    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    monkeypatch.setattr(site_swap, "_REMOVE_LATER", 0)
    leftover = tmp_path / ".site.0123456789ab.lmsgen-old"
    (leftover / "people").mkdir(parents=True)
    unrelated = tmp_path / ".site.not-lmsgen-old"
    unrelated.mkdir()

    assert build(root, site).ok

    assert unrelated.exists()
    for _ in range(100):  # the leftover (often the last build's, still being removed) is not waited for
        if sorted(p.name for p in tmp_path.iterdir()) == [".site.not-lmsgen-old", "org", "site"]:
            break
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.not-lmsgen-old", "org", "site"]


def test_every_kind_of_file_is_an_input_of_some_page():
    """A new collection in the Organisation must be named among the pages' inputs, or its changes would go unseen."""
    import dataclasses

    from lmsgen.model.organisation import Organisation
    from lmsgen.site import page_inputs

    kept = {f.name for f in dataclasses.fields(Organisation) if not f.name.startswith("_")} - {"broken"}
    assert kept == {*page_inputs._PERSONAL, *page_inputs._OTHERS, "org", "theme", "theme_files"}


def test_the_unchanged_peoples_pieces_are_kept_and_their_export_rows_copied(demo, tmp_path, monkeypatch):
    from lmsgen.site import beside, export_pieces, pieces

    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    store = pieces.PieceStore(root, site)
    assert (root / ".git" / store.rel).is_file() and store.rel.startswith("lmsgen/pieces-")
    copied = []
    monkeypatch.setattr(beside, "FORKED", False)  # the exports written in this process, where `_copy` is watched
    monkeypatch.setattr(export_pieces, "_copy", lambda *args, copy=export_pieces._copy: (copied.append(args[3]),
                                                                                        copy(*args)))
    made = []
    monkeypatch.setattr(pieces.Pieces, "_make_all", lambda self, *args, make=pieces.Pieces._make_all: (
        made.append(True), make(self, *args)))
    path = records_path(root, "helena")
    path.write_text(path.read_text() + "  - {course: data-protection, date: 2026-11-20, by: helena, score: 95}\n")

    assert build(root, site).ok

    assert not made and copied and sum(copied) > 0.9 * sum((site / "exports" / name).stat().st_size
                                                           for name in export_pieces.SPLITS)
    assert files(site) == files(build(root, tmp_path / "full", full=True).out)


@pytest.mark.parametrize("damage", [b"", b"lmsgen pieces 2\n" + b"\0" * 40, None])
def test_damaged_pieces_are_made_anew(demo, tmp_path, damage):
    from lmsgen.site import pieces

    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    kept = root / ".git" / pieces.PieceStore(root, site).rel
    kept.write_bytes(kept.read_bytes()[:-100] if damage is None else damage)
    assert pieces.PieceStore(root, site).read().previous_people == {}
    path = records_path(root, "helena")
    path.write_text(path.read_text() + "  - {course: data-protection, date: 2026-11-20, by: helena, score: 95}\n")

    assert build(root, site).ok

    assert files(site) == files(build(root, tmp_path / "full", full=True).out)
    assert pieces.PieceStore(root, site).read().previous_people  # written anew, whole


def test_a_learning_path_step_done_is_shown_as_a_full_build_shows_it(demo, tmp_path):
    """The learning paths are kept with the pieces (`program_pieces`): a step done by one person moves their path,
    and the incremental build shows it as a full build does."""
    from lmsgen.rules.engine import Engine
    from lmsgen.rules.program_status import program_rows

    root = tmp_path / "org"
    shutil.copytree(demo, root)
    site = tmp_path / "site"
    assert build(root, site).ok
    org = validate_root(root, use_cache=False).organisation
    row = next(row for row in program_rows(Engine(org, AS_OF)) if row.status.value != "done")
    program = org.programs[row.course.split(":", 1)[1]].model
    done = {e.course for e in Engine(org, AS_OF).completions(row.person).get(row.person, [])}
    course = next(course for course in program.courses if course not in done and course in org.courses)
    path = root / f"teams/{org.members[row.person].team}/records/{row.person}.yaml"
    line = helpers.record_line(course, AS_OF, row.person)
    if path.exists():
        path.write_text(path.read_text() + f"  - {line}\n")
    else:
        path.write_text(helpers.records_text(path.relative_to(root).as_posix(), row.person, [line]))
    before = (site / "exports/status.csv").read_bytes()

    assert build(root, site).ok

    assert (site / "exports/status.csv").read_bytes() != before
    assert files(site) == files(build(root, tmp_path / "full", full=True).out)
