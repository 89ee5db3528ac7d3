"""What counts as a trace of one person in a repository's files and commits, and what replaces it.

A trace is their id as a word, their name, their e-mail address and their git login, in any file of any
commit and in commit messages; and their identities as an author or committer. `erase` removes their own
files outright; everything else that names them keeps its place with a pseudonym (`erased-<8 hex>`), so
others' records, the roles and the audit trail still hold together and still validate.

A word is bounded by what an id, a login or a name can continue with: `ana` is a trace in `by: ana`,
`[ana, bob]`, `records/ana.yaml` and `@ana`, never in `banana`, `anabel` or `ana-maria` (another id).
Bytes of 0x80 and above count as letters, so a name next to an accented letter is not cut either.

The rules are Python regular expressions on bytes, as git-filter-repo's `--replace-text` and
`--replace-message` apply them (`expressions` writes its file), and as `scrub` applies them here.

May import: nothing of lmsgen (this is text and regular expressions alone).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

_WORD = rb"A-Za-z0-9_\x80-\xff"
"""What continues a word; a hyphen too (an id's, a name's), always last in a set, where it means itself."""
PSEUDONYM_PREFIX = "erased-"
PSEUDONYM_DOMAIN = "erased.invalid"

Rule = tuple[bytes, bytes]
"""A pattern (Python regular expression on bytes) and its replacement (may use `\\1`)."""


def new_pseudonym() -> str:
    """`erased-` and 8 random hex digits: random, so that nobody can recompute it from the id it replaces."""
    return PSEUDONYM_PREFIX + secrets.token_hex(4)


def _bounded(text: str, inside: bytes, *, ignore_case: bool = False) -> bytes:
    """`text` as a whole word: not preceded nor followed by a byte of `inside`."""
    literal = re.escape(text.encode("utf-8"))
    if ignore_case:
        literal = b"(?i:" + literal + b")"
    return rb"(?<![" + inside + rb"-])" + literal + rb"(?![" + inside + rb"-])"


@dataclass(frozen=True)
class Traces:
    """One person as the repository may name them, and the pseudonym that replaces them."""

    person: str
    name: str
    email: str | None
    login: str | None
    left: date | None
    pseudonym: str

    @property
    def pseudonym_email(self) -> str:
        return f"{self.pseudonym}@{PSEUDONYM_DOMAIN}"

    def _word_rules(self) -> list[Rule]:
        pseudonym = self.pseudonym.encode()
        rules = []
        if self.email:  # first: an address often holds the id or the login
            rules.append((_bounded(self.email, _WORD + rb".%+", ignore_case=True), self.pseudonym_email.encode()))
        rules.append((_bounded(self.name, _WORD, ignore_case=True), pseudonym))
        if self.login and self.login != self.person:
            rules.append((_bounded(self.login, _WORD + rb".", ignore_case=True), pseudonym))
        rules.append((_bounded(self.person, _WORD), pseudonym))
        return rules

    def entry_rule(self) -> Rule:
        """The rule for their member entry in a team file, written as one flow mapping (as lmsgen and its demo
        write them): it becomes the pseudonym's alone, without their e-mail, login, profile, location, dates
        or mentor, keeping the day they left."""
        kept = f"{{id: {self.pseudonym}, name: {self.pseudonym}"
        kept += f", left: {self.left.isoformat()}}}" if self.left else "}"
        entry = rb"(?m)^([ \t]*-[ \t]+)\{[ \t]*id:[ \t]*" + re.escape(self.person.encode()) + rb"[ \t]*(?:,[^{}]*)?\}"
        return entry, rb"\1" + kept.encode()

    def blob_rules(self) -> list[Rule]:
        """The rules for file contents: their member entry first, then every other trace, word by word."""
        return [self.entry_rule(), *self._word_rules()]

    def message_rules(self) -> list[Rule]:
        """The rules for commit and tag messages."""
        return self._word_rules()

    def grep_pattern(self) -> str:
        """One POSIX extended regular expression, for `git grep -E` and `git log -G`, that finds what the rules
        replace: the same words, the id's case as written and the others' in any case (as `[aA]`)."""
        def bounded(text: str, inside: str, *, any_case: bool = True) -> str:
            literal = "".join(f"[{c.lower()}{c.upper()}]" if any_case and c.isascii() and c.isalpha()
                              else "\\" + c if c in ".^$*+?()[]{}|\\" else c for c in text)
            return f"(^|[^{inside}-]){literal}([^{inside}-]|$)"

        word = "A-Za-z0-9_"
        terms = [bounded(self.person, word, any_case=False), bounded(self.name, word)]
        terms += [bounded(self.email, word + ".%+")] if self.email else []
        terms += [bounded(self.login, word + ".")] if self.login and self.login != self.person else []
        return "|".join(terms)

    def is_theirs(self, name: str, email: str) -> bool:
        """Whether an author or committer identity is this person's: their address, their name, their login as
        name, or the git host's no-reply address of their login."""
        email, name = email.lower(), name.lower()
        if (self.email and email == self.email.lower()) or name == self.name.lower() or name == self.person:
            return True
        if not self.login:
            return False
        login = self.login.lower()
        local, _, domain = email.partition("@")
        return name == login or (domain.startswith("users.noreply.") and local.split("+")[-1] == login)

    def mailmap(self, identities: list[tuple[str, str]]) -> bytes:
        """A mailmap that gives each of their identities the pseudonym's."""
        target = f"{self.pseudonym} <{self.pseudonym_email}>"
        return "".join(f"{target} {name} <{email}>\n" for name, email in identities).encode("utf-8")


def scrub(data: bytes, rules: list[Rule]) -> bytes:
    """`data` with `rules` applied in order, as git-filter-repo applies them."""
    for pattern, replacement in rules:
        data = re.sub(pattern, replacement, data)
    return data


def expressions(rules: list[Rule]) -> bytes:
    """`rules` as git-filter-repo's `--replace-text` file: `regex:PATTERN==>REPLACEMENT`, one a line. A line
    break in a pattern (a name may hold one) is written as the regular expression's `\\n`, so it stays one line."""
    def one_line(pattern: bytes) -> bytes:
        return pattern.replace(b"\\\n", b"\\n").replace(b"\\\r", b"\\r")

    return b"".join(b"regex:" + one_line(pattern) + b"==>" + replacement + b"\n" for pattern, replacement in rules)
