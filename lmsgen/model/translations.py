"""A course's translations: its title, summary and description in another language lmsgen speaks
(`translations: {nl: {title: ..., summary: ..., description: ...}}` in `catalog/<course>.yaml`;
docs/translations.md). The site shows them in the organisation's language (org.yaml's `language`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .basics import NON_BLANK_PATTERN, LongText, Model
from .org_format import Language


class CourseTranslation(Model):
    """One language's words for a course; a field left out keeps the course's own."""

    title: Annotated[str, Field(pattern=NON_BLANK_PATTERN, max_length=200)] | None = None
    """The course's title in this language."""
    summary: Annotated[str, Field(max_length=500)] | None = None
    """The one-line summary in this language."""
    description: LongText | None = None
    """The description in this language: Markdown, rendered as the original's is (no raw HTML)."""


Translations = dict[Language, CourseTranslation]
"""By language code (`en`, `nl`: the languages lmsgen speaks); any other key is an error at its line."""
