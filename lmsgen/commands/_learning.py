"""What `lmsgen explain` adds for learning depth (docs/learning-paths.md): a learning path's explanation, and the
skills section every explanation ends with."""

from __future__ import annotations

from ..messages import DEFAULT_LANGUAGE, Catalog
from ..model.organisation import Organisation
from ..rules.engine import Engine, Outcome
from ..rules.explain_program import ProgramExplanation
from ..rules.programs import describe_step
from ..rules.skills import skill_summaries

ENGLISH = Catalog(DEFAULT_LANGUAGE)


def render_program(x: ProgramExplanation, describe, label, text: Catalog = ENGLISH) -> str:
    """A program's explanation as text: status, progress step by step, what comes next, and its sources."""
    out = [text("explain.program.title", person=x.person, program=x.program, title=x.title,
                date=x.as_of.isoformat()), ""]
    if x.left is not None:
        out.append(text("explain.left", person=x.person, date=x.left.isoformat()))
    elif x.row is None:
        out.append(text("explain.program.not_listed", person=x.person))
    else:
        row = x.row
        out.append(text("explain.status", outcome=describe(Outcome(row.status, row.due, row.completed_on,
                                                                   row.expires_on)), source=row.source))
    p = x.progress
    out += ["", text("explain.program.progress", done=p.done, total=p.total)]
    for step in p.steps:
        mark = "x" if step.satisfied else " "
        done = text("explain.program.done", courses=", ".join(step.done)) \
            if step.done and not (len(step.courses) == 1) else ""
        out.append(f"  [{mark}] {step.number}. {describe_step(step)}{done}")
    nxt = p.next_step
    out.append(text("explain.program.next", number=nxt.number, step=describe_step(nxt)) if nxt
               else text("explain.program.finished"))
    assigning = [s for s in x.sources if s.assigns] if x.left is None else []
    others = [s for s in x.sources if not s.assigns] if x.left is None else []
    if assigning:
        out += ["", text("explain.why")]
        for source in assigning:
            out.append(f"  * {label(source)}")
            out += [f"      {reason}" for reason in source.reasons]
            if source.due_reason:
                out.append(f"      {text('explain.due_date', reason=source.due_reason)}")
    out += render_mentions(others, x.person, label, text)
    if not x.sources and x.left is None:
        out.append(text("explain.program.no_source"))
    return "\n".join(out) + "\n"


def render_mentions(others: list, person: str, label, text: Catalog = ENGLISH) -> list[str]:
    """The lines of the sources that name the person without assigning them the course or path, with why."""
    if not others:
        return []
    out = ["", text("explain.mentions", person=person)]
    for source in others:
        out.append(f"  * {label(source)}")
        out += [f"      {reason}" for reason in source.reasons]
    return out


def render_skills(engine: Engine, person: str, course: str | None = None, text: Catalog = ENGLISH) -> str:
    """The skills section: what the course grants, the person's levels, and the gaps against their profile.
    Nothing for an organisation without profiles (`profiles/`), and for someone who has left."""
    org: Organisation = engine.org
    member = org.members.get(person)
    if not org.profiles or member is None or not member.person.is_current(engine.as_of):
        return ""
    out = ["", text("explain.skills")]
    if course is not None and course in org.courses and org.courses[course].model.skills:
        grants = org.courses[course].model.skill_levels
        granted = ", ".join(f"{s} {level}" for s, level in grants.items())
        out.append("  " + text("explain.skills.grants", skills=granted))
    summary = skill_summaries(engine, {person}).get(person)
    if summary is None:
        return "\n".join(out) + "\n"
    held = ", ".join(f"{s} {level}" for s, level in sorted(summary.levels.items())) or text("explain.skills.none_yet")
    out.append("  " + text("explain.skills.holds", person=person, skills=held))
    if not summary.targets:
        why = text("explain.skills.no_file", profile=summary.profile) if summary.profile \
            else text("explain.skills.no_profile")
        out.append("  " + text("explain.skills.no_targets", why=why))
    else:
        out.append("  " + text("explain.skills.targets", profile=summary.profile,
                               skills=", ".join(f"{s} {level}" for s, level in summary.targets.items())))
        gaps = summary.gaps
        out.append("  " + (text("explain.skills.gaps", gaps=", ".join(f"{g.skill} {g.level}/{g.target}" for g in gaps))
                           if gaps else text("explain.skills.no_gaps")))
    return "\n".join(out) + "\n"
