"""Plain-data views of an item and of its events, with personal data masked when required."""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from domain.complaint import Complaint
from domain.item import TrackedItem
from domain.item_types import type_of
from domain.petition import VoterPetition
from projections import figures

HIDDEN = "***"
# Event attributes holding personal data of voters, petitioners or denouncers.
PERSONAL_EVENT_FIELDS = {"voters", "petitioner"}
# Library bookkeeping and the who/when stamp, which the result carries on its own keys.
_NOT_FACTS = {"originator_id", "originator_version", "originator_topic", "timestamp",
              "actor", "role", "at"}


def item_to_dict(item: TrackedItem, *, personal: bool, today: date) -> dict[str, Any]:
    """Return the item's current state; ``personal`` decides whether personal data shows."""
    data: dict[str, Any] = {
        "id": item.id, "code": item.code, "item_type": type_of(item).name, "kind": item.kind,
        "version": item.version,
        "title": item.title, "content": item.content, "status": item.status.value,
        "is_open": item.is_open, "district": item.district,
        "origin_district": item.unit_of_origin, "field": item.field,
        "received_on": item.received_on, "agency": item.agency, "due_date": item.due_date,
        "deadline": item.deadline, "outcome": item.outcome,
        "escalation_level": item.escalation_level, "extensions": item.extensions,
        "overdue": figures.is_overdue(item.status.value, item.due_date, today),
        "past_roadmap": figures.is_past_roadmap(item.status.value, item.due_date, today),
        "closed_at": item.closed_at,
        "cooperating": item.cooperating_agencies, "leader": item.responsible_leader,
        "categories": item.categories,
        "extension_decision": item.last_extension_decision,
        "suspension": item.current_suspension, "suspensions": item.past_suspensions,
        "created_on": item.created_on, "modified_on": item.modified_on,
        "published_answer": item.published_answer,
    }
    if isinstance(item, VoterPetition):
        data.update({
            "deputy_group": item.deputy_group, "session": item.session,
            "competence": item.competence, "meeting_date": item.meeting_date,
            "meeting_place": item.meeting_place,
            "voters": item.voters if personal else HIDDEN,
            "merged_into": item.merged_into, "merged_from": list(item.merged_from),
            "pending_answer": item.pending_answer,
        })
    elif isinstance(item, Complaint):
        data.update({
            "channel": item.channel, "subject": item.subject, "anonymous": item.anonymous,
            "petitioner": dict(item.petitioner) if personal else HIDDEN,
            "round_no": item.round_no, "first_round_code": item.first_round_code,
            "second_round_codes": list(item.second_round_codes),
            "complexity": item.complexity, "decision": item.decision,
            # getattr: snapshots taken before these were kept do not have them.
            "forwarded_to": getattr(item, "forwarded_to", None),
            "forwarded_late": getattr(item, "forwarded_late", False),
            "result_notice": getattr(item, "result_notice", None),
            "filing_window": getattr(item, "filing_window", None),
        })
    facts = getattr(item, "page_facts", None)
    if facts is not None:  # a type with facts of its own (a commitment's measure, sources)
        data.update(facts())
    return data


def event_to_dict(event: Any, *, personal: bool) -> dict[str, Any]:
    """Return one stored event as plain data: its type, when, who, and its facts."""
    facts: dict[str, Any] = {}
    names = [f.name for f in fields(event)] if is_dataclass(event) else list(vars(event))
    for name in names:
        if name in _NOT_FACTS:
            continue
        value = getattr(event, name)
        facts[name] = HIDDEN if (name in PERSONAL_EVENT_FIELDS and not personal) else value
    return {
        "type": type(event).__name__,
        "version": event.originator_version,
        "at": getattr(event, "at", None) or event.timestamp,
        "recorded_at": event.timestamp,
        "actor": getattr(event, "actor", ""),
        "role": getattr(event, "role", ""),
        "facts": facts,
    }
