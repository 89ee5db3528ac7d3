"""Learning depth: programs (learning paths), skills with levels, and function profiles (docs/learning-paths.md).

- `programs/<program>.yaml` (`Program`): an ordered path of steps, each one course (`{course: X}`) or N of
  a list (`{any: N, of: [X, Y]}`), with an optional `due_days` for the whole. Rules and team assignments
  assign it wherever they assign a course, as `program:<id>` (`CourseRef`).
- A course's `skills` (`Skills`) mix plain names (level 1) and `{id: kubernetes, level: 2}`.
- `profiles/<profile>.yaml` (`Profile`): the skill levels that members with `profile: <profile>` aim for.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Union

from pydantic import AfterValidator, ConfigDict, Discriminator, Field, Strict, Tag, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .basics import MAX_ID_LENGTH, NOT_TEXT, SLUG_PATTERN, LongText, Model, Slug, Text, UniqueSlugs

PROGRAM_PREFIX = "program:"
"""How a rule or a team assignment names a program where it would name a course: `program:<id>`."""
MIN_LEVEL, MAX_LEVEL = 1, 5
COURSE_REF_PATTERN = r"^(program:)?[a-z0-9][a-z0-9-]*$"
_COURSE_REF = re.compile(COURSE_REF_PATTERN)


def _course_ref(value: str) -> str:
    """A course id or `program:<id>`: the id at most `MAX_ID_LENGTH` characters, as everywhere."""
    if len(value.removeprefix(PROGRAM_PREFIX)) > MAX_ID_LENGTH:
        raise PydanticCustomError("string_too_long", "String should have at most {max_length} characters",
                                  {"max_length": MAX_ID_LENGTH})
    if not _COURSE_REF.fullmatch(value):
        raise PydanticCustomError("string_pattern_mismatch", "String should match pattern '{pattern}'",
                                  {"pattern": COURSE_REF_PATTERN})
    return value


CourseRef = Annotated[str, Strict(), AfterValidator(_course_ref), WithJsonSchema(
    {"type": "string", "pattern": r"^(program:)?[a-z0-9][a-z0-9-]{0,%d}$" % (MAX_ID_LENGTH - 1)})]
"""A course id, or `program:<id>`: what a rule's `courses` and a team assignment's `course` name."""


def program_id(ref: str) -> str | None:
    """The program a `program:<id>` reference names; None for a course id."""
    return ref[len(PROGRAM_PREFIX):] if ref.startswith(PROGRAM_PREFIX) else None


def _unique(values: list[str]) -> list[str]:
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"listed twice: {', '.join(duplicates)}")
    return values


UniqueCourseRefs = Annotated[list[CourseRef], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})]

Level = Annotated[int, Field(ge=MIN_LEVEL, le=MAX_LEVEL), NOT_TEXT]


# --- skills ---------------------------------------------------------------------------------


class SkillLevel(Model):
    """A skill a course grants at a level: `{id: kubernetes, level: 2}`."""

    id: Slug
    level: Level = 1


def _skills_unique(values: list[str | SkillLevel]) -> list[str | SkillLevel]:
    _unique([skill_id(value) for value in values])
    return values


_NAME, _LEVELLED = "skill name", "skill with level"
UNION_TAGS = frozenset({_NAME, _LEVELLED})
"""Names pydantic puts in an error's location for the member of a union it tried; a message leaves them out."""


def _skill_form(value: Any) -> str:
    return _LEVELLED if isinstance(value, (dict, SkillLevel)) else _NAME


Skill = Annotated[Union[Annotated[Slug, Tag(_NAME)], Annotated[SkillLevel, Tag(_LEVELLED)]],
                  Discriminator(_skill_form)]
Skills = Annotated[list[Skill], AfterValidator(_skills_unique), Field(json_schema_extra={"uniqueItems": True})]
"""A course's skills: plain names (level 1) and `{id, level}`, each skill once."""


def skill_id(skill: str | SkillLevel) -> str:
    return skill if isinstance(skill, str) else skill.id


def skill_levels(skills: list[str | SkillLevel]) -> dict[str, int]:
    """Each skill a course grants, with its level (a plain name is level 1), in the order listed."""
    return {skill_id(skill): 1 if isinstance(skill, str) else skill.level for skill in skills}


# --- programs/<program>.yaml ----------------------------------------------------------------


_STEP_FORMS = {"oneOf": [
    {"required": ["course"], "not": {"anyOf": [{"required": ["any"]}, {"required": ["of"]}]}},
    {"required": ["any", "of"], "not": {"required": ["course"]}},
]}


class Step(Model):
    """One step of a program: one course (`{course: X}`), or any N of a list (`{any: N, of: [X, Y]}`)."""

    model_config = ConfigDict(json_schema_extra=_STEP_FORMS)

    course: Slug | None = None
    any: Annotated[int, Field(ge=1), NOT_TEXT] | None = None
    of: Annotated[UniqueSlugs, Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Step:
        if self.course is not None and (self.any is not None or self.of is not None):
            raise ValueError("a step is either {course: X} or {any: N, of: [X, Y]}, not both")
        if self.course is None and (self.any is None or self.of is None):
            raise ValueError("a step needs 'course', or both 'any' and 'of'")
        return self

    @property
    def courses(self) -> list[str]:
        """The courses that satisfy the step."""
        return [self.course] if self.course is not None else list(self.of or [])

    @property
    def needs(self) -> int:
        """How many of the step's courses must be done."""
        return 1 if self.course is not None else self.any or 1


class Program(Model):
    """`programs/<program>.yaml`: a learning path, its steps in order."""

    title: Text
    description: LongText = ""
    steps: Annotated[list[Step], Field(min_length=1)]
    due_days: Annotated[int, Field(ge=0, le=3650), NOT_TEXT] | None = None

    @property
    def courses(self) -> list[str]:
        """Every course of the program, each once, in step order."""
        return list(dict.fromkeys(course for step in self.steps for course in step.courses))


# --- profiles/<profile>.yaml ----------------------------------------------------------------


class Profile(Model):
    """`profiles/<profile>.yaml`: the skill levels the members of a function profile aim for."""

    title: Text
    description: LongText = ""
    skills: Annotated[dict[Slug, Level], Field(json_schema_extra={
        "propertyNames": {"pattern": SLUG_PATTERN, "maxLength": MAX_ID_LENGTH}})] = {}
    """Each skill's target level (1–5)."""

