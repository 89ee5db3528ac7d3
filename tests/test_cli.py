"""The command line's own behaviour: a misspelt command gets a suggestion, every command's help a description."""

from __future__ import annotations

import pytest

from lmsgen.cli import build_parser, main


@pytest.mark.parametrize(("argv", "message"), [
    (["chek"], "lmsgen: error: 'chek' is not an lmsgen command; did you mean 'check'?"),
    (["--root", ".", "stauts", "--format", "json"], "lmsgen: error: 'stauts' is not an lmsgen command; did you mean "
                                                   "'status'?"),
    (["import-completion"], "lmsgen: error: 'import-completion' is not an lmsgen command; did you mean "
                            "'import-completions'?"),
])
def test_a_misspelt_command_gets_the_nearest(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == message


def test_a_word_like_no_command_lists_them(capsys):
    with pytest.raises(SystemExit):
        main(["xyzzy"])
    assert capsys.readouterr().err.splitlines()[-1].startswith(
        "lmsgen: error: 'xyzzy' is not an lmsgen command; the commands are: check, status, explain, ")


def test_every_command_describes_itself_in_its_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0]  # noqa: SLF001
    for choice in commands._choices_actions:  # noqa: SLF001
        assert commands.choices[choice.dest].description == choice.help, choice.dest
        assert choice.help, f"lmsgen {choice.dest} has no help line"
