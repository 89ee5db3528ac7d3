"""What every page shell repeats goes into shared files (site/shell_assets.py, docs/site.md)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from lmsgen.site import shell_assets
from lmsgen.site.build import build_site
from lmsgen.site.pages import Shell

ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>'
SCOPE = '<script>__md_scope=new URL("../..",location),__md_get=e=>e</script>'


def test_icons_and_scripts_leave_the_shell_for_files_of_their_own(tmp_path: Path):
    shell = Shell.cut(f"<head>\n    {SCOPE}\n  </head>\n<body>\n    <label>\n      {ICON}\n    </label>\n"
                      "<div>CONTENT</div>\n<script>var x = 1 < 2;</script>\n</body>", "TITLE", "<div>CONTENT</div>")
    trimmed = shell_assets.trimmed({2: shell}, tmp_path)[2]
    html = trimmed.wrap("t", "<p>body</p>")
    icon = re.search(r'<svg viewBox="0 0 24 24"><use href="\.\./\.\./assets/lmsgen/icons\.svg#(i[0-9a-f]{12})"/></svg>',
                     html)
    assert icon, html
    assert f'<symbol id="{icon[1]}" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></symbol>' in (
        tmp_path / "assets/lmsgen/icons.svg").read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="\.\./\.\./assets/lmsgen/(shell-[0-9a-f]{12}\.js)"></script>', html)
    assert len(scripts) == 2 and "<script>" not in html
    texts = {(tmp_path / "assets/lmsgen" / name).read_text(encoding="utf-8") for name in scripts}
    # The script that finds the site's root finds it from its own file, in assets/lmsgen/, at every depth.
    assert texts == {'__md_scope=new URL("../..",document.currentScript.src),__md_get=e=>e\n', "var x = 1 < 2;\n"}
    # No indentation, and no line break between one tag and the next (docs/site.md#the-page-shell).
    assert "<head><script" in html and "</label>" in html and "\n " not in html
    assert "<label><svg" in html and "</script></head><body><label>" in html


def test_a_shell_keeps_its_text_and_its_preformatted_text_as_they_are(tmp_path: Path):
    """docs/site.md#the-page-shell: the line breaks between tags go, a line break beside text stays one, and a shell
    with preformatted text (an organisation's template) is kept whole, its white space included."""
    shell = Shell.cut("<nav>\n  <a href='/'>\n    Home\n  </a>\n  <a>Two</a> <a>Three</a>\n</nav>\n<main>X</main>",
                      "TITLE", "X")
    assert shell.wrap("t", "") == "<nav><a href='/'>\nHome\n</a><a>Two</a> <a>Three</a></nav><main></main>"
    kept = "<nav>\n  <pre>\n  a\n    b\n</pre>\n</nav>\n<main>X</main>"
    assert Shell.cut(kept, "TITLE", "X").wrap("t", "") == kept.replace("X", "")
    textarea = "<nav>\n  <textarea>\n  a\n</textarea>\n</nav><main>X</main>"
    assert Shell.cut(textarea, "TITLE", "X").wrap("t", "") == textarea.replace("X", "")


def test_a_script_of_a_form_it_does_not_know_stays_inline(tmp_path: Path):
    odd = '<script>__md_scope=new URL(base,location)</script>'
    shell = shell_assets.trimmed({1: Shell.cut(f"{odd}<main>X</main>", "TITLE", "X")}, tmp_path)[1]
    assert odd in shell.wrap("t", "")


def test_pages_keep_their_preformatted_text(tmp_path: Path):
    page = tmp_path / "catalog/x/index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<div>\n    {ICON}\n    <pre><code>a:\n    b: 1\n</code></pre>\n  <textarea>\n  x</textarea>\n</div>",
                    encoding="utf-8")
    shell_assets.trimmed({}, tmp_path, ["catalog/x/index.html", "missing/index.html"])
    html = page.read_text(encoding="utf-8")
    assert "<pre><code>a:\n    b: 1\n</code></pre>" in html and "<textarea>\n  x</textarea>" in html
    assert html.startswith('<div>\n<svg viewBox="0 0 24 24"><use href="../../assets/lmsgen/icons.svg#i')


def test_every_icon_and_script_of_every_page_is_there(make_org):
    root = make_org()
    out = root.parent / "site"
    assert build_site(root, out, date(2026, 12, 1)).ok
    sprite = (out / shell_assets.SPRITE).read_text(encoding="utf-8")
    symbols = set(re.findall(r'<symbol id="([^"]+)"', sprite))
    # 404.html is mkdocs' own, served at any address: it stays as mkdocs wrote it.
    pages = [path for path in out.rglob("*.html") if path.name != "404.html"]
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        used = re.findall(r'<use href="([^"#]+)#([^"]+)"', html)
        assert used, path
        for file, symbol in used:
            assert (path.parent / file).resolve() == (out / shell_assets.SPRITE).resolve() and symbol in symbols
        for src in re.findall(r'<script src="([^"]+)"', html):
            assert (path.parent / src).resolve().is_file(), (path, src)
        assert "<script>" not in html, path


