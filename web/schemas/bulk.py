"""The parameters of the work queues' bulk actions (each action reads the ones it needs)."""
from __future__ import annotations

from web.schemas import BaseSchema, Code, DateField, Text


class BulkParamsSchema(BaseSchema):
    """Every parameter a bulk action may take; empty boxes are absent."""

    agency = Code()
    due_date = DateField(load_default=None)
    note = Text(load_default="")
    new_due_date = DateField(load_default=None)
    reason = Text()
    decision_no = Text(load_default="")
    decision_date = DateField(load_default=None)
    comment = Text(load_default="")
    to_unit = Code()
    signer = Text(load_default="")
