"""Schemas of the admin's forms for the official calendar and the deadline policy."""
from __future__ import annotations

from web.schemas import BaseSchema, Code, DateField, Text


class CalendarDaySchema(BaseSchema):
    """An announced day off or working day, with the document that announced it."""

    day = DateField(load_default=None)
    kind = Code()
    name = Text()
    document = Text()


class PolicyVersionSchema(BaseSchema):
    """A new version of the policy; its limits come as ``limit.<key>.<field>`` inputs."""

    code = Text()
    name = Text()
    effective_from = DateField(load_default=None)
    basis = Text()
    note = Text(load_default="")
