"""Message catalogs: every user-facing sentence lmsgen sends, by key, in each language it speaks.

One plain catalog per language (`en`, `nl`: a module holding a dict of key → text), with `str.format`
placeholders by name. A test requires every key in every language, with the same placeholders, so a
sentence never falls back silently. The reminders and the site (`site.*` keys, in `site_en`/`site_nl`) use it; the CLI can adopt it by
adding its keys. gettext would bring .po files and a compile step for what is, here, a few dozen
sentences, so the catalogs are data, and Python keeps them together with the code that ships them.

A shared module: every stage may import it. May import: nothing of lmsgen. Must not import: any stage.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import cli_en, cli_nl, en, explain_en, explain_nl, nl, site_en, site_nl

CATALOGS: Mapping[str, Mapping[str, str]] = {
    "en": {**en.MESSAGES, **cli_en.MESSAGES, **explain_en.MESSAGES, **site_en.MESSAGES},
    "nl": {**nl.MESSAGES, **cli_nl.MESSAGES, **explain_nl.MESSAGES, **site_nl.MESSAGES},
}
"""Each language's catalog by its code (org.yaml's `language`)."""
DEFAULT_LANGUAGE = "en"


class Catalog:
    """The sentences of one language: `catalog.text(key, name=value, ...)`."""

    def __init__(self, language: str):
        if language not in CATALOGS:
            raise ValueError(f"no message catalog for language {language!r}: lmsgen speaks {', '.join(CATALOGS)}")
        self.language = language
        self._messages = CATALOGS[language]

    def text(self, key: str, /, **values: object) -> str:
        """The sentence `key` with its placeholders filled in."""
        return self._messages[key].format(**values)

    def __call__(self, key: str, /, **values: object) -> str:
        return self.text(key, **values)
