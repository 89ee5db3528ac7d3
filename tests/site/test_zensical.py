"""The site built with Zensical, Material for MkDocs' successor (docs/zensical.md), on the repository's demo
organisation: what lmsgen relies on from the engine that renders its public pages and its page shells.

Every page is written (the same files as the mkdocs build, but for the theme's assets and the search index's
place), the shells are found and the generated pages poured into them resolve every link at their depth, the
search index holds the public pages alone, lmsgen's CSS and JavaScript are on every page, nothing is loaded from
outside the site, and titles are escaped. The tests that need Zensical skip, saying so, when it is not installed
(`.ci/run` installs it); the rest read its output and its absence.
"""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from lmsgen.cli import main
from lmsgen.site import mkdocs_project, zensical_build, zones
from lmsgen.site.build import SiteError, build_site
from lmsgen.site.mkdocs_project import MkdocsPage
from lmsgen.site.zones import Zone

pytestmark = pytest.mark.zensical

REPO_ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 12, 1)
SECRET = "the-demo-feed-secret-of-the-tests-0123456789"
NEEDS_ZENSICAL = pytest.mark.skipif(
    not zensical_build.available(),
    reason=f"Zensical is not installed beside lmsgen ({zensical_build.INSTALL}; .ci/run installs it)")


def files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def text(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's full site built by each engine, and its public zone by Zensical."""
    if not zensical_build.available():
        pytest.skip(f"Zensical is not installed beside lmsgen ({zensical_build.INSTALL}; .ci/run installs it)")
    base = tmp_path_factory.mktemp("engines")
    built = {}
    for name, engine, public in (("mkdocs", "mkdocs", False), ("zensical", "zensical", False),
                                 ("public", "zensical", True)):
        result = build_site(REPO_ROOT, base / name, AS_OF, feed_secret=SECRET, badge_secret=SECRET, engine=engine,
                            public=public)
        assert result.ok and result.warnings == [], result.warnings
        built[name] = base / name
    return built


def _sheets(site: Path, page: str, html: str) -> list[str]:
    """The stylesheets `page` loads, as links from it: those it links, and those the sheet it links instead of
    several imports (`shell_assets`: `assets/lmsgen/styles-<digest>.css`)."""
    found = []
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)">', html):
        if "assets/lmsgen/styles-" not in href:
            found.append(href)
            continue
        prefix = href.rsplit("assets/lmsgen/", 1)[0]
        imports = re.findall(r'@import url\("\.\./\.\./([^"]+)"\);', ((site / page).parent / href).read_text())
        found += [prefix + path for path in imports]
    return found


def _not_theme(paths: set[str]) -> set[str]:
    """The files that are not the theme's own assets, nor the search index and the sitemap's compressed copy."""
    # The theme's inline scripts, moved into files of their own (site/shell_assets.py), are the theme's too, as is
    # the sheet that imports its stylesheets (their names differ between the engines).
    return {path for path in paths if not path.startswith(("assets/javascripts/", "assets/stylesheets/",
                                                           "assets/lmsgen/shell-", "assets/lmsgen/styles-"))
            and path not in {"search/search_index.json", "search.json", "sitemap.xml.gz"}}


def test_every_page_is_written_as_mkdocs_writes_it(sites):
    mkdocs, zensical = files(sites["mkdocs"]), files(sites["zensical"])
    assert _not_theme(zensical) == _not_theme(mkdocs)
    assert "search.json" in zensical and "search/search_index.json" not in zensical
    assert not any(mkdocs_project.SHELL_FOLDER in path for path in zensical)
    kinds = {path: zones.kind_of(path) for path in zensical}
    assert [path for path, kind in kinds.items() if kind is None] == []
    assert {path for path, kind in kinds.items() if kind is zones.PORTAL} == {
        path for path in mkdocs if zones.kind_of(path) is zones.PORTAL}


