"""The event that creates an aggregate, built without building the aggregate.

A spreadsheet import creates two aggregates a row (the petition and its row marker) and
never uses them afterwards: it only stores their first events. Building each aggregate
(the library's argument matching, then replaying the event into a new object) was half of
an import batch. The event is the same one the aggregate's constructor records: the same
class, fields, id and topic (``tests/integration/test_intake.py`` compares the two).
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.utils import get_topic


def created_event(aggregate: type[Aggregate], event: type[CanMutateAggregate[Any]],
                  originator_id: UUID, **fields: Any) -> CanMutateAggregate[Any]:
    """Return the ``event`` that creates an ``aggregate`` with ``fields`` (version 1, stamped
    now, as the library stamps a new aggregate's first event)."""
    return event(originator_topic=get_topic(aggregate), originator_id=originator_id,
                 originator_version=aggregate.INITIAL_VERSION,
                 timestamp=event.create_timestamp(), **fields)
