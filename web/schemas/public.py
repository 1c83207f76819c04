"""Schemas of the public side: the answer the office publishes (issue 18)."""
from __future__ import annotations

from web.schemas import Text
from web.schemas.items import ActionSchema


class PublishSchema(ActionSchema):
    """The answer text shown on the public lookup page (empty withdraws it)."""

    text = Text(load_default="")
