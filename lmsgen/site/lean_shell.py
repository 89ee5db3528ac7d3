"""A leaner shell for the generated pages: what only works with JavaScript comes from a file (docs/site.md).

A portal is ten thousand times the same shell around a person's content. Part of that shell does nothing without
JavaScript: the checkboxes that open the drawer and the search, and the drawer's button in the header, the
colour-scheme toggle (its labels are `hidden` until Material's script shows them), the search box (the search runs
in Material's script), the "Back to top" button (shown by the script), the dialog the script
speaks through, the empty table of contents, and the configuration that Material's script reads (`#__config`).
Each of these becomes a `<script src>` of `assets/lmsgen/` at the same place, which writes the same HTML back
where it stood before the page is drawn further: with JavaScript, the page is the page it was; without it, it
lacks only what could not work. What the page needs without JavaScript stays in it: the header, the tabs (which a
phone shows instead of the drawer), the content and a footer that says something (an empty one is written by the
script).

The HTML of a fragment is the same at every depth but for its links: the script finds the site's root from its
own address, as `shell_assets` does for `__md_scope`, so one file serves every page. A fragment this module does
not recognise stays as it was: leaning is an optimisation, never a condition of a page working.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

_ROOT = "\u0001"
"""Where a fragment's file writes the site's root (an absolute URL ending in `/`)."""

_DRAWER = re.compile(r'<div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" '
                     r'data-md-type="navigation"[^<>]*>.*?(?=<div class="md-sidebar md-sidebar--secondary"|'
                     r'<div class="md-content")', re.S)
"""The drawer: the navigation a phone opens from the header's button. Its script marks the entry of the page the
reader is on (the page itself, else the section whose tab is marked), as Material marks it in a page it renders;
without JavaScript, the tabs show on a phone instead (lmsgen.css)."""

_MARK = ('var l=n?n.querySelectorAll("a.md-nav__link"):[],'
         'h=location.href.split("#")[0],'
         't=document.querySelector(".md-tabs__item--active a"),m=null;'
         'l.forEach(function(a){if(a.href===h)m=a});'
         'if(!m&&t)l.forEach(function(a){if(!m&&a.href===t.href)m=a});'
         'm&&m.classList.add("md-nav__link--active")')
"""Marks the entry of the drawer `n` for the page the reader is on."""
_MARK_HERE = "var n=s.previousElementSibling;" + _MARK

_PLACE = ('var w=document.createTreeWalker(document.body,128),c,f=[];'
          'while(c=w.nextNode())/^lms[0-9]+$/.test(c.data)&&f.push(c);'
          'f.forEach(function(c){var i=+c.data.slice(3),t=document.createElement("template");'
          't.innerHTML=d[i].replace(/\u0001/g,r);var n=t.content.firstElementChild;'
          'c.parentNode.replaceChild(t.content,c);k[i]&&k[i](n)})')
"""Writes each deferred fragment `d[i]` where its comment `<!--lms<i>-->` stands, then runs `k[i](n)` on it."""

_LATER = True
"""A fragment that nothing before the end of the page reads: it is written by the page's last script (with
Material's configuration), where a comment `<!--lms<i>-->` marks its place, instead of by a script of its own."""