def test_the_shells_are_found_and_every_generated_page_is_whole(sites):
    site = sites["zensical"]
    markers = (mkdocs_project.TITLE_MARKER, "lmsgen-shell-content")
    for page in sorted(path for path in files(site) if path.endswith(".html")):
        html = text(site, page)
        assert not any(marker in html for marker in markers), page
        assert html.count("<html") == 1 and html.rstrip().endswith("</html>"), page
        # Every link and asset the shell and the page carry resolves at the page's depth.
        folder = (site / page).parent
        for ref in re.findall(r'(?:href|src)="([^"#?]*)', html):
            if not ref or ref.startswith(("http:", "https:", "mailto:", "/")):
                continue
            target = (folder / ref).resolve()
            assert target.is_file() or (target / "index.html").is_file(), (page, ref)
    portal = text(site, "people/jonas/index.html")
    assert "<title>Jonas Weber - Acme Robotics</title>" in portal
    assert re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">\s*Jonas Weber\s*</span>', portal)
    assert re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', portal) == [
        "Home", "Catalog", "People", "Teams", "Reports", "Who approves what",
        "About Acme Learning"]
    assert '<article class="md-content__inner md-typeset">' in portal and '<div class="lms' in portal
    # The demo's own look (theme/theme.yaml, docs/theme.md): its logo, its favicon and its colours.
    assert '<img src="../../assets/theme/logo.svg" alt="Acme Robotics">' in portal
    assert 'rel="icon" href="../../assets/theme/logo.svg"' in portal and 'data-md-color-primary="custom"' in portal
    # Material's look (`theme.variant: classic`), not Zensical's own.
    assert any(re.fullmatch(r"\.\./\.\./assets/stylesheets/classic/main\.[0-9a-f]+\.min\.css", sheet)
               for sheet in _sheets(site, "people/jonas/index.html", portal))
    calendar = text(site, "people/jonas/calendar/index.html")
    assert "<title>Jonas Weber: calendar - Acme Robotics</title>" in calendar
    assert "../../../assets/lmsgen/lmsgen.css" in _sheets(site, "people/jonas/calendar/index.html", calendar)


def _targets(site: Path, page: str) -> set[str]:
    """Where the links of a page lead, from the site's root (the theme's hashed assets and its footer left out)."""
    folder = Path("/", page).parent
    found = set()
    # The previous and next page are the engines' own order, which differs around the pages lmsgen writes itself.
    html = re.sub(r'<link rel="(?:prev|next)" href="[^"]*">', "", text(site, page))
    for ref in re.findall(r'(?:href|src)="([^"]*)"', html):
        path, _, query = ref.split("#")[0].partition("?")
        if ref.startswith(("#", "http:", "https:", "mailto:")) or "/javascripts/" in path or "/stylesheets/" in path \
                or "/lmsgen/shell-" in path or "/lmsgen/styles-" in path:
            continue  # a link within the page, out of the site, or to the theme's own assets
        target = (folder / path).resolve().as_posix() if path and not path.startswith("/") else path or folder
        found.add(f"{str(target).rstrip('/')}/?{query}" if path.endswith("/") or not path else f"{target}?{query}")
    return found


def test_the_pages_mkdocs_renders_link_where_they_do_with_mkdocs(sites):
    """Zensical resolves a relative link in a page's HTML from its Markdown file's folder, where mkdocs leaves it
    as written: every page is an index.md, so that the two agree (`mkdocs_project.source_path`)."""
    pages = [path for path in files(sites["mkdocs"]) if zones.kind_of(path) in (
        zones.HOME, zones.CATALOG, zones.COURSE, zones.POLICY)]
    assert len(pages) > 30
    for page in pages:
        assert _targets(sites["zensical"], page) == _targets(sites["mkdocs"], page), page


def test_the_search_index_holds_the_public_pages_alone(sites):
    index = json.loads(text(sites["zensical"], "search.json"))
    locations = {item["location"].split("#")[0] for item in index["items"]}
    assert {zones.zone_of(location) for location in locations} == {Zone.PUBLIC}
    assert {"", "catalog/", "catalog/k8s-admin/", "policy/"} <= locations
    assert not any(mkdocs_project.SHELL_FOLDER in location for location in locations)
    assert text(sites["zensical"], "index.html").count('class="md-search"') == 1


def test_lmsgens_css_and_javascript_are_on_every_page(sites):
    site = sites["zensical"]
    for asset in ("lmsgen.css", "lmsgen.js"):
        shipped = resources.files("lmsgen").joinpath("assets", asset).read_bytes()
        assert (site / "assets" / "lmsgen" / asset).read_bytes() == shipped
    for page in (path for path in files(site) if path.endswith(".html")):
        html = text(site, page)
        assert any(re.fullmatch(r"(\./|/)?(\.\./)*assets/lmsgen/lmsgen\.css", sheet)
                   for sheet in _sheets(site, page, html)), page
        assert re.search(r'<script src="(\./|/)?(\.\./)*assets/lmsgen/lmsgen\.js"></script>', html), page


