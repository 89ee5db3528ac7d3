"""The organisation's own look in the site (`theme/`, docs/theme.md): logo, favicon, colours, CSS, pages, templates.

`look` reads the validated theme (`rules/theme.py` already refused what it may not name) into a `Look`: the
files to copy into the site, each read from the organisation's listing of `theme/` (which holds regular files
only, never a link) and placed under `assets/theme/`; the mkdocs settings (logo, favicon, palette, CSS, the
navigation's extra entries); the extra pages, rendered as Markdown without raw HTML (`pages.render_markdown`);
and the templates that replace lmsgen's, rendered in the sandbox (`theme_templates`). Everything here is public:
the theme's files and pages hold no personal data (`zones.THEME_ASSETS`, `zones.THEME_PAGE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import markdown
import nh3
from markupsafe import Markup

from ..model import formats as m
from ..model.organisation import Organisation
from ..model.theme_format import TEMPLATES_FOLDER
from .mkdocs_project import MkdocsPage
from .pages import _ALLOWED_TAGS, _ENV
from .theme_templates import Templates, ThemeError

ASSETS = "assets/theme"
"""Where the theme's files go in the site: `theme/logo.svg` is `assets/theme/logo.svg`."""
PALETTE_CSS = "assets/lmsgen/palette.css"
"""The CSS lmsgen writes for a palette's #rrggbb colours (Material knows only its names)."""
PAGES = "pages"
"""Where the extra pages go: `theme/pages/about.md` is `pages/about/`."""


@dataclass
class Look:
    """What the site needs of the theme; `Look()` is lmsgen's own look."""

    logo: str | None = None
    favicon: str | None = None
    """Both relative to the docs folder (`assets/theme/logo.svg`)."""
    primary: str | None = None
    accent: str | None = None
    """Material's colour names, or "custom" with `palette.css` giving the colour."""
    css: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    """By their path in the docs folder (the site), the bytes to write there."""
    pages: list[MkdocsPage] = field(default_factory=list)
    nav: list[dict[str, str]] = field(default_factory=list)
    templates: Templates | None = None
    """Where each template renders from, when the organisation replaced any; else None (lmsgen's, fast)."""


def site_path(path: str) -> str:
    """Where the theme's file at `path` (`theme/...`) is in the site."""
    return f"{ASSETS}/{path.removeprefix('theme/')}"


def look(org: Organisation) -> Look:
    """The organisation's look, from its validated theme; raises `ThemeError` for a file that cannot be used."""
    result = Look()
    overrides = {path.removeprefix(f"{TEMPLATES_FOLDER}/"): _text(path, source.read())
                 for path, source in sorted(org.theme_files.items()) if path.startswith(f"{TEMPLATES_FOLDER}/")}
    if overrides:
        result.templates = Templates(_ENV, overrides)
    if org.theme is None:
        return result
    theme = org.theme.model

    def copy(path: str) -> str:
        result.files[site_path(path)] = _read(org, path)
        return site_path(path)

    result.logo = copy(theme.logo) if theme.logo else None
    result.favicon = copy(theme.favicon) if theme.favicon else None
    result.css = [copy(path) for path in theme.extra_css]
    custom = _palette_css(theme.palette)
    if custom:
        result.files[PALETTE_CSS] = custom.encode("utf-8")
        result.css.insert(0, PALETTE_CSS)
    if theme.palette:
        result.primary = _material(theme.palette.primary)
        result.accent = _material(theme.palette.accent)
    for page in theme.pages:
        name = page.file.rsplit("/", 1)[-1].removesuffix(".md")
        body = f"<h1>{escape(page.title)}</h1>{render_page(_text(page.file, _read(org, page.file)))}"
        result.pages.append(MkdocsPage(f"{PAGES}/{name}.md", page.title, body))
        result.nav.append({escape(page.title): f"{PAGES}/{name}/index.md"})
    return result


def render_page(text: str) -> Markup:
    """An extra page's Markdown as safe HTML, as `pages.render_markdown` makes a course's description (no raw HTML,
    only http(s) and mailto links), with `##` headings too: the page is the organisation's own."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return Markup(nh3.clean(html, tags=_ALLOWED_TAGS | {"h2"}, attributes={"a": {"href", "title"}, "abbr": {"title"}},
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer"))


def _read(org: Organisation, path: str) -> bytes:
    source = org.theme_files.get(path)
    if source is None:
        raise ThemeError(f"{path}: there is no such file in theme/")
    return source.read()


def _text(path: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ThemeError(f"{path}: not UTF-8 text") from None


def _material(colour: str | None) -> str | None:
    if colour is None:
        return None
    return "custom" if colour.startswith("#") else colour


def _palette_css(palette: m.Palette | None) -> str:
    """CSS for the palette's #rrggbb colours, which Material reads from its custom properties."""
    if palette is None:
        return ""
    rules = []
    if palette.primary and palette.primary.startswith("#"):
        colour = palette.primary.lower()
        rules.append(f'[data-md-color-primary="custom"] {{ --md-primary-fg-color: {colour}; '
                     f"--md-primary-fg-color--light: {colour}; --md-primary-fg-color--dark: {colour}; }}")
    if palette.accent and palette.accent.startswith("#"):
        colour = palette.accent.lower()
        rules.append(f'[data-md-color-accent="custom"] {{ --md-accent-fg-color: {colour}; '
                     f"--md-accent-fg-color--transparent: {colour}1a; }}")
    return "\n".join(rules) + ("\n" if rules else "")
