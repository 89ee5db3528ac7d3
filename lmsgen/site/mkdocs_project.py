"""The part of the site that mkdocs-material renders: home, catalog, course pages, policy, and the page shells.

The project is written into a temporary folder and built with mkdocs' own API. Each page's
body is HTML that lmsgen rendered and escaped; mkdocs passes it through untouched (a raw HTML
block) and adds the theme, the navigation and the search index. The page titles go in as
front matter already escaped, since the theme's templates print them as they are.

Hidden pages, one per folder depth, come out as shells: the generated portals, calendar pages
and dashboards are poured into them (`pages.Shell`), so they look and navigate the same. Only
public pages go through mkdocs, so its search index and sitemap hold public pages alone; the
navigation of a public build (`public=True`) leads to no private page. The project sticks to
what Zensical, Material's successor, reads from the same `mkdocs.yml`.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from . import shell_assets
from .pages import Shell, in_section
from .words import words

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner: printed at import otherwise

TITLE_MARKER = "lmsgen-shell-title-4b7e1d"
CONTENT_MARKER = '<div class="lmsgen-shell-content-4b7e1d"><h1>lmsgen-shell-heading</h1></div>'
"""Where a generated page's body goes. It holds a heading so that Material adds none: each page writes its own,
under its breadcrumb (`Pages.body`)."""
SHELL_FOLDER = "lmsgen-shell"
SHELL_PAGES = {1: SHELL_FOLDER, 2: f"{SHELL_FOLDER}/2", 3: f"{SHELL_FOLDER}/2/3"}
"""The hidden page that gives the shell for each folder depth, all in one folder that is removed after."""

PUBLIC_NAV = [
    {"Home": "index.md"},
    {"Catalog": "catalog/index.md"},
    {"Who approves what": "policy/index.md"},
]
NAV = [
    *PUBLIC_NAV[:2],
    {"People": "people/"},
    {"Teams": "teams/"},
    {"Reports": [{"Certifications": "reports/certifications/"}, {"Budgets": "reports/budgets/"},
                 {"Divisions": "reports/divisions/"}, {"Vendors": "reports/vendors/"}]},
    PUBLIC_NAV[2],
]
"""The whole site's navigation; a public build has `PUBLIC_NAV`, which leads to no private page."""


def nav(words: Callable[[str], str], *, public: bool = False) -> list:
    """The navigation with its titles in the site's language (`words`: a catalog key's text)."""
    def titled(entries: list) -> list:
        return [{words(f"site.nav.{_NAV_KEYS[title]}"): titled(target) if isinstance(target, list) else target
                 for title, target in entry.items()} for entry in entries]
    return titled(PUBLIC_NAV if public else NAV)


_NAV_KEYS = {"Home": "home", "Catalog": "catalog", "People": "people", "Teams": "teams", "Reports": "reports",
             "Certifications": "certifications", "Budgets": "budgets", "Divisions": "divisions", "Vendors": "vendors",
             "Who approves what": "policy"}


ENGINES = ("mkdocs", "zensical")
"""What may render the project: mkdocs with Material (the default), or Zensical, its successor (docs/zensical.md)."""


class MkdocsError(Exception):
    """mkdocs (or Zensical) could not build the project."""


@dataclass
class MkdocsPage:
    path: str
    """Relative to the docs folder, e.g. ``catalog/k8s-admin.md``."""
    title: str
    body: str
    """Safe HTML."""


@dataclass
class MkdocsResult:
    shells: dict[int, Shell]
    pages: int
    warnings: list[str] = field(default_factory=list)


