"""A warm check recalls one entry a team for its records files' findings (rules/records_teams.py), and the other
cross-file checks whole while only records files changed (rules/checks_kept.py): what it reports is what a check
without the cache reports."""

from __future__ import annotations

from conftest import write_files

from lmsgen.cache.memo import Memo
from lmsgen.rules import checks
from lmsgen.rules.validation import validate_root

DAVE = "person: dave\nrecords:\n  - {course: k8s-ojt, date: 2026-05-10, by: alice, checklist: [true]}\n"
ERIN = "person: erin\nrecords:\n  - {course: nope, date: 2026-05-10, by: erin}\n"


def _recalled(monkeypatch) -> list[str]:
    """The kinds of the results recalled with a witness from now on."""
    kinds: list[str] = []
    real = Memo.recalled

    def counting(self, kind, *inputs, **options):
        kinds.append(kind)
        return real(self, kind, *inputs, **options)

    monkeypatch.setattr(Memo, "recalled", counting)
    return kinds


def _lines(root, **options) -> list[str]:
    return [str(d) for d in validate_root(root, check_codeowners=True, **options).diagnostics]


def test_a_team_whose_records_files_did_not_change_is_recalled_whole(make_org, monkeypatch):
    root = make_org({"teams/platform/records/dave.yaml": DAVE, "teams/engineering/records/erin.yaml": ERIN})
    fresh = _lines(root, use_cache=False)
    assert any("checklist has 1 item" in line for line in fresh) and any("'nope'" in line for line in fresh)
    assert _lines(root) == fresh
    kinds = _recalled(monkeypatch)
    assert _lines(root) == fresh
    assert sorted(kinds) == ["records-check-team"] * 2  # one a team, no file's own
    kinds.clear()
    write_files(root, {"teams/platform/records/dave.yaml": DAVE.replace("2026-05-10", "2026-05-11")})
    fresh = _lines(root, use_cache=False)
    kinds.clear()
    assert _lines(root) == fresh
    # engineering's entry holds; platform's does not (dave's file changed): its two files are recalled one by one
    assert sorted(kinds) == ["records-check"] * 2 + ["records-check-team"] * 2
    kinds.clear()
    assert _lines(root) == fresh and sorted(kinds) == ["records-check-team"] * 2


def test_the_other_checks_are_found_again_only_when_a_file_but_records_changes(make_org, monkeypatch):
    root = make_org({"teams/platform/records/dave.yaml": DAVE})
    assert _lines(root) == _lines(root, use_cache=False)
    found_again: list[int] = []
    real = checks._check_all_but_records
    monkeypatch.setattr(checks, "_check_all_but_records", lambda org: found_again.append(1) or real(org))
    write_files(root, {"teams/platform/records/dave.yaml": DAVE.replace("[true]", "[true, false]")})
    assert _lines(root) == _lines(root, use_cache=False)
    assert len(found_again) == 1  # the run without the cache only
    write_files(root, {"catalog/k8s-ojt.yaml": "title: K\nformat: ojt\ncompletion: {by: [manager, mentor]}\n"
                                               "checklist: [Deploys, Rolls back, Scales]\n"})
    found_again.clear()
    assert _lines(root) == _lines(root, use_cache=False)
    assert len(found_again) == 2
