"""`lmsgen withdraw` and `lmsgen attend --absent` (docs/sessions.md)."""

from datetime import date

import pytest
from conftest import DESIGN_ORG, git
from test_helpers import BERLIN_ENDED, shows, submit, unchanged

from lmsgen.cli import main
from lmsgen.history import helpers
from lmsgen.history.helpers import InvalidChange, Refused
from lmsgen.history.withdraw_helper import withdraw

REQUEST = "teams/platform/requests/carol/2026-11-k8s-admin.yaml"
WITHDRAWAL = "teams/platform/requests/carol/2026-11-k8s-admin.withdraw.yaml"
SESSION = "attendance/k8s-admin/2026-12-berlin.yaml"


def test_withdraw_writes_the_file_beside_the_request_on_a_new_branch(make_org):
    root = make_org()
    done = submit(root, lambda ws: withdraw(ws, REQUEST, "Project moved"), today=date(2026, 12, 1))
    assert done.branch == "lmsgen/withdraw-carol-2026-11-k8s-admin"
    assert done.files == (WITHDRAWAL,)
    assert done.approvers == {WITHDRAWAL: ["@alicem", "@erinr"]}  # the request's owners: carol's managers
    assert shows(root, done.branch, WITHDRAWAL) == (
        "# yaml-language-server: $schema=../../../../schemas/withdrawal.schema.json\n"
        "reason: Project moved\ndate: 2026-12-01\n")
    assert unchanged(root)


def test_withdraw_refuses_what_is_no_request_and_an_old_withdrawal(make_org):
    root = make_org({WITHDRAWAL: "reason: Project moved\n"})
    with pytest.raises(Refused, match="there is no request at teams/platform/requests/carol/nope.yaml"):
        submit(root, lambda ws: withdraw(ws, "teams/platform/requests/carol/nope.yaml", "x"))
    with pytest.raises(Refused, match=f"the request at {REQUEST} is already withdrawn \\({WITHDRAWAL}\\)"):
        submit(root, lambda ws: withdraw(ws, REQUEST, "Again"))


def test_withdraw_refuses_a_session_that_started(make_org):
    root = make_org()
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: withdraw(ws, REQUEST, "Too late"), today=BERLIN_ENDED)
    assert [str(d) for d in invalid.value.diagnostics] == [
        f"{WITHDRAWAL}:2:1: session '2026-12-berlin' of 'k8s-admin' started on 2026-12-03 (catalog/k8s-admin.yaml:"
        "7:33), before today (2026-12-04): withdraw before a session starts; after, the trainer marks a no-show "
        "absent on its attendance list"]


def test_attend_marks_no_shows(make_org):
    root = make_org({"teams/platform/requests/bob/2026-11-k8s-admin.yaml":
                     "person: bob\ncourse: k8s-admin\nsession: 2026-12-berlin\ndate: 2026-11-20\n"
                     "cost: {amount: 1200, currency: EUR}\n",
                     "teams/platform/requests/bob/2026-11-k8s-admin.cost.yaml":
                     DESIGN_ORG["teams/platform/requests/carol/2026-11-k8s-admin.cost.yaml"]})
    done = submit(root, lambda ws: helpers.attend(ws, "k8s-admin", "2026-12-berlin", [], ["bob"]),
                  today=BERLIN_ENDED)
    assert shows(root, done.branch, SESSION) == "attended: [carol, dave]\nabsent:\n  - bob\n"
    with pytest.raises(InvalidChange) as invalid:
        submit(root, lambda ws: helpers.attend(ws, "k8s-admin", "2026-12-berlin", ["alice"], ["carol"]),
               today=BERLIN_ENDED)
    assert [str(d) for d in invalid.value.diagnostics] == [
        f"{SESSION}:3:5: 'carol' is listed as both attended (at {SESSION}:1:12) and absent"]


def test_the_commands(make_org, capsys):
    root = make_org()
    assert main(["--root", str(root), "attend", "k8s-admin", "2026-12-berlin"]) == 2
    assert capsys.readouterr().err == ("lmsgen attend: name who attended (PERSON...) or who did not come "
                                       "(--absent ID)\n")
    assert main(["--root", str(root), "withdraw", "teams/x.yaml", "--reason", "x"]) == 2
    assert capsys.readouterr().err.startswith("lmsgen withdraw: there is no request at teams/x.yaml")
    assert git(root, "branch", "--list", "lmsgen/*") == ""


def test_withdraw_prints_the_branch_and_the_approvers(make_org, capsys):
    # A session still to come whenever the test runs: a withdrawal after the session started is refused.
    course = "catalog/k8s-admin.yaml"
    root = make_org({course: DESIGN_ORG[course].replace("2026-12-03T09:00, end: 2026-12-04T17:00",
                                                        "2099-12-03T09:00, end: 2099-12-04T17:00")})
    assert main(["--root", str(root), "withdraw", REQUEST, "--reason", "Project moved"]) == 0
    out = capsys.readouterr().out
    commit = git(root, "rev-parse", "lmsgen/withdraw-carol-2026-11-k8s-admin").strip()
    assert out.startswith(f"Committed {commit[:12]} on the new branch lmsgen/withdraw-carol-2026-11-k8s-admin (your "
                          f"checkout is unchanged):\n  {WITHDRAWAL}  (approved by @alicem or @erinr)\n")
    assert "reason: Project moved\n" in shows(root, commit, WITHDRAWAL)


def test_the_audit_names_the_commit_that_withdrew(make_org, capsys):
    from conftest import commit_all, write_files

    root = make_org()
    write_files(root, {WITHDRAWAL: "reason: Project moved\ndate: 2026-12-01\n"})
    sha = commit_all(root, "Carol withdraws", author="Carol Diaz <carol@acme.example>")
    assert main(["--root", str(root), "audit", "carol"]) == 0
    out = capsys.readouterr().out
    assert f"withdrawal: Project moved, dated 2026-12-01 ({WITHDRAWAL})\n  added in {sha[:12]} by Carol Diaz " \
           "<carol@acme.example>" in out
    assert out.endswith("2 records and 1 request, 1 withdrawn\n")
