"""The actions a user may take on an item: form schema, application method, who and when."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.actor import Actor
from domain.errors import DomainError, InvalidInput, N_
from petitions.errors import ItemNotFound
from petitions import permissions
from web.forms import ref_error
from web.schemas import items as s

OPEN_PETITION = ("logged", "classified", "assigned", "being_resolved", "not_resolved",
                 "answered", "parked")
OPEN_COMPLAINT = ("received", "accepted", "parked")
NOT_A_PETITION = N_("{ref} is not a voter petition: only petitions can be merged.")
ANSWERABLE = ("assigned", "being_resolved", "not_resolved")


@dataclass(frozen=True)
class Action:
    """One form on the item page."""

    name: str
    label: str
    schema: type[s.ActionSchema]
    method: str
    permission: str
    kinds: tuple[str, ...]
    statuses: tuple[str, ...]
    needs_due_date: bool = False

    def applies(self, item: dict[str, Any]) -> bool:
        """Tell whether the item's kind and status allow this action."""
        kind = "petition" if item["kind"] == "petition" else "complaint"
        if kind not in self.kinds or item["status"] not in self.statuses:
            return False
        if self.needs_due_date and not item.get("due_date"):
            return False
        if self.name == "extend" and item["kind"] == "complaint":
            return False  # the complaints law has no extension; the complex limit is chosen
        return True

    def allowed_for(self, actor: Actor, item: dict[str, Any]) -> bool:
        """Tell whether ``actor`` may take this action on ``item`` now."""
        return (actor.role in permissions.RULES[self.permission]
                and permissions.in_scope(actor, item.get("district"), item.get("agency"))
                and self.applies(item))

    def call(self, tracker: Any, actor: Actor, ref: Any, data: dict[str, Any]) -> Any:
        """Run the application method for this action."""
        method = getattr(tracker, self.method)
        if self.name == "merge":
            return self._merge(tracker, actor, ref, data)
        return method(actor, ref, **data)


    def _merge(self, tracker: Any, actor: Actor, ref: Any, data: dict[str, Any]) -> Any:
        survivor = data.pop("survivor")
        if not survivor:
            raise InvalidInput({"survivor": [N_("This field is required.")]})
        try:
            kept = tracker.get_item(actor, survivor)
        except ItemNotFound as err:
            # The survivor is a typed code: say so beside the field, not as a missing page.
            raise ref_error("survivor", err) from None
        if kept["kind"] != "petition":
            raise ref_error("survivor", DomainError(NOT_A_PETITION, ref=kept["code"]))
        return tracker.merge_petitions(actor, ref, survivor, **data)


P, C = ("petition",), ("complaint",)
BOTH = ("petition", "complaint")
ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("classify", N_("Classify"), s.ClassifySchema, "classify_petition", "classify", P,
           OPEN_PETITION[:5]),
    Action("assign", N_("Assign to an agency"), s.AssignSchema, "assign", "assign", P,
           ("logged", "classified", "assigned", "being_resolved", "not_resolved")),
    Action("merge", N_("Merge into another petition"), s.MergeSchema, "merge_petitions",
           "merge", P, OPEN_PETITION[:5]),
    Action("answer", N_("Record the answer"), s.AnswerSchema, "record_answer", "answer", P,
           ANSWERABLE),
    Action("accept_answer", N_("Accept the answer"), s.AcceptAnswerSchema, "accept_answer",
           "review", P, ("answered",)),
    Action("return_answer", N_("Return the answer"), s.ReasonSchema, "return_answer", "review",
           P, ("answered",)),
    Action("accept", N_("Accept for resolution"), s.AcceptComplaintSchema, "accept_complaint",
           "classify", C, ("received",)),
    Action("forward", N_("Forward to the competent body"), s.ForwardSchema,
           "forward_complaint", "classify", C, ("received",)),
    Action("guide", N_("Return with guidance"), s.ReasonSchema, "return_complaint", "classify",
           C, ("received",)),
    Action("file", N_("File without processing"), s.ReasonSchema, "file_complaint",
           "classify", C, ("received",)),
    Action("decide", N_("Record the decision"), s.DecisionSchema, "issue_decision", "decide",
           C, ("accepted",)),
    Action("progress", N_("Note progress"), s.ProgressSchema, "note_progress", "progress",
           BOTH, OPEN_PETITION + OPEN_COMPLAINT),
    Action("extend", N_("Extend the deadline"), s.ExtendSchema, "extend_deadline", "extend",
           BOTH, ("assigned", "being_resolved", "not_resolved", "accepted"),
           needs_due_date=True),
    Action("park", N_("Park"), s.ReasonSchema, "park", "park", BOTH,
           tuple(x for x in OPEN_PETITION + OPEN_COMPLAINT if x != "parked")),
    Action("resume", N_("Resume"), s.OptionalReasonSchema, "resume", "park", BOTH, ("parked",)),
    Action("withdraw", N_("Record withdrawal"), s.ReasonSchema, "withdraw", "withdraw", BOTH,
           OPEN_PETITION + OPEN_COMPLAINT),
    Action("close", N_("Close"), s.ReasonSchema, "close_item", "close", BOTH,
           OPEN_PETITION + OPEN_COMPLAINT),
)}


def available(actor: Actor, item: dict[str, Any]) -> list[Action]:
    """List the actions ``actor`` may take on ``item`` now, in display order."""
    return [a for a in ACTIONS.values() if a.allowed_for(actor, item)]
