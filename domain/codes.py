"""Item codes (``KN-2025-00042``) and the counter aggregate that hands them out once each."""
from __future__ import annotations

import re
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.ids import derived_id
from domain.item_types import REGISTRY

# The prefix names the item type (``ItemType.code_prefix``): a code with a prefix no type
# has is not a code.
CODE_PATTERN = re.compile(r"^([A-Z]{2})-(\d{4})-(\d{5,})$")


def format_code(prefix: str, year: int, number: int) -> str:
    """Format an item code, e.g. ``KN-2025-00042``."""
    return f"{prefix}-{year:04d}-{number:05d}"


def normalise_code(text: str) -> str | None:
    """Return ``text`` as a well-formed code (trimmed, upper-case), or None if it is not one."""
    candidate = text.strip().upper()
    match = CODE_PATTERN.match(candidate)
    return candidate if match and match.group(1) in REGISTRY.code_prefixes() else None


def item_id_for_code(code: str) -> UUID:
    """Derive an item's id from its code, so an item is found by its code directly."""
    return derived_id(f"petitions:item:{code}")


class CodeCounter(Aggregate):
    """Numbers allocated under one prefix and year; saving it with the item keeps codes unique."""

    @staticmethod
    def create_id(prefix: str, year: int) -> UUID:
        """Derive the counter's id from its prefix and year."""
        return uuid5(NAMESPACE_URL, f"petitions:counter:{prefix}:{year}")

    @event("CounterStarted")
    def __init__(self, prefix: str, year: int) -> None:
        self.prefix = prefix
        self.year = year
        self.last = 0

    def allocate(self, at: datetime) -> str:
        """Take the next number and return its code."""
        self._allocated(number=self.last + 1, at=at)
        return format_code(self.prefix, self.year, self.last)

    @event("NumberAllocated")
    def _allocated(self, number: int, at: datetime) -> None:
        self.last = number

    def allocate_block(self, count: int, at: datetime) -> list[str]:
        """Take the next ``count`` numbers at once (bulk loading); return their codes in order."""
        if count < 1:
            raise ValueError("count must be at least 1")
        first = self.last + 1
        self._block_allocated(first=first, last=self.last + count, at=at)
        return [format_code(self.prefix, self.year, n) for n in range(first, self.last + 1)]

    @event("NumbersAllocated")
    def _block_allocated(self, first: int, last: int, at: datetime) -> None:
        self.last = last
