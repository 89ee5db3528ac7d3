"""The organisation's own look (`theme/`, docs/theme.md): what theme.yaml names is there, of its kind, small.

Every file theme.yaml names must be a regular file inside `theme/` (the listing already refused links and
anything but regular files, so a link is simply not there), of a type its use allows (by extension), and at
most `MAX_BYTES`. A file in `theme/templates/` replaces the lmsgen template of its name, so it must be named as
one of them and parse as Jinja; it is only ever rendered in a sandbox (`site/theme_templates.py`).
"""

from __future__ import annotations

from importlib import resources

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..model.basics import is_slug
from ..model.diagnostics import Diagnostic, error
from ..model.organisation import Organisation
from ..model.theme_format import TEMPLATES_FOLDER, THEME_FOLDER

MAX_BYTES = 1024 * 1024
"""The most bytes of any file theme.yaml names (a logo, a favicon, a stylesheet, a page)."""
IMAGES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
FAVICONS = (*IMAGES, ".ico")
_TYPES = {"logo": IMAGES, "favicon": FAVICONS, "extra_css": (".css",), "pages": (".md",)}


def site_templates() -> tuple[str, ...]:
    """The names of lmsgen's site templates, which an organisation's `theme/templates/<name>` may replace."""
    folder = resources.files("lmsgen").joinpath("templates", "site")
    return tuple(sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".html")))


def diagnostics(org: Organisation) -> list[Diagnostic]:
    found = _template_problems(org)
    if org.theme is None:
        return found
    theme, source = org.theme.model, org.theme.source
    named: list[tuple[str, tuple[str | int, ...], str]] = []
    if theme.logo:
        named.append(("logo", ("logo",), theme.logo))
    if theme.favicon:
        named.append(("favicon", ("favicon",), theme.favicon))
    named += [("extra_css", ("extra_css", i), path) for i, path in enumerate(theme.extra_css)]
    named += [("pages", ("pages", i, "file"), page.file) for i, page in enumerate(theme.pages)]
    for use, loc, path in named:
        where = ".".join(str(step) for step in loc)
        types = _TYPES[use]
        if not path.lower().endswith(types):
            found.append(source.error(loc, f"{where}: '{path}' is not a {_what(use)}: use a file ending in "
                                           f"{', '.join(types)}"))
            continue
        file = org.theme_files.get(path)
        if file is None:
            found.append(source.error(loc, f"{where}: there is no file {path} (a symbolic link is not read: put the "
                                           f"file itself in {THEME_FOLDER}/)"))
            continue
        if path.startswith(f"{TEMPLATES_FOLDER}/"):
            found.append(source.error(loc, f"{where}: {path} is in {TEMPLATES_FOLDER}/, which holds templates only"))
            continue
        size = len(file.read())
        if size > MAX_BYTES:
            found.append(source.error(loc, f"{where}: {path} is {size:,} bytes: a theme's file has at most "
                                           f"{MAX_BYTES:,} (1 MB)"))
    seen: dict[str, int] = {}
    for index, page in enumerate(theme.pages):
        name = page.file.rsplit("/", 1)[-1].removesuffix(".md")
        if not page.file.endswith(".md"):
            continue
        if not is_slug(name):
            found.append(source.error(("pages", index, "file"), f"pages.{index}.file: '{name}' names the page's "
                                      f"address (pages/{name}/): use lowercase letters, digits and hyphens"))
        elif name in seen:
            found.append(source.error(("pages", index, "file"), f"pages.{index}.file: a page named '{name}' is "
                                      f"already pages.{seen[name]}: each page needs its own file name"))
        else:
            seen[name] = index
    return found


def _what(use: str) -> str:
    return {"logo": "logo image", "favicon": "favicon", "extra_css": "stylesheet", "pages": "Markdown page"}[use]


def _template_problems(org: Organisation) -> list[Diagnostic]:
    """Each file in theme/templates/ is named as one of lmsgen's templates, is UTF-8 and parses as Jinja."""
    found: list[Diagnostic] = []
    names = None
    env = ImmutableSandboxedEnvironment()
    for path, source in org.theme_files.items():
        if not path.startswith(f"{TEMPLATES_FOLDER}/"):
            continue
        names = names or site_templates()
        name = path.removeprefix(f"{TEMPLATES_FOLDER}/")
        if name not in names:
            found.append(error(path, (1, 1), f"lmsgen has no template named {name}: a file here replaces the one "
                                             f"of its name, one of {', '.join(names)}"))
            continue
        try:
            text = source.read().decode("utf-8")
        except UnicodeDecodeError:
            found.append(error(path, (1, 1), "not UTF-8 text: save the template as UTF-8"))
            continue
        try:
            env.parse(text)
        except jinja2.TemplateSyntaxError as problem:
            found.append(error(path, (problem.lineno or 1, 1), f"not a valid template: {problem.message}"))
    return found
