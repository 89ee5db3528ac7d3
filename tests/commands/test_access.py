"""`lmsgen access --format nginx`: the map follows roles/ and teams/, and refuses what nginx could misread."""

from __future__ import annotations

from pathlib import Path

from lmsgen.cli import main

ON = "2026-12-01"


def _access(root: Path, *extra: str) -> int:
    return main(["--root", str(root), "access", "--format", "nginx", "--as-of", ON, "--site", "/srv/site", *extra])


def _allowed(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.endswith(" 1;")}


def test_a_role_change_in_roles_changes_the_map(make_org, capsys):
    root = make_org()
    assert _access(root, "--out", str(root / "before.conf")) == 0
    assert capsys.readouterr().err.startswith("wrote ")
    before = (root / "before.conf").read_text()
    (root / "roles/ld.yaml").write_text("name: L&D Academy\ngrants: [catalog.edit, assign.org, reports.org]\n"
                                        "holders: [alice, bob]\n")
    assert _access(root) == 0
    after = capsys.readouterr().out
    org_pages = ["report/budgets", "report/certifications", "report/divisions", "export/approvals.csv",
                 "export/certifications.csv", "export/records.csv", "export/status.csv", "export/status.json"]
    added = {
        "alice": ["portal/dana", "portal/erin", "dashboard/engineering", *org_pages],
        "bob": ["portal/alice", "portal/dave", "portal/dana", "portal/erin", "dashboard/platform",
                "dashboard/engineering", *org_pages],
    }
    assert _allowed(after) - _allowed(before) == {f'"{who}|{page}" 1;' for who, pages in added.items()
                                                  for page in pages}
    assert _allowed(before) <= _allowed(after)
    assert '"carol|portal/carol" 1;' in _allowed(after)
    assert '    "carol@acme.example" "carol";' in after.splitlines()


def test_a_leaver_leaves_the_map_on_the_day_they_leave(make_org, capsys):
    root = make_org()
    path = root / "teams/platform/team.yaml"
    path.write_text(path.read_text().replace("mentor: bob}", f"mentor: bob, left: {ON}}}"))
    assert _access(root) == 0
    after = capsys.readouterr().out
    assert "carol@acme.example" not in after  # the map gives her address to nobody: she signs in as no reader
    allowed = _allowed(after)
    assert not [line for line in allowed if line.startswith('"carol|')]
    assert {line for line in allowed if "|portal/carol" in line} == {
        '"alice|portal/carol" 1;', '"erin|portal/carol" 1;'}
    assert not [line for line in allowed if "calendar/carol" in line]


def test_an_email_nginx_could_misread_writes_nothing(make_org, capsys):
    root = make_org()
    path = root / "teams/platform/team.yaml"
    path.write_text(path.read_text().replace("dave@acme.example", "dave$x@acme.example"))
    assert _access(root, "--out", str(root / "access.conf")) == 1
    out, err = capsys.readouterr()
    assert out == ("teams/platform/team.yaml:9:39: the e-mail 'dave$x@acme.example' cannot go into the access "
                   "map: quotes, ';', braces, '$', '#', backslashes and whitespace are refused, so this person may "
                   "read no page of the site\n")
    assert err == "lmsgen access: nothing was written; fix the e-mail addresses above\n"
    assert not (root / "access.conf").exists()


def test_a_setting_nginx_could_misread_is_a_usage_error(make_org, capsys):
    root = make_org()
    assert main(["--root", str(root), "access", "--format", "nginx", "--site", "/srv/my site"]) == 2
    assert capsys.readouterr().err == ("lmsgen access: --site '/srv/my site': nginx would not read it as one plain "
                                       "value; quotes, ';', braces, '$', '#', backslashes and whitespace are "
                                       "refused\n")
    assert main(["--root", str(root), "access", "--format", "nginx", "--header", "X Email"]) == 2
    assert capsys.readouterr().err == ("lmsgen access: --header 'X Email' is not a header name (letters, digits "
                                       "and '-')\n")
