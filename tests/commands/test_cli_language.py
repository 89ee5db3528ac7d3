"""The command line speaks org.yaml's `language` to end users (docs/translations.md): the helpers, `status` and
`explain` in Dutch, word for word; the data diagnostics stay English."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import DESIGN_ORG, git

from lmsgen.cli import main
from tests.commands.test_status_command import FILES

K8S_ADMIN = "catalog/k8s-admin.yaml"
DUTCH_ORG = textwrap.dedent(DESIGN_ORG["org.yaml"]) + "language: nl\n"


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


@pytest.fixture
def dutch(tmp_path: Path) -> Path:
    for rel, text in {**FILES, "org.yaml": FILES["org.yaml"] + "language: nl\n"}.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return tmp_path


def test_a_request_is_reported_in_dutch(make_org, capsys):
    root = make_org({"org.yaml": DUTCH_ORG,
                     K8S_ADMIN: DESIGN_ORG[K8S_ADMIN].replace("2026-12-03T09:00, end: 2026-12-04T17:00",
                                                              "2099-12-03T09:00, end: 2099-12-04T17:00")})
    assert run(root, "request", "dave", "k8s-admin", "--session", "2026-12-berlin", "--reason", "Piket") == 0
    out = capsys.readouterr().out
    branch = git(root, "branch", "--list", "lmsgen/*").strip()
    commit = git(root, "rev-parse", branch).strip()
    request = f"teams/platform/requests/dave/{branch.removeprefix('lmsgen/request-dave-')}"
    assert out == (
        f"Commit {commit[:12]} staat op de nieuwe branch {branch} (je checkout is niet veranderd):\n"
        f"  {request}.yaml  (goed te keuren door @alicem of @erinr)\n"
        f"  {request}.cost.yaml  (goed te keuren door @acme/finance)\n"
        "Push hem en open dan de pull request naar main:\n"
        f"  git push -u origin {branch}\n"
        f"  https://github.com/acme/learning/compare/main...{branch}?expand=1\n")


def test_the_helpers_refuse_in_dutch_and_keep_the_diagnostics_english(make_org, capsys):
    root = make_org({"org.yaml": DUTCH_ORG})
    assert run(root, "complete", "carl", "k8s-ojt") == 2
    assert capsys.readouterr().err == "lmsgen complete: onbekende persoon 'carl' (bedoel je 'carol'?)\n"
    assert run(root, "complete", "carol", "k8s-ojt", "--checklist", "x") == 2
    assert capsys.readouterr().err == ("lmsgen complete: 'x' staat niet op de checklist van 'k8s-ojt': Deploys a "
                                       "service, Rolls back a release\n")
    assert run(root, "complete", "carol", "k8s-ojt", "--by", "dave") == 1
    assert capsys.readouterr().err == (
        "teams/platform/records/carol.yaml:5:45: 'dave' may not record 'k8s-ojt' for 'carol': the course allows "
        "manager, mentor (catalog/k8s-ojt.yaml:3:13), that is alice (manager), erin (manager), bob (mentor)\n"
        "lmsgen complete: de wijziging zou 1 fout aan de organisatie toevoegen, dus er is niets geschreven\n")
    assert run(root, "attend", "k8s-admin", "2026-12-berlin") == 2
    assert capsys.readouterr().err == ("lmsgen attend: noem wie er was (PERSOON...) of wie niet kwam "
                                       "(--absent ID)\n")
    assert run(root, "withdraw", "teams/platform/requests/nobody/x.yaml", "--reason", "Ziek") == 2
    assert capsys.readouterr().err == (
        "lmsgen withdraw: er is geen aanvraag op teams/platform/requests/nobody/x.yaml: geef het pad van een "
        "aanvraagbestand, zoals teams/<team>/requests/<person>/<request>.yaml\n")
    assert git(root, "branch").split() == ["*", "main"]


def test_the_status_table_in_dutch(dutch: Path, capsys) -> None:
    assert run(dutch, "status", "--as-of", "2026-11-23") == 0
    assert capsys.readouterr().out == textwrap.dedent("""\
        PERSOON    CURSUS  STATUS        UITERLIJK   AFGEROND  VERLOOPT  BRON
        annabelle  k8s     wachtlijst    2026-12-01  -         -         request:k8s-dec
        annabelle  sec     te doen       2026-12-10  -         -         sec
        pat        sec     te laat       2026-11-01  -         -         team:eng
        pat        k8s     ingeschreven  2026-12-01  -         -         request:k8s-dec
        sam        sec     vrijgesteld   -           -         -         sec

        5 regels voor 3 personen op 2026-11-23: 1 te laat, 1 te doen, 1 wachtlijst, 1 ingeschreven, 0 verloopt, \
0 afgerond, 1 vrijgesteld
        """)
    assert run(dutch, "status", "--person", "annabel") == 2
    assert capsys.readouterr().err == "lmsgen status: onbekende persoon 'annabel' (bedoel je 'annabelle'?)\n"


def test_explain_in_dutch(dutch: Path, capsys) -> None:
    assert run(dutch, "explain", "annabelle", "sec", "--as-of", "2026-11-23") == 0
    assert capsys.readouterr().out == textwrap.dedent("""\
        annabelle en sec (Security awareness), op 2026-11-23

        Status: uiterlijk 2026-12-10 af (bron: sec)

        Waarom dit op de lijst staat:
          * regel sec "Security for engineers" (assignments/sec.yaml)  <- telt
              in de doelgroep: profiel 'engineer' staat in [engineer]
              uiterste datum: {due}
              op zichzelf geeft dit: uiterlijk 2026-12-10 af

        Afrondingen:
          geen
          Geen afronding op of vóór de peildatum.
        """).format(due="30 dagen na de latere van 'from' van de regel (2026-01-01) en je startdatum (2026-11-10), "
                    "dat is je startdatum: 2026-12-10")
    assert run(dutch, "explain", "annabelle", "k8s", "--as-of", "2026-11-23") == 0
    assert "      sessie 'dec' is vol (1 plaatsen; plaatsen gaan op aanvraagdatum, dan op id), dus hij staat op de " \
           "wachtlijst\n" in capsys.readouterr().out
    assert run(dutch, "explain", "mia", "sec", "--as-of", "2026-11-23") == 0
    assert capsys.readouterr().out == textwrap.dedent("""\
        mia en sec (Security awareness), op 2026-11-23

        Niet op de lijst van mia: geen regel, teamtoewijzing of aanvraag wijst dit toe.

        Noemt dit, maar wijst het niet toe aan mia:
          * regel sec "Security for engineers" (assignments/sec.yaml)
              niet in de doelgroep: profiel 'manager' staat niet in [engineer]

        Afrondingen:
          * 2025-12-10 vastgelegd in teams/eng/records/mia.yaml (door mia) — telt: de laatste op of vóór 2026-11-23
          Het certificaat is geldig tot 2026-12-10 (12 maanden; het verloopt op die dag).
        """)
