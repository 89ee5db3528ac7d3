"""What every page shell repeats goes into shared files (site/shell_assets.py, docs/site.md)."""

from __future__ import annotations

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
    # No indentation: each run of white space across lines is one line break.
    assert "<head>\n<script" in html and "\n " not in html


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
