"""The prescan certifies only texts that are truly shallow and plain, and certifies the organisation's usual files."""

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml_texts import yaml_texts

from lmsgen.model.prescan import BLOCK_COLUMNS, MAX_DEPTH, shallow_and_plain
from lmsgen.model.yamlfile import YamlError, compose


@pytest.mark.parametrize(
    "text",
    [
        "person: carol\nrecords:\n  - {course: secure-coding, date: 2026-03-02, by: carol, checklist: [true, false]}\n",
        "title: Secure coding # a comment with [ and ]\ndescription: |\n  ## What you will learn\n  - [x] a task\n",
        "title: 'It''s [not] a list'\nsummary: \"a ] b\"\n",
        "people:\n  - id: carol\n    mentors: [dave]\n    sessions:\n      - {id: s1}\n",
        "\ufeffa: [[[[[[[x]]]]]]]\r\nb: 1\r\n",
    ],
)
def test_usual_files_are_certified(text):
    assert shallow_and_plain(text.encode())


@pytest.mark.parametrize(
    "text",
    [
        "a: !!binary aGk=\n", "a: &x 1\nb: *x\n",  # tags and anchors: the positional reader decides
        "- " * BLOCK_COLUMNS + "x\n", "a:\n" + " " * BLOCK_COLUMNS + "b: 1\n",  # a deep block prefix
        "a: 1\r" + "- " * BLOCK_COLUMNS + "x\n",  # after a bare carriage return too
        "\ufeff" + "- " * BLOCK_COLUMNS + "x\n",
        "a: " + "[" * 9 + "]" * 9 + "\n",  # past the rounds: `[]` and `{}` take turns
        "a: [\n  b]\n",  # a flow collection over lines
        "a: [\"]\", [\"]\", [x]]\n",  # a bracket in quotes never closes a real one
        "a: [# ]\n  [x]]\n",
        "title: a[b\n",  # a bracket that closes nothing: read by the positional reader, which takes it as text
    ],
)
def test_what_cannot_be_proved_shallow_and_plain_is_not_certified(text):
    assert not shallow_and_plain(text.encode())


def _depth(node, seen=frozenset()) -> int:
    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) or id(node) in seen:
        return 0
    children = [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else node.value
    return 1 + max((_depth(child, seen | {id(node)}) for child in children), default=0)


nested = st.recursive(
    st.sampled_from(["x", "'q'", '"]"', "# ]"]),
    lambda inner: st.builds(lambda open_, close, item: open_ + item + close, st.sampled_from(["[", "{a: ", "[a: "]),
                            st.sampled_from(["]", "}"]), inner)
    | st.builds(lambda item: "\n- " + item.replace("\n", "\n  "), inner)
    | st.builds(lambda item: "\nk:\n " + item.replace("\n", "\n "), inner),
    max_leaves=80,
)


@settings(max_examples=300, deadline=None)
@given(nested | yaml_texts)
def test_a_text_the_prescan_passes_is_no_deeper_than_the_bound(text):
    if shallow_and_plain(text.encode()):
        try:
            node = compose(text)
        except YamlError:
            return
        assert _depth(node) <= MAX_DEPTH
