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
    # Figures of the item as of today (``projections.figures``).
    overdue = fields.Boolean()
    past_roadmap = fields.Boolean()
    escalated = fields.Boolean()
    escalation_level = fields.Integer()
    answered_on = fields.Date(allow_none=True)
    answered_on_time = fields.Boolean(allow_none=True)
    version = fields.Integer()
