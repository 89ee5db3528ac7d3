"""What every generated page's shell repeats, moved into files the browser fetches once (docs/site.md).

The shell Material (or Zensical) renders carries its icons as inline SVG and a few inline scripts; a portal
repeated them ten thousand times. Here each inline icon becomes a reference to a symbol of one sprite,
`assets/lmsgen/icons.svg`, each inline script a file of its own, `assets/lmsgen/shell-<digest>.js`,
loaded where it stood (a script in the page's head still runs before the body is drawn, as it did inline), and the
stylesheets linked one after the other one `assets/lmsgen/styles-<digest>.css` that imports them, in their order.
The one script that reads the page's depth (Material's `__md_scope`, the site's root) finds the root from
its own address instead. What is not recognised stays as it was: the trimming is an optimisation, never a
condition of a page working. Nothing here is personal: the files are in the public `assets/` folder.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .lean_shell import lean
from .pages import Shell, squeeze

FOLDER = "assets/lmsgen"
SPRITE = f"{FOLDER}/icons.svg"

_SVG = re.compile(r'<svg xmlns="http://www\.w3\.org/2000/svg" viewBox="([0-9. ]+)">((?:<path d="[^"<>]*"/>)+)</svg>')
_SHELL_FILE = re.compile(r"shell-[0-9a-f]{12}\.js")
_SCRIPT = re.compile(r"<script>(.+?)</script>", re.S)
_SCOPE = re.compile(r'^__md_scope=new URL\("[./]*",location\)')
_SCOPE_FROM_FILE = '__md_scope=new URL("../..",document.currentScript.src)'
"""The site's root seen from `assets/lmsgen/`, where the script's file is: the same URL at every depth."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class ShellAssets:
    """The icons and scripts taken out of the shells, to be written into the site once."""

    def __init__(self) -> None:
        self.icons: dict[str, tuple[str, str]] = {}
        """Symbol id -> (viewBox, the paths)."""
        self.scripts: dict[str, str] = {}
        """File name (below `FOLDER`) -> the script."""
        self.styles: dict[str, str] = {}
        """File name (below `FOLDER`) -> a stylesheet that imports those a shell linked one after the other."""

    def trim(self, shell: Shell, depth: int) -> Shell:
        """`shell` trimmed and leaned as one text (`lean` writes the fragments of all its parts from its last
        script), then cut again where it was cut."""
        root = "../" * depth
        parts = [self._trim(part, root) for part in shell.before + shell.after]
        if any(_CUT in part for part in parts):
            return Shell(tuple(self._lean(part, root) for part in parts[:len(shell.before)]),
                         tuple(self._lean(part, root) for part in parts[len(shell.before):]))
        whole = self._lean(_CUT.join(parts), root).split(_CUT)
        return Shell(tuple(whole[:len(shell.before)]), tuple(whole[len(shell.before):]))

    def _lean(self, html: str, root: str) -> str:
        """`html` with what works only with JavaScript written by scripts of their own (`lean_shell`), and each
        run of this module's scripts one after the other one script (they run in the same order, at one place)."""
        tag = re.escape(f'<script src="{root}{FOLDER}/') + r'shell-[0-9a-f]{12}\.js"></script>\n?'
        run = re.compile(f"(?:{tag}){{2,}}")

        def joined(match: re.Match[str]) -> str:
            names = _SHELL_FILE.findall(match[0])
            if not all(name in self.scripts for name in names):
                return match[0]
            code = ";\n".join(self.scripts[name] for name in names)
            return f'<script src="{root}{self.script_file(code)}"></script>\n'

        return self._join_stylesheets(run.sub(joined, self._tabbed_later(lean(html, root, self.script_file), root)),
                                      root)

    def _tabbed_later(self, html: str, root: str) -> str:
        """`html` with Material's script for content tabs (it checks the tab the address names, `#__tabbed_…`)
        moved from after the content to the scripts after the footer, which then are one file: it reads only the
        content, which is there before either place."""
        tag = re.compile(re.escape(f'<script src="{root}{FOLDER}/') + r'(shell-[0-9a-f]{12}\.js)"></script>\n?')
        found = next((m for m in tag.finditer(html) if self.scripts.get(m[1], "").startswith(_TABBED)), None)
        footer = html.find("</footer>")
        if found is None or footer < found.end():
            return html
        after = tag.search(html, footer)
        if after is None:
            return html
        return html[:found.start()] + html[found.end():after.start()] + found[0] + html[after.start():]

    def _join_stylesheets(self, html: str, root: str) -> str:
        """`html` with each run of two or more stylesheets of the site one stylesheet of `FOLDER` that imports
        them, in the same order (a file of `@import`s: the browser fetches the same sheets, without JavaScript)."""
        link = r'<link rel="stylesheet" href="' + re.escape(root) + r'(?!https?:|/)([^"<>:]+\.css)">'
        run = re.compile(f"(?:{link}\n?){{2,}}")

        def joined(match: re.Match[str]) -> str:
            code = "".join(f'@import url("../../{path}");\n' for path in re.findall(link, match[0]))
            name = f"styles-{_digest(code)}.css"
            self.styles[name] = code
            return f'<link rel="stylesheet" href="{root}{FOLDER}/{name}">' + ("\n" if match[0].endswith("\n") else "")

        return run.sub(joined, html) if root else html

    def script_file(self, code: str) -> str:
        """Keeps `code` as a file of its own; its address relative to the site's root."""
        name = f"shell-{_digest(code)}.js"
        self.scripts[name] = code
        return f"{FOLDER}/{name}"

    def _trim(self, html: str, root: str) -> str:
        def icon(match: re.Match[str]) -> str:
            view, paths = match[1], match[2]
            name = "i" + _digest(view + paths)
            self.icons[name] = (view, paths)
            return f'<svg viewBox="{view}"><use href="{root}{SPRITE}#{name}"/></svg>'

        def script(match: re.Match[str]) -> str:
            code = match[1]
            if "__md_scope" in code:
                if not _SCOPE.match(code):
                    return match[0]  # a form this does not know: it stays inline
                code = _SCOPE.sub(_SCOPE_FROM_FILE, code, count=1)
            name = f"shell-{_digest(code)}.js"
            self.scripts[name] = code
            return f'<script src="{root}{FOLDER}/{name}"></script>'

        return _SCRIPT.sub(script, _SVG.sub(icon, html))

    def write(self, site_dir: Path) -> None:
        folder = site_dir / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        symbols = "".join(f'<symbol id="{name}" viewBox="{view}">{paths}</symbol>'
                          for name, (view, paths) in sorted(self.icons.items()))
        (site_dir / SPRITE).write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n', encoding="utf-8")
        for name, code in sorted(self.scripts.items()):
            (folder / name).write_text(code + "\n", encoding="utf-8")
        for name, code in sorted(self.styles.items()):
            (folder / name).write_text(code, encoding="utf-8")


