"""Working-day arithmetic over a calendar of public holidays supplied from outside."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta


class WorkingCalendar:
    """Count working days: Monday to Friday, except the public holidays it is given.

    ``holiday_name`` returns the holiday's name for a date, or None; the application
    builds it from a maintained holiday library, tests may pass a dict's ``get``.
    """

    def __init__(self, holiday_name: Callable[[date], str | None]) -> None:
        self._holiday_name = holiday_name

    def holiday(self, day: date) -> str | None:
        """Return the name of the public holiday on ``day``, if any."""
        return self._holiday_name(day)

    def is_working_day(self, day: date) -> bool:
        """Tell whether ``day`` is neither a weekend day nor a public holiday."""
        return day.weekday() < 5 and self._holiday_name(day) is None

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
