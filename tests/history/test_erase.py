"""`lmsgen erase`: a person out of the tree and out of every commit, on a real repository with history.

The repository: the sample organisation (conftest.py), then ana joins (with anabel, whom she mentors), commits her own
completion, records anabel's checklist, attends a session, holds a role, requests a course on a branch of
its own, and leaves. A course about bananas and a colleague called anabel must come through untouched.
"""

from __future__ import annotations

import json
import re
import subprocess
import textwrap
from datetime import date
from pathlib import Path

import pytest
from conftest import DESIGN_ORG, commit_all, git, write_codeowners, write_files
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.errors import GitError
from lmsgen.history import erase
from lmsgen.history.audit import audit
from lmsgen.history.repository import Repository
from lmsgen.history.scrub import Traces, expressions, scrub

TODAY = date(2026, 12, 2)
ANA = "  - {id: ana, name: Ana Ruiz, email: ana@acme.example, git: anar, profile: engineer, location: berlin,\n" \
      "     start_date: 2024-01-08}\n"
ANABEL = "  - {id: anabel, name: Anabel Soto, email: anabel@acme.example, git: anabels, profile: engineer,\n" \
         "     location: berlin, mentor: ana}\n"
PLATFORM = "teams/platform/team.yaml"
DESIGN_ORG_PLATFORM = textwrap.dedent(DESIGN_ORG[PLATFORM]).lstrip("\n")
BANANA = "catalog/banana-safety.yaml"
ANABEL_RECORDS = "teams/platform/records/anabel.yaml"
TRACE = re.compile(r"(?<![A-Za-z0-9_-])ana(?![A-Za-z0-9_-])|ana ruiz|(?<![A-Za-z0-9_.%+-])ana@|anar(?!chy)",
                   re.IGNORECASE)
"""A trace of ana, case aside: her id as a word, her name, her address, her login."""


