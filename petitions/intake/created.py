"""The stored records that create aggregates, encoded straight from their fields.

A spreadsheet import creates two aggregates a row (the petition and its row marker) and
never uses them afterwards: it only stores their first events. Building each aggregate, then
its event, then mapping the event (a copy of its attributes, the library's JSON encoder
calling back into Python for every date) was most of an import batch. A record here is the
one the mapper stores for the aggregate's created event: the same topic, id, version and
state (the same JSON object, its keys in the order given; compressed and encrypted as the
mapper does), with one timestamp for the batch. ``tests/integration/test_intake_records.py``
compares the two. orjson writes the state, asking ``CreatedRecords._value`` for each date
and time; an event with a value of any other type is built and mapped the library's way.
"""
from __future__ import annotations

import dataclasses
import functools
from datetime import date, datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

# Values orjson writes as the library's encoder does (text, whole numbers, flags), and the
# dates and times it hands to ``CreatedRecords._value``. Any other (a list, an id) is left to
# the library: orjson writes an id as text, which would come back as text.
PLAIN = frozenset({str, int, bool, type(None)})
ENCODED = PLAIN | {date, datetime}
IDENTITY = frozenset({"originator_id", "originator_version"})  # columns, not state
STAMP = frozenset({"timestamp", "originator_topic"})  # set here, not by the caller


class FieldError(TypeError):
    """A field the event needs is missing, or one it has not is given."""


@functools.cache
def _kind(aggregate: type[Aggregate], event: type[Any]) -> tuple[str, str, frozenset[str], int]:
    """Return the topics of ``aggregate`` and ``event``, the names of the event's own fields
    (not the identity, not the stamp) and its class version."""
    names = frozenset(f.name for f in dataclasses.fields(event)) - IDENTITY - STAMP
    return get_topic(aggregate), get_topic(event), names, getattr(event, "class_version", 1)


class CreatedRecords:
    """Records of aggregates' created events for one transaction, stamped at ``timestamp``."""

    def __init__(self, mapper: Mapper[Any], timestamp: datetime) -> None:
        self._mapper = mapper
        self._transcodings = mapper.transcoder.types  # type: ignore[attr-defined]
        self._encoded: dict[Any, dict[str, Any]] = {}
        self.timestamp = timestamp
        self._timestamp = self._value(timestamp)

    def record(self, aggregate: type[Aggregate], event: type[CanMutateAggregate[Any]],
               originator_id: UUID, fields: dict[str, Any]) -> StoredEvent:
        """Return the record of the ``event`` that creates an ``aggregate`` with ``fields``
        (version 1). A missing or unknown field is refused as the event's constructor
        refuses it."""
        topic, event_topic, names, class_version = _kind(aggregate, event)
        if fields.keys() != names:
            fields = self._complete(event, names, fields)
        encoded = None
        if ENCODED.issuperset(map(type, fields.values())):
            state = {"timestamp": self._timestamp, "originator_topic": topic, **fields}
            if class_version > 1:
                state["class_version"] = class_version
            try:
                encoded = orjson.dumps(state, default=self._value,
                                       option=orjson.OPT_PASSTHROUGH_DATETIME)
            except orjson.JSONEncodeError:  # a number too large for orjson
                pass
        if encoded is None:  # a value of another type: the library's way
            built = event(originator_id=originator_id,
                          originator_version=aggregate.INITIAL_VERSION, timestamp=self.timestamp,
                          originator_topic=topic, **fields)
            return self._mapper.to_stored_event(built)
        if self._mapper.compressor:
            encoded = self._mapper.compressor.compress(encoded)
        if self._mapper.cipher:
            encoded = self._mapper.cipher.encrypt(encoded)
        return StoredEvent(originator_id=originator_id,
                           originator_version=aggregate.INITIAL_VERSION,
                           topic=event_topic, state=encoded)

    @staticmethod
    def _complete(event: type[Any], names: frozenset[str],
                  fields: dict[str, Any]) -> dict[str, Any]:
        """Return ``fields`` with the defaults of those not given; raise ``FieldError`` for
        a field the event has not, or one without a default that is not given."""
        unknown = sorted(fields.keys() - names)
        if unknown:
            raise FieldError(f"{event.__qualname__} has no field {unknown[0]!r}")
        complete = dict(fields)
        for name in names - fields.keys():
            field = event.__dataclass_fields__[name]
            if field.default is not dataclasses.MISSING:
                complete[name] = field.default
            elif field.default_factory is not dataclasses.MISSING:
                complete[name] = field.default_factory()
            else:
                raise FieldError(f"{event.__qualname__} needs a value for {name!r}")
        return complete

    def _value(self, value: Any) -> dict[str, Any]:
        """Return a date or time as the transcoder writes it (orjson's ``default``; worked
        out once for a value that repeats, such as a meeting date or the batch's time)."""
        # Equal times in other zones are equal, but are written with their own offsets; a
        # date is never equal to a time.
        key = (value, value.tzinfo) if type(value) is datetime else value
        try:
            return self._encoded[key]
        except KeyError:
            transcoding = self._transcodings[type(value)]
            encoded = self._encoded[key] = {"_type_": transcoding.name,
                                              "_data_": transcoding.encode(value)}
            return encoded
