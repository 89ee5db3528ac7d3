"""The building blocks every file format shares: ids, text, numbers, money, and the strict base model.

Each type accepts exactly what its JSON Schema says (`schema.py`), so an editor and `lmsgen check` agree:
numbers are YAML numbers, text is taken as written, and ids are slugs short enough to name a path.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_SLUG = re.compile(SLUG_PATTERN)


MAX_ID_LENGTH = 100
"""The longest id, in a file's fields and in its path alike: an id names folders and files on every platform."""


def is_slug(text: str) -> bool:
    """Whether `text` is an id: lowercase letters, digits and hyphens, not starting with a hyphen, at most
    `MAX_ID_LENGTH` characters."""
    return len(text) <= MAX_ID_LENGTH and bool(_SLUG.fullmatch(text))


Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_ID_LENGTH)]
CURRENCY_PATTERN = r"^[A-Z]{3}$"
URL_PATTERN = r"^https?://\S+$"
IRI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"
"""An absolute IRI (xAPI's activity ids): a scheme, a colon, and no spaces."""
Currency = Annotated[str, Field(pattern=CURRENCY_PATTERN)]
NON_BLANK_PATTERN = r"\S"
Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=20_000)]
Explanation = Annotated[str, Field(pattern=NON_BLANK_PATTERN, max_length=20_000)]
"""Text that must say something: blank is refused."""
Url = Annotated[str, Field(pattern=URL_PATTERN, max_length=2000)]
# What either git host could allow, and nothing that would break a CODEOWNERS line; what the
# organisation's host allows is checked against org.yaml (rules/handles.py).
LOGIN_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9._-]*$"
GIT_TEAM_PATTERN = r"^@?[A-Za-z0-9_][A-Za-z0-9._-]*(?:/[A-Za-z0-9_][A-Za-z0-9._-]*)*$"
Flag = Annotated[bool, Strict()]
"""true or false only: YAML 1.2 reads `yes`, `on` and `1` as text or numbers, and so does an editor's schema."""
Number = Annotated[float, Strict()]
"""A YAML number (an integer is one too); `"2"` in quotes is text, and so it is to an editor's schema."""


def _not_text(value: Any) -> Any:
    if isinstance(value, (str, bool)):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


NOT_TEXT = BeforeValidator(_not_text)
"""After an int's limits (`Annotated[int, Field(ge=1), NOT_TEXT]`, so the schema keeps them): a YAML integer;
`12.0` is one, as for JSON Schema, but neither `"12"` nor `true`."""


def _unique(values: list[str]) -> list[str]:
    duplicates = sorted({v for v in values if values.count(v) > 1})
    if duplicates:
        raise ValueError(f"listed twice: {', '.join(duplicates)}")
    return values


UniqueSlugs = Annotated[list[Slug], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, use_attribute_docstrings=True)


MAX_AMOUNT = 1_000_000_000
"""The most any amount of money may be: more than any training budget, so that a larger one is a typo,
and small enough that the sum of every cost in an organisation stays finite and prints in full."""


def _at_most_max_amount(value: Any) -> Any:
    # Before parsing: an integer too large for a float would otherwise be "not a valid number".
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > MAX_AMOUNT:
        raise ValueError(f"too large: an amount is at most {MAX_AMOUNT:,}, more than any training budget")
    return value


Amount = Annotated[Number, Field(ge=0, json_schema_extra={"maximum": MAX_AMOUNT}), BeforeValidator(_at_most_max_amount)]


class Money(Model):
    amount: Amount
    currency: Currency


# --- org.yaml -------------------------------------------------------------------------------