def text(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


@pytest.fixture
def history(make_org) -> Path:
    """The organisation with ana's whole story in its history, ana having left."""
    root = make_org()
    write_files(root, {
        PLATFORM: text(root, PLATFORM) + ANA + ANABEL,
        BANANA: "title: Banana safety\nformat: microlearning\ndescription: Peel a banana the way Anabel shows.\n",
        "roles/ld.yaml": text(root, "roles/ld.yaml").replace("holders: [alice, bob]", "holders: [alice, bob, ana]"),
    })
    write_codeowners(root)
    commit_all(root, "Ana Ruiz and anabel join the platform team; ana mentors anabel")
    write_files(root, {"teams/platform/records/ana.yaml":
                       "person: ana\nrecords:\n  - {course: secure-coding, date: 2026-03-02, by: ana, score: 88}\n"})
    commit_all(root, "Ana records her secure coding course", author="Ana Ruiz <ana@acme.example>")
    write_files(root, {ANABEL_RECORDS: "person: anabel\nrecords:\n"
                       "  - {course: k8s-ojt, date: 2026-05-12, by: ana, checklist: [true, true]}\n"
                       "  - {course: banana-safety, date: 2026-05-13, by: anabel}\n"})
    commit_all(root, "anabel's Kubernetes checklist, signed off by her mentor ana",
               author="anar <1234+anar@users.noreply.github.com>")
    attendance = "attendance/k8s-admin/2026-12-berlin.yaml"
    write_files(root, {attendance: text(root, attendance).replace("[carol, dave]", "[carol, dave, ana]")})
    git(root, "add", "-A")  # attendance that ana marked herself: she authored and committed it
    git(root, "-c", "user.name=Ana Ruiz", "-c", "user.email=ana@acme.example", "commit", "-q", "-m",
        "Attendance of the Berlin session")
    git(root, "-c", "user.name=Ana Ruiz", "-c", "user.email=ana@acme.example", "tag", "-a", "-m",
        "Ana Ruiz marked attendance", "attendance/ana/berlin")
    git(root, "checkout", "-q", "-b", "request/ana/2026-06-secure-coding")
    write_files(root, {"teams/platform/requests/ana/2026-06-secure-coding.yaml":
                       "person: ana\ncourse: secure-coding\nreason: On call from July\ndate: 2026-06-01\n"})
    commit_all(root, "Request secure-coding for ana", author="Ana Ruiz <ana@acme.example>")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge ana's request", "request/ana/2026-06-secure-coding")
    write_files(root, {PLATFORM: text(root, PLATFORM).replace("start_date: 2024-01-08}", "start_date: 2024-01-08, "
                                                                                        "left: 2026-11-30}")})
    write_codeowners(root)
    commit_all(root, "ana leaves on 2026-11-30")
    return root


def everything(root: Path) -> str:
    """Every change, message and identity of every ref, and every ref's name."""
    return (git(root, "log", "--all", "-p", "--format=%an %ae %cn %ce%n%B")
            + git(root, "for-each-ref", "--format=%(refname) %(taggername) %(taggeremail) %(contents)"))


def refs(root: Path) -> str:
    return git(root, "for-each-ref", "--format=%(refname) %(objectname)") + git(root, "symbolic-ref", "HEAD")


def test_the_dry_run_lists_everything_and_changes_nothing(history, capsys):
    before = refs(history)
    assert main(["--root", str(history), "erase", "ana"]) == 0
    out = capsys.readouterr().out
    assert refs(history) == before and git(history, "status", "--porcelain") == ""
    assert out.startswith("Dry run: nothing was changed.\nana (Ana Ruiz, team platform, left on 2026-11-30); "
                          "8 commits in all branches and tags.\nFiles removed from every commit (2):\n"
                          "    teams/platform/records/ana.yaml\n    teams/platform/requests/ana/\n")
    pseudonym = re.search(r"Replaced by the pseudonym (erased-[0-9a-f]{8}) in every file", out).group(1)
    assert (f"Replaced by the pseudonym {pseudonym} in every file and commit message: the id 'ana' (as a word), the "
            f"name 'Ana Ruiz', the e-mail address ana@acme.example, the git login anar; their entry in "
            f"teams/platform/team.yaml keeps only the pseudonym and the date they left.\n") in out
    assert ("Lines of other files at HEAD that name them (5):\n    attendance/k8s-admin/2026-12-berlin.yaml:1\n"
            "    roles/ld.yaml:3\n    teams/platform/records/anabel.yaml:3\n    teams/platform/team.yaml:10\n"
            "    teams/platform/team.yaml:13\nCommits rewritten (7, and every commit after them):\n") in out
    first = git(history, "rev-list", "--max-parents=0", "HEAD").strip()
    assert first[:12] not in out  # the sample organisation's commit does not name ana
    assert "Their identities as author or committer, given the pseudonym's (2):\n" \
           "    Ana Ruiz <ana@acme.example>\n    anar <1234+anar@users.noreply.github.com>\n" in out
    assert "Branches and tags renamed:\n    refs/heads/request/ana/2026-06-secure-coding -> " \
           f"refs/heads/request/{pseudonym}/2026-06-secure-coding\n" in out
    assert "To erase: lmsgen erase ana --apply" in out


def test_erase_apply_leaves_no_trace_in_any_commit(history, capsys):
    carol_before = text(history, "teams/platform/records/carol.yaml")
    with Repository(history) as repo:
        carol_audit = [(e.path, e.index, e.commit.author, e.commit.email) for e in audit(repo, "carol", "HEAD")]
    assert TRACE.search(everything(history))

    assert main(["--root", str(history), "erase", "ana", "--apply"]) == 0
    out = capsys.readouterr().out
    assert "Checked: no commit, message or identity of any branch or tag names them any more.\n" in out
    assert "  2. Force-push every branch and tag to the organisation's repository on the git host: " in out
    assert ("  3. Delete the old names there: git push origin --delete request/ana/2026-06-secure-coding "
            "attendance/ana/berlin\n") in out
    assert "contact GitHub Support" in out

    left = everything(history)
    assert not TRACE.search(left), TRACE.search(left)
    pseudonym = re.search(r"erased-[0-9a-f]{8}", left).group(0)
    # Neither bananas nor anabel were touched; others' records keep every field, with the pseudonym as recorder.
    assert "Peel a banana the way Anabel shows." in text(history, BANANA)
    assert "banana-safety" in left and "Anabel Soto" in left and "anabel@acme.example" in left
    assert text(history, ANABEL_RECORDS) == (
        "person: anabel\nrecords:\n"
        f"  - {{course: k8s-ojt, date: 2026-05-12, by: {pseudonym}, checklist: [true, true]}}\n"
        "  - {course: banana-safety, date: 2026-05-13, by: anabel}\n")
    assert text(history, "teams/platform/records/carol.yaml") == carol_before
    assert not (history / "teams/platform/records/ana.yaml").exists()
    assert not (history / "teams/platform/requests/ana").exists()
    entries = (f"  - {{id: {pseudonym}, name: {pseudonym}, left: 2026-11-30}}\n"
               + ANABEL.replace("ana}", f"{pseudonym}}}"))
    assert entries in text(history, PLATFORM)
    assert text(history, "attendance/k8s-admin/2026-12-berlin.yaml").startswith(f"attended: [carol, dave, {pseudonym}]")
    # Their commits are the pseudonym's, those that held only their own files are gone, and so is lmsgen's cache
    # of what the old files said; the branch has its new name; the organisation still checks.
    assert git(history, "log", "--all", f"--author={pseudonym}", "--format=%s|%cn").splitlines() == [
        f"Attendance of the Berlin session|{pseudonym}",
        f"anabel's Kubernetes checklist, signed off by her mentor {pseudonym}|Test Author"]
    assert git(history, "for-each-ref", "--format=%(refname) %(taggername) %(contents)", "refs/tags") == (
        f"refs/tags/attendance/{pseudonym}/berlin {pseudonym} {pseudonym} marked attendance\n\n")
    assert "Ana records her secure coding course" not in left
    assert not (history / ".git/lmsgen").exists()
    assert git(history, "branch", "--list", f"request/{pseudonym}/*").strip()
    assert git(history, "status", "--porcelain") == ""
    assert main(["--root", str(history), "check"]) == 0
    with Repository(history) as repo:
        after = [(e.path, e.index, e.commit.author, e.commit.email) for e in audit(repo, "carol", "HEAD")]
        assert after == carol_audit
        assert [e.commit.email for e in audit(repo, "anabel", "HEAD")] == [f"{pseudonym}@erased.invalid"] * 2


def test_erase_refuses_a_dirty_tree_an_unknown_person_and_someone_who_has_not_left(history, capsys):
    assert main(["--root", str(history), "erase", "zoe"]) == 2
    assert capsys.readouterr().err == ("lmsgen erase: no person 'zoe' in any team file: only someone listed in "
                                       "teams/*/team.yaml can be erased (for an id nobody is listed with, nothing "
                                       "would be found)\n")
    assert main(["--root", str(history), "erase", "carol"]) == 2
    assert capsys.readouterr().err == (
        "lmsgen erase: 'carol' has not left (no 'left' date in teams/platform/team.yaml): erasure is for leavers "
        "past retention (lmsgen retention); --force erases someone who has not left\n")
    assert main(["--root", str(history), "erase", "carol", "--force"]) == 0
    capsys.readouterr()
    (history / "notes.txt").write_text("draft\n")
    assert main(["--root", str(history), "erase", "ana", "--apply"]) == 2
    assert capsys.readouterr().err == ("lmsgen erase: the working tree has changes (1 path, such as notes.txt): commit "
                                       "or remove them first, since a rewrite checks out the new history\n")
    assert (history / "teams/platform/records/ana.yaml").exists()


def test_a_person_who_leaves_in_the_future_has_not_left(history):
    with pytest.raises(GitError, match="'ana' has not left \\(no 'left' date on or before today"):
        erase.plan(history, "ana", today=date(2026, 11, 29))


TRACES = Traces("ana", "Ana Ruiz", "ana@acme.example", "anar", date(2026, 11, 30), "erased-0123abcd")


def test_words_only():
    data = (b"by: ana\nattended: [ana, anabel, banana]\nmentor: ana}\nana-maria ana_x ana.yaml @anar @anarchy "
            b"Ana Ruiz, ANA RUIZ, Ana Ruizz, ana@acme.example, xana@acme.example, Ana\xc3\xa9 Ruiz\n")
    assert scrub(data, TRACES.blob_rules()) == (
        b"by: erased-0123abcd\nattended: [erased-0123abcd, anabel, banana]\nmentor: erased-0123abcd}\n"
        b"ana-maria ana_x erased-0123abcd.yaml @erased-0123abcd @anarchy erased-0123abcd, erased-0123abcd, Ana Ruizz, "
        b"erased-0123abcd@erased.invalid, xana@acme.example, Ana\xc3\xa9 Ruiz\n")


def test_the_member_entry_keeps_only_the_pseudonym_and_the_date_they_left():
    data = ("members:\n" + ANA + ANABEL + "  - {id: ana-maria, name: Ana Maria}\n").encode()
    assert scrub(data, TRACES.blob_rules()).decode() == (
        "members:\n  - {id: erased-0123abcd, name: erased-0123abcd, left: 2026-11-30}\n"
        + ANABEL.replace("mentor: ana}", "mentor: erased-0123abcd}") + "  - {id: ana-maria, name: Ana Maria}\n")


WORDS = st.sampled_from(["ana", "banana", "anabel", "ana-maria", "maria-ana", "ana_x", "bob", "records/ana.yaml"])
SEPARATORS = st.sampled_from([" ", ", ", "[", "]", ": ", "\n", "{", "}", "\t", "/", "(", ")"])


@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=12))
def test_the_id_is_replaced_as_a_word_and_nothing_else(tokens):
    """Whatever surrounds them, `ana` becomes the pseudonym, and `banana`, `anabel` or `ana-maria` stay."""
    data = "".join(word + separator for word, separator in tokens)
    expected = "".join({"ana": "erased-0123abcd", "records/ana.yaml": "records/erased-0123abcd.yaml"}.get(word, word)
                       + separator for word, separator in tokens)
    assert scrub(data.encode(), TRACES.message_rules()).decode() == expected


