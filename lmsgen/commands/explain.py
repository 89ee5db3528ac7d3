"""`lmsgen explain PERSON COURSE`: why a course is (or is not) on a person's list, in plain words."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..messages import DEFAULT_LANGUAGE, Catalog
from ..model.learning import program_id
from ..rules.engine import Engine, Outcome, Status, StatusRow
from ..rules.explain import Explanation, SourceExplanation, explain_course
from ..rules.explain_program import explain_program
from . import _language
from ._common import EXIT_DATA, EXIT_OK, add_no_cache
from ._learning import render_mentions, render_program, render_skills
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
    text = _language.of_org(org)
    if args.person not in org.members:
        return unknown("explain", "person", args.person, list(org.members), text)
    engine = Engine(org, args.as_of or date.today())
    program = program_id(args.course)
    if program is not None:  # a learning path (docs/learning-paths.md)
        if program not in org.programs:
            return unknown("explain", "program", program, list(org.programs), text)
        explained = explain_program(engine, args.person, program, text)
        sys.stdout.write(render_program(explained, lambda o: describe(o, text), lambda s: _source_label(s, text),
                                        text) + render_skills(engine, args.person, text=text))
        return EXIT_OK
    if args.course not in org.courses:
        return unknown("explain", "course", args.course, list(org.courses), text)
    explanation = explain_course(engine, args.person, args.course, text)
    sys.stdout.write(render(explanation, text) + render_skills(engine, args.person, args.course, text))
    return EXIT_OK


def describe(outcome: Outcome, text: Catalog | None = None) -> str:
    """An outcome as a phrase: 'overdue since 2026-01-31', 'done, due again on 2027-03-02', ..."""
    text = text or Catalog(DEFAULT_LANGUAGE)
    s, due = outcome.status, outcome.due
    if s is Status.OVERDUE:
        return text("explain.outcome.overdue", due=due.isoformat())
    if s is Status.DUE:
        return text("explain.outcome.due", due=due.isoformat()) if due else text("explain.outcome.due.undated")
    if s in (Status.DONE, Status.EXPIRING):
        said = text("explain.outcome.done") if s is Status.DONE else \
            text("explain.outcome.expiring", expires=outcome.expires_on.isoformat())
        return text("explain.outcome.again", outcome=said, due=due.isoformat()) if due else said
    if s is Status.ENROLLED:
        return text("explain.outcome.enrolled.dated", due=due.isoformat()) if due else \
            text("explain.outcome.enrolled")
    if s is Status.WAITLISTED:
        return text("explain.outcome.waitlisted.dated", due=due.isoformat()) if due else \
            text("explain.outcome.waitlisted")
    return text("explain.outcome.exempt")


def _source_label(source: SourceExplanation, text: Catalog) -> str:
    key = "explain.source.other" if source.source.startswith(("team:", "request:")) else "explain.source.rule"
    return text(key, source=source.source, title=source.title, path=source.path)


def attempts_line(row: StatusRow, text: Catalog | None = None) -> str:
    """`Failed attempts since the last pass: 2; none left: attempts used up: your manager decides`."""
    text = text or Catalog(DEFAULT_LANGUAGE)
    failed = text("explain.attempts", count=row.failed_attempts)
    if row.attempts_left is None:
        return failed
    if row.attempts_used_up:
        return text("explain.attempts.used_up", failed=failed)
    if row.attempts_left == 1:
        return text("explain.attempts.left.one", failed=failed)
    return text("explain.attempts.left.other", failed=failed, count=row.attempts_left)


def render(x: Explanation, text: Catalog | None = None) -> str:
    """The explanation as text for a terminal, in the catalog's language (the reasons are the rules layer's)."""
    text = text or Catalog(DEFAULT_LANGUAGE)
    out = [text("explain.title", person=x.person, course=x.course, title=x.course_title, date=x.as_of.isoformat()),
           ""]
    assigning = [s for s in x.sources if s.assigns]
    others = [s for s in x.sources if not s.assigns]
    if x.left is not None:
        out.append(text("explain.left", person=x.person, date=x.left.isoformat()))
        assigning = others = []
    elif x.row is None:
        out.append(text("explain.not_listed", person=x.person))
    else:
        row = x.row
        outcome = Outcome(row.status, row.due, row.completed_on, row.expires_on)
        out.append(text("explain.status", outcome=describe(outcome, text), source=row.source))
        if row.attempts_left is not None or row.failed_attempts:
            out.append(attempts_line(row, text))
        if len(assigning) > 1:
            out.append(text("explain.several"))
    if assigning:
        out += ["", text("explain.why")]
        for source in assigning:
            winner = x.row is not None and x.row.source == source.source
            out.append(f"  * {_source_label(source, text)}{text('explain.counts') if winner else ''}")
            out += [f"      {reason}" for reason in source.reasons]
            if source.due_reason:
                out.append(f"      {text('explain.due_date', reason=source.due_reason)}")
            if source.renewal:
                out.append(f"      {text('explain.completion', reason=source.renewal)}")
            if source.outcome:
                out.append(f"      {text('explain.own', outcome=describe(source.outcome, text))}")
    out += render_mentions(others, x.person, lambda source: _source_label(source, text), text)
    if not x.sources and x.left is None:
        out.append(text("explain.no_source"))
    out += ["", text("explain.completions")]
    if not x.completions:
        out.append(f"  {text('explain.none')}")
    for event, result in zip(x.completions, x.results or [None] * len(x.completions)):
        where = text("explain.where.by", path=event.path, by=event.by) if event.by else \
            text("explain.where.record", path=event.path)
        if event.via == "attendance":
            where = text("explain.where.attendance", session=event.session, path=event.path)
        elif event.via == "import":
            where = text("explain.where.import", by=event.by, path=event.path)
        note = ""
        if event is x.counting:
            note = text("explain.note.counts", date=x.as_of.isoformat())
        elif event.on > x.as_of:
            note = text("explain.note.later", date=x.as_of.isoformat())
        elif result is not None and event.result != "passed":
            note = text("explain.note.not_counting")
        out.append(f"  * {event.on.isoformat()} {where}{f': {result}' if result else ''}{note}")
    out.append(f"  {x.validity[:1].upper()}{x.validity[1:]}.")
    if x.prerequisites:
        out += ["", text("explain.prerequisites")] + [f"  * {standing.words()}" for standing in x.prerequisites]
    return "\n".join(out) + "\n"
