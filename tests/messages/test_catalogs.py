"""The message catalogs: every key in every language, with the same placeholders, so no sentence falls back."""

from __future__ import annotations

import string

import pytest

from lmsgen.messages import CATALOGS, DEFAULT_LANGUAGE, Catalog
from lmsgen.model import formats as m


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_of_org_yaml_has_a_catalog():
    assert set(CATALOGS) == {language.value for language in m.Language}
    assert DEFAULT_LANGUAGE in CATALOGS


@pytest.mark.parametrize("language", sorted(set(CATALOGS) - {DEFAULT_LANGUAGE}))
def test_every_catalog_has_every_key_with_the_same_placeholders(language):
    reference, catalog = CATALOGS[DEFAULT_LANGUAGE], CATALOGS[language]
    assert sorted(set(reference) - set(catalog)) == [], f"{language} lacks these keys"
    assert sorted(set(catalog) - set(reference)) == [], f"{language} has keys {DEFAULT_LANGUAGE} lacks"
    differ = [key for key in reference if _placeholders(reference[key]) != _placeholders(catalog[key])]
    assert differ == [], f"{language} fills in other values than {DEFAULT_LANGUAGE}"


def test_a_catalog_fills_in_its_sentences():
    assert Catalog("nl")("reminder.greeting", name="Dana") == "Hallo Dana,"
    assert Catalog("en").text("reminder.days.other", count=3) == "3 days"
    with pytest.raises(ValueError, match="no message catalog for language 'fr': lmsgen speaks en, nl"):
        Catalog("fr")
