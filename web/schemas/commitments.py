"""Schemas of the commitment forms: questioning sessions, commitments, reports, reviews."""
from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, post_load

from domain.errors import N_
from web.schemas import MESSAGES, BaseSchema, Code, DateField, Text
from web.schemas.items import ActionSchema

MAX_LINES = 5000


class Number(fields.Float):
    """A figure typed with a decimal point or comma ("4", "12,5"); the domain checks its range."""

    default_error_messages = {**MESSAGES, "invalid": N_("Must be a number.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_nan", False)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float:
        if isinstance(value, str):
            if len(value) > 30:
                raise self.make_error("invalid")
            value = value.strip().replace(" ", "").replace(",", ".")
        number = super()._deserialize(value, attr, data, **kwargs)
        if abs(number) >= 1e12:
            raise self.make_error("invalid")
        return number


class Lines(Text):
    """A text area read as one entry per line (blank lines ignored)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[str]:
        text = super()._deserialize(value, attr, data, **kwargs)
        lines = [" ".join(line.split()) for line in text.splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_LINES:
            raise ValidationError(N_("Too many lines."))
        return lines


class QuestioningSchema(BaseSchema):
    """A questioning or explanation session, as the office records it."""

    kind = Code()
    council_session = Code()
    held_on = DateField(load_default=None)
    topic = Text()
    leader_name = Text()
    leader_position = Text()
    agency = Code()
    deputies = Lines(load_default=[])
    conclusion_no = Text(load_default="")
    conclusion_date = DateField(load_default=None)
    conclusion_text = Text(load_default="")


class ConclusionSchema(BaseSchema):
    """The conclusion or resolution issued after the session."""

    conclusion_no = Text()
    conclusion_date = DateField(load_default=None)
    conclusion_text = Text(load_default="")


class CommitmentSchema(BaseSchema):
    """A commitment recorded from a questioning session."""

    questioning = Code()
    title = Text()
    content = Text()
    agency = Code()
    leader_name = Text()
    leader_position = Text(load_default="")
    field = Code(load_default="other")
    target_date = DateField(load_default=None)
    unit = Code(load_default="")
    target = Number()
    categories = Lines(load_default=[])
    subitems = Lines(load_default=[])

    @post_load
    def split_subitems(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Read "ref | name" (or just the name) per line; every line starts in the first category."""
        lines = []
        for n, line in enumerate(data.get("subitems") or [], 1):
            ref, _, name = line.partition("|") if "|" in line else (str(n), "", line)
            lines.append({"ref": ref.strip(), "name": name.strip()})
        data["subitems"] = lines
        return data


class ReportSchema(ActionSchema):
    """A progress report of the responsible agency."""

    council_session = Code()
    as_of = DateField(load_default=None)
    text = Text()
    value = Number()
    unit = Code(load_default="")
    note = Text(load_default="")
    moves = Lines(load_default=[])

    @post_load
    def read_moves(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Read "ref = category" per line into {ref: category}."""
        moves = {}
        for line in data.get("moves") or []:
            ref, sign, category = line.partition("=")
            if not sign:
                raise ValidationError({"moves": [N_("Write each line as: ref = category.")]})
            moves[ref.strip()] = category.strip()
        data["moves"] = moves
        return data


class CommentSchema(ActionSchema):
    """An optional comment (accepting a report)."""

    comment = Text(load_default="")


class AssessSchema(ActionSchema):
    """The office's assessment: met, partly met or not met, on a date."""

    outcome = Code()
    text = Text()
    assessed_on = DateField(load_default=None)


class RequestionSchema(ActionSchema):
    """The later session that questions the commitment again, and the new target."""

    questioning = Code()
    target_date = DateField(load_default=None)
    title = Text(load_default="")
    content = Text(load_default="")
