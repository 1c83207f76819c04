"""The actions a user may take on an item: form schema, application method, who and when."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.actor import Actor
from domain.errors import DomainError, InvalidInput, N_
from domain.handover import HandoverError
from domain.item_types import REGISTRY, Transition
from petitions.errors import ItemNotFound
from petitions import permissions
from web.forms import ref_error
from web.units import unit_has_ended
from web.schemas import commitments as ck
from web.schemas import items as s

NOT_A_PETITION = N_("{ref} is not a voter petition: only petitions can be merged.")


@dataclass(frozen=True)
class Form:
    """How the item page takes one lifecycle action: its schema and application method."""

    schema: type[s.ActionSchema]
    method: str
    files: bool = False          # the form may carry a file (``file_data``, ``filename``)

    def call(self, tracker: Any, actor: Actor, ref: Any, data: dict[str, Any]) -> Any:
        """Run the application method with the form's validated data."""
        if self.files:
            from web.uploads import uploaded

            data = {**data, **uploaded()}
        if self.method == "merge_petitions":
            return self._merge(tracker, actor, ref, data)
        try:
            return getattr(tracker, self.method)(actor, ref, **data)
        except HandoverError as err:
            raise ref_error(err.field, err) from None  # beside the unit it is about

    def _merge(self, tracker: Any, actor: Actor, ref: Any, data: dict[str, Any]) -> Any:
        survivor = data.pop("survivor")
        if not survivor:
            raise InvalidInput({"survivor": [N_("This field is required.")]})
        try:
            kept = tracker.get_item(actor, survivor)
        except ItemNotFound as err:
            # The survivor is a typed code: say so beside the field, not as a missing page.
            raise ref_error("survivor", err) from None
        if not REGISTRY.for_kind(kept["kind"]).has_action("merge"):
            raise ref_error("survivor", DomainError(NOT_A_PETITION, ref=kept["code"]))
        return tracker.merge_petitions(actor, ref, survivor, **data)


@dataclass(frozen=True)
class Action:
    """One form on the item page: a lifecycle row of the item's type with its form."""

    transition: Transition
    form: Form

    @property
    def name(self) -> str:
        """The action's name (the lifecycle table's)."""
        return self.transition.action

    @property
    def label(self) -> str:
        """What the button says (a msgid; the template translates it)."""
        return self.transition.label


# The form of each lifecycle action a person takes (the table itself is the item type's,
# in ``domain``); ``tests/web/test_actions.py`` checks every such action has one.
FORMS: dict[str, Form] = {
    "classify": Form(s.ClassifySchema, "classify_petition"),
    "assign": Form(s.AssignSchema, "assign"),
    "merge": Form(s.MergeSchema, "merge_petitions"),
    "answer": Form(s.AnswerSchema, "answer_with_letter", files=True),
    "accept_answer": Form(s.AcceptAnswerSchema, "accept_answer"),
    "return_answer": Form(s.ReasonSchema, "return_answer"),
    "send_back": Form(s.ReasonSchema, "send_back"),
    "accept": Form(s.AcceptComplaintSchema, "accept_complaint"),
    "forward": Form(s.ForwardSchema, "forward_with_slip"),
    "record_result": Form(s.ResultNoticeSchema, "record_result_notice_documented",
                          files=True),
    "guide": Form(s.ReasonSchema, "return_complaint"),
    "file": Form(s.ReasonSchema, "file_complaint"),
    "decide": Form(s.DecisionSchema, "issue_decision_documented", files=True),
    "progress": Form(s.ProgressSchema, "note_progress_with_file", files=True),
    "extend": Form(s.ExtendSchema, "extend_deadline_documented", files=True),
    "park": Form(s.ParkSchema, "park"),
    "resume": Form(s.OptionalReasonSchema, "resume"),
    "withdraw": Form(s.ReasonSchema, "withdraw"),
    "close": Form(s.ReasonSchema, "close_item"),
    "hand_over": Form(s.HandOverSchema, "hand_over"),
    # Commitments (issue 15)
    "report_progress": Form(ck.ReportSchema, "report_commitment_progress"),
    "accept_report": Form(ck.CommentSchema, "accept_commitment_report"),
    "return_report": Form(s.ReasonSchema, "return_commitment_report"),
    "assess": Form(ck.AssessSchema, "assess_commitment"),
    "drop": Form(s.ReasonSchema, "drop_commitment"),
    "requestion": Form(ck.RequestionSchema, "requestion_commitment"),
    "categorise": Form(s.CategoriseSchema, "set_categories"),
}
# Actions offered only where the item's facts call for them (the application refuses the
# rest anyway): a hand-over only for an item whose unit has ended.
OFFERED_WHEN: dict[str, Callable[[dict[str, Any]], bool]] = {
    "hand_over": lambda item: unit_has_ended(item.get("district")),
}


def available(actor: Actor, item: dict[str, Any]) -> list[Action]:
    """List the actions ``actor`` may take on ``item`` now, in the lifecycle table's order."""
    try:
        item_type = REGISTRY.for_kind(item["kind"])
    except KeyError:
        return []
    # A co-operating agency is offered only what it may do on an item another agency leads.
    return [Action(t, FORMS[t.action])
            for t in item_type.actions_for(actor.role, item["status"], item["kind"],
                                           bool(item.get("due_date")))
            if t.action in FORMS and OFFERED_WHEN.get(t.action, _always)(item)
            and permissions.in_scope_for(
                actor, t.action, item.get("district"), item.get("agency"),
                item.get("cooperating") or ())]


def _always(item: dict[str, Any]) -> bool:
    return True


def offered_anywhere(actor: Actor, name: str) -> bool:
    """Tell whether ``actor``'s role may take action ``name`` on any item type."""
    return name in FORMS and permissions.may(actor, name)
