"""A tiny item type that exists only in the tests: a citizen inquiry (hỏi đáp).

It is what adding a type costs: one aggregate, one declaration, nothing else. The tests in
``test_item_type_registry.py`` (unit) and ``tests/integration/test_sample_type.py`` check that
the registry, the projection, the escalation scan, the item page's actions and the labels
all pick it up with no other change. ``register()``/``unregister()`` keep it out of every
other test.
"""
from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.codes import item_id_for_code
from domain.errors import N_
from domain.item import CREATORS, HANDLERS, TrackedItem, shared_lifecycle
from domain.item_types import REGISTRY, ItemType, StatusGroup, StatusSpec, Transition


class InquiryStatus(str, Enum):
    """The inquiry's statuses: two of its own and three the shared commands lead to."""

    OPENED = "opened"
    PARKED = "parked"
    REPLIED = "replied"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class Inquiry(TrackedItem):
    """A question a citizen asked the council office, answered by an agency by a due date."""

    noun = "inquiry"
    status_values = InquiryStatus

    @staticmethod
    def create_id(code: str, **_: Any) -> UUID:
        """Derive the id from the code, as every item does."""
        return item_id_for_code(code)

    @event("InquiryOpened")
    def __init__(self, code: str, title: str, content: str, district: str, field: str,
                 agency: str, received_on: date, due_date: date, at: datetime, actor: str,
                 role: str) -> None:
        self.code = code
        self.kind = "inquiry"
        self.title = title
        self.content = content
        self.district = district
        self.field = field
        self.received_on = received_on
        self._init_tracking()
        self.agency = agency
        self.status = self.item_type.initial
        self._set_due(due_date, None)

    def reply(self, text: str, *, by: Actor, at: datetime) -> None:
        """Record the agency's reply, which ends the inquiry."""
        self._require("reply")
        self._replied(text=text, at=at, **by.stamp())

    @event("InquiryReplied")
    def _replied(self, text: str, at: datetime, actor: str, role: str) -> None:
        self._move("reply", at)


_OPEN = ("opened", "parked")
INQUIRY_TYPE = ItemType(
    name="inquiry",
    label=N_("inquiry"),
    aggregate=Inquiry,
    code_prefix="HD",
    kinds={"inquiry": N_("inquiry")},
    statuses=(
        StatusSpec("opened", StatusGroup.OPEN, N_("waiting for a reply")),
        StatusSpec("parked", StatusGroup.OPEN, N_("parked"), paused=True),
        StatusSpec("replied", StatusGroup.CONCLUDED, N_("replied"), answered=True),
        StatusSpec("withdrawn", StatusGroup.CONCLUDED, N_("withdrawn")),
        StatusSpec("closed", StatusGroup.CONCLUDED, N_("closed")),
    ),
    initial="opened",
    lifecycle=(
        Transition("reply", N_("Reply"), frozenset({"opened"}), "replied", HANDLERS,
                   ("InquiryReplied",)),
        *shared_lifecycle(open_statuses=_OPEN, running=("opened",), extendable=("opened",)),
    ),
    create_roles=CREATORS,
    created_by="InquiryOpened",
)


def register() -> ItemType:
    """Add the inquiry type to the registry."""
    return REGISTRY.register(INQUIRY_TYPE)


def unregister() -> None:
    """Remove the inquiry type from the registry."""
    REGISTRY.unregister(INQUIRY_TYPE.name)
