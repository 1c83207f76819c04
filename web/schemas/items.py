"""Schemas for logging items and for every action on an item."""
from __future__ import annotations

import re
from typing import Any

from marshmallow import post_load

from web.schemas import BaseSchema, Code, DateField, Flag, Text, Version


class PetitionSchema(BaseSchema):
    """A voter petition logged after a voter meeting."""

    meeting_date = DateField(load_default=None)
    meeting_place = Text()
    session = Code()
    deputy_group = Code()
    district = Code()
    field = Code()
    title = Text()
    content = Text()
    voters = Text()
    received_on = DateField(load_default=None)


class ComplaintSchema(BaseSchema):
    """A received complaint, denunciation or reflection (đơn thư)."""

    kind = Code()
    channel = Code()
    anonymous = Flag()
    petitioner_name = Text()
    petitioner_address = Text()
    petitioner_phone = Text()
    petitioner_id_number = Text()
    subject = Text()
    title = Text()
    content = Text()
    district = Code()
    field = Code()
    received_on = DateField(load_default=None)
    several_places = Flag()
    first_round = Code()
    learned_on = DateField(load_default=None)
    lawful_excuse = Text(load_default=None)

    @post_load
    def gather_petitioner(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Group the petitioner's fields (none at all when anonymous)."""
        person = {key: data.pop(f"petitioner_{key}", None)
                  for key in ("name", "address", "phone", "id_number")}
        data["petitioner"] = None if data["anonymous"] else person
        if not data["first_round"]:
            del data["first_round"]
        return data


class ActionSchema(BaseSchema):
    """Every action form carries the version it was based on."""

    expected_version = Version()


class ClassifySchema(ActionSchema):
    """Field and competence level of a petition."""

    field = Code()
    competence = Code()
    note = Text(load_default="")


class MergeSchema(ActionSchema):
    """The petition a duplicate is merged into."""

    survivor = Code()
    reason = Text(load_default="")


COOPERATING_FIELDS = ("cooperating_1", "cooperating_2", "cooperating_3")


class AssignSchema(ActionSchema):
    """The lead agency, optionally a due date, co-operating agencies and the leader responsible."""

    agency = Code()
    due_date = DateField(load_default=None)
    note = Text(load_default="")
    cooperating_1 = Code(load_default="")
    cooperating_2 = Code(load_default="")
    cooperating_3 = Code(load_default="")
    leader_name = Text(load_default="")
    leader_position = Text(load_default="")

    @post_load
    def gather_cooperating(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Collect the co-operating agency boxes into one list (empty boxes left out)."""
        data["cooperating"] = [code for code in (data.pop(name) for name in COOPERATING_FIELDS)
                               if code]
        return data


class ProgressSchema(ActionSchema):
    """A progress note."""

    text = Text()


class AnswerSchema(ActionSchema):
    """The agency's answer and its outcome, with its signed letter (number, date, file)."""

    outcome = Code()
    text = Text()
    new_due_date = DateField(load_default=None)
    letter_no = Text(load_default="")
    letter_sign = Text(load_default="")
    letter_date = DateField(load_default=None)
    signer = Text(load_default="")


class AcceptAnswerSchema(ActionSchema):
    """Acceptance of an answer, with the voters' view."""

    comment = Text(load_default="")
    voters_satisfied = Code(load_default=None)

    @post_load
    def tri_state(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Map yes/no/unknown to True/False/None."""
        data["voters_satisfied"] = {"yes": True, "no": False}.get(data["voters_satisfied"])
        return data


class CategoriseSchema(ActionSchema):
    """The office's categories of an item, separated by commas or semicolons."""

    categories = Text(load_default="")

    @post_load
    def split(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Turn the typed text into a list (the domain checks and cleans each one)."""
        text = data.get("categories") or ""
        data["categories"] = [c for c in re.split(r"[,;\n]", text) if c.strip()]
        return data


class ReasonSchema(ActionSchema):
    """An action that needs a reason."""

    reason = Text()


class ParkSchema(ActionSchema):
    """A pause with its reason, or a suspension by decision (grounds, number, date)."""

    reason = Text()
    grounds = Code(load_default="")
    decision_no = Text(load_default="")
    decision_date = DateField(load_default=None)


class OptionalReasonSchema(ActionSchema):
    """An action whose reason may be left empty."""

    reason = Text(load_default="")


class ExtendSchema(ActionSchema):
    """A later due date, why, and the extension decision (number and date)."""

    new_due_date = DateField(load_default=None)
    reason = Text()
    decision_no = Text(load_default="")
    decision_date = DateField(load_default=None)


class AcceptComplaintSchema(ActionSchema):
    """Acceptance of a đơn for resolution (thụ lý)."""

    agency = Code()
    complexity = Code(load_default="normal")
    remote_area = Flag()
    acceptance_no = Text(load_default=None)
    accepted_on = DateField(load_default=None)


class ForwardSchema(ActionSchema):
    """The body a đơn is forwarded to, and why."""

    to_body = Text()
    reason = Text()


class ResultNoticeSchema(ActionSchema):
    """The competent body's notice of the result of a forwarded đơn."""

    notice_no = Text()
    notice_date = DateField(load_default=None)
    summary = Text()


class DecisionSchema(ActionSchema):
    """The decision that closes a complaint."""

    result = Code()
    text = Text()
    decided_on = DateField(load_default=None)
    decision_no = Text(load_default="")



class HandOverSchema(ActionSchema):
    """One item of an abolished unit handed to a successor unit."""

    to_unit = Code()
    reason = Text()


class BulkHandOverSchema(BaseSchema):
    """Every open item of an abolished unit (or of all, by lineage) to a successor."""

    from_unit = Code(load_default="")
    to_unit = Code(load_default="")
    by_lineage = Flag()
    reason = Text()
