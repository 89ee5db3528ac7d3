"""`lmsgen erase PERSON [--apply] [--force]`: a person out of the working tree and the whole history.

A dry run by default: it says what it would remove and rewrite, and changes nothing."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import TYPE_CHECKING

from ._common import EXIT_DATA, EXIT_OK, root_of

if TYPE_CHECKING:
    from ..history.erase import Erased, Plan

SHOWN = 20
"""Lists longer than this show their first items and a count."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("erase", help="remove a person (a leaver past retention) from the tree and from "
                                               "every commit, leaving a pseudonym in others' records")
    parser.add_argument("person", metavar="PERSON", help="a person id")
    parser.add_argument("--apply", action="store_true",
                        help="rewrite the history (without it: a dry run that changes nothing)")
    parser.add_argument("--force", action="store_true", help="erase someone who has not left")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format of the dry run (default: text)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..history import erase  # GitPython and the loader are slow to import: only the commands that use them

    root = root_of(args)
    planned = erase.plan(root, args.person, today=date.today(), force=args.force)
    if not args.apply:
        if args.format == "json":
            sys.stdout.write(json.dumps(plain(planned), indent=2, ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(render_plan(planned))
        return EXIT_OK
    done = erase.apply(root, planned)
    sys.stdout.write(render_done(done, erase.finishing_steps(planned)))
    return EXIT_DATA if done.remaining else EXIT_OK


def plain(planned: Plan) -> dict[str, object]:
    t = planned.traces
    return {"person": t.person, "name": t.name, "email": t.email, "git": t.login, "team": planned.team,
            "left": t.left.isoformat() if t.left else None, "pseudonym": t.pseudonym, "remove": list(planned.paths),
            "mentions": list(planned.mentions), "commits": list(planned.commits),
            "total_commits": planned.total_commits,
            "identities": [f"{name} <{email}>" for name, email in planned.identities],
            "rename": {old: new for old, new in planned.refs}}


def _listing(items: list[str] | tuple[str, ...], indent: str = "    ") -> list[str]:
    shown = [indent + item for item in items[:SHOWN]]
    return shown + ([f"{indent}... and {len(items) - SHOWN} more"] if len(items) > SHOWN else [])


def _what(planned: Plan) -> list[str]:
    t = planned.traces
    left = f"left on {t.left.isoformat()}" if t.left else "has not left"
    terms = [f"the id '{t.person}' (as a word)", f"the name '{t.name}'"]
    terms += [f"the e-mail address {t.email}"] if t.email else []
    terms += [f"the git login {t.login}"] if t.login else []
    out = [f"{t.person} ({t.name}, team {planned.team}, {left}); {planned.total_commits} commits in all branches "
           f"and tags.",
           f"Files removed from every commit ({len(planned.paths)}):", *_listing(planned.paths or ("none",)),
           f"Replaced by the pseudonym {t.pseudonym} in every file and commit message: {', '.join(terms)}; their "
           f"entry in teams/{planned.team}/team.yaml keeps only the pseudonym"
           f"{' and the date they left' if t.left else ''}.",
           f"Lines of other files at HEAD that name them ({len(planned.mentions)}):",
           *_listing(planned.mentions or ("none",)),
           f"Commits rewritten ({len(planned.commits)}, and every commit after them):",
           *_listing([sha[:12] for sha in planned.commits] or ["none"]),
           f"Their identities as author or committer, given the pseudonym's ({len(planned.identities)}):",
           *_listing([f"{name} <{email}>" for name, email in planned.identities] or ["none"])]
    if planned.refs:
        out += ["Branches and tags renamed:", *_listing([f"{old} -> {new}" for old, new in planned.refs])]
    return out


def render_plan(planned: Plan) -> str:
    out = ["Dry run: nothing was changed.", *_what(planned), "",
           f"To erase: lmsgen erase {planned.traces.person} --apply (the pseudonym is chosen anew, at random). "
           "Only the branches and tags of this clone are rewritten: run it in a fresh clone that has every branch "
           "and tag of the git host (git fetch origin '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*')."]
    return "\n".join(out) + "\n"


def render_done(done: Erased, steps: list[str]) -> str:
    planned = done.plan
    out = [f"Erased {planned.traces.person}: the history is rewritten.", *_what(planned)]
    if done.regenerated:
        out.append(f"CODEOWNERS regenerated for the new tip in {done.regenerated[:12]}.")
    if done.remaining:
        out += [f"Traces remain in {len(done.remaining)} commits (in a form the rewrite does not recognise): "
                f"inspect them with git show, and edit what is left before pushing:",
                *_listing([sha[:12] for sha in done.remaining])]
    else:
        out.append("Checked: no commit, message or identity of any branch or tag names them any more.")
    out += ["", "To finish (a rewrite changes only this clone):"]
    out += [f"  {number}. {step}" for number, step in enumerate(steps, 1)]
    return "\n".join(out) + "\n"
