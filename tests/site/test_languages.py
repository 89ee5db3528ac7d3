"""The site in the organisation's language (docs/languages.md): the demo built with `language: nl` shows no
English sentence of the site's catalog, and speaks Dutch to Material and the browser."""

from __future__ import annotations

import re
import string
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from conftest import commit_all, copy_demo, init_repo

from lmsgen.messages import CATALOGS
from lmsgen.rules.validation import validate_root
from lmsgen.site.build import build_site
from lmsgen.site.pages import Html
from lmsgen.site.words import words

AS_OF = date(2026, 12, 1)
DEMO = ("org.yaml", "catalog", "roles", "teams", "assignments", "attendance", "budgets", "vendors", "programs",
        "profiles")


@pytest.fixture(scope="module")
def dutch_demo(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("demo-nl"), DEMO)
    org = (root / "org.yaml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^language: en$", org)
    (root / "org.yaml").write_text(re.sub(r"(?m)^language: en$", "language: nl", org), encoding="utf-8")
    init_repo(root)
    commit_all(root, "the demo, in Dutch")
    return root


@pytest.fixture(scope="module")
def dutch_site(dutch_demo) -> Path:
    out = dutch_demo.parent / "site-nl"
    result = build_site(dutch_demo, out, AS_OF)
    assert result.ok, result.diagnostics
    return out


@pytest.fixture(scope="module")
def course_data(dutch_demo) -> list[str]:
    """What L&D wrote in the catalog (titles, summaries, checklists): data, in the language it was written in."""
    org = validate_root(dutch_demo).organisation
    texts = [text for entry in org.courses.values()
             for text in (entry.model.title, entry.model.summary, *entry.model.checklist) if text]
    return sorted(texts, key=len, reverse=True)


def _visible(html: str) -> str:
    """The text a reader sees: no script, style, code or tags (a file's lines in <code> are YAML, not language),
    and no course description (data)."""
    html = re.sub(r'(?s)<div class="lms-description">.*?</div>', " ", html)
    html = re.sub(r"(?s)<(script|style|code|pre|svg)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _elements(html: str) -> set[str]:
    """The whole text of each small element (a heading, a table header, a label, a badge, an option, a link)."""
    found = re.findall(r"(?s)<(th|h1|h2|h3|label|summary|button|span|option|a|strong)\b[^>]*>([^<]*)</\1>", html)
    return {re.sub(r"\s+", " ", unescape(text)).strip() for _, text in found}


def _english_fragments() -> tuple[set[str], set[str]]:
    """The English site text that Dutch says otherwise: the fragments of two words or more between placeholders,
    and the single words (matched as an element's whole text)."""
    english, dutch = CATALOGS["en"], CATALOGS["nl"]
    phrases, single = set(), set()
    for key, text in english.items():
        if not key.startswith("site.") or text == dutch[key]:
            continue
        for literal, *_ in string.Formatter().parse(text):
            fragment = literal.strip(" ,.:;()“”\"'")
            if len(fragment.split()) >= 2 and len(fragment) >= 8 and fragment not in dutch[key]:
                phrases.add(fragment)
            elif len(fragment.split()) == 1 and len(fragment) > 2 and literal == text:
                single.add(fragment)
    return phrases, single


def test_the_dutch_site_shows_no_english_sentence_of_the_site(dutch_site, course_data):
    phrases, single = _english_fragments()
    assert len(phrases) > 150 and "Nothing to do: everything assigned to you is done" in phrases
    pages = sorted(dutch_site.rglob("*.html"))
    assert len(pages) > 100
    found: dict[str, set[str]] = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        text = _visible(html.split('<div class="md-content"', 1)[-1])
        for data in course_data:
            text = text.replace(data, " ")
        left = {phrase for phrase in phrases if phrase in text} | (single & _elements(html))
        if left:
            found[str(page.relative_to(dutch_site))] = left
    assert found == {}


def test_the_dutch_site_tells_the_browser_and_material_its_language(dutch_site):
    portal = next((dutch_site / "people").glob("*/index.html")).read_text(encoding="utf-8")
    assert '<html lang="nl"' in portal
    home = (dutch_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in home
    for title in ("Start", "Catalogus", "Mensen", "Teams", "Rapporten", "Wie keurt wat goed"):
        assert re.search(r'class="md-tabs__link">\s*' + re.escape(title) + r"\s*</a>", home), title
    assert 'placeholder="Zoeken"' in home  # Material's own words, in its language


def test_the_pieces_made_in_python_speak_the_language():
    dutch = words("nl")
    assert str(Html.due_in(3, w=dutch)) == "over 3 dagen"
    assert str(Html.due_in(-1, w=dutch)) == '<span class="lms-badge lms-badge--overdue">1 dag te laat</span>'
    assert str(Html.due_in(0)) == "due today"
    assert str(Html.badge("overdue", w=dutch)) == '<span class="lms-badge lms-badge--overdue">te laat</span>'
    assert str(Html.amount(12345.4, "EUR", w=dutch)) == "12.345\u00a0EUR"
    assert str(Html.amount(12345.4, "EUR")) == "12,345\u00a0EUR"
    assert dutch.day_text(date(2026, 3, 5)) == "5 mrt 2026"
    assert words("en").day_text(date(2026, 3, 5)) == "5 Mar 2026"
    # Markup-holding sentences escape the text and every value that is not HTML already.
    assert str(dutch.markup("site.portal.recorded_by", who="<b>")) == "vastgelegd door &lt;b&gt;"
