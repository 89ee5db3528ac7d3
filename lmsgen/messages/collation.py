"""Sorting names the way their readers do: "Élodie" beside "Elodie", before "Zoé", not after it.

Python compares code points, so every accented capital sorts after "z". This is the Unicode Collation
Algorithm's idea in its simplest, dependency-free form, which is what the site's lists need for the Latin
names of European organisations (en and nl, the languages lmsgen speaks): compare the letters first (accents
and case set aside), then the accents, then the case, then the text itself so that the order is total.
ICU (PyICU) would be the complete answer, but it is a compiled dependency for what is a sorting key here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that decompose into no base letter, written as the letters a reader sorts them as.
_EXPANSIONS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                             "ı": "i"})


@lru_cache(maxsize=65536)
def sort_key(text: str) -> tuple[str, str, str, str]:
    """A key that sorts `text` by its letters, then its accents, then its case."""
    folded = text.casefold().translate(_EXPANSIONS)
    decomposed = unicodedata.normalize("NFKD", folded)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return letters, decomposed, text.swapcase(), text