def test_identities():
    assert TRACES.is_theirs("Ana Ruiz", "other@example.org")
    assert TRACES.is_theirs("Someone", "ANA@acme.example")
    assert TRACES.is_theirs("x", "1234+anar@users.noreply.github.com")
    assert TRACES.is_theirs("anar", "x@example.org")
    assert not TRACES.is_theirs("Anabel Soto", "anabel@acme.example")
    assert not TRACES.is_theirs("x", "anarchy@users.noreply.github.com")


def test_filter_repo_is_run_with_this_interpreter():
    done = subprocess.run([__import__("sys").executable, "-m", "git_filter_repo", "--version"], capture_output=True)
    assert done.returncode == 0


def test_an_entry_that_is_not_one_flow_mapping_is_refused(history, capsys):
    block = "  - id: ana\n    name: Ana Ruiz\n    email: ana@acme.example\n    git: anar\n    left: 2026-11-30\n"
    platform = re.sub(r"  - \{id: ana,[^}]*\}\n", block, text(history, PLATFORM))
    write_files(history, {PLATFORM: platform})
    commit_all(history, "Block style")
    assert main(["--root", str(history), "erase", "ana"]) == 2
    assert capsys.readouterr().err == (
        "lmsgen erase: the entry of 'ana' in teams/platform/team.yaml (line 10) is not written as one flow mapping, "
        "'- {id: ana, name: ...}': write it so first, so that erasing can replace all of it\n")


