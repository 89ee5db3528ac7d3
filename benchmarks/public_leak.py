"""Searches a public build (`lmsgen build --public`) for every person: no id, name or e-mail may be in any file.

    python benchmarks/public_leak.py [--people 10000] [--dir /tmp/lmsgen-leak-org] [--out /tmp/lmsgen-leak-site]

Writes a synthetic organisation with `lmsgen demo` (once, reused), builds its public zone and reads
every file of it: HTML, JSON (the strings in it, the search index's among them), CSV, XML, the
sitemap (gzipped or not), JavaScript and CSS. It looks for each person's id as a whole word or
path segment (`people/ben/`, `ben.yaml`; not `bench`), their name (words in order, any case, HTML
entities decoded) and their e-mail. Files that are byte for byte the theme's own (mkdocs-material's
search stemmers list words such as `ben` and `mei`) hold no data of the organisation and are
counted apart. Prints the files scanned, the people, the hits (each, when there are any) and the
seconds; exits 1 on a hit. The tests run `scan` on the demo organisation's public and full builds.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lmsgen.model.organisation import Organisation

_ID_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
"""An id is found as a whole token: a slug's characters with anything else (`/`, `.`, space) around it."""
_WORD = re.compile(r"\w+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Scan:
    """What a scan read and found: (file, what, person) for each hit."""

    files: int = 0
    theme_files: int = 0
    people: int = 0
    hits: list[tuple[str, str, str]] = field(default_factory=list)


class People:
    """Every person's id, name (as lower-case words) and e-mail, looked up by token."""

    def __init__(self, org: Organisation):
        self.ids = set(org.members)
        self.emails = {member.person.email.lower(): person for person, member in org.members.items()
                       if member.person.email}
        self.names: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for person, member in org.members.items():
            words = tuple(_WORD.findall(member.person.name.lower()))
            if words:
                self.names.setdefault(words[0], []).append((words, person))

    def found_in(self, text: str) -> list[tuple[str, str]]:
        """(what, person) for each id, name and e-mail in `text`."""
        found = [("id", token) for token in _ID_TOKEN.findall(text) if token in self.ids]
        plain = html.unescape(text).lower()
        found += [("email", self.emails[email]) for email in _EMAIL.findall(plain) if email in self.emails]
        words = _WORD.findall(plain)
        for at, word in enumerate(words):
            for name, person in self.names.get(word, ()):
                if tuple(words[at:at + len(name)]) == name:
                    found.append(("name", person))
        return found


def theme_digests() -> set[str]:
    """SHA-256 of every file the theme ships, which a build copies as it is."""
    import material

    folder = Path(material.__file__).parent
    return {hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.rglob("*") if path.is_file()}


def _texts(path: Path, raw: bytes) -> list[str]:
    """The text of a file: a gzipped one uncompressed, the strings of a JSON document decoded."""
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
        path = path.with_suffix("")
    text = raw.decode("utf-8", errors="replace")
    if path.suffix != ".json":
        return [text]
    strings: list[str] = []
    stack = [json.loads(text)]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            stack += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            stack += value
    return [text, *strings]


def scan(site: Path, org: Organisation) -> Scan:
    """Every file below `site`, searched for every person of `org`."""
    people, theme = People(org), theme_digests()
    result = Scan(people=len(org.members))
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() in theme:
            result.theme_files += 1
            continue
        result.files += 1
        relative = path.relative_to(site).as_posix()
        for text in _texts(path, raw):
            result.hits += [(relative, what, person) for what, person in people.found_in(text)]
    result.hits = sorted(set(result.hits))
    return result


def main() -> int:
    from timing import timed_lmsgen  # beside this file: on the path when it runs as a script

    from lmsgen.rules.validation import validate_root
    from lmsgen.site.build import build_site

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None, help="the organisation (written when missing)")
    parser.add_argument("--out", type=Path, default=None, help="where the public site goes")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 12, 1))
    args = parser.parse_args()
    root = args.dir or Path(f"/tmp/lmsgen-leak-org-{args.people}")
    out = args.out or Path(f"/tmp/lmsgen-leak-site-{args.people}")
    if not (root / "org.yaml").exists():
        seconds = timed_lmsgen("demo", "--people", str(args.people), "--out", str(root))
        print(f"wrote the organisation of {args.people:,} people into {root} in {seconds:.1f}s")
    started = time.perf_counter()
    built = build_site(root, out, args.as_of, public=True)
    if not built.ok:
        raise SystemExit(f"{root} has errors; run lmsgen check --root {root}")
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    org = validate_root(root).organisation
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    found = scan(out, org)
    scan_seconds = time.perf_counter() - started
    for file, what, person in found.hits[:50]:
        print(f"{file}: the {what} of {person}")
    print(f"public build: {build_seconds:.1f}s; organisation read again: {load_seconds:.1f}s; "
          f"scan: {scan_seconds:.1f}s of {found.files:,} files (and {found.theme_files} of the theme's own) "
          f"for {found.people:,} people: {len(found.hits)} hits")
    return 1 if found.hits else 0


if __name__ == "__main__":
    sys.exit(main())
