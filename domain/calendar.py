"""Working-day arithmetic over a calendar of public holidays supplied from outside.

The official calendar (``HolidayCalendar``) is kept as events: each day an announcement
makes a day off or a working day is recorded with the document that announced it, and
overrides the holiday library the application uses as its base.
"""
from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import N_
from domain.text import NAME_MAX, FieldCheck

DAY_OFF = "day_off"          # a public holiday or a bridge day off (ngày nghỉ)
WORKING_DAY = "working_day"  # a make-up working weekend day, or a listed day that is not a holiday
DAY_KINDS = (DAY_OFF, WORKING_DAY)
# Why a weekend day is skipped, in the words the explanation shows.
WEEKEND = "weekend"


@dataclass(frozen=True)
class CalendarDay:
    """One day an official announcement decided: off or working, and the document saying so."""

    day: date
    kind: str
    name: str
    document: str

    def to_dict(self) -> dict[str, Any]:
        """Return the day as plain data for an event or the shipped file."""
        return {"day": self.day, "kind": self.kind, "name": self.name, "document": self.document}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarDay:
        """Rebuild a day stored in an event."""
        return cls(data["day"], data["kind"], data["name"], data["document"])


class WorkingCalendar:
    """Count working days: Monday to Friday, except the public holidays it is given.

    ``holiday_name`` returns the holiday's name for a date, or None; the application
    builds it from a maintained holiday library, tests may pass a dict's ``get``.
    ``working_weekend_days`` lists Saturdays or Sundays declared working days in exchange
    for a bridge day off (e.g. Sat 26 Apr 2025 for Fri 2 May 2025), which the holiday
    library does not list for Vietnam. ``official`` days (announced by the government,
    kept in the ``HolidayCalendar``) override both.
    """

    def __init__(
        self, holiday_name: Callable[[date], str | None],
        working_weekend_days: Container[date] = (),
        official: Mapping[date, CalendarDay] | None = None,
    ) -> None:
        self._holiday_name = holiday_name
        self._working_weekend_days = working_weekend_days
        self._official: Mapping[date, CalendarDay] = official or {}

    def with_official(self, days: Iterable[CalendarDay]) -> WorkingCalendar:
        """Return this calendar with the official ``days`` laid over it."""
        return WorkingCalendar(self._holiday_name, self._working_weekend_days,
                               {d.day: d for d in days})

    def memoised(self, size: int = 4096) -> WorkingCalendar:
        """Return this calendar with the library's look-ups cached (the official days kept)."""
        return _CountingCalendar(lru_cache(maxsize=size)(self._holiday_name),
                                 self._working_weekend_days, self._official)

    def official_day(self, day: date) -> CalendarDay | None:
        """Return the announced entry for ``day``, if an announcement decided it."""
        return self._official.get(day)

    def holiday(self, day: date) -> str | None:
        """Return the name of the public holiday on ``day``, if any."""
        entry = self._official.get(day)
        if entry is not None:
            return entry.name if entry.kind == DAY_OFF else None
        return self._holiday_name(day)

    def is_working_day(self, day: date) -> bool:
        """Tell whether ``day`` is neither a weekend day nor a public holiday."""
        entry = self._official.get(day)
        if entry is not None:
            return entry.kind == WORKING_DAY
        if self._holiday_name(day) is not None:
            return False
        return day.weekday() < 5 or day in self._working_weekend_days

    def reason_off(self, day: date) -> str:
        """Say why ``day`` is not a working day: the holiday's name (and document), or weekend."""
        entry = self._official.get(day)
        if entry is not None and entry.kind == DAY_OFF:
            return f"{entry.name} ({entry.document})" if entry.document else entry.name
        return self.holiday(day) or WEEKEND

    def add_working_days(self, start: date, count: int) -> tuple[date, list[date]]:
        """Return the date ``count`` working days after ``start`` and the days skipped.

        The start day itself is not counted; negative counts go backwards.
        """
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        day = start
        skipped: list[date] = []
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
            else:
                skipped.append(day)
        return day, skipped

    def next_working_day(self, day: date) -> tuple[date, list[date]]:
        """Return ``day`` if it is a working day, else the first working day after it."""
        skipped: list[date] = []
        while not self.is_working_day(day):
            skipped.append(day)
            day += timedelta(days=1)
        return day, skipped

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days after ``start`` up to and including ``end`` (negative if before)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def check_day(check: FieldCheck, field: str, value: object) -> date | None:
    """Return ``value`` as a date (a date, or YYYY-MM-DD text as in the shipped file), or
    add the error beside ``field`` and return None."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, date) or isinstance(value, datetime):
        check.add(field, N_("Must be a date."))
        return None
    return value


def check_calendar_day(data: Mapping[str, Any]) -> CalendarDay:
    """Check one announced day given as plain data (form, file) and return it, or refuse."""
    check = FieldCheck()
    day = check_day(check, "day", data.get("day"))
    kind = check.choice("kind", data.get("kind"), set(DAY_KINDS))
    name = check.text("name", data.get("name"), max_length=NAME_MAX)
    document = check.text("document", data.get("document"), max_length=NAME_MAX)
    check.raise_if_any()
    return CalendarDay(day, kind, name, document)  # type: ignore[arg-type]


class HolidayCalendar(Aggregate):
    """The official calendar of one deployment: every announced day off or working day.

    Seeded from the file shipped in the package and edited by admins; a day is changed by
    recording it again (the history keeps every version with its actor), never deleted.
    """

    @staticmethod
    def create_id() -> UUID:
        """Return the single calendar's fixed id."""
        return uuid5(NAMESPACE_URL, "petitions:holiday-calendar")

    @event("HolidayCalendarStarted")
    def __init__(self) -> None:
        self.days: dict[date, dict[str, Any]] = {}
        self.history: list[dict[str, Any]] = []

    def record(self, entry: CalendarDay, *, actor: str, at: datetime) -> bool:
        """Record an announced day; return False when it is already recorded as given."""
        if self.days.get(entry.day) == entry.to_dict():
            return False
        self._day_recorded(entry=entry.to_dict(), actor=actor, at=at)
        return True

    @event("CalendarDayRecorded")
    def _day_recorded(self, entry: dict[str, Any], actor: str, at: datetime) -> None:
        self.days[entry["day"]] = entry
        self.history.append({**entry, "actor": actor, "at": at})

    def entries(self) -> list[CalendarDay]:
        """Return every announced day, in date order."""
        return [CalendarDay.from_dict(self.days[d]) for d in sorted(self.days)]


class _CountingCalendar(WorkingCalendar):
    """A memoised calendar that counts working days between two dates by subtraction.

    The projector counts the working days each agency held every item; walking day by day
    was a seventh of a rebuild. Here the running count of working days since a fixed day
    is kept per day (extended as later days are asked), so a count is two look-ups.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._origin: date | None = None
        self._running: list[int] = []   # working days in (origin, origin + i]

    def working_days_between(self, start: date, end: date) -> int:
        if end < start:
            return -self.working_days_between(end, start)
        if self._origin is None:
            self._origin = start - timedelta(days=800)
            self._running = [0]
        if start < self._origin:
            return super().working_days_between(start, end)
        last = (end - self._origin).days
        running = self._running
        while len(running) <= last:
            day = self._origin + timedelta(days=len(running))
            running.append(running[-1] + (1 if self.is_working_day(day) else 0))
        return running[last] - running[(start - self._origin).days]

