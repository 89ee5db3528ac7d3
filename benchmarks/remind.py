"""Times `lmsgen remind --outbox` for a whole day on a synthetic organisation (10,000 people by default).

    python benchmarks/remind.py [--people 10000] [--dir /tmp/org-m-remind] [--as-of 2026-11-30] [--runs 1]

The organisation is written once with `lmsgen demo`, committed to git (as a scheduled job finds it) and
reused. The as-of date is a Monday, the default manager digest day, so that the day holds every kind of
digest: people's, managers' and HR's. The command line is timed first with the parse cache forgotten (a CI
runner that keeps no cache), then warm; in-process, the selection (rules) and the writing of the
messages are timed apart.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from timing import arguments, forget_cache, timed_lmsgen

from lmsgen.integrations import digests, mail
from lmsgen.rules.reminders import reminders
from lmsgen.rules.validation import validate_root


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.set_defaults(runs=1)
    args = parser.parse_args()
    root = args.dir or Path("/tmp/org-m-remind" if args.people == 10_000 else f"/tmp/lmsgen-remind-{args.people}")
    if not (root / ".git").exists():
        from lmsgen.demo.generator import write_demo

        summary = write_demo(root, args.people)
        print(f"wrote {summary.people:,} people, {summary.records:,} records, {summary.files:,} files to {root}")
        for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                        ["-c", "user.name=lmsgen", "-c", "user.email=dev@lmsgen.invalid", "commit", "-qm", "demo"]):
            subprocess.run(["git", *command], cwd=root, check=True)
    day = args.as_of.isoformat()
    with tempfile.TemporaryDirectory() as outbox:
        forget_cache(root)
        cold = timed_lmsgen("--root", str(root), "remind", "--as-of", day, "--outbox", outbox)
        warm = min(timed_lmsgen("--root", str(root), "remind", "--as-of", day, "--outbox", outbox)
                   for _ in range(args.runs))
        written = len(list(Path(outbox).iterdir()))
    org = validate_root(root).organisation
    started = time.perf_counter()
    selected = reminders(org, args.as_of)
    selecting = time.perf_counter() - started
    started = time.perf_counter()
    writer = digests.Writer(org, args.as_of)
    letters = [writer.letter(digest) for digest in selected]
    messages = [(mail.file_name(letter, args.as_of), mail.message(letter, args.as_of, mail.DEFAULT_SENDER))
                for letter in letters if letter.address]
    with tempfile.TemporaryDirectory() as outbox:
        mail.write_outbox(Path(outbox), messages)
    composing = time.perf_counter() - started
    kinds = Counter(digest.audience.value for digest in selected)
    print(f"{len(org.members):,} people, {day} ({args.as_of:%A}): {written:,} messages "
          f"({', '.join(f'{n:,} {kind}' for kind, n in sorted(kinds.items()))})")
    print(f"lmsgen remind --outbox, cold cache: {cold:.1f} s; warm: {warm:.1f} s (target < 15 s)")
    print(f"in-process: selection {selecting:.1f} s; letters, messages and files {composing:.1f} s")


if __name__ == "__main__":
    main()
