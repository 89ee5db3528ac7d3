"""A course's `translations` (docs/translations.md): the site shows the org's language's title, summary and
description where a course gives them, the course's own words elsewhere, and checks the languages."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest
from conftest import DESIGN_ORG, copy_demo, write_files

from lmsgen.rules.validation import validate_root
from lmsgen.site.build import build_site
from lmsgen.site.pages import Pages
from lmsgen.site.views import SiteData

AS_OF = date(2026, 12, 1)
TRANSLATED = textwrap.dedent(DESIGN_ORG["catalog/secure-coding.yaml"]) + """
translations:
  nl:
    title: Veilig programmeren
    summary: OWASP top tien, met oefeningen
    description: |
      **Oefen** met <script>alert(1)</script> [echte code](https://example.com/x).
"""


def _data(root: Path, language: str) -> SiteData:
    org_yaml = root / "org.yaml"
    text = org_yaml.read_text(encoding="utf-8")
    org_yaml.write_text("\n".join(line for line in text.splitlines() if not line.startswith("language:"))
                        + f"\nlanguage: {language}\n", encoding="utf-8")
    validated = validate_root(root, use_cache=False)
    assert validated.ok, validated.diagnostics
    return SiteData(validated.organisation, AS_OF)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return copy_demo(tmp_path_factory.mktemp("demo"))


def test_the_demo_shows_its_dutch_translations_in_dutch_and_the_originals_in_english(demo: Path):
    dutch = _data(demo, "nl")
    pages = Pages(dutch)
    catalog, course = pages.catalog(), pages.course("code-of-conduct", 0)
    assert ">Gedragscode</a>" in catalog and ">Eerste hulp op het werk</a>" in catalog
    assert "De EHBO-cursus van je lokale Rode Kruis-afdeling" in catalog
    assert '<p class="lms-lead">Onze gedragscode in de praktijk' in course
    assert "<strong>misstanden melden</strong>" in course and "The Acme code of conduct" not in course
    first_aid = pages.course("first-aid", 0)  # a summary without a description keeps the original description
    assert "De EHBO-cursus" in first_aid and "Each site needs enough trained first-aiders" in first_aid
    assert dutch.course_title("ai-at-work") == "AI-assistenten gebruiken op het werk"
    assert dutch.course_title("k8s-admin") == dutch.org.courses["k8s-admin"].model.title  # not translated

    english = _data(demo, "en")
    pages = Pages(english)
    catalog, course = pages.catalog(), pages.course("code-of-conduct", 0)
    assert ">Code of conduct</a>" in catalog and "Gedragscode" not in catalog
    assert "Eerste hulp" not in catalog and "Gedragscode" not in course
    assert "The Acme code of conduct describes" in course
    assert english.course_title("ai-at-work") == "Using AI assistants at work"


def test_a_dutch_build_shows_the_translation_everywhere_sanitised_as_the_original(make_org, tmp_path):
    root = make_org({"org.yaml": textwrap.dedent(DESIGN_ORG["org.yaml"]) + "language: nl\n",
                     "catalog/secure-coding.yaml": TRANSLATED})
    site = tmp_path / "site"
    assert build_site(root, site, AS_OF).ok
    course = (site / "catalog/secure-coding/index.html").read_text(encoding="utf-8")
    assert "Veilig programmeren" in course and "OWASP top tien, met oefeningen" in course
    assert ('<p><strong>Oefen</strong> met  <a href="https://example.com/x" rel="noopener noreferrer">echte code</a>'
            '.</p>') in course  # the raw HTML dropped, as render_markdown drops it from any description
    assert "alert(1)" not in course
    assert ">Veilig programmeren</a>" in (site / "catalog/index.html").read_text(encoding="utf-8")
    assert ">Veilig programmeren</a>" in (site / "people/carol/index.html").read_text(encoding="utf-8")
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert any(entry["title"] == "Veilig programmeren" for entry in index["docs"])


def test_an_unknown_language_is_an_error_at_its_line(tmp_path):
    root = tmp_path / "org"
    write_files(root, {**DESIGN_ORG, "catalog/secure-coding.yaml": TRANSLATED.replace("  nl:", "  fr:")})
    messages = [str(d) for d in validate_root(root, use_cache=False).diagnostics]
    assert "catalog/secure-coding.yaml:23:3: translations: input should be 'en' or 'nl'" in messages
