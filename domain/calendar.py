"""Working-day arithmetic over a calendar of public holidays supplied from outside."""
from __future__ import annotations

from collections.abc import Callable, Container
from datetime import date, timedelta


class WorkingCalendar:
    """Count working days: Monday to Friday, except the public holidays it is given.

    ``holiday_name`` returns the holiday's name for a date, or None; the application
    builds it from a maintained holiday library, tests may pass a dict's ``get``.
    ``working_weekend_days`` lists Saturdays or Sundays declared working days in exchange
    for a bridge day off (e.g. Sat 26 Apr 2025 for Fri 2 May 2025), which the holiday
    library does not list for Vietnam.
    """

    def __init__(
        self, holiday_name: Callable[[date], str | None],
        working_weekend_days: Container[date] = (),
    ) -> None:
        self._holiday_name = holiday_name
        self._working_weekend_days = working_weekend_days

    def holiday(self, day: date) -> str | None:
        """Return the name of the public holiday on ``day``, if any."""
        return self._holiday_name(day)

    def is_working_day(self, day: date) -> bool:
        """Tell whether ``day`` is neither a weekend day nor a public holiday."""
        if self._holiday_name(day) is not None:
            return False
        return day.weekday() < 5 or day in self._working_weekend_days

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
