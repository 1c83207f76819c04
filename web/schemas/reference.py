"""The form of one reference entry (any section) and the form that ends one."""
from __future__ import annotations

from web.schemas import BaseSchema, Code, DateField, Text


class ReferenceEntrySchema(BaseSchema):
    """Every field a reference entry may have; the view keeps those of its section."""

    code = Code()
    name = Text()
    name_vi = Text()
    name_en = Text()
    kind = Code()
    unit = Code()
    competence = Code()
    term = Code()
    units = Text()
    successors = Text()
    office = Text()
    basis = Text()
    basis_to = Text()
    note = Text()
    elected_on = DateField(load_default=None)
    opens_on = DateField(load_default=None)
    closes_on = DateField(load_default=None)
    valid_from = DateField(load_default=None)
    valid_to = DateField(load_default=None)
    reason = Text()


class EndEntrySchema(BaseSchema):
    """The last valid day of an entry, and why it ends."""

    valid_to = DateField(load_default=None)
    reason = Text()


class ValidOnSchema(BaseSchema):
    """The list filter: entries valid on a day (none: every era)."""

    on = DateField(load_default=None)
