"""Filters of the item lists and search, shared by the HTML pages and the JSON API."""
from __future__ import annotations

from typing import Any

from marshmallow import fields, post_load, validate

from domain.errors import N_
from projections.items import ItemFilter
from web.schemas import BaseSchema, Code, Text

YES_NO = {"yes": True, "no": False}


class FilterSchema(BaseSchema):
    """Query-string filters; unknown codes simply match nothing."""

    district = Code(load_default="")          # the unit the item is with now
    origin_district = Code(load_default="")   # the unit it was logged under
    session = Code(load_default="")
    deputy_group = Code(load_default="")
    field = Code(load_default="")
    agency = Code(load_default="")
    status = Code(load_default="")
    outcome = Code(load_default="")
    kind = Code(load_default="")
    overdue = Code(load_default="", validate=validate.OneOf(("", "yes", "no"),
                                                             error=N_("Unknown value.")))
    escalated = Code(load_default="", validate=validate.OneOf(("", "yes", "no"),
                                                               error=N_("Unknown value.")))
    open = Code(load_default="", validate=validate.OneOf(("", "yes"), error=N_("Unknown value.")))
    q = Text(load_default="", validate=validate.Length(
        max=200, error=N_("Must be at most {max} characters.")))
    order = Code(load_default="recent", validate=validate.OneOf(
        ("recent", "oldest", "due"), error=N_("Unknown value.")))
    after = fields.String(load_default=None, validate=validate.Length(max=200))

    @post_load
    def to_filter(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Build the projection filter and keep the cursor apart."""
        text = "".join(ch for ch in (data["q"] or "") if ch.isprintable())
        item_filter = ItemFilter(
            district=data["district"], origin_district=data["origin_district"],
            session=data["session"],
            deputy_group=data["deputy_group"], field=data["field"], agency=data["agency"],
            status=(data["status"],) if data["status"] else (), outcome=data["outcome"],
            kind=data["kind"], overdue=YES_NO.get(data["overdue"]),
            escalated=YES_NO.get(data["escalated"]), open_only=data["open"] == "yes",
            text=text, order=data["order"],
        )
        return {"filter": item_filter, "after": data["after"]}
