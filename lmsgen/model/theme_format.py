"""`theme/theme.yaml`: the organisation's own look (docs/theme.md).

The settings name files inside `theme/` (the logo, the favicon, extra CSS, extra Markdown pages); every
such path is relative to the repository's root, starts with `theme/`, and has no `..`, no hidden part and no
backslash, so it can only name a file inside `theme/`. That the file is there, is a regular file (never a
link) and is small enough is checked against the repository's files (`rules/theme.py`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .basics import Model, Text

THEME_FOLDER = "theme"
THEME_FILE = "theme/theme.yaml"
TEMPLATES_FOLDER = "theme/templates"

THEME_PATH_PATTERN = r"^theme/(?:[A-Za-z0-9_][A-Za-z0-9._-]*/)*[A-Za-z0-9_][A-Za-z0-9._-]*$"
"""A file inside `theme/`: each part starts with a letter, digit or `_`, so neither `..` nor a hidden name."""
THEME_PATH_MESSAGE = ("'{value}' is not a file in theme/: write its path from the repository's root, such as "
                      "theme/logo.svg, with no '..' and no part starting with a dot")

MATERIAL_COLOURS = ("red", "pink", "purple", "deep purple", "indigo", "blue", "light blue", "cyan", "teal", "green",
                    "light green", "lime", "yellow", "amber", "orange", "deep orange", "brown", "grey", "blue grey",
                    "black", "white")
"""The colour names Material for MkDocs (and Zensical) knows."""
COLOUR_PATTERN = "^(?:#[0-9a-fA-F]{6}|" + "|".join(MATERIAL_COLOURS) + ")$"
COLOUR_MESSAGE = ("'{value}' is not a colour: write #rrggbb (such as #0b6e4f) or one of Material's names: "
                  + ", ".join(MATERIAL_COLOURS))

ThemePath = Annotated[str, Field(pattern=THEME_PATH_PATTERN, max_length=300)]
Colour = Annotated[str, Field(pattern=COLOUR_PATTERN)]


class Palette(Model):
    """The site's colours: the header's and the links' (`primary`), and the hovered controls' (`accent`)."""

    primary: Colour | None = None
    accent: Colour | None = None


class ThemePage(Model):
    """An extra Markdown page in the site's navigation, public, rendered without raw HTML."""

    title: Text
    file: ThemePath
    """The Markdown file, such as theme/pages/about.md; its name (without .md) is the page's address, pages/<name>/."""


class Theme(Model):
    """The organisation's own look: logo, favicon, colours, extra CSS and pages. Templates that replace lmsgen's
    are files in theme/templates/, named as lmsgen's (docs/theme.md)."""

    logo: ThemePath | None = None
    """An image (.svg, .png, .jpg, .jpeg, .gif or .webp) shown in the header, at most 1 MB."""
    favicon: ThemePath | None = None
    """The browser tab's icon (.svg, .png, .ico, .jpg, .jpeg, .gif or .webp), at most 1 MB."""
    palette: Palette | None = None
    extra_css: list[ThemePath] = Field(default_factory=list, max_length=20)
    """CSS files (.css) added after the theme's and lmsgen's own, each at most 1 MB."""
    pages: list[ThemePage] = Field(default_factory=list, max_length=50)