def test_the_dry_run_in_json(history, capsys):
    assert main(["--root", str(history), "erase", "ana", "--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert {key: plan[key] for key in ("person", "name", "email", "git", "team", "left", "remove", "identities")} == {
        "person": "ana", "name": "Ana Ruiz", "email": "ana@acme.example", "git": "anar", "team": "platform",
        "left": "2026-11-30", "remove": ["teams/platform/records/ana.yaml", "teams/platform/requests/ana/"],
        "identities": ["Ana Ruiz <ana@acme.example>", "anar <1234+anar@users.noreply.github.com>"]}
    assert re.fullmatch(r"erased-[0-9a-f]{8}", plan["pseudonym"])
    assert len(plan["commits"]) == 7 and plan["total_commits"] == 8


def test_filter_repos_expressions_are_one_rule_a_line():
    rules = Traces("ana", "Ana\nRuiz", None, None, None, "erased-0123abcd").message_rules()
    lines = expressions(rules).splitlines()
    assert len(lines) == len(rules)
    pattern, replacement = lines[0].removeprefix(b"regex:").rsplit(b"==>", 1)  # as git-filter-repo reads it
    assert re.sub(pattern, replacement, b"by Ana\nRuiz.") == b"by erased-0123abcd."


@pytest.mark.parametrize(("person", "clash"), [("k8s-admin", "the id of a course"), ("platform", "the id of a team"),
                                               ("manager", "a word of lmsgen's file formats")])
def test_an_id_that_means_something_else_too_is_refused(make_org, capsys, person, clash):
    root = make_org({PLATFORM: DESIGN_ORG_PLATFORM + f"  - {{id: {person}, name: Kim Park, left: 2019-01-31}}\n"})
    assert main(["--root", str(root), "erase", person]) == 2
    assert capsys.readouterr().err == (f"lmsgen erase: '{person}' is also {clash}: replacing it as a word everywhere "
                                       f"would change that too; erase this person by hand\n")
