"""A problem is one line, whatever its path and message hold: both are data a pull request chose."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lmsgen.commands.reporting import render
from lmsgen.model.diagnostics import Diagnostic


@given(path=st.text(), message=st.text())
def test_every_problem_is_one_line_in_every_format(path, message):
    problem = Diagnostic(path, 1, 1, message)
    assert len(str(problem).splitlines()) == 1
    assert len(render([problem], "text").splitlines()) == 1
    assert len(render([problem], "github").splitlines()) == 1


def test_control_characters_in_a_path_are_written_as_their_escapes():
    assert str(Diagnostic("catalog/a\nb\x85c\u2028.yaml", 1, 1, "x")) == "catalog/a\\nb\\x85c\\u2028.yaml:1:1: x"
    assert Diagnostic("catalog/a\\nb.yaml", 1, 1, "x").path == "catalog/a\\nb.yaml"  # already escaped: as it is