_FRAGMENTS: tuple[tuple[re.Pattern[str], bool], ...] = (
    # The checkboxes the drawer and the search open with, the drawer's overlay, and the empty places Material's
    # script fills (a skip link, an announcement; a skip link Zensical writes stays): without the script there is
    # neither drawer nor search. The checkboxes stay before the header, where the stylesheet's sibling selectors
    # need them.
    (re.compile(r'<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
                r'\n?<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'
                r'\n?<label class="md-overlay" for="__drawer"(?: aria-hidden="true")?></label>\n?'
                r'(?:<div data-md-component="skip">\s*</div>\n?)?(?:<div data-md-component="announce">\s*</div>\n?)?'),
     _LATER),
    # The header's button that opens the drawer (a stylesheet without the script hid it: docs/site.md).
    (re.compile(r'<label class="md-header__button md-icon" for="__drawer">\n?<svg [^<>]*>(?:<use [^<>]*/>)?</svg>\n?'
                r'(?:<span class="md-visually-hidden">[^<>]*</span>\n?)?</label>\n?'), _LATER),
    # The colour-scheme toggle: two radio buttons, and their labels, hidden until Material's script shows them.
    # (Material's palette script, which follows it, reads it as the page is read.)
    (re.compile(r'<form class="md-header__option" data-md-component="palette">.*?</form>\n?', re.S), False),
    # The search: its button opens a box whose search runs in Material's script. It ends the header's bar.
    (re.compile(r'<label class="md-header__button md-icon" for="__search">.*?(?=</nav>\n?</header>)', re.S), False),
    # The table of contents, which the generated pages hide.
    (re.compile(r'<div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" data-md-type="toc" '
                r'hidden>\n?<div class="md-sidebar__scrollwrap">\n?<div class="md-sidebar__inner">\n?'
                r'<nav class="md-nav md-nav--secondary" aria-label="[^"<>]*">\n?</nav>\n?</div>\n?</div>\n?</div>\n?'),
     _LATER),
    # "Back to top", shown by the script when the reader scrolls up.
    (re.compile(r'<button type="button" class="md-top md-icon" data-md-component="top" hidden>.*?</button>\n?', re.S),
     _LATER),
    # An empty footer (no copyright, no links): a bar with nothing a reader needs.
    (re.compile(r'<footer class="md-footer">\n?<div class="md-footer-meta md-typeset">\n?'
                r'<div class="md-footer-meta__inner md-grid">\n?<div class="md-copyright">\s*</div>\n?</div>\n?</div>\n?'
                r'</footer>\n?'), _LATER),
    # The dialog the script speaks through ("Copied to clipboard").
    (re.compile(r'<div class="md-dialog" data-md-component="dialog">\n?<div class="md-dialog__inner md-typeset">'
                r'</div>\n?</div>\n?'), False),
)

_CONFIG = re.compile(r'<script id="__config" type="application/json">[^<]*</script>\n?')
"""What Material's script reads: the site's root, the search's worker, the words of its messages. It comes last,
just before Material's script: its script writes the deferred fragments too (`_LATER`)."""

_GENERATOR = re.compile(r'<meta name="generator" content="[^"<>]*">\n?')
"""Which versions of mkdocs and Material made the shell: nothing a reader or a browser uses."""


def _script(html: str, then: str = "") -> str:
    """A script that writes `html` (its root written `_ROOT`) where the script stands, the root found from the
    script's own address in `assets/lmsgen/`; `then`: what it does next (`s` is the script element)."""
    return ("(function(s){var r=new URL(\"../..\",s.src).href;"
            f"s.insertAdjacentHTML(\"beforebegin\",{json.dumps(html)}.replace(/\\u0001/g,r));{then}}})"
            "(document.currentScript)")


def lean(html: str, root: str, script_file: Callable[[str], str]) -> str:
    """`html`, a shell (or a page) at the depth whose way to the site's root is `root` (`../../`), with its
    JavaScript-only fragments written by scripts; `script_file(code)` keeps a script and returns its address
    relative to the root. The fragments nothing reads before the end of the page (`_LATER`) are written by the
    script of Material's configuration, where comments mark their places; without that configuration (a template
    this does not know), each is written by a script of its own."""
    if not root:
        return html  # the site's top has no generated page; its root is no prefix to find
    later: list[tuple[str, str]] = []
    defer = len(_CONFIG.findall(html)) == 1

    def rooted(fragment: str) -> str:
        return fragment.replace(f'"base": "{root.removesuffix("/")}"', f'"base": "{_ROOT}"').replace(root, _ROOT)

    def moved(match: re.Match[str], then: str = "", deferred: bool = False) -> str:
        fragment = match[0]
        if _ROOT in fragment:
            return fragment
        if deferred and defer:
            later.append((rooted(fragment), then))
            return f"<!--lms{len(later) - 1}-->"
        return f'<script src="{root}{script_file(_script(rooted(fragment), then))}"></script>'

    html = _DRAWER.sub(lambda match: moved(match, _MARK_HERE if not defer else _MARK, deferred=True),
                       _GENERATOR.sub("", html))
    for fragment, deferred in _FRAGMENTS:
        html = fragment.sub(lambda match: moved(match, deferred=deferred), html)
    place = ""
    if later:
        calls = ",".join(f"{i}:function(n){{{then}}}" for i, (_, then) in enumerate(later) if then)
        place = f"var d={json.dumps([fragment for fragment, _ in later])},k={{{calls}}};{_PLACE}"
    return _CONFIG.sub(lambda match: moved(match, place), html)
