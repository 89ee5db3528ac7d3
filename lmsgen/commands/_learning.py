"""What `lmsgen explain` adds for learning depth (docs/learning-paths.md): a learning path's explanation, and the
skills section every explanation ends with."""

from __future__ import annotations

from ..model.organisation import Organisation
from ..rules.engine import Engine, Outcome
from ..rules.explain_program import ProgramExplanation
from ..rules.programs import describe_step
from ..rules.skills import skill_summaries


def render_program(x: ProgramExplanation, describe, label) -> str:
    """A program's explanation as text: status, progress step by step, what comes next, and its sources."""
    out = [f"{x.person} and program:{x.program} ({x.title}), as of {x.as_of.isoformat()}", ""]
    if x.left is not None:
        out.append(f"Not on {x.person}'s list: {x.person} left on {x.left.isoformat()}, and someone who has left "
                   f"has no status.")
    elif x.row is None:
        out.append(f"Not on {x.person}'s list: no rule or team assignment assigns it.")
    else:
        row = x.row
        out.append(f"Status: {describe(Outcome(row.status, row.due, row.completed_on, row.expires_on))} "
                   f"(source: {row.source})")
    p = x.progress
    out += ["", f"Progress: {p.done} of {p.total} steps done"]
    for step in p.steps:
        mark = "x" if step.satisfied else " "
        done = f" (done: {', '.join(step.done)})" if step.done and not (len(step.courses) == 1) else ""
        out.append(f"  [{mark}] {step.number}. {describe_step(step)}{done}")
    nxt = p.next_step
    out.append(f"Next: step {nxt.number}, {describe_step(nxt)}" if nxt else "Next: nothing, every step is done")
    assigning = [s for s in x.sources if s.assigns] if x.left is None else []
    others = [s for s in x.sources if not s.assigns] if x.left is None else []
    if assigning:
        out += ["", "Why it is on the list:"]
        for source in assigning:
            out.append(f"  * {label(source)}")
            out += [f"      {reason}" for reason in source.reasons]
            if source.due_reason:
                out.append(f"      due date: {source.due_reason}")
    if others:
        out += ["", f"Mentions it, but does not assign it to {x.person}:"]
        for source in others:
            out.append(f"  * {label(source)}")
            out += [f"      {reason}" for reason in source.reasons]
    if not x.sources and x.left is None:
        out.append("No rule or team assignment mentions this program.")
    return "\n".join(out) + "\n"


def render_skills(engine: Engine, person: str, course: str | None = None) -> str:
    """The skills section: what the course grants, the person's levels, and the gaps against their profile.
    Nothing for an organisation without profiles (`profiles/`), and for someone who has left."""
    org: Organisation = engine.org
    member = org.members.get(person)
    if not org.profiles or member is None or not member.person.is_current(engine.as_of):
        return ""
    out = ["", "Skills:"]
    if course is not None and course in org.courses and org.courses[course].model.skills:
        grants = org.courses[course].model.skill_levels
        out.append("  this course grants: " + ", ".join(f"{s} {level}" for s, level in grants.items()))
    summary = skill_summaries(engine, {person}).get(person)
    if summary is None:
        return "\n".join(out) + "\n"
    held = ", ".join(f"{s} {level}" for s, level in sorted(summary.levels.items())) or "none yet"
    out.append(f"  {person} holds: {held}")
    if not summary.targets:
        why = f"profile '{summary.profile}' has no profiles/{summary.profile}.yaml" if summary.profile \
            else "no profile is set"
        out.append(f"  targets: none ({why})")
    else:
        out.append(f"  targets of profile '{summary.profile}': "
                   + ", ".join(f"{s} {level}" for s, level in summary.targets.items()))
        gaps = summary.gaps
        out.append("  gaps: " + (", ".join(f"{g.skill} {g.level}/{g.target}" for g in gaps) if gaps else "none"))
    return "\n".join(out) + "\n"
