"""Names sort as their readers expect (lmsgen/messages/collation.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lmsgen.messages.collation import sort_key


def test_accented_names_sort_beside_their_letters():
    names = ["Zoé", "Élodie", "Ørjan", "anna", "Anna", "Ábel", "Zoe", "Øystein", "Łukasz", "Straße", "Strasse",
             "Lucas", "olaf"]
    assert sorted(names, key=sort_key) == ["Ábel", "anna", "Anna", "Élodie", "Lucas", "Łukasz", "olaf", "Ørjan",
                                           "Øystein", "Strasse", "Straße", "Zoe", "Zoé"]


@given(st.lists(st.text(max_size=8), max_size=12))
def test_the_order_is_total_and_stable(names):
    once = sorted(names, key=sort_key)
    assert sorted(reversed(names), key=sort_key) == once
    assert sorted(once, key=sort_key) == once