_WRITER = re.compile(r'\(function\(s\)\{var r=new URL\("\.\./\.\.",s\.src\)\.href;s\.insertAdjacentHTML\("beforebegin",'
                     r'("(?:[^"\\]|\\.)*")\.replace')


def _with_scripts_run(html: str, page: Path, out: Path) -> str:
    """`html` with each lean-shell script replaced by the HTML it writes (the root as the page's relative one)."""
    root = "../" * (len(page.relative_to(out).parts) - 1)

    later: list[str] = []

    def run(match: re.Match[str]) -> str:
        code = (page.parent / match[1]).read_text(encoding="utf-8")
        written = "".join(json.loads(literal).replace("\u0001", root) for literal in _WRITER.findall(code))
        deferred = re.search(r"var d=(\[.*?\]),k=\{", code)
        if deferred:
            later.extend(json.loads(deferred[1]))
        return written + match[0]

    html = re.sub(r'<script src="([^"]+/assets/lmsgen/shell-[0-9a-f]{12}\.js)"></script>', run, html)
    # The fragments the page's last script writes where their comments stand (lean_shell._LATER).
    return re.sub(r"<!--lms([0-9]+)-->", lambda match: later[int(match[1])].replace("\u0001", root), html)


def test_what_needs_javascript_is_written_by_scripts_and_comes_back_whole(make_org):
    """docs/site.md#the-page-shell: the palette, the search, the drawer, "Back to top", the dialog and Material's
    configuration leave a portal's HTML for scripts that write them back where they stood."""
    root = make_org()
    out = root.parent / "site"
    assert build_site(root, out, date(2026, 12, 1)).ok
    page = out / "people/carol/index.html"
    html = page.read_text(encoding="utf-8")
    moved = ['data-md-component="palette"', 'data-md-component="search"', 'data-md-type="navigation"',
             'data-md-type="toc"', 'data-md-component="top"', 'data-md-component="dialog"', 'id="__config"',
             'id="__drawer"', 'id="__search"', 'class="md-overlay"', 'data-md-component="announce"',
             'class="md-header__button md-icon" for="__drawer"', 'class="md-footer"']  # an empty footer
    for marker in moved:
        assert marker not in html, marker
    # What the page needs without JavaScript stays: the header, the tabs, the content (a footer with words: below).
    for kept in ('class="md-header"', 'class="md-tabs"', "<h1>Carol Diaz</h1>"):
        assert kept in html, kept
    full = _with_scripts_run(html, page, out)
    for marker in moved:
        assert full.count(marker) == 1, marker
    # The order of the page is Material's: header (palette, search), tabs, drawer, content, then the config.
    places = [full.index(marker) for marker in ('id="__drawer"', 'id="__search"', 'class="md-header"',
                                                'for="__drawer"><svg', 'data-md-component="palette"', 'data-md-component="search"',
                                                'class="md-tabs"', 'data-md-type="navigation"', "<h1>",
                                                'id="__config"', "bundle.")]
    assert places == sorted(places)
    assert '"base": "../../"' in full and 'href="../../assets/lmsgen/icons.svg#' in full
    assert 'href="../../people/" class="md-tabs__link"' in full


def test_a_fragment_it_does_not_know_stays(tmp_path: Path):
    odd = '<form class="md-header__option" data-md-component="palette"><input></form>'
    shell = shell_assets.trimmed({1: Shell.cut(f"<nav>{odd}</nav><main>X</main>", "TITLE", "X")}, tmp_path)[1]
    assert '<script src="../assets/lmsgen/shell-' in shell.wrap("t", "")  # the form it knows moves
    strange = '<div class="md-sidebar md-sidebar--secondary" data-md-type="toc" hidden><p>toc</p></div>'
    shell = shell_assets.trimmed({1: Shell.cut(f"{strange}<main>X</main>", "TITLE", "X")}, tmp_path)[1]
    assert strange in shell.wrap("t", "")


def test_a_footer_that_says_something_stays(tmp_path: Path):
    """docs/site.md#the-page-shell: only an empty footer is written by the page's last script."""
    said = ('<footer class="md-footer"><div class="md-footer-meta md-typeset"><div class="md-footer-meta__inner md-grid">'
            '<div class="md-copyright">© Acme</div></div></div></footer>')
    config = '<script id="__config" type="application/json">{"base": "../.."}</script>'
    shell = shell_assets.trimmed({2: Shell.cut(f"<main>X</main>{said}{config}", "TITLE", "X")}, tmp_path)[2]
    assert said in shell.wrap("t", "")
    empty = said.replace("© Acme", "")
    shell = shell_assets.trimmed({2: Shell.cut(f"<main>X</main>{empty}{config}", "TITLE", "X")}, tmp_path)[2]
    assert "md-footer" not in shell.wrap("t", "") and "<!--lms0-->" in shell.wrap("t", "")
