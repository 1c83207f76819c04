"""Output schemas of the JSON API."""
from __future__ import annotations

from marshmallow import Schema, fields


class ItemRowSchema(Schema):
    """One item in a list (from the items view)."""

    id = fields.String()
    code = fields.String()
    kind = fields.String()
    title = fields.String()
    status = fields.String()
    district = fields.String()
    deputy_group = fields.String(allow_none=True)
    session = fields.String(allow_none=True)
    field = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    received_on = fields.Date()
    due_date = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    escalation_level = fields.Integer()
    answered_on = fields.Date(allow_none=True)
    # The item's figures as of today (``projections.figures``): summed over a scope they
    # give the boards' counts of the same names.
    raised = fields.Boolean()
    answered = fields.Boolean()
    answered_on_time = fields.Boolean()
    answered_late = fields.Boolean()
    resolved = fields.Boolean()
    overdue = fields.Boolean()
    past_roadmap = fields.Boolean()
    escalated = fields.Boolean()
    forwarded_late = fields.Boolean()
    version = fields.Integer()