def config(site_name: str, site_dir: Path, *, public: bool = False, look: Any = None, language: str = "en") -> dict:
    """The mkdocs.yml of the site (as data): Material with no web fonts, no external assets, lmsgen's CSS and JS;
    Zensical reads it as it is (docs/zensical.md). `look`: the organisation's (`theme.Look`), if it has one."""
    settings = {
        "site_name": escape(site_name),
        "docs_dir": "docs",
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        # `variant`: Zensical's look that is Material's (its own, "modern", is another); mkdocs-material ignores it.
        "theme": {"name": "material", "variant": "classic", "font": False, "language": language,
                  "features": ["navigation.tabs", "navigation.top", "search.suggest", "search.highlight"],
                  # Light or dark as the reader's system says, with a toggle; the icons are inlined, nothing loads.
                  "palette": [
                      {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo",
                       "accent": "indigo", "toggle": {"icon": "material/brightness-7", "name": words(language)("site.theme.dark")}},
                      {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo",
                       "accent": "indigo", "toggle": {"icon": "material/brightness-4", "name": words(language)("site.theme.light")}},
                  ]},
        "plugins": ["search"],
        "extra_css": ["assets/lmsgen/lmsgen.css"],
        "extra_javascript": ["assets/lmsgen/lmsgen.js"],
        # The footer's "Made with Material for MkDocs" is in English whatever the site's language.
        "extra": {"generator": False},
        "markdown_extensions": [],
        "not_in_nav": f"/catalog/*/index.md\n/{SHELL_FOLDER}/",
        "validation": {"nav": {"not_found": "info", "omitted_files": "info"},
                       "links": {"not_found": "info", "unrecognized_links": "info", "absolute_links": "info"}},
        "nav": nav(words(language), public=public),
    }
    return _themed(settings, look) if look is not None else settings


def _themed(settings: dict, look: Any) -> dict:
    """`settings` with the organisation's logo, favicon, colours, CSS and extra pages (docs/theme.md)."""
    theme = settings["theme"]
    if look.logo:
        theme["logo"] = look.logo
    if look.favicon:
        theme["favicon"] = look.favicon
    for scheme in theme["palette"]:
        scheme["primary"] = look.primary or scheme["primary"]
        scheme["accent"] = look.accent or scheme["accent"]
    settings["extra_css"] = [*settings["extra_css"], *look.css]
    settings["nav"] = [*settings["nav"], *look.nav]
    return settings


def source_path(path: str) -> str:
    """Where a page's Markdown is written: `policy.md` as `policy/index.md`, in the folder of what it becomes
    (`policy/index.html`). mkdocs leaves a relative link in a page's HTML as it is, relative to the page's URL;
    Zensical resolves it from the Markdown file's folder (docs/zensical.md): with every page an index.md, the
    two are one folder, and the links the pages were rendered with lead to the same place in both."""
    return path if path == "index.md" or path.endswith("/index.md") else path.removesuffix(".md") + "/index.md"


def _page_text(page: MkdocsPage, *, hidden: bool = False) -> str:
    # JSON is YAML, so the front matter holds any title; the body is one raw HTML block with no blank line in it.
    meta: dict[str, object] = {"title": escape(page.title), "hide": ["navigation", "toc"]}
    if hidden:
        meta["search"] = {"exclude": True}
    body = "\n".join(line for line in page.body.splitlines() if line.strip())
    return "---\n" + "\n".join(f"{key}: {json.dumps(value)}" for key, value in meta.items()) + "\n---\n\n" + body + "\n"


