"""`lmsgen init --shards N`: the CI files with the full site built in N parts, one job each of the host's own
matrix (GitHub Actions' `strategy.matrix`, GitLab's `parallel:matrix`), and a job that merges them
(`lmsgen build --shard K/N`, `lmsgen merge-shards`; docs/sharding.md).

The scaffold's CI files are written as for one build; here the job that builds the full site
(`internal-site`) is replaced by the jobs in `templates/sharded/`, filled in with the same `@@name` values. The
merged site is uploaded as the one build's is (the artifact `internal-site`), so whatever deploys it is the same.

May import: `lmsgen.model`, and `history` (`hosting`). Must not import: integrations, demo, site or commands.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

from . import hosting

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "sharded"
MAX_SHARDS = 256
"""GitHub Actions runs at most 256 jobs of one matrix (the same bound as `build --shard`)."""
JOB = "internal-site"
"""The job of the scaffold's CI files that builds the full site: the one the sharded jobs replace."""
_FILES = {hosting.SITE_WORKFLOW: ("github-site.yml", 2), hosting.GITLAB_CI: ("gitlab-site.yml", 0)}
"""The CI files with the full site's job: the template of the sharded jobs, and the indentation of a job."""


class _Template(string.Template):
    delimiter = "@@"


def shard_count(text: str) -> int:
    """`--shards N` as a number from 1 to `MAX_SHARDS`; raises ValueError saying what is wrong."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_SHARDS:
        raise ValueError(f"'{text}' is not a number of shards: give a whole number from 1 (one build, the default) "
                         f"to {MAX_SHARDS}")
    return int(text)


def sharded(rel: str, text: str, values: dict[str, str], shards: int) -> str:
    """The CI file `rel` (`text`, as the scaffold rendered it with `values`) with its full-site job built in
    `shards` parts; any other file, or one build, as it is."""
    if shards <= 1 or rel not in _FILES:
        return text
    name, indent = _FILES[rel]
    numbers = [str(k) for k in range(1, shards + 1)]
    listed = "[" + ", ".join(numbers if indent else [f'"{k}"' for k in numbers]) + "]"  # GitLab's variables: text
    jobs = _Template((TEMPLATES / name).read_text(encoding="utf-8")).substitute(
        {**values, "shards": str(shards), "shard_list": listed})
    start, end = _job(text, indent)
    return text[:start] + jobs + text[end:]


def _job(text: str, indent: int) -> tuple[int, int]:
    """Where the full site's job is in `text`: from its key to its last line (blank lines after it excluded)."""
    found = re.search(rf"^{' ' * indent}{JOB}:[ \t]*$", text, re.MULTILINE)
    if found is None:
        raise ValueError(f"the scaffold has no job '{JOB}' to build in shards")
    end = found.end() + 1
    last = end
    for line in text[end:].splitlines(keepends=True):
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            break
        end += len(line)
        if line.strip():
            last = end
    return found.start(), last
