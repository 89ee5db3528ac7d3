"""`vendors/<vendor>.yaml`: a training vendor, its contract and what it agreed to charge.

A course names its vendor with `vendor: <id>` (`catalog/<course>.yaml`); the free-text `provider` stays for
internal courses and for providers without a contract. Finance and L&D own these files (docs/vendors.md).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from .basics import Amount, Currency, Flag, LongText, Model, Number, Slug, Text, Url
from .times import Day

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"


class VendorContact(Model):
    """Who to call at the vendor."""

    name: Text
    email: Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)] | None = None
    phone: Text | None = None


class Contract(Model):
    """The framework contract: from `start` to `end`, both days included."""

    start: Day
    end: Day
    reference: Text | None = None
    """The contract's number in finance's system."""

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Contract:
        if self.end < self.start:
            raise ValueError(f"ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")
        return self

    def in_force(self, on: date) -> bool:
        return self.start <= on <= self.end


class Rate(Model):
    """The price the contract agrees for one course, per participant."""

    course: Slug
    amount: Amount
    currency: Currency


class Vendor(Model):
    """`vendors/<vendor>.yaml`: a vendor of paid training."""

    name: Text
    contact: VendorContact | None = None
    contract: Contract | None = None
    preferred: Flag = False
    """Preferred vendors are listed first; L&D books them before others."""
    discount_percent: Annotated[Number, Field(ge=0, le=100)] | None = None
    """The discount the contract gives on the vendor's list prices (for courses without a `rates` entry)."""
    rates: list[Rate] = []
    url: Url | None = None
    note: LongText = ""
