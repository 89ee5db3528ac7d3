"""The xAPI seam: statements read and understood whatever the input, and the LRS client against a real learning
record store: Ralph, with its file-system backend, started on 127.0.0.1 for the test.

Ralph lives in its own virtual environment (`.venv-ralph`, which `.ci/run` makes: its pinned dependencies would
clash with lmsgen's); the test skips, saying so, when that environment is missing.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from conftest import git
from hypothesis import given, settings
from hypothesis import strategies as st
from importing import IMPORTING, STATEMENTS

from lmsgen.cli import main
from lmsgen.integrations import xapi

RALPH = Path(__file__).resolve().parents[2] / ".venv-ralph" / "bin" / "python"
USER, PASSWORD = "lmsgen", "not-a-real-secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def lrs(tmp_path, monkeypatch):
    """A running Ralph LRS (its statements in a temporary folder), and lmsgen's credentials for it."""
    if not RALPH.exists():
        pytest.skip(f"Ralph is not installed in {RALPH.parent.parent} (.ci/run installs it)")
    home = tmp_path / "ralph"
    (home / "statements").mkdir(parents=True)
    # The credentials file as Ralph's `ralph auth` writes it: a bcrypt hash, the scopes and the agent.
    subprocess.run([str(RALPH), "-c", (
        "import bcrypt, json, sys\n"
        "hashed = bcrypt.hashpw(sys.argv[2].encode(), bcrypt.gensalt()).decode()\n"
        "json.dump([{'username': sys.argv[1], 'hash': hashed, 'scopes': ['all'],\n"
        "            'agent': {'mbox': 'mailto:ci@acme.example'}}], open(sys.argv[3], 'w'))\n"),
        USER, PASSWORD, str(home / "auth.json")], check=True)
    port = _free_port()
    env = {**os.environ, "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_AUTH_FILE": str(home / "auth.json"),
           "RALPH_APP_DIR": str(home), "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "statements")}
    log = (home / "server.log").open("wb")
    server = subprocess.Popen([str(RALPH), "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1", "--port",
                               str(port)], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Ralph did not start: {(home / 'server.log').read_text()[-2000:]}")
                time.sleep(0.2)
        monkeypatch.setenv("LMSGEN_LRS_USER", USER)
        monkeypatch.setenv("LMSGEN_LRS_PASSWORD", PASSWORD)
        yield f"http://127.0.0.1:{port}/xAPI"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_statements_in_ralph_become_a_batch_and_a_second_import_finds_nothing_new(make_org, lrs, capsys):
    root = make_org(IMPORTING)
    client = xapi.Lrs(lrs, USER, PASSWORD)
    assert client.post(STATEMENTS) == len(STATEMENTS)

    assert main(["--root", str(root), "import-completions", "--lrs", lrs, "--since", "2026-01-01"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "3 new completions from lrs (1 failed attempt), 0 already imported, 3 skipped"
    branch = f"lmsgen/import-completions-lrs-{date.today().isoformat()}"
    batch = git(root, "show", f"{branch}:completions/lrs/{date.today().isoformat()}.yaml")
    assert batch.count("\n  - {person: ") == 3
    assert "{person: carol, course: incident-response, date: 2026-11-30, score: 92, " in batch

    git(root, "merge", "-q", branch)
    assert main(["--root", str(root), "import-completions", "--lrs", lrs]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "0 new completions from lrs, 3 already imported, 3 skipped"


def test_the_lrs_reads_more_than_one_page(make_org, lrs, monkeypatch):
    client = xapi.Lrs(lrs, USER, PASSWORD)
    client.post(STATEMENTS)  # in one request: Ralph's file-system backend takes one write per file
    monkeypatch.setattr(xapi, "PAGE_SIZE", 2)
    assert sorted(s.data["id"] for s in client.statements()) == sorted(s["id"] for s in STATEMENTS)


def test_wrong_credentials_are_a_usage_error(make_org, lrs, monkeypatch, capsys):
    root = make_org(IMPORTING)
    monkeypatch.setenv("LMSGEN_LRS_PASSWORD", "wrong")
    assert main(["--root", str(root), "import-completions", "--lrs", lrs]) == 2
    assert capsys.readouterr().err.startswith(f"lmsgen import-completions: GET {lrs}/statements?limit=500 answered 401")


def test_exported_statements_are_valid_to_ralph_and_posting_them_again_changes_nothing(make_org, lrs, tmp_path,
                                                                                      capsys):
    root = make_org(IMPORTING)
    out = tmp_path / "statements.jsonl"
    assert main(["--root", str(root), "export-xapi", "--out", str(out)]) == 0
    # Ralph's own xAPI statement model accepts every one.
    checked = subprocess.run([str(RALPH), "-c", (
        "import sys\n"
        "from ralph.models.xapi.base.statements import BaseXapiStatement\n"
        "lines = open(sys.argv[1]).read().splitlines()\n"
        "for line in lines:\n"
        "    BaseXapiStatement.model_validate_json(line)\n"
        "print(len(lines))\n"), str(out)], capture_output=True, text=True)
    assert (checked.returncode, checked.stdout) == (0, "2\n"), checked.stderr

    assert main(["--root", str(root), "export-xapi", "--lrs", lrs]) == 0
    assert capsys.readouterr().out == f"Posted 2 statements to {lrs}: 2 new, the rest already there.\n"
    assert main(["--root", str(root), "export-xapi", "--lrs", lrs]) == 0
    assert capsys.readouterr().out == f"Posted 2 statements to {lrs}: 0 new, the rest already there.\n"
    stored = {s.data["id"]: s.data for s in xapi.Lrs(lrs, USER, PASSWORD).statements()}
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(stored) == sorted(s["id"] for s in exported)
    assert all(stored[s["id"]]["verb"]["id"] == xapi.COMPLETED for s in exported)


def test_an_unreachable_lrs_is_a_usage_error(make_org, capsys):
    root = make_org(IMPORTING)
    url = f"http://127.0.0.1:{_free_port()}/xAPI"
    assert main(["--root", str(root), "export-xapi", "--lrs", url]) == 2
    assert capsys.readouterr().err.startswith(f"lmsgen export-xapi: {url}/statements: ")


def test_a_json_array_that_breaks_off_is_an_error_at_its_line(tmp_path):
    raw = b'[\n  {"id": "a"},\n  {"id": "b"}\n  {"id": "c"}\n]\n'
    statements, problems = xapi.read_statements("s.json", raw)
    assert [(s.data, s.line) for s in statements] == [({"id": "a"}, 2), ({"id": "b"}, 3)]
    assert [str(p) for p in problems] == ["s.json:4:3: expected ',' or ']' after a statement"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_no_statements_file_raises(raw):
    statements, _ = xapi.read_statements("s.json", raw)
    for statement in statements:
        xapi.interpret(statement)


_JSON = st.recursive(st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=10),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
                         ["id", "actor", "mbox", "account", "name", "verb", "object", "timestamp", "result", "score",
                          "scaled", "raw", "min", "max"]), inner, max_size=4), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_no_statement_raises(data):
    outcome = xapi.interpret(xapi.Statement(data, "s.json", 1))
    assert isinstance(outcome, (xapi.Reported, xapi.Skipped))
