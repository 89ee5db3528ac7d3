"""`lmsgen explain PERSON COURSE`: why a course is (or is not) on a person's list, in plain words."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..model.learning import program_id
from ..rules.engine import Engine, Outcome, Status, StatusRow
from ..rules.explain import Explanation, SourceExplanation, explain_course
from ..rules.explain_program import explain_program
from ._common import EXIT_DATA, EXIT_OK, add_no_cache
from ._learning import render_program, render_skills
from .status import as_of_date, load_valid, unknown


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("explain", help="why a person has a course: the rule, the audience, the due date")
    parser.add_argument("person", metavar="PERSON", help="a person id")
    parser.add_argument("course", metavar="COURSE", help="a course id, or program:<id> for a learning path")
    parser.add_argument("--as-of", type=as_of_date, default=None, metavar="DATE",
                        help="the date to explain the status for (default: today)")
    add_no_cache(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    org = load_valid(args, "explain")
    if org is None:
        return EXIT_DATA
    if args.person not in org.members:
        return unknown("explain", "person", args.person, list(org.members))
    engine = Engine(org, args.as_of or date.today())
    program = program_id(args.course)
    if program is not None:  # a learning path (docs/learning-paths.md)
        if program not in org.programs:
            return unknown("explain", "program", program, list(org.programs))
        explained = explain_program(engine, args.person, program)
        sys.stdout.write(render_program(explained, describe, _source_label) + render_skills(engine, args.person))
        return EXIT_OK
    if args.course not in org.courses:
        return unknown("explain", "course", args.course, list(org.courses))
    explanation = explain_course(engine, args.person, args.course)
    sys.stdout.write(render(explanation) + render_skills(engine, args.person, args.course))
    return EXIT_OK


def describe(outcome: Outcome) -> str:
    """An outcome as a phrase: 'overdue since 2026-01-31', 'done, due again on 2027-03-02', ..."""
    s, due = outcome.status, outcome.due
    if s is Status.OVERDUE:
        return f"overdue: it was due on {due.isoformat()}"
    if s is Status.DUE:
        return f"due on {due.isoformat()}" if due else "due, with no due date"
    if s in (Status.DONE, Status.EXPIRING):
        text = "done" if s is Status.DONE else f"expiring on {outcome.expires_on.isoformat()}"
        return text + (f", due again on {due.isoformat()}" if due else "")
    if s is Status.ENROLLED:
        return "enrolled" + (f" in a session starting on {due.isoformat()}" if due else "")
    if s is Status.WAITLISTED:
        return "on the waiting list" + (f" of a session starting on {due.isoformat()}" if due else "")
    return "exempt"


def _source_label(source: SourceExplanation) -> str:
    if source.source.startswith(("team:", "request:")):
        return f"{source.source}, {source.title} ({source.path})"
    return f"rule {source.source} \"{source.title}\" ({source.path})"


def attempts_line(row: StatusRow) -> str:
    """`Failed attempts since the last pass: 2; none left: attempts used up: your manager decides`."""
    failed = f"Failed attempts since the last pass: {row.failed_attempts}"
    if row.attempts_left is None:
        return failed
    if row.attempts_used_up:
        return f"{failed}; none left: attempts used up: your manager decides"
    return f"{failed}; {row.attempts_left} attempt{'s' * (row.attempts_left != 1)} left"


def render(x: Explanation) -> str:
    """The explanation as text for a terminal."""
    out = [f"{x.person} and {x.course} ({x.course_title}), as of {x.as_of.isoformat()}", ""]
    assigning = [s for s in x.sources if s.assigns]
    others = [s for s in x.sources if not s.assigns]
    if x.left is not None:
        out.append(f"Not on {x.person}'s list: {x.person} left on {x.left.isoformat()}, and someone who has left "
                   f"has no status.")
        assigning = others = []
    elif x.row is None:
        out.append(f"Not on {x.person}'s list: no rule, team assignment or request assigns it.")
    else:
        row = x.row
        outcome = Outcome(row.status, row.due, row.completed_on, row.expires_on)
        out.append(f"Status: {describe(outcome)} (source: {row.source})")
        if row.attempts_left is not None or row.failed_attempts:
            out.append(attempts_line(row))
        if len(assigning) > 1:
            out.append("Several sources assign it; the earliest due date wins (an exemption only counts when "
                       "every source exempts).")
    if assigning:
        out += ["", "Why it is on the list:"]
        for source in assigning:
            winner = x.row is not None and x.row.source == source.source
            out.append(f"  * {_source_label(source)}{'  <- counts' if winner else ''}")
            out += [f"      {reason}" for reason in source.reasons]
            if source.due_reason:
                out.append(f"      due date: {source.due_reason}")
            if source.renewal:
                out.append(f"      completion: {source.renewal}")
            if source.outcome:
                out.append(f"      on its own this gives: {describe(source.outcome)}")
    if others:
        out += ["", "Mentions it, but does not assign it to " + x.person + ":"]
        for source in others:
            out.append(f"  * {_source_label(source)}")
            out += [f"      {reason}" for reason in source.reasons]
    if not x.sources and x.left is None:
        out.append("No rule, team assignment or request mentions this course.")
    out += ["", "Completions:"]
    if not x.completions:
        out.append("  none")
    for event, result in zip(x.completions, x.results or [None] * len(x.completions)):
        where = f"record in {event.path}" + (f" (by {event.by})" if event.by else "")
        if event.via == "attendance":
            where = f"attended session '{event.session}' ({event.path}; counts on the session's end date)"
        elif event.via == "import":
            where = f"imported from {event.by} in {event.path}"
        note = ""
        if event is x.counting:
            note = f" — counts: the latest on or before {x.as_of.isoformat()}"
        elif event.on > x.as_of:
            note = f" — after {x.as_of.isoformat()}, so it does not count yet"
        elif result is not None and event.result != "passed":
            note = " — does not count"
        out.append(f"  * {event.on.isoformat()} {where}{f': {result}' if result else ''}{note}")
    out.append(f"  {x.validity[:1].upper()}{x.validity[1:]}.")
    if x.prerequisites:
        out += ["", "Prerequisites:"] + [f"  * {standing.words()}" for standing in x.prerequisites]
    return "\n".join(out) + "\n"
