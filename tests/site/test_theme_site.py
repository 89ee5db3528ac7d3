"""The organisation's own look in the built site (docs/theme.md): logo, favicon, palette, extra CSS, an extra page
in the navigation, template overrides in the sandbox, and what a hostile theme cannot do."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from conftest import THEME_SVG, THEME_YAML, commit_all, write_files

from lmsgen.cli import main
from lmsgen.site import zones
from lmsgen.site.build import SiteError, build_site

AS_OF = date(2026, 12, 1)
SVG = THEME_SVG
PNG = b"\x89PNG\r\n\x1a\n-favicon-"
THEME = THEME_YAML
ABOUT = """\
## Who we are

We teach <script>alert('x')</script> robots. <b onclick="steal()">Bold</b>

[a trap](javascript:alert(1)) and [the catalog](../../catalog/).

<iframe src="https://evil.example/"></iframe>
"""
FILES = {"theme/theme.yaml": THEME, "theme/logo.svg": SVG, "theme/favicon.png": PNG,
         "theme/extra.css": "h1 { letter-spacing: 1px; }\n", "theme/pages/about.md": ABOUT}


def lmsgen_template(name: str) -> str:
    return resources.files("lmsgen").joinpath("templates", "site", name).read_text(encoding="utf-8")


def build(root: Path, **options) -> Path:
    out = root.parent / "site"
    result = build_site(root, out, AS_OF, **options)
    assert result.ok, result.diagnostics
    return out


def test_the_theme_brands_the_site(make_org) -> None:
    home = lmsgen_template("home.html").replace('<h1>{{ t("site.home.title", org=data.name) }}</h1>',
                                                "<h1>Welcome to {{ data.name }}'s academy</h1>")
    assert "Welcome to" in home, "lmsgen's home page no longer has the heading this test replaces"
    root = make_org({**FILES, "theme/templates/home.html": home})
    site = build(root)
    assert (site / "assets/theme/logo.svg").read_text() == SVG
    assert (site / "assets/theme/favicon.png").read_bytes() == PNG
    assert (site / "assets/theme/extra.css").read_text() == "h1 { letter-spacing: 1px; }\n"
    assert (site / "assets/lmsgen/palette.css").read_text() == (
        '[data-md-color-primary="custom"] { --md-primary-fg-color: #0b6e4f; --md-primary-fg-color--light: #0b6e4f; '
        "--md-primary-fg-color--dark: #0b6e4f; }\n")
    index = (site / "index.html").read_text()
    assert '<img src="assets/theme/logo.svg" alt="logo">' in index
    assert '<link rel="icon" href="assets/theme/favicon.png">' in index
    assert 'data-md-color-primary="custom" data-md-color-accent="deep-orange"' in index
    assert 'href="assets/theme/extra.css"' in index and 'href="assets/lmsgen/palette.css"' in index
    assert "<h1>Welcome to Acme Corp's academy</h1>" in index  # Markdown writes &#39; back as '
    assert ": learning</h1>" not in index
    assert 'href="pages/about/"' in index and "About us" in index
    # The generated pages (in the shells) have the same look, and their template was not replaced.
    portal = (site / "people/carol/index.html").read_text()
    assert '<img src="../../assets/theme/logo.svg" alt="logo">' in portal and 'href="../../pages/about/"' in portal
    # Every file the theme adds is public, in the zones' table.
    for url in ("assets/theme/logo.svg", "assets/theme/favicon.png", "assets/lmsgen/palette.css", "pages/about/"):
        assert zones.zone_of(url) is zones.Zone.PUBLIC, url
    assert zones.kind_of("pages/about/") is zones.THEME_PAGE


def test_an_extra_page_is_sanitised(make_org) -> None:
    site = build(make_org(FILES))
    page = (site / "pages/about/index.html").read_text()
    body = page[page.index("<h1>About us</h1>"):page.index("</article>")]
    assert "<h2>Who we are</h2>" in body
    assert "<script" not in body and "onclick" not in body and "<iframe" not in body and "javascript:" not in body
    assert "<b>Bold</b>" in body
    assert '<a href="../../catalog/" rel="noopener noreferrer">the catalog</a>' in body


def test_a_public_build_has_the_theme_too(make_org) -> None:
    site = build(make_org(FILES), public=True)
    assert (site / "pages/about/index.html").exists() and (site / "assets/theme/logo.svg").exists()
    assert '<img src="assets/theme/logo.svg" alt="logo">' in (site / "index.html").read_text()


def test_an_override_of_a_shared_template_renders_every_page_in_the_sandbox(make_org) -> None:
    """An override of _macros.html sends every template that imports it through the sandbox: they all render."""
    plain = make_org(name="plain")
    plain_site = plain.parent / "plain-site"
    assert build_site(plain, plain_site, AS_OF).ok
    site = build(make_org({"theme/templates/_macros.html": lmsgen_template("_macros.html")}))
    pages = [str(path.relative_to(plain_site)) for path in sorted(plain_site.rglob("index.html"))]
    assert len(pages) > 20
    for page in pages:
        assert _no_commits((site / page).read_text()) == _no_commits((plain_site / page).read_text()), page


def _no_commits(html: str) -> str:
    """The page with its commit ids blanked: the two organisations were committed apart."""
    return re.sub(r"\b[0-9a-f]{8,40}\b", "<commit>", html)


HOSTILE = [
    ("{{ ''.__class__.__mro__ }}", "theme/templates/home.html:2: refused by the sandbox: access to attribute "
                                   "'__class__' of 'str' object is unsafe."),
    ("{{ cycler.__init__.__globals__ }}", "theme/templates/home.html:2: refused by the sandbox: access to attribute "
                                          "'__init__' of 'type' object is unsafe."),
    ("{{ data.org.members.clear() }}", "theme/templates/home.html:2: refused by the sandbox: access to attribute "
                                       "'clear' of 'dict' object is unsafe."),
    ("{{ 'x' * 100000000 }}", "theme/templates/home.html:2: refused by the sandbox: the product is longer than "
                              "100,000, too long for a template"),
    ("{{ 9 ** 99999999 }}", "theme/templates/home.html:2: refused by the sandbox: the power is too large for a "
                            "template"),
    ("{{ nothing.here }}", "theme/templates/home.html:2: 'nothing' is undefined"),
    ("{{ data.org.org.source.read() }}", "theme/templates/home.html:2: refused by the sandbox: access to attribute "
                                         "'read' of 'Source' object is unsafe."),
]


@pytest.mark.parametrize(("line", "message"), HOSTILE)
def test_a_hostile_override_fails_safely_and_the_last_good_site_stays(make_org, line: str, message: str) -> None:
    root = make_org()
    site = build(root)
    before = (site / "index.html").read_text()
    write_files(root, {"theme/templates/home.html": "<p>hello</p>\n" + line + "\n"})
    commit_all(root)
    with pytest.raises(SiteError) as raised:
        build_site(root, site, AS_OF)
    assert str(raised.value) == f"the site was not built, the theme failed: {message}"
    assert (site / "index.html").read_text() == before
    assert sorted(path.name for path in site.parent.iterdir()) == ["org", "site"]  # no staging folder left


def test_the_build_command_says_why_and_no_traceback(make_org, capsys) -> None:
    root = make_org({"theme/templates/portal.html": "{{ cycler.__init__.__globals__.os }}\n"})
    assert main(["--root", str(root), "build", "--out", str(root.parent / "out")]) != 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert ("the site was not built, the theme failed: theme/templates/portal.html:1: refused by the sandbox: "
            "access to attribute '__init__' of 'type' object is unsafe.") in captured.err