_TABBED = "var target=document.getElementById(location.hash.slice(1));"
"""How Material's script for content tabs begins."""

_CUT = "\u0002"
"""Where a shell's parts meet while they are leaned as one text (a character no theme writes)."""

_PREFORMATTED = re.compile(r"(<(pre|textarea)[\s>].*?</\2>)", re.S)


def trimmed(shells: dict[int, Shell], site_dir: Path, pages: list[str] = ()) -> dict[int, Shell]:
    """The shells with their icons and scripts in files, which are written into `site_dir`; the `pages` that
    mkdocs wrote (paths of index.html files below `site_dir`) the same, and without their indentation."""
    assets = ShellAssets()
    result = {depth: assets.trim(shell, depth) for depth, shell in shells.items()}
    for page in pages:
        path = site_dir / page
        if not path.is_file() or path.is_symlink():
            continue
        html = path.read_text(encoding="utf-8")
        # White space inside preformatted text is kept: only the text between such blocks is squeezed.
        pieces = _PREFORMATTED.split(html)
        kept = "".join(squeeze(piece) if index % 3 == 0 else piece if index % 3 == 1 else ""
                       for index, piece in enumerate(pieces))
        root = "../" * page.count("/")
        path.write_text(assets._lean(assets._trim(kept, root), root), encoding="utf-8")
    assets.write(site_dir)
    return result
