"""Bulk actions of the work queues: one action on many items, each item its own command.

The table ``BULK_ACTIONS`` maps an action's name to how it runs: ``per_item`` calls one
application method per item (its own event, its own transaction), so one refusal never
undoes the others; ``batch`` takes the whole list at once (an application method that
handles a list itself, e.g. sending urging letters, returns one outcome per code). Every
code gets an outcome: done (with the item's new version) or refused, with the reason.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.actor import Actor
from domain.errors import DomainError, InvalidInput, N_
from petitions import permissions

MAX_ITEMS = 200
NOT_FOUND = N_("Not found, or not in your scope.")
CHANGED = N_("Changed by someone else meanwhile: open it and try again.")


@dataclass
class BulkOutcome:
    """What became of one item: done, or refused and why (a domain error or a message)."""

    code: str
    done: bool
    error: DomainError | None = None
    message: str = ""


@dataclass(frozen=True)
class BulkAction:
    """One bulk action: its label (msgid), lifecycle action, parameters, and how it runs."""

    name: str
    label: str
    action: str                               # the lifecycle action, for permissions
    params: tuple[str, ...]                    # parameter names the form collects
    required: tuple[str, ...] = ()
    per_item: Callable[[Any, str, Actor, dict[str, Any]], Any] | None = None
    batch: Callable[[Any, Sequence[str], Actor, dict[str, Any]], list[BulkOutcome]] | None = None
    kinds: tuple[str, ...] = field(default=())  # empty: any item type with the action


def _assign(app: Any, code: str, actor: Actor, p: dict[str, Any]) -> Any:
    return app.assign(actor, code, agency=p["agency"], due_date=p.get("due_date"),
                      note=p.get("note") or "")


def _extend(app: Any, code: str, actor: Actor, p: dict[str, Any]) -> Any:
    return app.extend_deadline(actor, code, new_due_date=p["new_due_date"], reason=p["reason"],
                               decision_no=p.get("decision_no") or "",
                               decision_date=p.get("decision_date"))


def _accept_answer(app: Any, code: str, actor: Actor, p: dict[str, Any]) -> Any:
    return app.accept_answer(actor, code, comment=p.get("comment") or "")


def _hand_over(app: Any, code: str, actor: Actor, p: dict[str, Any]) -> Any:
    return app.hand_over(actor, code, to_unit=p["to_unit"], reason=p["reason"])


def _urge(app: Any, codes: Sequence[str], actor: Actor, p: dict[str, Any]) -> list[BulkOutcome]:
    # One letter per agency lists all its chosen items, so the list goes to the application
    # whole; each code is done when a letter names it, refused with the reason otherwise.
    result = app.issue_urging_letters(actor, list(codes), note=p.get("note") or "",
                                      signer=p.get("signer") or "")
    urged = {code for doc in result["issued"] for code in doc.get("item_codes", [])}
    refused = {r["code"]: r["reason"] for r in result["refused"]}
    return [BulkOutcome(code, True) if code in urged
            else BulkOutcome(code, False, message=refused.get(code, NOT_FOUND))
            for code in codes]


BULK_ACTIONS: dict[str, BulkAction] = {a.name: a for a in (
    BulkAction("assign", N_("Assign to an agency"), "assign", ("agency", "due_date", "note"),
               required=("agency",), per_item=_assign),
    BulkAction("extend", N_("Extend the deadline"), "extend",
               ("new_due_date", "reason", "decision_no", "decision_date"),
               required=("new_due_date", "reason"), per_item=_extend),
    BulkAction("accept_answer", N_("Accept the answers"), "accept_answer", ("comment",),
               per_item=_accept_answer),
    BulkAction("hand_over", N_("Hand over to a successor unit"), "hand_over",
               ("to_unit", "reason"), required=("to_unit", "reason"), per_item=_hand_over),
    # Urging letters (công văn đôn đốc) are documents the office issues (petitions.documents).
    BulkAction("urge", N_("Send urging letters"), "register_documents", ("note", "signer"),
               batch=_urge),
)}


def offered(actor: Actor) -> list[BulkAction]:
    """Return the bulk actions the actor's role may take on some item."""
    return [a for a in BULK_ACTIONS.values() if permissions.may(actor, a.action)]


def run_bulk(app: Any, actor: Actor, name: str, codes: Sequence[str],
             params: dict[str, Any]) -> list[BulkOutcome]:
    """Run bulk action ``name`` on ``codes``; return one outcome per distinct code, in order.

    Raises InvalidInput (nothing done) when a required parameter is missing or no item is
    chosen; every other refusal is one item's outcome.
    """
    from petitions.errors import ConflictError, ItemNotFound

    bulk = BULK_ACTIONS[name]
    chosen = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    missing = {p: [N_("This field is required.")] for p in bulk.required if not params.get(p)}
    if not chosen:
        missing["codes"] = [N_("Choose at least one item.")]
    elif len(chosen) > MAX_ITEMS:
        missing["codes"] = [N_("Choose at most {max} items at once.").replace(
            "{max}", str(MAX_ITEMS))]
    if missing:
        raise InvalidInput(missing)
    params = {k: v for k, v in params.items() if k in bulk.params}
    if bulk.batch is not None:
        return bulk.batch(app, chosen, actor, params)
    assert bulk.per_item is not None
    outcomes = []
    for code in chosen:
        try:
            bulk.per_item(app, code, actor, params)
        except ItemNotFound:
            outcomes.append(BulkOutcome(code, False, message=NOT_FOUND))
        except ConflictError:
            outcomes.append(BulkOutcome(code, False, message=CHANGED))
        except DomainError as err:
            outcomes.append(BulkOutcome(code, False, error=err))
        else:
            outcomes.append(BulkOutcome(code, True))
    return outcomes
