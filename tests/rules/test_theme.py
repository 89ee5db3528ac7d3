"""The organisation's own look (docs/theme.md): theme/theme.yaml's model and the checks of the files it names,
the templates in theme/templates/, and who owns theme/."""

from __future__ import annotations

import os

import pytest
from conftest import THEME_SVG, THEME_YAML
from hypothesis import given
from hypothesis import strategies as st

from lmsgen.cli import main
from lmsgen.model import formats as m
from lmsgen.model.theme_format import MATERIAL_COLOURS
from lmsgen.rules.paths import SETTINGS, classify_path
from lmsgen.rules.theme import MAX_BYTES
from lmsgen.rules.validation import validate_root

SVG = THEME_SVG
THEME = THEME_YAML
FILES = {"theme/theme.yaml": THEME, "theme/logo.svg": SVG, "theme/favicon.png": b"\x89PNG\r\n\x1a\n",
         "theme/extra.css": "h1 { color: teal; }\n", "theme/pages/about.md": "# About\n\nHello.\n"}


def messages(root, *, errors_only: bool = True) -> list[str]:
    return [str(d) for d in validate_root(root, use_cache=False).diagnostics if d.is_error or not errors_only]


def test_a_whole_theme_is_valid_and_loaded(make_org) -> None:
    root = make_org(FILES)
    validated = validate_root(root, use_cache=False)
    assert [str(d) for d in validated.diagnostics if d.is_error] == []
    theme = validated.organisation.theme.model
    assert theme == m.Theme(logo="theme/logo.svg", favicon="theme/favicon.png",
                            palette=m.Palette(primary="#0b6e4f", accent="deep orange"), extra_css=["theme/extra.css"],
                            pages=[m.ThemePage(title="About us", file="theme/pages/about.md")])
    assert sorted(validated.organisation.theme_files) == ["theme/extra.css", "theme/favicon.png", "theme/logo.svg",
                                                           "theme/pages/about.md"]
    assert main(["--root", str(root), "check"]) == 0


@pytest.mark.parametrize(("line", "message"), [
    ("logo: ../org.yaml", "theme/theme.yaml:1:7: logo: '../org.yaml' is not a file in theme/: write its path from "
                          "the repository's root, such as theme/logo.svg, with no '..' and no part starting with a dot"),
    ("logo: theme/../org.yaml", "theme/theme.yaml:1:7: logo: 'theme/../org.yaml' is not a file in theme/: write its "
     "path from the repository's root, such as theme/logo.svg, with no '..' and no part starting with a dot"),
    ("logo: /etc/passwd", "theme/theme.yaml:1:7: logo: '/etc/passwd' is not a file in theme/: write its path from "
                          "the repository's root, such as theme/logo.svg, with no '..' and no part starting with a dot"),
    ("logo: theme/.hidden.svg", "theme/theme.yaml:1:7: logo: 'theme/.hidden.svg' is not a file in theme/: write its "
     "path from the repository's root, such as theme/logo.svg, with no '..' and no part starting with a dot"),
    ("palette: {primary: '#12345'}", "theme/theme.yaml:1:20: palette.primary: '#12345' is not a colour: write "
     "#rrggbb (such as #0b6e4f) or one of Material's names: " + ", ".join(MATERIAL_COLOURS)),
    ("palette: {accent: hotpink}", "theme/theme.yaml:1:19: palette.accent: 'hotpink' is not a colour: write "
     "#rrggbb (such as #0b6e4f) or one of Material's names: " + ", ".join(MATERIAL_COLOURS)),
    ("colours: {}", "theme/theme.yaml:1:1: unknown key 'colours'"),
    ("logo: theme/logo.txt", "theme/theme.yaml:1:7: logo: 'theme/logo.txt' is not a logo image: use a file ending in "
                             ".svg, .png, .jpg, .jpeg, .gif, .webp"),
    ("extra_css: [theme/extra.js]", "theme/theme.yaml:1:13: extra_css.0: 'theme/extra.js' is not a stylesheet: use "
                                    "a file ending in .css"),
    ("logo: theme/missing.svg", "theme/theme.yaml:1:7: logo: there is no file theme/missing.svg (a symbolic link is "
                                "not read: put the file itself in theme/)"),
    ("pages: [{title: About, file: theme/pages/About_Us.md}]", "theme/theme.yaml:1:30: pages.0.file: 'About_Us' "
     "names the page's address (pages/About_Us/): use lowercase letters, digits and hyphens"),
])
def test_each_problem_is_reported_at_its_place(make_org, line: str, message: str) -> None:
    root = make_org({**FILES, "theme/theme.yaml": line + "\n", "theme/pages/About_Us.md": "x\n"})
    assert messages(root) == [message]


