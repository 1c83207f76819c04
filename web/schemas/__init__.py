"""Marshmallow schemas shared by the HTML forms and the JSON API.

Schemas check shapes and types (dates, numbers, yes/no); business rules (required text,
known codes, lengths) stay in the domain, whose errors are shown beside the same fields.
Error messages are English templates translated when shown.
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from domain.errors import N_

MESSAGES = {
    "required": N_("This field is required."),
    "null": N_("This field is required."),
    "invalid": N_("Not a valid value."),
}
MAX_INPUT = 20_000


class BaseSchema(Schema):
    """Ignore unknown keys (CSRF token, buttons) and treat empty inputs as absent."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def drop_empty(self, data: Any, **kwargs: Any) -> Any:
        """Turn a form's empty strings into missing values."""
        if hasattr(data, "to_dict"):
            data = data.to_dict()
        if not isinstance(data, dict):
            raise ValidationError(N_("Not a valid value."))
        return {k: v for k, v in data.items() if v not in ("", None)}


class Text(fields.String):
    """Free text; the domain checks required-ness, length and characters.

    ``max_length`` bounds text that no domain rule measures (a user's display name) with
    the domain's own words, so a column's size is never what refuses it.
    """

    default_error_messages = {**MESSAGES, "invalid": N_("Must be text."),
                              "too_long": N_("Must be at most {max} characters.")}

    def __init__(self, *, max_length: int = MAX_INPUT, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", None)
        super().__init__(**kwargs)
        self.max_length = max_length

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > self.max_length:
            raise ValidationError(
                self.error_messages["too_long"].replace("{max}", str(self.max_length)))
        return text


class Code(fields.String):
    """A reference code or enum value; the domain checks that it exists."""

    default_error_messages = {**MESSAGES, "invalid": N_("Unknown value.")}

    def __init__(self, **kwargs: Any) -> None:
        if not kwargs.get("required"):  # marshmallow refuses a default on a required field
            kwargs.setdefault("load_default", None)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 100 or any(unicodedata.category(c) == "Cc" for c in text):
            raise self.make_error("invalid")
        return text


class DateField(fields.Field):
    """A date typed as yyyy-mm-dd (date inputs) or dd/mm/yyyy (Vietnamese habit)."""

    default_error_messages = {**MESSAGES, "invalid": N_("Enter a date as dd/mm/yyyy.")}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if not isinstance(value, str) or len(value) > 20:
            raise self.make_error("invalid")
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                parsed = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if parsed.year < 1900:
                break
            return parsed
        raise self.make_error("invalid")

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


class Flag(fields.Boolean):
    """A check box: present and truthy means yes."""

    default_error_messages = {**MESSAGES, "invalid": N_("Unknown value.")}
    truthy = {"1", "on", "true", "yes", "y", True, 1}
    falsy = {"0", "off", "false", "no", "n", False, 0}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", False)
        super().__init__(**kwargs)


class Version(fields.Integer):
    """The item version a form was based on (optimistic concurrency)."""

    default_error_messages = {**MESSAGES, "invalid": N_("Not a valid value.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("strict", False)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        number = super()._deserialize(value, attr, data, **kwargs)
        if not 0 <= number < 10**9:
            raise self.make_error("invalid")
        return number
