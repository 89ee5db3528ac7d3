"""Links into the git host's web editor, so that a person who has never used git can open a pull request.

GitHub opens a new file pre-filled with ``<repo>/new/<branch>?filename=<path>&value=<text>``; GitLab
with ``<repo>/-/new/<branch>/<folder>?file_name=<name>&content=<text>``. An existing file cannot be
pre-filled, so adding a record to one is an edit link, with the line to add shown beside it.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from ..model import formats as m


def _repo(settings: m.GitSettings) -> str:
    return settings.repo.removesuffix("/").removesuffix(".git")


@lru_cache(maxsize=4096)
def _quoted_line(line: str) -> str:
    return quote(line, safe="")


def _quoted_text(content: str) -> str:
    # Line by line, remembered: the site quotes the same lines (schema, course, date) in thousands of links.
    return "%0A".join(_quoted_line(line) for line in content.split("\n"))


def new_file_url(settings: m.GitSettings, path: str, content: str) -> str:
    """The web editor's page that creates `path` (relative to the root) on the main branch, pre-filled with `content`."""
    branch = quote(settings.branch, safe="/")
    if settings.host is m.GitHost.GITLAB:
        folder, _, name = path.rpartition("/")
        return (f"{_repo(settings)}/-/new/{branch}/{quote(folder, safe='/')}"
                f"?file_name={quote(name, safe='')}&content={_quoted_text(content)}")
    return f"{_repo(settings)}/new/{branch}?filename={quote(path, safe='/')}&value={_quoted_text(content)}"


def edit_file_url(settings: m.GitSettings, path: str) -> str:
    """The web editor's page that edits the existing file `path` on the main branch."""
    branch = quote(settings.branch, safe="/")
    separator = "/-/edit/" if settings.host is m.GitHost.GITLAB else "/edit/"
    return f"{_repo(settings)}{separator}{branch}/{quote(path, safe='/')}"


def commit_url(settings: m.GitSettings, sha: str) -> str:
    """The page that shows one commit."""
    separator = "/-/commit/" if settings.host is m.GitHost.GITLAB else "/commit/"
    return f"{_repo(settings)}{separator}{_quoted_line(sha)}"  # remembered: a commit is named in many portals