@contextmanager
def _captured_logs() -> Iterator[list[logging.LogRecord]]:
    """mkdocs logs to the `mkdocs` logger; keep its warnings as values instead of letting them print."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("mkdocs")
    handler = Keep(logging.WARNING)
    saved = (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers, logger.propagate = [handler], False
    logger.setLevel(logging.WARNING)
    try:
        yield records
    finally:
        logger.handlers, logger.propagate = saved[0], saved[1]
        logger.setLevel(saved[2])


def write_project(folder: Path, site_name: str, pages: list[MkdocsPage], site_dir: Path, *,
                  public: bool = False, look: Any = None, language: str = "en") -> Path:
    """Writes the project (`mkdocs.yml`, the pages, the shell pages, lmsgen's assets) into `folder` and returns
    its `mkdocs.yml`: what `build` hands mkdocs, and what Zensical builds the same way (docs/zensical.md)."""
    import yaml

    docs = folder / "docs"
    for page in pages:
        _write(docs / source_path(page.path), _page_text(page))
    for name in SHELL_PAGES.values():
        _write(docs / source_path(f"{name}.md"),
               _page_text(MkdocsPage(name, TITLE_MARKER, CONTENT_MARKER), hidden=True))
    assets = docs / "assets" / "lmsgen"
    assets.mkdir(parents=True)
    for asset in ("lmsgen.css", "lmsgen.js"):
        (assets / asset).write_bytes(resources.files("lmsgen").joinpath("assets", asset).read_bytes())
    for rel, raw in (look.files.items() if look is not None else ()):  # the theme's files (`theme.Look`)
        _write_bytes(docs / rel, raw)
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config(site_name, site_dir, public=public, look=look, language=language),
                                          sort_keys=False),
                           encoding="utf-8")
    return config_file


def build(site_name: str, pages: list[MkdocsPage], site_dir: Path, *, public: bool = False, language: str = "en",
          engine: str = "mkdocs", look: Any = None) -> MkdocsResult:
    """Builds `pages` with mkdocs-material into `site_dir` (which it empties first) and returns the shells.

    `engine`: one of `ENGINES`; "zensical" builds the same project with Zensical (`zensical_build`)."""
    if engine == "zensical":
        from . import zensical_build

        return zensical_build.build(site_name, pages, site_dir, public=public, look=look, language=language)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with tempfile.TemporaryDirectory(prefix="lmsgen-mkdocs-") as folder:
        config_file = write_project(Path(folder), site_name, pages, site_dir, public=public, look=look,
                                    language=language)
        with _captured_logs() as records:
            try:
                cfg = load_config(config_file=str(config_file))
                mkdocs_build(cfg)
            except (MkDocsException, OSError, ValueError) as problem:
                raise MkdocsError(str(problem) or type(problem).__name__) from None
    warnings = [record.getMessage() for record in records if record.levelno >= logging.WARNING]
    return MkdocsResult(take_shells(site_dir, pages), len(pages), warnings)


def take_shells(site_dir: Path, pages: list[MkdocsPage]) -> dict[int, Shell]:
    """The shells, cut from the built shell pages, which then leave the site, its sitemap and its search index."""
    shells = {depth: Shell.cut((site_dir / name / "index.html").read_text(encoding="utf-8"), TITLE_MARKER,
                               CONTENT_MARKER) for depth, name in SHELL_PAGES.items()}
    shutil.rmtree(site_dir / SHELL_FOLDER)
    _mark_course_pages(site_dir, pages)
    # The shells' and the pages' icons and scripts in files of their own, the pages without their indentation.
    shells = shell_assets.trimmed(shells, site_dir, [source_path(page.path).removesuffix(".md") + ".html"
                                                     for page in pages])
    _drop_shells_from_sitemap(site_dir)
    _drop_shells_from_search(site_dir)
    return shells


def _mark_course_pages(site_dir: Path, pages: list[MkdocsPage]) -> None:
    """A course page is in no navigation (there are a thousand): it is marked as under the Catalog tab."""
    for page in pages:
        if page.path.startswith("catalog/") and page.path != "catalog/index.md":
            path = site_dir / page.path.removesuffix(".md") / "index.html"
            path.write_text(in_section(path.read_text(encoding="utf-8"), "../", "../"), encoding="utf-8")


def _drop_shells_from_sitemap(site_dir: Path) -> None:
    sitemap = site_dir / "sitemap.xml"
    if sitemap.exists():
        lines = sitemap.read_text(encoding="utf-8").split("<url>")
        kept = [part for part in lines if SHELL_FOLDER not in part]
        sitemap.write_text("<url>".join(kept), encoding="utf-8")
    gz = site_dir / "sitemap.xml.gz"
    if gz.exists():
        gz.unlink()


SEARCH_INDEXES = {"search/search_index.json": "docs", "search.json": "items"}
"""Where the search index is and the key of its list of entries: mkdocs' and Zensical's."""


def _drop_shells_from_search(site_dir: Path) -> None:
    """The shells are excluded from the search; should a version of mkdocs or Zensical list them anyway, they go."""
    for name, key in SEARCH_INDEXES.items():
        path = site_dir / name
        if not path.exists():
            continue
        index = json.loads(path.read_text(encoding="utf-8"))
        kept = [doc for doc in index[key] if SHELL_FOLDER not in doc.get("location", "")]
        if len(kept) != len(index[key]):
            index[key] = kept
            path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _write_bytes(path: Path, raw: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