def test_nothing_loads_from_outside_the_site(sites):
    for name in ("zensical", "public"):
        site = sites[name]
        for page in (path for path in files(site) if path.endswith(".html")):
            html = text(site, page)
            assert not re.findall(r'<(?:script|img|link|iframe|source|video|audio)[^>]+(?:src|href)="(?:https?:)?//',
                                  html), page
            assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page
        for sheet in (path for path in files(site) if path.endswith(".css")):
            css = text(site, sheet)
            assert not re.findall(r"url\(\s*['\"]?(?:https?:)?//", css), sheet
            # The only imports are the site's own sheets (shell_assets joins a page's stylesheets into one).
            for url in re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]*)", css):
                assert ":" not in url and not url.startswith("/"), (sheet, url)
                imported = ((site / sheet).parent / url).resolve()
                assert imported.is_relative_to(site.resolve()) and imported.is_file(), (sheet, url)


def test_the_public_build_writes_the_public_zone_alone_and_links_to_no_private_page(sites):
    site = sites["public"]
    assert {zones.zone_of(path) for path in files(site)} == {Zone.PUBLIC}
    assert re.findall(r'class="md-tabs__link">\s*([^<]+?)\s*<', text(site, "index.html")) == [
        "Home", "Catalog", "Who approves what", "About Acme Learning"]
    for page in (path for path in files(site) if path.endswith(".html")):
        folder = Path("/", page).parent
        for href in re.findall(r'href="([^"#?]*)', text(site, page)):
            if not href or href.startswith(("http:", "https:", "mailto:")):
                continue
            target = (folder / href).resolve().as_posix().lstrip("/") + ("/" if href.endswith("/") else "")
            assert zones.zone_of(target) is Zone.PUBLIC, (page, href)


@NEEDS_ZENSICAL
def test_titles_and_the_sites_name_are_escaped(tmp_path):
    hostile = "<script>alert('t')</script> & \"q\""
    pages = [MkdocsPage("index.md", "Home", "<p>home</p>"), MkdocsPage("catalog/index.md", "Catalog", "<p>c</p>"),
             MkdocsPage("policy.md", "Policy", "<p>p</p>"), MkdocsPage("catalog/evil.md", hostile, "<p>evil</p>")]
    site = tmp_path / "site"
    built = zensical_build.build("Acme <b>Robotics</b>", pages, site)
    assert built.pages == 4 and set(built.shells) == set(mkdocs_project.SHELL_PAGES)
    for page in sorted(path for path in files(site) if path.endswith(".html")):
        html = text(site, page)
        assert "<script>alert" not in html and "<b>Robotics</b>" not in html, page
    course = text(site, "catalog/evil/index.html")
    assert "<title>&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; &quot;q&quot; - Acme &lt;b&gt;Robotics" \
           "&lt;/b&gt;</title>" in course
    # The shells escape what the generated pages put in them.
    wrapped = built.shells[2].wrap(hostile, "<p>body</p>")
    assert "<title>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &#34;q&#34; - Acme &lt;b&gt;Robotics" \
           "&lt;/b&gt;</title>" in wrapped
    assert "<script>alert" not in wrapped and "<p>body</p>" in wrapped


@NEEDS_ZENSICAL
def test_lmsgen_build_engine_zensical(tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["--root", str(REPO_ROOT), "build", "--out", str(out), "--as-of", "2026-12-01", "--public",
                 "--engine", "zensical"]) == 0
    assert "built the public zone alone" in capsys.readouterr().err
    assert (out / "search.json").is_file() and (out / "catalog" / "k8s-admin" / "index.html").is_file()


def test_without_zensical_the_build_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setattr(zensical_build, "available", lambda: False)
    with pytest.raises(SiteError, match=re.escape(
            "the site could not be written: Zensical is not installed; install it beside lmsgen "
            "(pip install 'zensical==0.0.73'), or build with mkdocs")):
        build_site(REPO_ROOT, tmp_path / "site", AS_OF, public=True, engine="zensical")
    assert not (tmp_path / "site").exists()


def test_zensicals_warnings_are_read_with_their_place():
    output = """Build started
Warning: page does not exist
     ╭─[ policy.md:109:10 ]
     │
 109 │ <a href="nope.md">x</a>
─────╯
Warning: something without a place
1 issues found
Build finished in 0.17s
"""
    assert zensical_build.warnings(output) == ["policy.md:109:10: page does not exist", "something without a place"]
    assert zensical_build.warnings("Build started\nNo issues found\nBuild finished in 0.35s\n") == []