def test_a_file_over_a_megabyte_is_refused(make_org) -> None:
    root = make_org({**FILES, "theme/logo.svg": "<svg>" + " " * MAX_BYTES + "</svg>"})
    assert messages(root) == ["theme/theme.yaml:1:7: logo: theme/logo.svg is 1,048,587 bytes: a theme's file has at "
                              "most 1,048,576 (1 MB)"]


def test_the_same_page_name_twice_is_refused(make_org) -> None:
    root = make_org({**FILES, "theme/theme.yaml": "pages:\n  - {title: A, file: theme/pages/about.md}\n"
                                                  "  - {title: B, file: theme/about.md}\n", "theme/about.md": "b\n"})
    assert messages(root) == ["theme/theme.yaml:3:22: pages.1.file: a page named 'about' is already pages.0: each "
                              "page needs its own file name"]


def test_a_symlinked_logo_is_refused(make_org, tmp_path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text(SVG)
    root = make_org({k: v for k, v in FILES.items() if k != "theme/logo.svg"})
    os.symlink(secret, root / "theme" / "logo.svg")
    assert messages(root) == [
        "theme/logo.svg:1:1: symbolic links are not followed; replace it with the file itself",
        "theme/theme.yaml:1:7: logo: there is no file theme/logo.svg (a symbolic link is not read: put the file "
        "itself in theme/)",
    ]


def test_templates_are_named_as_lmsgens_and_parse(make_org) -> None:
    root = make_org({**FILES, "theme/templates/home.html": "<p>\n{% if x %}\n", "theme/templates/nope.html": "x",
                     "theme/templates/people.html": b"\xff\xfe"})
    found = messages(root)
    assert found[0] == "theme/templates/home.html:2:1: not a valid template: Unexpected end of template. Jinja was " \
                       "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs " \
                       "to be closed is 'if'."
    assert found[1].startswith("theme/templates/nope.html:1:1: lmsgen has no template named nope.html: a file here "
                               "replaces the one of its name, one of _badges.html, ")
    assert found[2] == "theme/templates/people.html:1:1: not UTF-8 text: save the template as UTF-8"
    assert len(found) == 3


def test_theme_is_owned_by_the_admins(make_org) -> None:
    root = make_org(FILES)
    assert classify_path(["theme", "logo.svg"])[0] is SETTINGS
    assert classify_path(["theme", "templates", "home.html"])[0] is SETTINGS
    codeowners = (root / ".github" / "CODEOWNERS").read_text()
    assert "\n/org.yaml @alicem @danap @erinr\n/theme/ @alicem @danap @erinr\n" in codeowners


@given(st.text(alphabet="0123456789abcdefABCDEFG#xyz ", max_size=9))
def test_a_colour_is_a_hex_triple_or_a_material_name(text: str) -> None:
    import re

    from pydantic import ValidationError

    good = bool(re.fullmatch(r"#[0-9a-fA-F]{6}", text)) or text in MATERIAL_COLOURS
    try:
        m.Palette(primary=text)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == good


@given(st.text(alphabet="theme/.a_-\\", max_size=16))
def test_an_accepted_path_stays_inside_theme(text: str) -> None:
    from pydantic import ValidationError

    try:
        m.Theme(logo=text)
    except ValidationError:
        return
    parts = text.split("/")
    assert parts[0] == "theme" and len(parts) > 1
    assert all(part and not part.startswith(".") for part in parts) and "\\" not in text
