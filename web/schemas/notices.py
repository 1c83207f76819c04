"""Schemas of a user's notification preferences (form and API)."""
from __future__ import annotations

from marshmallow import fields, validate

from domain.errors import N_
from petitions.notifications.notices import CHANNELS, DEFAULT_CHANNEL, KINDS
from web.schemas import BaseSchema, Code

_CHANNEL = validate.OneOf(list(CHANNELS), error=N_("Unknown value."))

# The address emails go to, and per kind of change how the user is told (one field a kind).
NotificationPrefsSchema = BaseSchema.from_dict({
    "email": fields.Email(load_default=None, allow_none=True,
                          error_messages={"invalid": N_("Not a valid email address.")}),
    **{kind: Code(load_default=DEFAULT_CHANNEL, validate=_CHANNEL) for kind in KINDS},
}, name="NotificationPrefs")
