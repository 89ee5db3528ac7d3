"""The site's words in the organisation's language (org.yaml's `language`): the catalog's `site.*` sentences,
looked up once per build, and the locale's way of writing numbers, amounts and dates (Babel).

Every page of one build speaks one language: `words(language)` is made once and shared by the templates
(`t(key, **values)`) and by the pieces of HTML made in Python (`pages.Html`). A key without placeholders is
looked up once and kept, so a row repeated ten thousand times costs a dict lookup (docs/languages.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from ..messages import CATALOGS, DEFAULT_LANGUAGE


class Words:
    """The site's sentences of one language; `t(key, **values)` fills one in."""

    def __init__(self, language: str):
        self.language = language if language in CATALOGS else DEFAULT_LANGUAGE
        self._messages = CATALOGS[self.language]
        self._plain: dict[str, str] = {}
        self._badges: dict[str, Markup] = {}
        self._escaped: dict[str, str] = {}
        self._recorders: dict[tuple, str] = {}
        self._days: dict[date, str] = {}
        self._numbers: dict[float, str] = {}
        self._hours: dict[float, str] = {}

    def t(self, key: str, /, **values: object) -> str:
        """The sentence `key`, with its placeholders filled in (a key without any is kept after its first use)."""
        if values:
            return self._messages[key].format(**values)
        text = self._plain.get(key)
        if text is None:
            text = self._plain[key] = self._messages[key].format()
        return text

    __call__ = t

    def markup(self, key: str, /, **values: object) -> Markup:
        """The sentence `key` as HTML: its text escaped, each value escaped unless it is Markup already (a link,
        a date, a `code`), so a sentence can hold a piece of HTML where its language puts it."""
        text = self.escaped(key)
        # str.format on the escaped text with escaped values: Markup.format does the same, five times slower.
        return Markup(text.format(**{name: escape(value) for name, value in values.items()}))

    def plural(self, key: str, count: int, /, **values: object) -> str:
        """`key.one` for a count of 1, else `key.other`, with `count` filled in."""
        return self.t(f"{key}.one" if count == 1 else f"{key}.other", count=count, **values)

    def status(self, status: str) -> str:
        """A status as people read it (`overdue` → `te laat`); an unknown one as it is."""
        key = f"site.status.{status}"
        return self.t(key) if key in self._messages else status

    def escaped(self, key: str) -> str:
        """The sentence `key` escaped for HTML, its placeholders left to fill in with escaped values."""
        text = self._escaped.get(key)
        if text is None:
            text = self._escaped[key] = escape_text(self._messages[key])
        return text

    def recorded_by(self, by: Iterable[object]) -> str:
        """`recorded by manager or trainer`: who records a course's completion when the person may not."""
        values = tuple(getattr(b, "value", b) for b in by)
        text = self._recorders.get(values)
        if text is None:
            who = self.t("site.or").join(self.t(f"site.by.{b}") for b in values if b != "self")
            text = self._recorders[values] = self.t("site.portal.recorded_by", who=who)
        return text

    def format_name(self, value: str) -> str:
        """A course format as people read it (`elearning` → `e-learning` in Dutch)."""
        key = f"site.format.{value}"
        return self.t(key) if key in self._messages else value

    def kind(self, name: str, english: str) -> str:
        """A kind of file of the approval policy (`rules/paths.py`), or its approvers (`<name>.approvers`), in this
        language; a kind the catalog does not know yet as the rules word it."""
        key = f"site.kind.{name}"
        return self.t(key) if key in self._messages else english

    def badge(self, status: str) -> Markup:
        badge = self._badges.get(status)
        if badge is None:
            badge = self._badges[status] = Markup(
                f'<span class="lms-badge lms-badge--{escape(status)}">{escape(self.status(status))}</span>')
        return badge

    def state_badge(self, status: str, classed: bool = False) -> Markup:
        """A status badge in a portal's long tables, `<b>` (docs/site.md#the-portal): its table and row colour it
        (`lms-row--<status>`); `classed`: it carries its status's class itself."""
        key = f"\0{status}\0{classed}"
        badge = self._badges.get(key)
        if badge is None:
            attribute = f' class="lms-badge--{escape(status)}"' if classed else ""
            badge = self._badges[key] = Markup(f"<b{attribute}>{escape(self.status(status))}</b>")
        return badge

    def number(self, value: float) -> str:
        """A whole amount with the locale's grouping: `1,200` in English, `1.200` in Dutch."""
        if self.language == "en":
            return f"{value:,.0f}"
        text = self._numbers.get(value)
        if text is None:  # Babel's, kept per value: a catalog's few prices and hours recur on every page
            text = self._numbers[value] = format_decimal(round(value), format="#,##0", locale=self.language)
        return text

    def hours(self, value: float) -> str:
        """Hours to the quarter as the language writes them: `1.5` in English, `1,5` in Dutch."""
        text = self._hours.get(value)
        if text is None:
            text = self._hours[value] = format_decimal(value, format="#,##0.##", locale=self.language)
        return text

    def day_text(self, day: date) -> str:
        """`3 Dec 2026` (`3 dec 2026` in Dutch); Babel's, kept per day (a session's dates recur on every portal)."""
        if self.language == "en":
            return f"{day.day} {day:%b %Y}"
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = format_date(day, "d MMM y", locale=self.language)
        return text

    def month_text(self, day: date) -> str:
        return f"{day:%b}" if self.language == "en" else format_date(day, "MMM", locale=self.language)


class WordedLoader(jinja2.BaseLoader):
    """The site's templates with each `t("key")` that has no values written in as its text, when the template is
    loaded: a page's fixed words then cost nothing when it renders (a portal is rendered 10,000 times)."""

    _SHOWN = re.compile(r'\{\{ t\("([a-z0-9_.\-]+)"\) \}\}')
    _VALUE = re.compile(r'(?<![\w.])t\("([a-z0-9_.\-]+)"\)')

    def __init__(self, inner: jinja2.BaseLoader, w: Words):
        self.inner = inner
        self.w = w

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = self.inner.get_source(environment, template)
        source = self._SHOWN.sub(lambda found: self._shown(found[1]), source)
        return self._VALUE.sub(lambda found: self._literal(found[1]), source), filename, uptodate

    def _shown(self, key: str) -> str:
        text = escape_text(self.w.t(key))
        return text if "{" not in text and "#" not in text else "{{ " + self._literal(key) + " }}"

    def _literal(self, key: str) -> str:
        return '"' + self.w.t(key).replace("\\", "\\\\").replace('"', '\\"') + '"'


def escape_text(text: str) -> str:
    """`text` escaped for HTML as a template's own text was: `&`, `<`, `>` and `"`, the apostrophe left as it is
    (every attribute of the templates is in double quotes)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")


def code(text: object) -> Markup:
    """`text` as code, escaped."""
    return Markup(f"<code>{escape(text)}</code>")


def link(href: str, text: object, external: bool = True) -> Markup:
    """A link, escaped; `external`: out of the site (the browser sends it no referrer)."""
    rel = ' rel="noopener noreferrer"' if external else ""
    return Markup(f'<a href="{escape(href)}"{rel}>{escape(text)}</a>')


def strong(text: object) -> Markup:
    """`text` in bold, escaped."""
    return Markup(f"<strong>{escape(text)}</strong>")


@lru_cache(maxsize=None)
def words(language: str) -> Words:
    """The one `Words` of `language`."""
    return Words(language)


ENGLISH = words(DEFAULT_LANGUAGE)
